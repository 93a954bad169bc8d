package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/badgeproof/badgeproof/examples/clitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/keys"
)

// TestIssueJSONLinesErrorNamesLine: a bad line of a JSON Lines input is
// reported as FILE:LINE, never against a made-up file name.
func TestIssueJSONLinesErrorNamesLine(t *testing.T) {
	dir := t.TempDir()
	keyFile, _ := newKeyFile(t, dir, keys.Ed25519)
	lines := bytes.Split(bytes.TrimSpace(mustRead(t, writeInputs(t, dir, 4))), []byte("\n"))
	lines[3] = []byte(`{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "VerifiableCredential", oops}`)
	bad := filepath.Join(dir, "bad.jsonl")
	require.NoError(t, os.WriteFile(bad, append(bytes.Join(lines, []byte("\n")), '\n'), 0o644))
	code, _, stderr := runCLI(t, "issue", "--key", keyFile, "--anchor", "none", "--out", filepath.Join(dir, "out"), bad)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, bad+":4: ")
	assert.NotContains(t, stderr, "bad-000004")
	assert.NoDirExists(t, filepath.Join(dir, "out", "x"), "nothing written")

	// A line that parses but is no credential is named the same way.
	lines[3] = []byte(`{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"]}`)
	require.NoError(t, os.WriteFile(bad, append(bytes.Join(lines, []byte("\n")), '\n'), 0o644))
	code, _, stderr = runCLI(t, "issue", "--key", keyFile, "--anchor", "none", "--out", filepath.Join(dir, "out2"), bad)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, bad+":4: ")
}

// TestIssueOutDir: badge files are named by badge id; a non-empty --out
// is refused unless --force (replace) or --skip-existing (leave out what
// is there) says what to do.
func TestIssueOutDir(t *testing.T) {
	dir := t.TempDir()
	keyFile, _ := newKeyFile(t, dir, keys.Ed25519)
	in := writeInputs(t, dir, 3)
	out := filepath.Join(dir, "out")
	code, stdout, stderr := runCLI(t, "issue", "--key", keyFile, "--anchor", "none", "--out", out, in)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "issued 3 badge(s)")
	first := filepath.Join(out, "ab1e0000-0000-4000-8000-000000000000.json")
	require.FileExists(t, first, "named after urn:uuid:ab1e0000-0000-4000-8000-000000000000")
	before := mustRead(t, first)

	// Again into the same directory: refused, nothing changed.
	code, _, stderr = runCLI(t, "issue", "--key", keyFile, "--anchor", "none", "--out", out, in)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "is not empty")
	assert.Contains(t, stderr, "--skip-existing")
	assert.Equal(t, before, mustRead(t, first))

	// --skip-existing: the existing badges stay, a new input is issued.
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "more"), 0o755))
	more := writeInputs(t, filepath.Join(dir, "more"), 4) // the same three and a fourth
	code, stdout, stderr = runCLI(t, "issue", "--key", keyFile, "--anchor", "none", "--skip-existing", "--out", out, more)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "issued 1 badge(s)")
	assert.Equal(t, 3, strings.Count(stderr, "exists, skipped"))
	assert.Equal(t, before, mustRead(t, first))
	assert.Len(t, readBadges(t, out), 4)

	// --force: replaced.
	require.NoError(t, os.WriteFile(first, []byte("an older file"), 0o644))
	code, _, stderr = runCLI(t, "issue", "--key", keyFile, "--anchor", "none", "--force", "--out", out, in)
	require.Equal(t, 0, code, stderr)
	c, err := badge.ParseCredential(mustRead(t, first), badge.Limits{})
	require.NoError(t, err, "replaced by the badge")
	assert.Equal(t, "urn:uuid:ab1e0000-0000-4000-8000-000000000000", c.ID)

	code, _, stderr = runCLI(t, "issue", "--key", keyFile, "--anchor", "none", "--force", "--skip-existing", "--out", out, in)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "exclude each other")
}

// TestIssueIssuerName: --issuer-name and --issuer-name-ko put the issuer's
// display name into badges that name none, Korean first.
func TestIssueIssuerName(t *testing.T) {
	dir := t.TempDir()
	keyFile, _ := newKeyFile(t, dir, keys.Ed25519)
	out := filepath.Join(dir, "out")
	code, _, stderr := runCLI(t, "issue", "--key", keyFile, "--anchor", "none", "--issuer-name", "HRD Korea", "--issuer-name-ko", "한국산업인력공단",
		"--out", out, writeInputs(t, dir, 1))
	require.Equal(t, 0, code, stderr)
	b := readBadges(t, out)
	require.Len(t, b, 1)
	c, err := badge.ParseCredential(b[0], badge.Limits{})
	require.NoError(t, err)
	assert.Equal(t, "한국산업인력공단 (HRD Korea)", c.Issuer.Name.String())

	// English only.
	out2 := filepath.Join(dir, "out2")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "b"), 0o755))
	code, _, stderr = runCLI(t, "issue", "--key", keyFile, "--anchor", "none", "--issuer-name", "Hanbit Academy", "--out", out2, writeInputs(t, filepath.Join(dir, "b"), 1))
	require.Equal(t, 0, code, stderr)
	var doc struct{ Issuer struct{ Name string } }
	require.NoError(t, json.Unmarshal(readBadges(t, out2)[0], &doc))
	assert.Equal(t, "Hanbit Academy", doc.Issuer.Name)
}

// TestPresentForeignBadge: present refuses a badge whose subject is not the
// holder's key, unless --allow-foreign.
func TestPresentForeignBadge(t *testing.T) {
	dir := t.TempDir()
	issuerKey, _ := newKeyFile(t, dir, keys.Ed25519)
	out := filepath.Join(dir, "out")
	code, _, stderr := runCLI(t, "issue", "--key", issuerKey, "--anchor", "none", "--out", out, writeInputs(t, dir, 1))
	require.Equal(t, 0, code, stderr)
	badges, err := filepath.Glob(filepath.Join(out, "*.json"))
	require.NoError(t, err)
	require.Len(t, badges, 1)
	holderKey := filepath.Join(dir, "holder.key")
	keygenDID(t, holderKey)

	code, stdout, stderr := runCLI(t, "present", "--key", holderKey, "--challenge", "c", "--domain", "jobs.example.kr", badges[0])
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout, "nothing signed")
	assert.Contains(t, stderr, "did:example:trainee-0")
	assert.Contains(t, stderr, "--allow-foreign")

	code, stdout, stderr = runCLI(t, "present", "--key", holderKey, "--challenge", "c", "--domain", "jobs.example.kr", "--allow-foreign", badges[0])
	require.Equal(t, 0, code, stderr)
	_, err = badge.ParsePresentation([]byte(stdout), badge.Limits{})
	assert.NoError(t, err)
}

// TestIssuerHelpExitsZero: --help and -h print a command's usage and flags
// with their defaults on standard output and exit 0.
func TestIssuerHelpExitsZero(t *testing.T) {
	// Every command has a synopsis, shown by its --help and in the usage.
	for name := range commands {
		_, help, _ := runCLI(t, name, "--help")
		require.Contains(t, help, "usage: issuer "+name+" ", name)
		require.Contains(t, usage, "\n  issuer "+name+" ", name)
	}
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"keygen", "--help"}, {"issue", "--help"}, {"issue", "-h"},
		{"revoke", "--help"}, {"present", "--help"}} {
		code, stdout, stderr := runCLI(t, args...)
		assert.Equal(t, 0, code, "%v: %s", args, stderr)
		assert.Contains(t, stdout, "usage", "%v", args)
		assert.Empty(t, stderr, "%v", args)
	}
	_, stdout, _ := runCLI(t, "issue", "--help")
	for _, want := range []string{"-anchor-timeout DURATION", "(default 10m0s)", "-force", "-skip-existing", "-issuer-name NAME", "-issuer-name-ko NAME"} {
		assert.Contains(t, stdout, want)
	}
	code, stdout, stderr := runCLI(t, "issue", "--bogus")
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "flag provided but not defined: -bogus")
}

// TestReadmeIssuerFlagsExist: every flag the README gives an issuer
// command is one that command has.
func TestReadmeIssuerFlagsExist(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	flags := clitest.ReadmeFlags(string(readme), "issuer", []string{"keygen", "issue", "issue-jwt", "issue-sdjwt", "revoke", "present", "bake", "serve"})
	require.NotEmpty(t, flags["issue"], "the README shows issuer issue")
	n := 0
	for cmd, list := range flags {
		if cmd == "" {
			continue
		}
		_, help, _ := runCLI(t, cmd, "--help")
		for _, f := range list {
			assert.Regexp(t, `(?m)^  -`+regexp.QuoteMeta(f)+`\b`, help, "README: issuer %s --%s is not a flag of issuer %s", cmd, f, cmd)
			n++
		}
	}
	assert.Greater(t, n, 15, "the README's issuer flags were found")
}
