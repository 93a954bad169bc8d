package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/badgeproof/badgeproof/examples/clitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustReadFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

// TestReadmeVerifierFlagsExist: every flag the README gives a verifier
// command is one that command has (its --help lists it).
func TestReadmeVerifierFlagsExist(t *testing.T) {
	flags := clitest.ReadmeFlags(string(mustReadFile(t, filepath.Join("..", "..", "README.md"))), "verifier", []string{"serve", "verify"})
	require.NotEmpty(t, flags["verify"], "the README shows verifier verify")
	require.NotEmpty(t, flags["serve"], "the README shows verifier serve")
	n := 0
	for cmd, list := range flags {
		args := []string{cmd, "--help"}
		if cmd == "" {
			args = []string{"--demo-dir", t.TempDir(), "--help"} // the demo's own flags
		}
		var out, errOut bytes.Buffer
		require.Equal(t, 0, run(context.Background(), args, &out, &errOut), errOut.String())
		for _, f := range list {
			assert.Regexp(t, `(?m)^  -`+regexp.QuoteMeta(f)+`\b`, out.String(), "README: verifier %s --%s is not a flag of it", cmd, f)
			n++
		}
	}
	assert.Greater(t, n, 20, "the README's verifier flags were found")
}

// TestReadmeKeepsKeysInScratch: every private key the README's commands
// write goes into scratch/, which the README creates with a .gitignore and
// the repository ignores too; and the README warns that the first run
// compiles for a while.
func TestReadmeKeepsKeysInScratch(t *testing.T) {
	md := string(mustReadFile(t, filepath.Join("..", "..", "README.md")))
	outs := regexp.MustCompile(`keygen [^\n]*--out (\S+)`).FindAllStringSubmatch(md, -1)
	require.NotEmpty(t, outs)
	for _, m := range outs {
		if m[1] == "KEYFILE" {
			continue // a synopsis
		}
		assert.True(t, strings.HasPrefix(m[1], "scratch/"), "README: keygen writes %s outside scratch/", m[1])
	}
	for _, m := range regexp.MustCompile(`--(?:key|eth-key) (\S+)`).FindAllStringSubmatch(md, -1) {
		if strings.HasPrefix(m[1], "KEY") || strings.HasPrefix(m[1], "HOLDER") {
			continue // a synopsis
		}
		assert.True(t, strings.HasPrefix(m[1], "scratch/"), "README: a key file %s outside scratch/", m[1])
	}
	first := regexp.MustCompile(`keygen --type \S+ --out scratch/`).FindStringIndex(md)
	require.NotNil(t, first)
	mk := strings.Index(md, "mkdir -p scratch && echo '*' > scratch/.gitignore")
	require.GreaterOrEqual(t, mk, 0, "the walkthrough makes scratch/ with a .gitignore")
	assert.Less(t, mk, first[0], "before any key is written")
	assert.Contains(t, string(mustReadFile(t, filepath.Join("..", "..", ".gitignore"))), "/scratch/")
	assert.Contains(t, md, "takes a minute or two")
}
