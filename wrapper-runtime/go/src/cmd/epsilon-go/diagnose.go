package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
)

var (
	compileLine  = regexp.MustCompile(`^(.+?\.go):(\d+)(?::\d+)?: (.+)$`)
	undefined    = regexp.MustCompile(`undefined: \S+\.(\w+)$`)
	wrongType    = regexp.MustCompile(`\(value of type (.+?)\) as (?:type )?http\.HandlerFunc`)
	notExpr      = regexp.MustCompile(`\(type\) is not an expression`)
	panicFrame   = regexp.MustCompile(`^\t(.+?\.go):(\d+)(?: \+0x[0-9a-f]+)?$`)
	skippedLines = []string{"go: downloading ", "go: finding ", "go: extracting ", "note: module requires Go", "# "}
)

// diagnoseBuild turns the output of a failed `go build` into one message, "<file>:<line>: <compiler message>" with the
// file relative to the repository, for the first error. Errors in the generated main package are about the handler:
// missing, or not a func(http.ResponseWriter, *http.Request); those are explained at the handler's declaration.
func diagnoseBuild(output, root, generatedDir string, pkg *handlerPackage, export string, names map[string]declaration) string {
	var other string
	for _, raw := range strings.Split(output, "\n") {
		line := strings.TrimRight(raw, "\r")
		if strings.TrimSpace(line) == "" || skipped(line) {
			continue
		}
		m := compileLine.FindStringSubmatch(line)
		if m == nil {
			if other == "" {
				other = strings.TrimPrefix(strings.TrimSpace(line), "go: ")
			}
			continue
		}
		file, lineNo, message := relativeTo(root, m[1]), m[2], m[3]
		if strings.HasPrefix(file, generatedDir+"/") {
			return handlerProblem(message, pkg, export, names)
		}
		return fmt.Sprintf("%s:%s: %s", file, lineNo, message)
	}
	if other == "" {
		other = "go build failed without a message"
	}
	return other
}

func skipped(line string) bool {
	for _, prefix := range skippedLines {
		if strings.HasPrefix(line, prefix) {
			return true
		}
	}
	return false
}

func handlerProblem(message string, pkg *handlerPackage, export string, names map[string]declaration) string {
	want := "a handler is a func(w http.ResponseWriter, r *http.Request)"
	d, declared := names[export]
	switch {
	case undefined.MatchString(message) && !declared:
		return missingExport(pkg.Rel, pkg, names, export)
	case wrongType.MatchString(message) && declared:
		return fmt.Sprintf("%s:%d: %s %s has type %s; %s", d.File, d.Line, d.Kind, export, wrongType.FindStringSubmatch(message)[1], want)
	case wrongType.MatchString(message):
		return fmt.Sprintf("%s: %s has type %s; %s", displayDir(pkg.Rel), export, wrongType.FindStringSubmatch(message)[1], want)
	case notExpr.MatchString(message) && declared:
		return fmt.Sprintf("%s:%d: %s is a type, not a function; %s", d.File, d.Line, export, want)
	case declared:
		return fmt.Sprintf("%s:%d: %s cannot be the handler: %s", d.File, d.Line, export, message)
	default:
		return fmt.Sprintf("%s: handler %s: %s", displayDir(pkg.Rel), export, message)
	}
}

// relativeTo makes a path from the compiler's output relative to the module root when it is inside it.
func relativeTo(root, path string) string {
	path = strings.TrimPrefix(path, "./")
	if filepath.IsAbs(path) {
		if rel, err := filepath.Rel(root, path); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return path
}

// diagnoseStart explains a binary that failed its load check (run with EPSILON_CHECK=1): a panic during package
// initialization, at the first frame in the function's module, or an exit with the last thing it logged.
func diagnoseStart(output string, exitCode int, root, modulePath, generatedDir string) string {
	lines := strings.Split(output, "\n")
	for i, line := range lines {
		if !strings.HasPrefix(line, "panic: ") {
			continue
		}
		message := strings.TrimSuffix(strings.TrimPrefix(line, "panic: "), " [recovered]")
		for _, frame := range lines[i+1:] {
			m := panicFrame.FindStringSubmatch(frame)
			if m == nil {
				continue
			}
			file := m[1]
			switch {
			case strings.HasPrefix(file, modulePath+"/"):
				file = strings.TrimPrefix(file, modulePath+"/")
			case filepath.IsAbs(file) && strings.HasPrefix(file, root+"/"):
				file = strings.TrimPrefix(file, root+"/")
			default:
				continue
			}
			if strings.HasPrefix(file, generatedDir+"/") {
				continue
			}
			return fmt.Sprintf("%s:%s: panic while the function's packages were initialized: %s", file, m[2], message)
		}
		return "panic while the function's packages were initialized: " + message
	}
	last := ""
	for i := len(lines) - 1; i >= 0 && last == ""; i-- {
		last = strings.TrimSpace(lines[i])
	}
	var logged struct{ Message string }
	if json.Unmarshal([]byte(last), &logged) == nil && logged.Message != "" {
		last = logged.Message
	}
	if last == "" {
		return fmt.Sprintf("the function exited with status %d while its packages were initialized", exitCode)
	}
	return fmt.Sprintf("the function exited with status %d while its packages were initialized: %s", exitCode, last)
}
