// Package codesize holds a test of the code's size limits, so that they keep
// holding as code is added: no function over 80 lines in the provider and
// its client packages (a declarative Schema method excepted), and no file of
// internal/provider over 400 lines. Test files are not counted.
package codesize

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	maxFuncLines         = 80
	maxProviderFileLines = 400
)

// funcPackages are the packages whose functions are held to maxFuncLines.
var funcPackages = []string{"provider", "apic", "keypolicy", "memo", "stripekey", "transport"}

// declarative are methods that only declare a schema: long by nature.
var declarative = map[string]bool{"Schema": true, "IdentitySchema": true, "ListResourceConfigSchema": true}

func TestFunctionLength(t *testing.T) {
	for _, pkg := range funcPackages {
		for _, file := range sourceFiles(t, pkg) {
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, file, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || (fd.Recv != nil && declarative[fd.Name.Name]) {
					continue
				}
				start, end := fset.Position(fd.Pos()), fset.Position(fd.End())
				if n := end.Line - start.Line + 1; n > maxFuncLines {
					t.Errorf("%s:%d: %s is %d lines, over %d: split it", file, start.Line, fd.Name.Name, n, maxFuncLines)
				}
			}
		}
	}
}

func TestProviderFileLength(t *testing.T) {
	for _, file := range sourceFiles(t, "provider") {
		b, err := os.ReadFile(file) //nolint:gosec // a source file of this repository
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(b), "\n"); n > maxProviderFileLines {
			t.Errorf("%s is %d lines, over %d: split it by role (schema, model, plan, CRUD)", file, n, maxProviderFileLines)
		}
	}
}

// sourceFiles are the non-test Go files of internal/<pkg>.
func sourceFiles(t *testing.T, pkg string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", pkg, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files in internal/%s: %v", pkg, err)
	}
	var out []string
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			out = append(out, f)
		}
	}
	return out
}
