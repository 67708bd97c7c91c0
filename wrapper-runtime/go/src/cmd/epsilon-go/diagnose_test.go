package main

import (
	"strings"
	"testing"
)

func TestNormalizeGoMod(t *testing.T) {
	cases := map[string]struct{ in, want string }{
		"kept":        {"module m\n\ngo 1.19\n", "module m\n\ngo 1.19\n"},
		"older kept":  {"module m\n\ngo 1.16\n", "module m\n\ngo 1.16\n"},
		"three parts": {"module m\n\ngo 1.21.0\n", "module m\n\ngo 1.19\n"},
		"newer":       {"module m\ngo 1.20 // comment\n", "module m\ngo 1.19\n"},
		"toolchain":   {"module m\ngo 1.19\ntoolchain go1.22.1\nrequire x v1.0.0\n", "module m\ngo 1.19\nrequire x v1.0.0\n"},
		"godebug":     {"module m\ngodebug (\n\tpanicnil=1\n)\ngodebug x=1\nrequire (\n\ty v1\n)\n", "module m\nrequire (\n\ty v1\n)\n"},
	}
	for name, c := range cases {
		got, notes := normalizeGoMod([]byte(c.in))
		if string(got) != c.want {
			t.Errorf("%s: got %q, want %q", name, got, c.want)
		}
		if (c.in == c.want) != (len(notes) == 0) {
			t.Errorf("%s: notes %v", name, notes)
		}
	}
}

func TestDiagnoseBuild(t *testing.T) {
	pkg := &handlerPackage{Rel: "handlers", ImportPath: "example.com/m/handlers", Name: "handlers"}
	names := map[string]declaration{
		"Hello": {Kind: "func", File: "handlers/hello.go", Line: 9},
		"Thing": {Kind: "type", File: "handlers/types.go", Line: 3},
		"Other": {Kind: "func", File: "handlers/hello.go", Line: 20},
	}
	cases := []struct{ output, export, want string }{
		{"go: downloading example.com/x v1.0.0\n# example.com/m/handlers\nhandlers/hello.go:12:5: undefined: nope\nhandlers/hello.go:13:1: missing return\n",
			"Hello", "handlers/hello.go:12: undefined: nope"},
		{"# example.com/m/lib\n/src/function/lib/a.go:3:1: syntax error: non-declaration statement outside function body\n",
			"Hello", "lib/a.go:3: syntax error: non-declaration statement outside function body"},
		{"# example.com/m/_epsilon_main\n_epsilon_main/main.go:15:26: cannot use userfunction.Hello (value of type func() string) as type http.HandlerFunc in variable declaration\n",
			"Hello", "handlers/hello.go:9: func Hello has type func() string; a handler is a func(w http.ResponseWriter, r *http.Request)"},
		{"_epsilon_main/main.go:15:26: cannot use userfunction.Hello (value of type func(int)) as http.HandlerFunc value in variable declaration\n",
			"Hello", "handlers/hello.go:9: func Hello has type func(int); a handler is a func(w http.ResponseWriter, r *http.Request)"},
		{"_epsilon_main/main.go:15:29: undefined: handlers.Nope\n",
			"Nope", "handlers/: package handlers has no function 'Nope' (its exported functions: Hello, Other)"},
		{"_epsilon_main/main.go:15:26: userfunction.Thing (type) is not an expression\n",
			"Thing", "handlers/types.go:3: Thing is a type, not a function; a handler is a func(w http.ResponseWriter, r *http.Request)"},
		{"go: updates to go.mod needed; to update it:\n\tgo mod tidy\n", "Hello", "updates to go.mod needed; to update it:"},
		{"", "Hello", "go build failed without a message"},
	}
	for _, c := range cases {
		if got := diagnoseBuild(c.output, "/src/function", GeneratedDir, pkg, c.export, names); got != c.want {
			t.Errorf("for %q:\n got %q\nwant %q", c.output, got, c.want)
		}
	}
}

func TestDiagnoseStart(t *testing.T) {
	trace := strings.Join([]string{
		"panic: open config.json: no such file or directory",
		"",
		"goroutine 1 [running]:",
		"example.com/m/internal/config.init.0()",
		"\texample.com/m/internal/config/config.go:14 +0x1d",
		"example.com/m/_epsilon_main.init()",
		"\texample.com/m/_epsilon_main/main.go:3 +0x1d",
	}, "\n")
	if got := diagnoseStart(trace, 2, "/src/function", "example.com/m", GeneratedDir); got !=
		"internal/config/config.go:14: panic while the function's packages were initialized: open config.json: no such file or directory" {
		t.Errorf("got %q", got)
	}
	if got := diagnoseStart("panic: x\n\ngoroutine 1 [running]:\nruntime.main()\n\truntime/proc.go:250 +0x1\n", 2, "/src/function", "example.com/m", GeneratedDir); got !=
		"panic while the function's packages were initialized: x" {
		t.Errorf("got %q", got)
	}
	if got := diagnoseStart("", 3, "/src/function", "m", GeneratedDir); got != "the function exited with status 3 while its packages were initialized" {
		t.Errorf("got %q", got)
	}
}
