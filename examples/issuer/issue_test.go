package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/keys"
)

// TestIssueSameBaseName: inputs from different directories with the same
// file name each get their own output file; none overwrites another.
func TestIssueSameBaseName(t *testing.T) {
	dir := t.TempDir()
	keyFile, _ := newKeyFile(t, dir, keys.Ed25519)
	lines := bytes.Split(bytes.TrimSpace(mustRead(t, writeInputs(t, dir, 3))), []byte("\n"))
	var inputs []string
	for i, sub := range []string{"a", "b", "c"} {
		p := filepath.Join(dir, sub, "badge.json")
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, lines[i], 0o644))
		inputs = append(inputs, p)
	}
	// A file whose own name is what a renamed duplicate would get.
	p := filepath.Join(dir, "d", "badge-2.json")
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.WriteFile(p, lines[0], 0o644))
	inputs = append(inputs, p)

	got, err := readInputs(inputs)
	require.NoError(t, err)
	var names []string
	for _, in := range got {
		names = append(names, in.name)
	}
	require.Equal(t, []string{"badge.json", "badge-2.json", "badge-3.json", "badge-2-2.json"}, names)

	out := filepath.Join(dir, "out")
	code, _, stderr := runCLI(t, append([]string{"issue", "--key", keyFile, "--anchor", "none", "--out", out}, inputs[:3]...)...)
	require.Equal(t, 0, code, stderr)
	ids := map[string]bool{}
	for _, b := range readBadges(t, out) {
		c, err := badge.ParseCredential(b, badge.Limits{})
		require.NoError(t, err)
		ids[c.ID] = true
	}
	require.Len(t, ids, 3, "every input is written")
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}
