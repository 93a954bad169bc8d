package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustReadFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

// readmeFlags returns, per command of tool ("verifier" or "issuer"), the
// flags the README's code blocks use with it.
func readmeFlags(t *testing.T, tool string) map[string][]string {
	t.Helper()
	md := string(mustReadFile(t, filepath.Join("..", "..", "README.md")))
	// Lines of indented or fenced code, joined where a line ends with "\".
	var code []string
	inFence := false
	for _, line := range strings.Split(md, "\n") {
		switch {
		case strings.HasPrefix(line, "```"):
			inFence = !inFence
			continue
		case inFence, strings.HasPrefix(line, "    "):
			if n := len(code); n > 0 && strings.HasSuffix(code[n-1], "\\") {
				code[n-1] = strings.TrimSuffix(code[n-1], "\\") + " " + strings.TrimSpace(line)
				continue
			}
			code = append(code, strings.TrimSpace(line))
		}
	}
	cmdRE := regexp.MustCompile(`(?:^|go run \./examples/` + tool + `|^` + tool + `)\s+(?:(keygen|issue|revoke|present|serve|verify)\b)?`)
	flagRE := regexp.MustCompile(`(?:^|[\s\[(|])--([a-z][a-z0-9-]*)`)
	out := map[string][]string{}
	prev := ""
	for _, line := range code {
		var cmd string
		switch {
		case strings.HasPrefix(line, tool+" ") || line == tool || strings.Contains(line, "go run ./examples/"+tool):
			m := cmdRE.FindStringSubmatch(line[strings.Index(line, tool)+len(tool):])
			cmd = ""
			if m != nil {
				cmd = m[1]
			}
			prev = cmd
		case strings.HasPrefix(line, "[") && prev != "" && !strings.Contains(line, "go run"):
			cmd = prev // a continuation line of a synopsis
		default:
			prev = ""
			continue
		}
		if strings.Contains(line, "go run ./examples/") && !strings.Contains(line, "go run ./examples/"+tool) {
			continue
		}
		for _, m := range flagRE.FindAllStringSubmatch(line, -1) {
			out[cmd] = append(out[cmd], m[1])
		}
	}
	return out
}

// TestReadmeVerifierFlagsExist: every flag the README gives a verifier
// command is one that command has (its --help lists it).
func TestReadmeVerifierFlagsExist(t *testing.T) {
	flags := readmeFlags(t, "verifier")
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
