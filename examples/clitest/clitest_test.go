package clitest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// recorder is a testing.TB whose Fatalf records the message and ends the
// goroutine, so a test can check that a helper fails the test it is given.
type recorder struct {
	testing.TB
	fatal string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	r.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// fatal runs f with a recorder and returns the message f failed with, or
// "" when it did not fail.
func fatal(t *testing.T, f func(tb testing.TB)) string {
	rec := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(rec)
	}()
	<-done
	return rec.fatal
}

func TestBuildAndRun(t *testing.T) {
	bins, cleanup, err := Build(map[string]string{"exitwith": "./testdata/exitwith", "again": "./testdata/exitwith"})
	if err != nil {
		t.Fatal(err)
	}
	bin := bins["exitwith"]
	if len(bins) != 2 || bin == "" || bins["again"] == "" || filepath.Dir(bin) != filepath.Dir(bins["again"]) {
		t.Fatalf("bins %v: want both, in one directory", bins)
	}

	for _, code := range []int{0, 1, 2, 3} {
		r := Run(t, "", bin, fmt.Sprint(code), "out", "err")
		if r != (Result{Code: code, Stdout: "out", Stderr: "err"}) {
			t.Errorf("exit %d: got %+v", code, r)
		}
	}

	dir := t.TempDir()
	r := Run(t, dir, bin, "0", "@pwd", "")
	want, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := filepath.EvalSymlinks(r.Stdout); got != want {
		t.Errorf("ran in %q, want %q", r.Stdout, want)
	}

	if r := MustRun(t, 3, "", bin, "3", "x", "y"); r.Stdout != "x" {
		t.Errorf("MustRun: %+v", r)
	}
	msg := fatal(t, func(tb testing.TB) { MustRun(tb, 0, "", bin, "1", "the output", "the reason") })
	for _, s := range []string{"exitwith 1 the output the reason", "want exit 0", "exit 1", "stdout: the output", "stderr: the reason"} {
		if !strings.Contains(msg, s) {
			t.Errorf("MustRun failed with %q; want it to contain %q", msg, s)
		}
	}

	if msg := fatal(t, func(tb testing.TB) { Run(tb, "", filepath.Join(dir, "no-such-binary")) }); !strings.Contains(msg, "no-such-binary") {
		t.Errorf("running a missing binary: fatal %q", msg)
	}

	cleanup()
	if _, err := os.Stat(bin); !os.IsNotExist(err) {
		t.Errorf("after cleanup: stat %s: %v", bin, err)
	}
}

func TestBuildErrors(t *testing.T) {
	for _, name := range []string{"", ".", "..", "a/b", filepath.Join("..", "x")} {
		if _, _, err := Build(map[string]string{name: "./testdata/exitwith"}); err == nil {
			t.Errorf("binary name %q: no error", name)
		}
	}
	bins, cleanup, err := Build(map[string]string{"missing": "./testdata/no-such-package"})
	if err == nil || bins != nil || cleanup != nil {
		t.Fatalf("building a missing package: %v, %v", bins, err)
	}
	if !strings.Contains(err.Error(), "no-such-package") {
		t.Errorf("error %q does not name the package", err)
	}
}

func TestResultString(t *testing.T) {
	long := strings.Repeat("a", 5000)
	s := Result{Code: 2, Stdout: long, Stderr: "bad flag"}.String()
	if !strings.HasPrefix(s, "exit 2\nstdout: "+long[:4000]+"...\nstderr: bad flag") || strings.Contains(s, long[:4001]) {
		t.Errorf("String: %.80q... (%d bytes)", s, len(s))
	}
}

const sample = `{"version":"1","verified":false,"status":"failed","file":"a.json","checks":[{"id":"signature","status":"passed","message":"eddsa-jcs-2022"},{"id":"anchor","status":"failed","message":"sender 0xabc is not the issuer's"}],"anchors":[{"uri":"blink:eth:1337:0x01","root":"ab","time":"2026-03-02T00:00:00Z","confirmations":2,"sender":"0xabc"}]}
{"status":"verified","file":"b.json","checks":[]}
`

func TestParseReports(t *testing.T) {
	reps := ParseReports(t, sample)
	if len(reps) != 2 || reps[0].File != "a.json" || reps[1].File != "b.json" {
		t.Fatalf("reports %+v", reps)
	}
	a := reps[0]
	if a.Status != "failed" || a.Check("signature") != "passed" || a.Check("anchor") != "failed" || a.Check("merkle") != "" {
		t.Errorf("check statuses of %+v", a)
	}
	if a.Message("signature") != "eddsa-jcs-2022" || a.Message("merkle") != "" {
		t.Errorf("check messages of %+v", a)
	}
	if c, ok := a.Lookup("anchor"); !ok || c != (Check{ID: "anchor", Status: "failed", Message: "sender 0xabc is not the issuer's"}) {
		t.Errorf("Lookup(anchor) = %+v, %v", c, ok)
	}
	if _, ok := a.Lookup("merkle"); ok {
		t.Error("Lookup found a merkle check that is not there")
	}
	want := Anchor{URI: "blink:eth:1337:0x01", Root: "ab", Time: "2026-03-02T00:00:00Z", Confirmations: 2, Sender: "0xabc"}
	if len(a.Anchors) != 1 || a.Anchors[0] != want {
		t.Errorf("anchors %+v, want [%+v]", a.Anchors, want)
	}
	if c := a.MustCheck(t, "signature"); c.Status != "passed" {
		t.Errorf("MustCheck(signature) = %+v", c)
	}
	if msg := fatal(t, func(tb testing.TB) { reps[1].MustCheck(tb, "anchor") }); !strings.Contains(msg, "b.json: no anchor check") {
		t.Errorf("MustCheck of a missing check: fatal %q", msg)
	}

	if reps := ParseReports(t, ""); len(reps) != 0 {
		t.Errorf("no output: %+v", reps)
	}
	// A report line longer than bufio's default limit still parses.
	big := `{"file":"big.json","status":"indeterminate","checks":[{"id":"format","status":"passed","message":"` + strings.Repeat("x", 2<<20) + `"}]}`
	if reps := ParseReports(t, big+"\n"); len(reps) != 1 || reps[0].Check("format") != "passed" {
		t.Errorf("a 2 MiB report line: %d reports", len(reps))
	}
	for _, bad := range []string{"verified\n", sample + "{\n", "\n"} {
		if msg := fatal(t, func(tb testing.TB) { ParseReports(tb, bad) }); !strings.Contains(msg, "report line") {
			t.Errorf("ParseReports(%.40q): fatal %q", bad, msg)
		}
	}
	if msg := fatal(t, func(tb testing.TB) { ParseReports(tb, big[:len(big)-2]+strings.Repeat("y", maxReportLine)) }); msg == "" {
		t.Error("a line over the limit did not fail")
	}
}
