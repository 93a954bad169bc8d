package clitest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// listedPackage is the part of `go list -json` output the import check reads.
type listedPackage struct {
	ImportPath   string
	Dir          string
	GoFiles      []string
	TestGoFiles  []string
	XTestGoFiles []string
	Imports      []string
	TestImports  []string
	XTestImports []string
}

// internalImports lists, as "package imports path (kind)", every import
// of an internal package by pkgs: in the package, its tests or its
// external tests.
func internalImports(pkgs []listedPackage) []string {
	var bad []string
	for _, p := range pkgs {
		for _, imps := range []struct {
			kind  string
			paths []string
		}{{"", p.Imports}, {" in its tests", p.TestImports}, {" in its external tests", p.XTestImports}} {
			for _, imp := range imps.paths {
				if strings.Contains(imp, "/internal/") || strings.HasSuffix(imp, "/internal") {
					bad = append(bad, fmt.Sprintf("%s imports %s%s", p.ImportPath, imp, imps.kind))
				}
			}
		}
	}
	return bad
}

// decodePackages reads the stream of JSON objects `go list -json` prints.
func decodePackages(r io.Reader) ([]listedPackage, error) {
	var pkgs []listedPackage
	dec := json.NewDecoder(r)
	for {
		var p listedPackage
		err := dec.Decode(&p)
		if errors.Is(err, io.EOF) {
			return pkgs, nil
		}
		if err != nil {
			return nil, err
		}
		pkgs = append(pkgs, p)
	}
}

// TestExamplesUsePublicPackagesOnly lists every package under examples/
// from the module root and fails, naming the package and the import, when
// one of them, its tests or its external tests import an internal package:
// the examples show what outside code can do, and outside code cannot
// import internal packages.
func TestExamplesUsePublicPackagesOnly(t *testing.T) {
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	cmd := exec.Command("go", "list", "-json", "./examples/...")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -json ./examples/... in %s: %v\n%s", root, err, stderr.String())
	}
	pkgs, err := decodePackages(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("reading go list output: %v", err)
	}
	// The examples this repository has; a listing without them would check
	// nothing.
	var listed []string
	for _, p := range pkgs {
		listed = append(listed, p.ImportPath)
	}
	for _, want := range []string{"examples/clitest", "examples/embed", "examples/issuer", "examples/verifier"} {
		if !slices.Contains(listed, "github.com/badgeproof/badgeproof/"+want) {
			t.Errorf("go list ./examples/... did not list %s: %v", want, listed)
		}
	}
	// go test caches a passing result keyed by the files the test reads,
	// and go list reads them in another process: read the directories
	// and stat the files here, so that a changed or new file runs the
	// check again.
	dirs := []string{filepath.Join(root, "examples")}
	for _, p := range pkgs {
		dirs = append(dirs, p.Dir)
		for _, f := range slices.Concat(p.GoFiles, p.TestGoFiles, p.XTestGoFiles) {
			if _, err := os.Stat(filepath.Join(p.Dir, f)); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, d := range dirs {
		if _, err := os.ReadDir(d); err != nil {
			t.Fatal(err)
		}
	}
	for _, b := range internalImports(pkgs) {
		t.Errorf("%s: examples use public packages only", b)
	}
}

func TestInternalImports(t *testing.T) {
	pkgs := []listedPackage{
		{ImportPath: "m/examples/ok", Imports: []string{"fmt", "m/verify", "m/internalize"}, TestImports: []string{"m/examples/clitest"}},
		{ImportPath: "m/examples/a", Imports: []string{"m/internal/canon"}},
		{ImportPath: "m/examples/b", TestImports: []string{"testing", "m/internal/fetch"}},
		{ImportPath: "m/examples/c", XTestImports: []string{"m/verify/internal/x", "m/internal"}},
	}
	got := internalImports(pkgs)
	want := []string{
		"m/examples/a imports m/internal/canon",
		"m/examples/b imports m/internal/fetch in its tests",
		"m/examples/c imports m/verify/internal/x in its external tests",
		"m/examples/c imports m/internal in its external tests",
	}
	if !slices.Equal(got, want) {
		t.Errorf("internalImports:\n got %q\nwant %q", got, want)
	}

	stream := `{"ImportPath":"m/x","Imports":["m/internal/y"]}
{"ImportPath":"m/z","XTestImports":["fmt"]}`
	ps, err := decodePackages(strings.NewReader(stream))
	if err != nil || len(ps) != 2 || ps[0].Imports[0] != "m/internal/y" || ps[1].XTestImports[0] != "fmt" {
		t.Errorf("decodePackages: %+v, %v", ps, err)
	}
	if _, err := decodePackages(strings.NewReader(`{"ImportPath":`)); err == nil {
		t.Error("decodePackages of a cut stream: no error")
	}
}
