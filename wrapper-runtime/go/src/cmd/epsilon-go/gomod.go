package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// RuntimeModule is the wrapper's module path; a function's go.mod gets a require and a replace for it.
const RuntimeModule = "epsilon.local/runtime"

// maxGoMinor is the newest language version the build image's Go (Debian bookworm's 1.19) knows.
const maxGoMinor = 19

var (
	goDirective    = regexp.MustCompile(`^go\s+(\S+)\s*(//.*)?$`)
	goVersion      = regexp.MustCompile(`^1\.(\d+)$`)
	newerDirective = regexp.MustCompile(`^(toolchain|godebug)\b`)
)

// normalizeGoMod makes a go.mod written for a newer Go readable by Go 1.19: a "go 1.N" above 1.19, or in the
// three-part form ("go 1.22.0"), becomes "go 1.19"; "toolchain" and "godebug" lines (and godebug blocks) are dropped.
// Each change is described in notes.
func normalizeGoMod(content []byte) ([]byte, []string) {
	var out bytes.Buffer
	var notes []string
	lines := strings.SplitAfter(string(content), "\n")
	inBlock := false
	for _, raw := range lines {
		line := strings.TrimSpace(raw)
		if inBlock {
			if strings.HasPrefix(line, ")") {
				inBlock = false
			}
			continue
		}
		if newerDirective.MatchString(line) {
			notes = append(notes, fmt.Sprintf("dropped '%s' from go.mod (Go 1.%d does not know it)", line, maxGoMinor))
			if strings.HasSuffix(line, "(") {
				inBlock = true
			}
			continue
		}
		if m := goDirective.FindStringSubmatch(line); m != nil && tooNew(m[1]) {
			out.WriteString(fmt.Sprintf("go 1.%d\n", maxGoMinor))
			notes = append(notes, fmt.Sprintf("go.mod asks for go %s; building with the image's Go 1.%d as 'go 1.%d'", m[1], maxGoMinor, maxGoMinor))
			continue
		}
		out.WriteString(raw)
	}
	return out.Bytes(), notes
}

// tooNew: anything but "1.N" with N up to 19 (Go 1.19 rejects "1.22.0" and cannot compile for a newer language).
func tooNew(version string) bool {
	m := goVersion.FindStringSubmatch(version)
	if m == nil {
		return true
	}
	minor, err := strconv.Atoi(m[1])
	return err != nil || minor > maxGoMinor
}

// modFile is what `go mod edit -json` tells of a go.mod.
type modFile struct {
	Module  struct{ Path string }
	Replace []struct {
		Old struct{ Path, Version string }
		New struct{ Path, Version string }
	}
}

// prepare readies the module at dir for the build: a go.mod when there is none (module "function"), one Go 1.19 can
// read, requiring the wrapper module from runtimeDir. Returns what the go.mod says.
func (t *tool) prepare(dir, runtimeDir string) (*modFile, error) {
	path := filepath.Join(dir, "go.mod")
	content, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		content = []byte(fmt.Sprintf("module function\n\ngo 1.%d\n", maxGoMinor))
		t.note("the repository has no go.mod: building it as module 'function'")
	case err != nil:
		return nil, err
	}
	normalized, notes := normalizeGoMod(content)
	for _, n := range notes {
		t.note(n)
	}
	if err := os.WriteFile(path, normalized, 0o644); err != nil {
		return nil, err
	}
	if _, err := t.goCmd(dir, "mod", "edit", "-require="+RuntimeModule+"@v0.0.0", "-replace="+RuntimeModule+"="+runtimeDir); err != nil {
		return nil, t.goModError(dir, err)
	}
	out, err := t.goCmd(dir, "mod", "edit", "-json")
	if err != nil {
		return nil, t.goModError(dir, err)
	}
	var mod modFile
	if err := json.Unmarshal(out, &mod); err != nil {
		return nil, fmt.Errorf("go.mod: %w", err)
	}
	if mod.Module.Path == "" {
		return nil, errors.New("go.mod: no module line")
	}
	return &mod, nil
}

// localReplacements are the folders (relative to dir) the go.mod replaces modules with, the wrapper's excluded.
// A folder outside the repository cannot be in the build: an error.
func localReplacements(dir string, mod *modFile) ([]string, error) {
	var folders []string
	for _, r := range mod.Replace {
		if r.Old.Path == RuntimeModule || r.New.Version != "" {
			continue
		}
		target := r.New.Path
		rel := filepath.Clean(target)
		if filepath.IsAbs(target) || rel == ".." || strings.HasPrefix(rel, "../") {
			return nil, fmt.Errorf("go.mod replaces %s with '%s', outside the repository: only folders inside it are built", r.Old.Path, target)
		}
		if _, err := os.Stat(filepath.Join(dir, rel, "go.mod")); err != nil {
			return nil, fmt.Errorf("go.mod replaces %s with '%s', which has no go.mod", r.Old.Path, target)
		}
		folders = append(folders, rel)
	}
	return folders, nil
}

// copyManifests copies what the dependencies are decided by into out, at the same relative paths: go.mod and go.sum
// of the module and of every folder a replace points to. The image build downloads dependencies from these alone,
// so that layer is reused when only code changes.
func copyManifests(dir, out string, folders []string) error {
	for _, folder := range append([]string{"."}, folders...) {
		for _, name := range []string{"go.mod", "go.sum"} {
			content, err := os.ReadFile(filepath.Join(dir, folder, name))
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return err
			}
			target := filepath.Join(out, folder, name)
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(target, content, 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

var goModLine = regexp.MustCompile(`(?m)^\S*go\.mod:(\d+):\s*(.+)$`)

// goModError turns `go mod edit` failing on the user's go.mod into "go.mod:LINE: message".
func (t *tool) goModError(dir string, err error) error {
	var run *runError
	if errors.As(err, &run) {
		if m := goModLine.FindStringSubmatch(run.output); m != nil {
			return fmt.Errorf("go.mod:%s: %s", m[1], strings.TrimSpace(m[2]))
		}
		return fmt.Errorf("go.mod: %s", firstLine(strings.TrimPrefix(strings.TrimSpace(run.output), "go: ")))
	}
	return err
}

// runError is a go command that failed, with its combined output.
type runError struct {
	args   []string
	output string
	err    error
}

func (e *runError) Error() string {
	return fmt.Sprintf("go %s: %v: %s", strings.Join(e.args, " "), e.err, strings.TrimSpace(e.output))
}

// goCmd runs the go command in dir with the tool's environment; the combined output, or a *runError.
func (t *tool) goCmd(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command(t.goBin, args...)
	cmd.Dir = dir
	cmd.Env = t.goEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return out, &runError{args: args, output: string(out), err: err}
	}
	return out, nil
}

func (t *tool) goEnv() []string {
	env := os.Environ()
	return append(env, "CGO_ENABLED=0", "GOFLAGS=-mod=mod", "GOWORK=off")
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
