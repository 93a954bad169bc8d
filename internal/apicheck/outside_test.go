package apicheck

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A module outside this repository (testdata/outside) makes a key, signs a
// badge through an opaque crypto.Signer, and verifies it with a literal
// trust list and its own KeyResolver: everything through public packages,
// since Go refuses internal imports across modules.
func TestOutsideModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a separate module; skipped with -short")
	}
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join(repo, "testdata", "outside", "main.go"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), src, 0o644))
	mod, err := os.ReadFile(filepath.Join(repo, "testdata", "outside", "go.mod.txt"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(strings.ReplaceAll(string(mod), "REPO", repo)), 0o644))
	sum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644))

	cmd := exec.Command("go", "run", "-mod=mod", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	require.Contains(t, string(out), "status=verified resolver-calls=1", "%s", out)
	t.Logf("%s", out)
}

// The README shows part of the outside program; the block must be lines of
// that program (one tab of indentation removed), so it compiles as shown.
func TestReadmeShowsTheOutsideProgram(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	src, err := os.ReadFile(filepath.Join("..", "..", "testdata", "outside", "main.go"))
	require.NoError(t, err)
	const marker = "```go\nresolver := verify.KeyResolverFunc("
	i := strings.Index(string(readme), marker)
	require.GreaterOrEqual(t, i, 0, "the README has no block starting with %q", marker)
	block := string(readme)[i+len("```go\n"):]
	block = block[:strings.Index(block, "```")]
	var lines []string
	for _, l := range strings.Split(string(src), "\n") {
		lines = append(lines, strings.TrimPrefix(l, "\t"))
	}
	require.Contains(t, "\n"+strings.Join(lines, "\n")+"\n", "\n"+block, "the README block differs from testdata/outside/main.go")
}
