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
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

// Build compiles each Go package in pkgs, keyed by the name its binary is
// given, into one new temporary directory, and returns the binaries' paths
// under the same names. Package paths are as `go build` takes them,
// relative to the working directory (a test's package directory). cleanup
// removes the directory; on error nothing is left behind and the error
// carries the compiler's output.
func Build(pkgs map[string]string) (bins map[string]string, cleanup func(), err error) {
	for name := range pkgs {
		if name == "" || name != filepath.Base(name) || name == "." || name == ".." {
			return nil, nil, fmt.Errorf("clitest: binary name %q is not a plain file name", name)
		}
	}
	dir, err := os.MkdirTemp("", "badgeproof-cli-")
	if err != nil {
		return nil, nil, err
	}
	cleanup = func() { os.RemoveAll(dir) }
	bins = make(map[string]string, len(pkgs))
	names := make([]string, 0, len(pkgs))
	for name := range pkgs {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		bin := filepath.Join(dir, name)
		if runtime.GOOS == "windows" {
			bin += ".exe"
		}
		if out, err := exec.Command("go", "build", "-o", bin, pkgs[name]).CombinedOutput(); err != nil {
			cleanup()
			return nil, nil, fmt.Errorf("clitest: building %s: %v\n%s", pkgs[name], err, out)
		}
		bins[name] = bin
	}
	return bins, cleanup, nil
}

// Result is what one finished command produced.
type Result struct {
	Code           int // exit code
	Stdout, Stderr string
}

// String gives the exit code and both outputs, each cut after 4,000
// bytes, for failure messages.
func (r Result) String() string {
	return fmt.Sprintf("exit %d\nstdout: %s\nstderr: %s", r.Code, truncate(r.Stdout), truncate(r.Stderr))
}

// Run runs bin with args in dir ("" for the test's working directory) and
// waits for it. Any exit code is a result; the test fails only when the
// command cannot be started or dies without one.
func Run(t testing.TB, dir, bin string, args ...string) Result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := Result{Stdout: stdout.String(), Stderr: stderr.String()}
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() < 0 {
			t.Fatalf("%s %s: %v", filepath.Base(bin), strings.Join(args, " "), err)
		}
		r.Code = ee.ExitCode()
	}
	return r
}

// MustRun is [Run] for a command that must exit with want; any other exit
// code fails the test with both outputs in the message.
func MustRun(t testing.TB, want int, dir, bin string, args ...string) Result {
	t.Helper()
	r := Run(t, dir, bin, args...)
	if r.Code != want {
		t.Fatalf("%s %s: want exit %d, got %v", filepath.Base(bin), strings.Join(args, " "), want, r)
	}
	return r
}

// Report is the part of a verifier --json report line the tests read. It
// mirrors the wire format, not the SDK's types, so that a change to the
// format shows up as a failing test.
type Report struct {
	File    string   `json:"file"`
	Status  string   `json:"status"`
	Checks  []Check  `json:"checks"`
	Anchors []Anchor `json:"anchors"`
	// Format names how the credential was secured (ldp_vc, jwt_vc_json,
	// vc+jwt, dc+sd-jwt, vp+jwt); Container is png or svg for a baked badge.
	Format    string `json:"format"`
	Container string `json:"container"`
	// Credentials are the reports of a presentation's credentials.
	Credentials []Report `json:"credentials"`
}

// Check is one entry of a report's checks.
type Check struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Anchor is one entry of a report's anchors.
type Anchor struct {
	URI           string `json:"uri"`
	Root          string `json:"root"`
	Time          string `json:"time"`
	Confirmations uint64 `json:"confirmations"`
	Sender        string `json:"sender"`
}

// Lookup returns the check with the given id.
func (r Report) Lookup(id string) (Check, bool) {
	for _, c := range r.Checks {
		if c.ID == id {
			return c, true
		}
	}
	return Check{}, false
}

// Check returns the status of the check with the given id, or "" when the
// report has no such check.
func (r Report) Check(id string) string {
	c, _ := r.Lookup(id)
	return c.Status
}

// Message returns the message of the check with the given id, or "" when
// the report has no such check.
func (r Report) Message(id string) string {
	c, _ := r.Lookup(id)
	return c.Message
}

// MustCheck returns the check with the given id and fails the test when
// the report has none.
func (r Report) MustCheck(t testing.TB, id string) Check {
	t.Helper()
	c, ok := r.Lookup(id)
	if !ok {
		t.Fatalf("%s: no %s check: %+v", r.File, id, r.Checks)
	}
	return c
}

// maxReportLine bounds one report line; a Blockcerts certificate may be
// several megabytes and its report quotes little of it.
const maxReportLine = 1 << 24

// ParseReports reads stdout of verify --json, one report per line, in
// order. A line that is not a report fails the test.
func ParseReports(t testing.TB, stdout string) []Report {
	t.Helper()
	var reports []Report
	sc := bufio.NewScanner(strings.NewReader(stdout))
	sc.Buffer(make([]byte, 0, 64<<10), maxReportLine)
	for sc.Scan() {
		var r Report
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("report line %q: %v", truncate(sc.Text()), err)
		}
		reports = append(reports, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading reports: %v", err)
	}
	return reports
}

func truncate(s string) string {
	const max = 4000
	if len(s) > max {
		return s[:max] + "..."
	}
	return s
}

// Buffer is a bytes.Buffer safe for concurrent use: a command or server
// writes to it while a test reads what it said so far.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns what was written so far.
func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
