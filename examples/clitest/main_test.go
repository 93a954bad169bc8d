package clitest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Paths of the binaries TestMain builds.
var issuerBin, verifierBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "badgeproof-cli")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	issuerBin, verifierBin = filepath.Join(dir, "issuer"), filepath.Join(dir, "verifier")
	for bin, pkg := range map[string]string{issuerBin: "../issuer", verifierBin: "../verifier"} {
		cmd := exec.Command("go", "build", "-o", bin, pkg)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "building %s: %v\n", pkg, err)
			os.RemoveAll(dir)
			os.Exit(1)
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is one finished command.
type result struct {
	code           int
	stdout, stderr string
}

// run runs bin with args in dir ("" for the test's working directory).
func run(t *testing.T, dir, bin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("%s %v: %v", filepath.Base(bin), args, err)
		}
		code = ee.ExitCode()
	}
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

// mustRun runs a command that must exit with want.
func mustRun(t *testing.T, want int, dir, bin string, args ...string) result {
	t.Helper()
	r := run(t, dir, bin, args...)
	if r.code != want {
		t.Fatalf("%s %s: exit %d, want %d\nstdout: %s\nstderr: %s", filepath.Base(bin), strings.Join(args, " "), r.code, want, truncate(r.stdout), truncate(r.stderr))
	}
	return r
}

func truncate(s string) string {
	if len(s) > 4000 {
		return s[:4000] + "..."
	}
	return s
}

// keygen makes a key of typ in dir and returns its file and did:key.
func keygen(t *testing.T, dir, typ string) (file, did string) {
	t.Helper()
	file = filepath.Join(dir, typ+".key")
	r := mustRun(t, 0, "", issuerBin, "keygen", "--type", typ, "--out", file)
	did = strings.TrimSpace(r.stdout)
	if !strings.HasPrefix(did, "did:key:z") {
		t.Fatalf("keygen printed %q, want a did:key", r.stdout)
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

// report is the part of a --json report line the tests read.
type report struct {
	File   string `json:"file"`
	Status string `json:"status"`
	Checks []struct {
		ID      string `json:"id"`
		Status  string `json:"status"`
		Message string `json:"message"`
	} `json:"checks"`
}

func (r report) check(id string) string {
	for _, c := range r.Checks {
		if c.ID == id {
			return c.Status
		}
	}
	return ""
}

func (r report) message(id string) string {
	for _, c := range r.Checks {
		if c.ID == id {
			return c.Message
		}
	}
	return ""
}

// parseReports reads one JSON report per line and checks there is one per file.
func parseReports(t *testing.T, out string, files []string) map[string]report {
	t.Helper()
	got := map[string]report{}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var r report
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("report line %q: %v", truncate(sc.Text()), err)
		}
		got[r.File] = r
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
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
func verifyJSON(t *testing.T, dir string, flags []string, files []string) (map[string]report, int) {
	t.Helper()
	const chunk = 2500
	all := map[string]report{}
	worst := 0
	rank := map[int]int{0: 0, 3: 1, 1: 2, 2: 3}
	for lo := 0; lo < len(files); lo += chunk {
		part := files[lo:min(lo+chunk, len(files))]
		args := append(append([]string{"verify", "--json"}, flags...), part...)
		r := run(t, dir, verifierBin, args...)
		if _, ok := rank[r.code]; !ok {
			t.Fatalf("verify exited %d: %s", r.code, truncate(r.stderr))
		}
		if rank[r.code] > rank[worst] {
			worst = r.code
		}
		for k, v := range parseReports(t, r.stdout, part) {
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
