package apicheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const module = "github.com/badgeproof/badgeproof"

// publicFiles parses the non-test Go files of every package outside
// internal/ and examples/ (the public API), by package directory.
func publicFiles(t *testing.T) map[string][]*ast.File {
	t.Helper()
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	out := map[string][]*ast.File{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			base := d.Name()
			if rel != "." && (strings.HasPrefix(base, ".") || base == "testdata" || base == "internal" || rel == "examples") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		out[filepath.Dir(rel)] = append(out[filepath.Dir(rel)], f)
		return nil
	})
	require.NoError(t, err)
	require.Contains(t, out, "verify")
	require.Contains(t, out, "keys")
	require.Contains(t, out, "issuer")
	return out
}

// internalImports maps a file's import names to the internal packages they
// name.
func internalImports(f *ast.File) map[string]string {
	m := map[string]string{}
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		if !strings.Contains(path, "/internal/") && !strings.HasSuffix(path, "/internal") {
			continue
		}
		name := filepath.Base(path)
		if imp.Name != nil {
			name = imp.Name.Name
		}
		m[name] = path
	}
	return m
}

// internalRefs lists the internal packages a type expression names.
func internalRefs(expr ast.Node, internal map[string]string) []string {
	var refs []string
	ast.Inspect(expr, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if id, ok := sel.X.(*ast.Ident); ok {
			if path, ok := internal[id.Name]; ok {
				refs = append(refs, path+"."+sel.Sel.Name)
			}
		}
		return true
	})
	return refs
}

// Exported functions, methods, types, fields, constants and variables of the
// public packages name no type of an internal package, so outside code can
// use every part of the API.
func TestExportedAPINamesNoInternalType(t *testing.T) {
	var problems []string
	for dir, files := range publicFiles(t) {
		for _, f := range files {
			internal := internalImports(f)
			if len(internal) == 0 {
				continue
			}
			report := func(what string, n ast.Node) {
				for _, r := range internalRefs(n, internal) {
					problems = append(problems, dir+": "+what+" uses "+r)
				}
			}
			for _, decl := range f.Decls {
				switch d := decl.(type) {
				case *ast.FuncDecl:
					if !d.Name.IsExported() || d.Recv != nil && !exportedRecv(d.Recv) {
						continue
					}
					report("func "+d.Name.Name, d.Type)
				case *ast.GenDecl:
					for _, spec := range d.Specs {
						switch s := spec.(type) {
						case *ast.TypeSpec:
							if !s.Name.IsExported() {
								continue
							}
							exportedParts(s.Type, func(n ast.Node) { report("type "+s.Name.Name, n) })
						case *ast.ValueSpec:
							for _, name := range s.Names {
								if name.IsExported() && s.Type != nil {
									report("value "+name.Name, s.Type)
								}
							}
						}
					}
				}
			}
		}
	}
	require.Empty(t, problems)
}

// exportedRecv reports whether a method's receiver type is exported.
func exportedRecv(recv *ast.FieldList) bool {
	if len(recv.List) == 0 {
		return false
	}
	t := recv.List[0].Type
	if star, ok := t.(*ast.StarExpr); ok {
		t = star.X
	}
	if ix, ok := t.(*ast.IndexExpr); ok {
		t = ix.X
	}
	id, ok := t.(*ast.Ident)
	return ok && id.IsExported()
}

// exportedParts calls f on the parts of a type a caller sees: a struct's
// exported fields, an interface's methods, or the whole type otherwise
// (aliases and defined types alike).
func exportedParts(typ ast.Expr, f func(ast.Node)) {
	switch t := typ.(type) {
	case *ast.StructType:
		for _, field := range t.Fields.List {
			if len(field.Names) == 0 {
				f(field.Type) // embedded: its fields are promoted
				continue
			}
			for _, n := range field.Names {
				if n.IsExported() {
					f(field.Type)
					break
				}
			}
		}
	case *ast.InterfaceType:
		f(t)
	default:
		f(t)
	}
}

// The only exported package-level variables of the public packages are
// sentinel errors (ErrX = errors.New(...), or a re-exported sentinel):
// nothing a caller could assign changes how a badge is decided.
func TestNoExportedVariables(t *testing.T) {
	var problems []string
	for dir, files := range publicFiles(t) {
		for _, f := range files {
			for _, decl := range f.Decls {
				d, ok := decl.(*ast.GenDecl)
				if !ok || d.Tok != token.VAR {
					continue
				}
				for _, spec := range d.Specs {
					s := spec.(*ast.ValueSpec)
					for i, name := range s.Names {
						if !name.IsExported() {
							continue
						}
						if !strings.HasPrefix(name.Name, "Err") || i >= len(s.Values) || !isSentinel(s.Values[i]) {
							problems = append(problems, dir+": var "+name.Name)
						}
					}
				}
			}
		}
	}
	require.Empty(t, problems)
}

// isSentinel reports whether e is errors.New(...) or names another
// package's sentinel (pkg.ErrX).
func isSentinel(e ast.Expr) bool {
	if sel, ok := e.(*ast.SelectorExpr); ok {
		return strings.HasPrefix(sel.Sel.Name, "Err")
	}
	return isErrorsNew(e)
}

func isErrorsNew(e ast.Expr) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == "errors" && sel.Sel.Name == "New"
}

// The checks above must see real code: a file that breaks either rule is
// caught (run on a temporary package).
func TestChecksCanFail(t *testing.T) {
	src := `package p
import (
	"errors"
	"` + module + `/internal/jsonx"
)
var ErrX = errors.New("x")
var Mutable = []string{"a"}
func Leak() jsonx.Limits { return jsonx.Limits{} }
type T struct{ L jsonx.Limits }
`
	f, err := parser.ParseFile(token.NewFileSet(), "p.go", src, 0)
	require.NoError(t, err)
	internal := internalImports(f)
	var found []string
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			found = append(found, internalRefs(d.Type, internal)...)
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				if s, ok := spec.(*ast.TypeSpec); ok {
					exportedParts(s.Type, func(n ast.Node) { found = append(found, internalRefs(n, internal)...) })
				}
				if s, ok := spec.(*ast.ValueSpec); ok && s.Names[0].Name == "Mutable" {
					require.False(t, isErrorsNew(s.Values[0]))
				}
				if s, ok := spec.(*ast.ValueSpec); ok && s.Names[0].Name == "ErrX" {
					require.True(t, isErrorsNew(s.Values[0]))
				}
			}
		}
	}
	require.Len(t, found, 2, "%v", found)
}
