package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runtimeDir is the wrapper module these tests build against (this source tree).
func runtimeDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func repo(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

type result struct {
	code           int
	stdout, stderr string
}

// lastEpsilonLine is what the builder reports: the last line starting with "epsilon: " (all on stdout, so it
// comes after go's output).
func (r result) lastEpsilonLine() string {
	last := ""
	for _, line := range strings.Split(r.stdout, "\n") {
		if strings.HasPrefix(line, "epsilon: ") {
			last = line
		}
	}
	return last
}

func runTool(t *testing.T, args ...string) result {
	t.Helper()
	t.Setenv("GOPROXY", "off") // nothing is downloaded in these tests
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

func buildFunction(t *testing.T, dir, pkg, export string) (result, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "function")
	r := runTool(t, "build", "-function", "go-test", "-dir", dir, "-runtime", runtimeDir(t), "-package", pkg, "-export", export,
		"-out", out, "-check-uid", "-1", "-check-timeout", "5s")
	return r, out
}

const handlerImports = "package api\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n)\n\n"

func TestBuild_RepositoryWithoutGoMod_BuildsAndPassesTheLoadCheck(t *testing.T) {
	dir := repo(t, map[string]string{"api.go": handlerImports +
		"func init() { fmt.Println(\"initialized\") }\n\nfunc API(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, \"hi\") }\n"})

	r, out := buildFunction(t, dir, ".", "API")

	if r.code != 0 {
		t.Fatalf("build failed: %s %s", r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "epsilon check: function 'go-test' ok (package ., func API") || r.lastEpsilonLine() != "" {
		t.Fatalf("output: %s", r.stdout)
	}
	if !strings.Contains(r.stdout, `"message":"initialized"`) {
		t.Fatalf("init output is a JSON line: %s", r.stdout)
	}
	if info, err := os.Stat(out); err != nil || info.Size() == 0 {
		t.Fatalf("binary: %v", err)
	}
	mod, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
	if !strings.Contains(string(mod), "module function") || !strings.Contains(string(mod), "epsilon.local/runtime => "+runtimeDir(t)) {
		t.Fatalf("go.mod: %s", mod)
	}
}

func TestBuild_CompileError_IsOneLineWithFileAndLine(t *testing.T) {
	dir := repo(t, map[string]string{
		"go.mod":             "module example.com/shop\n\ngo 1.19\n",
		"handlers/orders.go": "package handlers\n\nimport \"net/http\"\n\nfunc Orders(w http.ResponseWriter, r *http.Request) {\n\tcount := nope()\n}\n",
	})

	r, _ := buildFunction(t, dir, "./handlers", "Orders")

	if r.code != 1 {
		t.Fatalf("code %d", r.code)
	}
	if got := r.lastEpsilonLine(); got != "epsilon: function 'go-test': handlers/orders.go:6: undefined: nope" {
		t.Fatalf("line: %q\n%s", got, r.stdout)
	}
	if !strings.Contains(r.stdout, "declared but not used") && !strings.Contains(r.stdout, "undefined: nope") {
		t.Fatalf("go's own output is in the log: %s", r.stdout)
	}
}

func TestBuild_MissingFunction_ListsTheExportedOnesAndAnUnexportedMatch(t *testing.T) {
	dir := repo(t, map[string]string{"api.go": handlerImports +
		"func hello(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, \"hi\") }\n\nfunc Other(w http.ResponseWriter, r *http.Request) {}\n\nfunc Helper() {}\n"})

	r, _ := buildFunction(t, dir, ".", "Hello")

	want := "epsilon: function 'go-test': .: package api has no function 'Hello' (its exported functions: Helper, Other); 'hello' (api.go:8) is not exported: Go exports names that start with a capital letter"
	if got := r.lastEpsilonLine(); r.code != 1 || got != want {
		t.Fatalf("line: %q", got)
	}
}

func TestBuild_WrongSignature_PointsAtTheDeclaration(t *testing.T) {
	dir := repo(t, map[string]string{
		"go.mod":      "module example.com/x\n\ngo 1.19\n",
		"fn/hello.go": "package fn\n\nimport \"net/http\"\n\n// Hello has one parameter too few.\nfunc Hello(w http.ResponseWriter) {}\n",
	})

	r, _ := buildFunction(t, dir, "fn", "Hello")

	want := "epsilon: function 'go-test': fn/hello.go:6: func Hello has type func(w http.ResponseWriter); a handler is a func(w http.ResponseWriter, r *http.Request)"
	if got := r.lastEpsilonLine(); r.code != 1 || got != want {
		t.Fatalf("line: %q", got)
	}
}

func TestBuild_TypeInsteadOfFunction(t *testing.T) {
	dir := repo(t, map[string]string{"api.go": "package api\n\ntype API struct{}\n"})

	r, _ := buildFunction(t, dir, ".", "API")

	if got := r.lastEpsilonLine(); !strings.HasPrefix(got, "epsilon: function 'go-test': api.go:3: API is a type, not a function") {
		t.Fatalf("line: %q", got)
	}
}

func TestBuild_HandlerVariableOfTheRightType_Works(t *testing.T) {
	dir := repo(t, map[string]string{"api.go": "package api\n\nimport \"net/http\"\n\nvar API = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})\n"})

	if r, _ := buildFunction(t, dir, ".", "API"); r.code != 0 {
		t.Fatalf("%s %s", r.stdout, r.stderr)
	}
}

func TestBuild_PackageProblems_AreExplainedBeforeCompiling(t *testing.T) {
	cases := map[string]struct {
		files map[string]string
		pkg   string
		want  string
	}{
		"missing folder": {map[string]string{"api.go": "package api\n"}, "./nope", "handler package folder 'nope' does not exist"},
		"package main": {map[string]string{"main.go": "package main\n\nfunc main() {}\n"}, ".",
			"handler package the repository's root folder is package main, a program"},
		"no Go files":    {map[string]string{"docs/README.md": "x"}, "docs", "handler package folder 'docs' has no Go files"},
		"other module":   {map[string]string{"api.go": "package api\n", "sub/go.mod": "module other\n", "sub/a.go": "package sub\n"}, "sub", "is in another module (sub/go.mod)"},
		"two packages":   {map[string]string{"a.go": "package a\n", "b.go": "package b\n"}, ".", "mixes packages a (a.go) and b (b.go)"},
		"outside":        {map[string]string{"api.go": "package api\n"}, "../x", "is not a folder inside the repository"},
		"not exported":   {map[string]string{"api.go": "package api\n"}, ".", "is not an exported Go name"},
		"bad go.mod":     {map[string]string{"go.mod": "module x\n\nfrobnicate 3\n", "api.go": "package api\n"}, ".", "go.mod:3: unknown directive: frobnicate"},
		"replace escape": {map[string]string{"go.mod": "module x\n\ngo 1.19\n\nreplace example.com/y => ../y\n", "api.go": "package api\n"}, ".", ""},
	}
	for name, c := range cases {
		c := c
		t.Run(name, func(t *testing.T) {
			dir := repo(t, c.files)
			export := "API"
			if name == "not exported" {
				export = "api"
			}
			r, _ := buildFunction(t, dir, c.pkg, export)
			if name == "replace escape" { // not used by the build: fine here, refused by prepare (below)
				return
			}
			if got := r.lastEpsilonLine(); r.code != 1 || !strings.Contains(got, c.want) {
				t.Fatalf("line: %q\n%s", got, r.stdout)
			}
		})
	}
}

func TestBuild_PanicDuringInit_NamesTheFileAndLine(t *testing.T) {
	dir := repo(t, map[string]string{
		"go.mod": "module example.com/boom\n\ngo 1.19\n",
		"api.go": handlerImports + "var _ = fmt.Sprint()\n\nfunc init() {\n\tpanic(\"no config\")\n}\n\nfunc API(w http.ResponseWriter, r *http.Request) {}\n",
	})

	r, _ := buildFunction(t, dir, ".", "API")

	want := "epsilon: function 'go-test': api.go:11: panic while the function's packages were initialized: no config"
	if got := r.lastEpsilonLine(); r.code != 1 || got != want {
		t.Fatalf("line: %q\n%s", got, r.stdout)
	}
}

func TestBuild_ExitDuringInit_GivesWhatItLogged(t *testing.T) {
	dir := repo(t, map[string]string{"api.go": "package api\n\nimport (\n\t\"log\"\n\t\"net/http\"\n)\n\nfunc init() { log.Fatal(\"DATABASE_URL is not set\") }\n\nfunc API(w http.ResponseWriter, r *http.Request) {}\n"})

	r, _ := buildFunction(t, dir, ".", "API")

	want := "epsilon: function 'go-test': the function exited with status 1 while its packages were initialized: DATABASE_URL is not set"
	if got := r.lastEpsilonLine(); got != want {
		t.Fatalf("line: %q\n%s", got, r.stdout)
	}
}

func TestBuild_NewerGoMod_IsBuiltWithTheImagesGo(t *testing.T) {
	dir := repo(t, map[string]string{
		"go.mod": "module example.com/new\n\ngo 1.22.0\n\ntoolchain go1.22.4\n\ngodebug (\n\tpanicnil=1\n)\n",
		"api.go": "package api\n\nimport \"net/http\"\n\nfunc API(w http.ResponseWriter, r *http.Request) {}\n",
	})

	r, _ := buildFunction(t, dir, ".", "API")

	if r.code != 0 {
		t.Fatalf("%s %s", r.stdout, r.stderr)
	}
	for _, note := range []string{"go.mod asks for go 1.22.0", "dropped 'toolchain go1.22.4'", "dropped 'godebug ('"} {
		if !strings.Contains(r.stdout, note) {
			t.Errorf("no note %q in %s", note, r.stdout)
		}
	}
}

func TestPrepare_CopiesTheManifestsOfTheModuleAndItsLocalReplacements(t *testing.T) {
	dir := repo(t, map[string]string{
		"go.mod":           "module example.com/app\n\ngo 1.19\n\nrequire example.com/greet v0.0.0\n\nreplace example.com/greet => ./lib/greet\n",
		"go.sum":           "",
		"lib/greet/go.mod": "module example.com/greet\n\ngo 1.19\n",
		"lib/greet/g.go":   "package greet\n",
		"api.go":           "package app\n",
	})
	out := t.TempDir()

	r := runTool(t, "prepare", "-function", "go-test", "-dir", dir, "-runtime", runtimeDir(t), "-manifests", out)

	if r.code != 0 {
		t.Fatalf("%s %s", r.stdout, r.stderr)
	}
	var found []string
	_ = filepath.Walk(out, func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			rel, _ := filepath.Rel(out, path)
			found = append(found, rel)
		}
		return nil
	})
	if strings.Join(found, ",") != "go.mod,go.sum,lib/greet/go.mod" {
		t.Fatalf("manifests: %v", found)
	}
	mod, _ := os.ReadFile(filepath.Join(out, "go.mod"))
	if !strings.Contains(string(mod), "require (\n\tepsilon.local/runtime v0.0.0") && !strings.Contains(string(mod), "epsilon.local/runtime v0.0.0") {
		t.Fatalf("prepared go.mod: %s", mod)
	}
}

func TestPrepare_ReplacementOutsideTheRepository_Fails(t *testing.T) {
	dir := repo(t, map[string]string{"go.mod": "module x\n\ngo 1.19\n\nreplace example.com/y => ../y\n"})

	r := runTool(t, "prepare", "-function", "go-test", "-dir", dir, "-runtime", runtimeDir(t), "-manifests", t.TempDir())

	want := "epsilon: function 'go-test': go.mod replaces example.com/y with '../y', outside the repository: only folders inside it are built"
	if got := r.lastEpsilonLine(); r.code != 1 || got != want {
		t.Fatalf("line: %q", got)
	}
}

func TestDeps_UnreachableModule_IsOneInstallLine(t *testing.T) {
	dir := repo(t, map[string]string{"go.mod": "module x\n\ngo 1.19\n\nrequire example.com/missing v1.2.3\n"})
	if r := runTool(t, "prepare", "-function", "go-test", "-dir", dir, "-runtime", runtimeDir(t)); r.code != 0 {
		t.Fatalf("%s", r.stderr)
	}

	r := runTool(t, "deps", "-function", "go-test", "-dir", dir)

	got := r.lastEpsilonLine()
	if r.code != 1 || !strings.HasPrefix(got, "epsilon: function 'go-test': installing dependencies failed: example.com/missing@v1.2.3") {
		t.Fatalf("line: %q\n%s", got, r.stdout)
	}
}

func TestDeps_LocalReplacementOnly_NeedsNoNetwork(t *testing.T) {
	dir := repo(t, map[string]string{
		"go.mod":           "module example.com/app\n\ngo 1.19\n\nrequire example.com/greet v0.0.0\n\nreplace example.com/greet => ./lib/greet\n",
		"lib/greet/go.mod": "module example.com/greet\n\ngo 1.19\n",
	})
	if r := runTool(t, "prepare", "-function", "go-test", "-dir", dir, "-runtime", runtimeDir(t)); r.code != 0 {
		t.Fatalf("%s", r.stderr)
	}
	if r := runTool(t, "deps", "-function", "go-test", "-dir", dir); r.code != 0 {
		t.Fatalf("%s %s", r.stdout, r.stderr)
	}
}

// The built binary, started as the container starts it: readiness, a call, a panic and the next call, a timeout,
// JSON lines with the request id for what the function prints, and SIGTERM.
func TestBinary_ServesTheContract(t *testing.T) {
	dir := repo(t, map[string]string{
		"go.mod": "module example.com/live\n\ngo 1.19\n",
		"api.go": handlerImports + `import "time"

var calls int

func API(w http.ResponseWriter, r *http.Request) {
	calls++
	switch r.URL.Path {
	case "/panic":
		panic("boom")
	case "/slow":
		time.Sleep(2 * time.Second)
	}
	fmt.Println("called", r.URL.Path)
	w.WriteHeader(http.StatusAccepted)
	fmt.Fprintf(w, "%s %d", r.URL.Path, calls)
}
`,
	})
	r, bin := buildFunction(t, dir, ".", "API")
	if r.code != 0 {
		t.Fatalf("%s %s", r.stdout, r.stderr)
	}

	cmd := exec.Command(bin)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PORT=0", "EPSILON_FUNCTION_NAME=go-live", "EPSILON_TIMEOUT_MS=300",
		"EPSILON_HANDLER_FILE=.", "EPSILON_HANDLER_EXPORT=API")
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill() }()
	lines := make(chan map[string]any, 100)
	go func() {
		scanner := bufio.NewScanner(stdout)
		for scanner.Scan() {
			var m map[string]any
			if json.Unmarshal(scanner.Bytes(), &m) != nil {
				m = map[string]any{"message": "NOT JSON: " + scanner.Text()}
			}
			lines <- m
		}
		close(lines)
	}()
	var base string
	select {
	case line := <-lines:
		m := regexp.MustCompile(`ready on (0\.0\.0\.0:\d+)`).FindStringSubmatch(fmt.Sprint(line["message"]))
		if m == nil {
			t.Fatalf("first line: %v", line)
		}
		base = "http://" + strings.Replace(m[1], "0.0.0.0", "127.0.0.1", 1)
	case <-time.After(5 * time.Second):
		t.Fatal("not ready")
	}

	get := func(path, id string) (*http.Response, string) {
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		if id != "" {
			req.Header.Set("X-Epsilon-Request-Id", id)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res, string(body)
	}
	if res, body := get("/_epsilon/ready", ""); res.StatusCode != 200 || body != `{"status":"ready","function":"go-live","timeoutMs":300}` {
		t.Fatalf("ready: %d %s", res.StatusCode, body)
	}
	if res, body := get("/a", "id-a"); res.StatusCode != 202 || body != "/a 1" || res.Header.Get("X-Epsilon-Request-Id") != "id-a" {
		t.Fatalf("/a: %d %s", res.StatusCode, body)
	}
	if res, body := get("/panic", "id-p"); res.StatusCode != 500 || !strings.Contains(body, `"code":"FunctionError"`) || !strings.Contains(body, "boom") {
		t.Fatalf("/panic: %d %s", res.StatusCode, body)
	}
	if res, body := get("/b", "id-b"); res.StatusCode != 202 || body != "/b 3" {
		t.Fatalf("after the panic: %d %s", res.StatusCode, body)
	}
	if res, body := get("/slow", "id-s"); res.StatusCode != 504 || res.Header.Get("X-Epsilon-Timed-Out") != "true" || !strings.Contains(body, "FunctionTimedOut") {
		t.Fatalf("/slow: %d %s", res.StatusCode, body)
	}

	began := time.Now()
	_ = cmd.Process.Signal(syscall.SIGTERM)
	err := cmd.Wait()
	if err != nil || time.Since(began) > 3*time.Second {
		t.Fatalf("SIGTERM: %v after %v", err, time.Since(began))
	}
	var seen []string
	for line := range lines {
		if fmt.Sprint(line["message"]) == "called /a" && line["requestId"] != "id-a" {
			t.Errorf("printed line without its request id: %v", line)
		}
		if strings.Contains(fmt.Sprint(line["message"]), "panicked: boom") && (line["level"] != "error" || line["requestId"] != "id-p") {
			t.Errorf("panic line: %v", line)
		}
		if line["function"] != "go-live" {
			t.Errorf("line: %v", line)
		}
		seen = append(seen, fmt.Sprint(line["message"]))
	}
	joined := strings.Join(seen, "\n")
	for _, want := range []string{"called /a", "called /b", "panicked: boom", "did not answer within 300 ms", "SIGTERM received"} {
		if !strings.Contains(joined, want) {
			t.Errorf("no %q in the log:\n%s", want, joined)
		}
	}
}

func TestBuild_HandlerInAnInternalPackage_Works(t *testing.T) {
	dir := repo(t, map[string]string{
		"go.mod":                 "module example.com/private\n\ngo 1.19\n",
		"internal/fn/handler.go": "package fn\n\nimport \"net/http\"\n\nfunc Handle(w http.ResponseWriter, r *http.Request) {}\n",
	})

	if r, _ := buildFunction(t, dir, "./internal/fn", "Handle"); r.code != 0 {
		t.Fatalf("%s %s", r.stdout, r.stderr)
	}
}
