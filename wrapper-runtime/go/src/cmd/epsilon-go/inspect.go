package main

import (
	"errors"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// handlerPackage is the package a function's handler names.
type handlerPackage struct {
	Rel        string // folder relative to the module root, "." for the root
	ImportPath string
	Name       string   // package name, when go/build could tell
	Files      []string // the Go files of the build (CGO_ENABLED=0), relative to the module root
}

// cleanPackageDir turns the handler's folder ("." , "./handlers", "handlers/") into a clean relative path.
func cleanPackageDir(dir string) (string, error) {
	rel := filepath.Clean(strings.TrimSpace(dir))
	if rel == "" || filepath.IsAbs(rel) || rel == ".." || strings.HasPrefix(rel, "../") {
		return "", fmt.Errorf("handler package '%s' is not a folder inside the repository", dir)
	}
	return rel, nil
}

// describe names a folder in messages: "the repository's root folder" or "folder 'handlers'".
func describe(rel string) string {
	if rel == "." {
		return "the repository's root folder"
	}
	return fmt.Sprintf("folder '%s'", rel)
}

// inspectPackage checks, before compiling, what the compiler would explain less clearly: the folder exists, is in the
// repository's module, holds one Go package and that package is not a program.
func inspectPackage(root, rel, modulePath string) (*handlerPackage, error) {
	abs := filepath.Join(root, rel)
	info, err := os.Stat(abs)
	if err != nil || !info.IsDir() {
		return nil, fmt.Errorf("handler package %s does not exist", describe(rel))
	}
	for d := rel; d != "."; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(root, d, "go.mod")); err == nil {
			return nil, fmt.Errorf("handler package %s is in another module (%s): it must be in the repository's module %s",
				describe(rel), filepath.Join(d, "go.mod"), modulePath)
		}
	}
	pkg := &handlerPackage{Rel: rel, ImportPath: modulePath}
	if rel != "." {
		pkg.ImportPath = modulePath + "/" + filepath.ToSlash(rel)
	}
	ctx := build.Default
	ctx.CgoEnabled = false
	found, err := ctx.ImportDir(abs, 0)
	var noGo *build.NoGoError
	var multiple *build.MultiplePackageError
	switch {
	case errors.As(err, &noGo):
		return nil, fmt.Errorf("handler package %s has no Go files (test files and files excluded by build constraints do not count)", describe(rel))
	case errors.As(err, &multiple):
		return nil, fmt.Errorf("handler package %s mixes packages %s (%s) and %s (%s)", describe(rel),
			multiple.Packages[0], filepath.Join(rel, multiple.Files[0]), multiple.Packages[1], filepath.Join(rel, multiple.Files[1]))
	case err != nil:
		return pkg, nil // a syntax error or the like: the compiler names the file and line
	}
	if found.Name == "main" {
		return nil, fmt.Errorf("handler package %s is package main, a program: the handler must be in a library package (e.g. 'package function'); Epsilon writes the main package", describe(rel))
	}
	pkg.Name = found.Name
	for _, f := range found.GoFiles {
		pkg.Files = append(pkg.Files, filepath.Join(rel, f))
	}
	return pkg, nil
}

// declaration is where a package-level name is declared.
type declaration struct {
	Kind string // func, method, var, const, type
	File string // relative to the module root
	Line int
}

// packageNames are the package-level declarations of the package's files, by name.
func packageNames(root string, pkg *handlerPackage) map[string]declaration {
	names := map[string]declaration{}
	fset := token.NewFileSet()
	for _, rel := range pkg.Files {
		file, err := parser.ParseFile(fset, filepath.Join(root, rel), nil, parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		at := func(pos token.Pos) (string, int) { return rel, fset.Position(pos).Line }
		for _, decl := range file.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Recv != nil {
					continue
				}
				f, l := at(d.Name.Pos())
				names[d.Name.Name] = declaration{Kind: "func", File: f, Line: l}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch s := spec.(type) {
					case *ast.ValueSpec:
						for _, n := range s.Names {
							f, l := at(n.Pos())
							names[n.Name] = declaration{Kind: d.Tok.String(), File: f, Line: l}
						}
					case *ast.TypeSpec:
						f, l := at(s.Name.Pos())
						names[s.Name.Name] = declaration{Kind: "type", File: f, Line: l}
					}
				}
			}
		}
	}
	return names
}

// missingExport explains a handler name the package does not declare: its exported functions, and an unexported
// name that differs only in case.
func missingExport(rel string, pkg *handlerPackage, names map[string]declaration, export string) string {
	var funcs []string
	hint := ""
	for name, d := range names {
		if d.Kind == "func" && ast.IsExported(name) {
			funcs = append(funcs, name)
		}
		if name != export && strings.EqualFold(name, export) && !ast.IsExported(name) {
			hint = fmt.Sprintf("; '%s' (%s:%d) is not exported: Go exports names that start with a capital letter", name, d.File, d.Line)
		}
	}
	sort.Strings(funcs)
	pkgName := pkg.Name
	if pkgName == "" {
		pkgName = filepath.Base(pkg.ImportPath)
	}
	list := "it exports no functions"
	if len(funcs) > 0 {
		list = "its exported functions: " + strings.Join(funcs, ", ")
	}
	return fmt.Sprintf("%s: package %s has no function '%s' (%s)%s", displayDir(rel), pkgName, export, list, hint)
}

func displayDir(rel string) string {
	if rel == "." {
		return "."
	}
	return rel + "/"
}
