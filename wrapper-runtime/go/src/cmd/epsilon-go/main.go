// Command epsilon-go builds one Go function's binary inside the image build (Dockerfile.template):
//
//	epsilon-go prepare -function NAME -dir REPO -runtime WRAPPER -manifests OUT   go.mod ready for Go 1.19 + the wrapper; OUT gets go.mod/go.sum files
//	epsilon-go deps    -function NAME -dir REPO                                   go mod download
//	epsilon-go build   -function NAME -dir REPO -runtime WRAPPER -package DIR -export NAME -out BINARY
//
// build generates a main package in REPO/_epsilon_main that imports the handler's package, asserts at compile time
// that the handler is an http.HandlerFunc and serves it with the wrapper (epsilon.local/runtime/server); compiles it
// with CGO_ENABLED=0 into a static binary; then runs the binary's load check (EPSILON_CHECK=1) as the function's user.
// Any failure prints the tool's and go's output, then ONE last line
//
//	epsilon: function 'NAME': <file>:<line>: <message>
//
// (the builder reports the last "epsilon: " line as the deployment's error) and exits 1.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"text/template"
	"time"
)

// GeneratedDir holds the generated main package, inside the function's module (so the handler's package may even be
// under internal/, and the module's own replace directives apply). The leading underscore keeps `go ... ./...` away.
const GeneratedDir = "_epsilon_main"

type tool struct {
	function string
	goBin    string
	stdout   io.Writer
	stderr   io.Writer
}

// failure is an error whose message is the user's problem, printed as the final "epsilon: " line.
type failure struct{ message string }

func (f *failure) Error() string { return f.message }

func fail(format string, args ...any) error { return &failure{message: fmt.Sprintf(format, args...)} }

func (t *tool) note(message string) { fmt.Fprintf(t.stdout, "epsilon-go: note: %s\n", message) }

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: epsilon-go prepare|deps|build [flags]")
		return 2
	}
	t := &tool{goBin: "go", stdout: stdout, stderr: stderr}
	fs := flag.NewFlagSet("epsilon-go "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&t.function, "function", "", "the function's name")
	dir := fs.String("dir", "/src/function", "the function's repository (module root)")
	runtimeDir := fs.String("runtime", "/opt/epsilon/runtime", "the wrapper module (epsilon.local/runtime)")
	manifests := fs.String("manifests", "", "prepare: folder to copy go.mod and go.sum files to")
	pkgDir := fs.String("package", ".", "build: the handler's package folder")
	export := fs.String("export", "", "build: the handler's function name")
	out := fs.String("out", "/out/function", "build: the binary to write")
	checkUID := fs.Int("check-uid", 10001, "build: uid (and gid) to run the load check as; -1: this process's")
	checkTimeout := fs.Duration("check-timeout", 20*time.Second, "build: how long package initialization may take")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if t.function == "" {
		fmt.Fprintln(stderr, "epsilon-go: -function is required")
		return 2
	}

	var err error
	switch args[0] {
	case "prepare":
		err = t.cmdPrepare(*dir, *runtimeDir, *manifests)
	case "deps":
		err = t.cmdDeps(*dir)
	case "build":
		err = t.cmdBuild(buildRequest{dir: *dir, runtimeDir: *runtimeDir, pkgDir: *pkgDir, export: *export, out: *out,
			checkUID: *checkUID, checkTimeout: *checkTimeout})
	default:
		fmt.Fprintf(stderr, "epsilon-go: unknown command '%s'\n", args[0])
		return 2
	}
	if err != nil {
		var f *failure
		message := err.Error()
		if !errors.As(err, &f) {
			message = "the Go build failed: " + message
		}
		// On stdout, after go's own output: in the build log the line comes last, as the builder expects.
		fmt.Fprintf(stdout, "epsilon: function '%s': %s\n", t.function, oneLine(message))
		return 1
	}
	return 0
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(strings.TrimSpace(s), "\n", " ")), " ")
}

func (t *tool) cmdPrepare(dir, runtimeDir, manifests string) error {
	mod, err := t.prepare(dir, runtimeDir)
	if err != nil {
		return fail("%v", err)
	}
	folders, err := localReplacements(dir, mod)
	if err != nil {
		return fail("%v", err)
	}
	if manifests == "" {
		return nil
	}
	return copyManifests(dir, manifests, folders)
}

func (t *tool) cmdDeps(dir string) error {
	out, err := t.goCmd(dir, "mod", "download")
	if len(out) > 0 {
		_, _ = t.stdout.Write(out)
	}
	if err != nil {
		var run *runError
		reason := err.Error()
		if errors.As(err, &run) {
			reason = lastLine(run.output)
		}
		return fail("installing dependencies failed: %s", strings.TrimPrefix(reason, "go: "))
	}
	return nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

type buildRequest struct {
	dir, runtimeDir, pkgDir, export, out string
	checkUID                             int
	checkTimeout                         time.Duration
}

func (t *tool) cmdBuild(req buildRequest) error {
	began := time.Now()
	root, err := filepath.Abs(req.dir)
	if err != nil {
		return err
	}
	mod, err := t.prepare(root, req.runtimeDir)
	if err != nil {
		return fail("%v", err)
	}
	if !token.IsIdentifier(req.export) || !token.IsExported(req.export) {
		return fail("handler function '%s' is not an exported Go name (it must start with a capital letter)", req.export)
	}
	rel, err := cleanPackageDir(req.pkgDir)
	if err != nil {
		return fail("%v", err)
	}
	pkg, err := inspectPackage(root, rel, mod.Module.Path)
	if err != nil {
		return fail("%v", err)
	}
	if err := writeMain(root, t.function, pkg, req.export); err != nil {
		return err
	}

	out, err := t.goCmd(root, "build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w", "-o", req.out, "./"+GeneratedDir)
	if err != nil {
		_, _ = t.stdout.Write(out)
		var run *runError
		if !errors.As(err, &run) {
			return err
		}
		return fail("%s", diagnoseBuild(run.output, root, GeneratedDir, pkg, req.export, packageNames(root, pkg)))
	}
	size := int64(0)
	if info, err := os.Stat(req.out); err == nil {
		size = info.Size()
	}
	fmt.Fprintf(t.stdout, "epsilon-go: built function '%s' (package %s, func %s) in %.1f s: %s, %.1f MB\n",
		t.function, req.pkgDir, req.export, time.Since(began).Seconds(), req.out, float64(size)/(1<<20))

	return t.check(root, mod.Module.Path, req)
}

// check runs the binary with EPSILON_CHECK=1, as the function's user, in the repository folder: its packages are
// initialized as they will be in the container (init functions run), then it exits.
func (t *tool) check(root, modulePath string, req buildRequest) error {
	ctx, cancel := context.WithTimeout(context.Background(), req.checkTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, req.out)
	cmd.Dir = root
	cmd.Env = []string{
		"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp", "EPSILON_CHECK=1",
		"EPSILON_FUNCTION_NAME=" + t.function, "EPSILON_HANDLER_FILE=" + req.pkgDir, "EPSILON_HANDLER_EXPORT=" + req.export,
	}
	if req.checkUID >= 0 && os.Geteuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(req.checkUID), Gid: uint32(req.checkUID)}}
	}
	var output bytes.Buffer
	cmd.Stdout = &output
	cmd.Stderr = &output
	err := cmd.Run()
	_, _ = t.stdout.Write(output.Bytes())
	if ctx.Err() != nil {
		return fail("the function's packages did not finish initializing within %s (does an init() wait for a service that is not reachable at build time?)", req.checkTimeout)
	}
	if err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			return fmt.Errorf("running the load check: %w", err)
		}
		return fail("%s", diagnoseStart(output.String(), exit.ExitCode(), root, modulePath, GeneratedDir))
	}
	return nil
}

var mainTemplate = template.Must(template.New("main").Parse(`// Code generated by epsilon-go for function '{{.Function}}'; DO NOT EDIT.

package main

import (
	_ "epsilon.local/runtime/capture" // first: what the function prints is JSON log lines from its initialization on

	"net/http"
	_ "time/tzdata" // time.LoadLocation works without the zoneinfo files the image does not have

	epsilonserver "epsilon.local/runtime/server"
	userfunction "{{.ImportPath}}"
)

// The handler must be a func(w http.ResponseWriter, r *http.Request).
var _ http.HandlerFunc = userfunction.{{.Export}}

func main() { epsilonserver.Main(userfunction.{{.Export}}) }
`))

// writeMain writes the generated main package into root/_epsilon_main (replacing what is there).
func writeMain(root, function string, pkg *handlerPackage, export string) error {
	dir := filepath.Join(root, GeneratedDir)
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := mainTemplate.Execute(&buf, map[string]string{"Function": function, "ImportPath": pkg.ImportPath, "Export": export}); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "main.go"), buf.Bytes(), 0o644)
}
