package clitest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/badgeproof/badgeproof/examples/clitest"
)

// Paths of the binaries TestMain builds.
var issuerBin, verifierBin string

func TestMain(m *testing.M) {
	bins, cleanup, err := clitest.Build(map[string]string{"issuer": "../issuer", "verifier": "../verifier"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	issuerBin, verifierBin = bins["issuer"], bins["verifier"]
	code := m.Run()
	cleanup()
	os.Exit(code)
}

// keygen makes a key of typ in dir and returns its file and did:key.
func keygen(t *testing.T, dir, typ string) (file, did string) {
	t.Helper()
	file = filepath.Join(dir, typ+".key")
	r := clitest.MustRun(t, 0, "", issuerBin, "keygen", "--type", typ, "--out", file)
	did = strings.TrimSpace(r.Stdout)
	if !strings.HasPrefix(did, "did:key:z") {
		t.Fatalf("keygen printed %q, want a did:key", r.Stdout)
	}
	return file, did
}

// credentialLine is one unsigned Open Badges 3.0 credential, issuer left
// out (the issuer CLI fills it in).
func credentialLine(i int) []byte {
	b, err := json.Marshal(map[string]any{
		"@context":  []string{"https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"},
		"id":        fmt.Sprintf("urn:uuid:c1e5a7d0-0000-4000-8000-%012d", i),
		"type":      []string{"VerifiableCredential", "OpenBadgeCredential"},
		"name":      fmt.Sprintf("정보처리기사 자격 %d / Information Processing Engineer %d", i, i),
		"validFrom": "2026-03-02T00:00:00Z",
		"credentialSubject": map[string]any{
			"id":   fmt.Sprintf("did:example:holder-%d", i),
			"type": []string{"AchievementSubject"},
			"achievement": map[string]any{
				"id": "https://q-net.example.kr/achievements/1320-engineer", "type": []string{"Achievement"},
				"name": "정보처리기사", "description": "National technical qualification: Information Processing Engineer",
				"criteria": map[string]any{"narrative": "Passed the written and practical examinations"},
			},
		},
	})
	if err != nil {
		panic(err)
	}
	return b
}

// writeJSONLines writes n credentials, one per line, to dir/name.
func writeJSONLines(t *testing.T, dir, name string, n int) string {
	t.Helper()
	var buf bytes.Buffer
	for i := 0; i < n; i++ {
		buf.Write(credentialLine(i))
		buf.WriteByte('\n')
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// parseReports reads one JSON report per line and checks there is one per
// file, keyed by file.
func parseReports(t *testing.T, out string, files []string) map[string]clitest.Report {
	t.Helper()
	got := map[string]clitest.Report{}
	for _, r := range clitest.ParseReports(t, out) {
		got[r.File] = r
	}
	if len(got) != len(files) {
		t.Fatalf("%d reports for %d files", len(got), len(files))
	}
	for _, f := range files {
		if _, ok := got[f]; !ok {
			t.Fatalf("no report for %s", f)
		}
	}
	return got
}

// verifyJSON runs verify --json over files (relative to dir) in chunks that
// keep the argument list short, and returns every report and the worst exit
// code seen.
func verifyJSON(t *testing.T, dir string, flags []string, files []string) (map[string]clitest.Report, int) {
	t.Helper()
	const chunk = 2500
	all := map[string]clitest.Report{}
	worst := 0
	rank := map[int]int{0: 0, 3: 1, 1: 2, 2: 3}
	for lo := 0; lo < len(files); lo += chunk {
		part := files[lo:min(lo+chunk, len(files))]
		args := append(append([]string{"verify", "--json"}, flags...), part...)
		r := clitest.Run(t, dir, verifierBin, args...)
		if _, ok := rank[r.Code]; !ok {
			t.Fatalf("verify exited with an unknown code: %v", r)
		}
		if rank[r.Code] > rank[worst] {
			worst = r.Code
		}
		for k, v := range parseReports(t, r.Stdout, part) {
			all[k] = v
		}
	}
	return all, worst
}

// badgeFiles lists the .json files in dir, sorted.
func badgeFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range m {
		m[i] = filepath.Base(m[i])
	}
	return m
}
