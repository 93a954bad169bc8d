package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/verify"
)

// freePort returns a loopback port nothing listens on right now.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	require.NoError(t, ln.Close())
	return port
}

// TestDemoSurvivesRestart: badges saved from one run of the demo verify in
// the next (same keys, same ledger, same status list), the revoked one is
// still revoked; --fresh starts over, and then the old badges no longer do.
func TestDemoSurvivesRestart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	addr := "127.0.0.1:" + freePort(t)

	base, stop := startDemoServerArgs(t, "--addr", addr, "--demo-dir", dir)
	saved := map[string][]byte{}
	for _, d := range fetchDemos(t, base) {
		if !strings.HasPrefix(d.Name, "presentation") && d.Name != "replayed" {
			saved[d.Name] = getBytes(t, base+d.URL)
		}
	}
	require.Len(t, saved, 7)
	out := stop()
	assert.Contains(t, out, "demo: building the demo in "+dir)
	for _, name := range []string{"demo.json", "trust-list.json", "badges/qualification.json"} {
		assert.FileExists(t, filepath.Join(dir, name))
	}
	for _, name := range []string{"ledger", "status"} {
		assert.DirExists(t, filepath.Join(dir, name))
	}

	base, stop = startDemoServerArgs(t, "--addr", addr, "--demo-dir", dir)
	want := map[string]string{"qualification": "verified", "degree": "verified", "work-experience": "verified", "training": "verified",
		"revoked": "failed", "expired": "failed", "tampered": "failed"}
	for name, status := range want {
		r := postVerify(t, base, saved[name])
		assert.EqualValues(t, status, r.Status, "%s after a restart: %+v", name, r.Checks)
	}
	assert.Equal(t, "revoked", postVerify(t, base, saved["revoked"]).Check(verify.CheckStatus).Code)
	assert.Contains(t, stop(), "demo: reusing the demo built in "+dir)

	base, stop = startDemoServerArgs(t, "--addr", addr, "--demo-dir", dir, "--fresh")
	assert.NotEqual(t, verify.StatusVerified, postVerify(t, base, saved["qualification"]).Status,
		"the old ledger is gone: the old badge's anchor is unknown")
	fresh := getBytes(t, base+"/v1/demo/badges/qualification")
	assert.Equal(t, verify.StatusVerified, postVerify(t, base, fresh).Status)
	assert.Contains(t, stop(), "starting over in "+dir+" (--fresh)")
}

// TestDemoOnEveryInterface: --addr 0.0.0.0:PORT prints a URL a browser can
// open (never http://[::]:PORT/) and the revoked demo badge is revoked:
// its status list URL is reachable from the server itself.
func TestDemoOnEveryInterface(t *testing.T) {
	port := freePort(t)
	base, stop := startDemoServerArgs(t, "--addr", "0.0.0.0:"+port, "--demo-dir", t.TempDir())
	assert.Equal(t, "http://localhost:"+port, base)
	r := postVerify(t, base, getBytes(t, base+"/v1/demo/badges/revoked"))
	assert.Equal(t, verify.StatusFailed, r.Status)
	assert.Equal(t, verify.StatusFailed, r.Check(verify.CheckStatus).Status)
	assert.Equal(t, "revoked", r.Check(verify.CheckStatus).Code, r.Check(verify.CheckStatus).Message)
	assert.Equal(t, verify.StatusPassed, r.Check(verify.CheckSignature).Status)
	out := stop()
	assert.NotContains(t, out, "[::]")
	assert.Contains(t, out, "on every interface")
}

// TestPublicURL: --public-url is what the server prints and the domain
// presentations are bound to.
func TestPublicURL(t *testing.T) {
	port := freePort(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	exit := make(chan int, 1)
	var errOut syncBuffer
	go func() {
		exit <- run(ctx, []string{"--addr", "127.0.0.1:" + port, "--demo-dir", t.TempDir(), "--public-url", "https://verify.example.kr"}, pw, &errOut)
		pw.Close()
	}()
	var lines []string
	buf := make([]byte, 4096)
	for !strings.Contains(strings.Join(lines, ""), "listening on") {
		n, err := pr.Read(buf)
		require.NoError(t, err, errOut.String())
		lines = append(lines, string(buf[:n]))
	}
	go io.Copy(io.Discard, pr)
	assert.Contains(t, strings.Join(lines, ""), "listening on https://verify.example.kr/")
	resp, err := http.Get("http://127.0.0.1:" + port + "/v1/challenge")
	require.NoError(t, err)
	var c struct{ Domain string }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&c))
	resp.Body.Close()
	assert.Equal(t, "verify.example.kr", c.Domain)
	// The revoked badge still checks its status on loopback.
	r := postVerify(t, "http://127.0.0.1:"+port, getBytes(t, "http://127.0.0.1:"+port+"/v1/demo/badges/revoked"))
	assert.Equal(t, "revoked", r.Check(verify.CheckStatus).Code)
	cancel()
	assert.Equal(t, 0, <-exit, errOut.String())
}

// TestMetricsEndpoint: after a few verifications, GET /metrics shows the
// counters by outcome and code, the latency histogram and the anchor
// look-ups; GET /readyz answers ready.
func TestMetricsEndpoint(t *testing.T) {
	base := startDemoServer(t)
	for _, name := range []string{"qualification", "qualification", "revoked", "tampered"} {
		postVerify(t, base, getBytes(t, base+"/v1/demo/badges/"+name))
	}
	body := string(getBytes(t, base+"/metrics"))
	for _, want := range []string{
		`badgeproof_verifications_total{outcome="verified"} 2`,
		`badgeproof_verifications_total{outcome="failed"} 2`,
		`badgeproof_checks_total{check="status",code="revoked",status="failed"} 1`,
		`badgeproof_checks_total{check="signature",code="bad_signature",status="failed"} 1`,
		`badgeproof_verification_duration_seconds_count{endpoint="verify"} 4`,
		`badgeproof_http_requests_total{code="200",route="POST /v1/verify"} 4`,
		`go_goroutines `,
	} {
		assert.Contains(t, body, want)
	}
	// Three distinct anchors were asked for four times: the cache answered the rest.
	m := regexp.MustCompile(`badgeproof_anchor_lookups_total\{result="found"\} (\d+)`).FindStringSubmatch(body)
	require.NotNil(t, m, body)
	assert.Equal(t, "1", m[1], "the demo's HRD Korea badges share one anchor: one look-up")
	// The anchor cache's own counters: one miss, and a hit for the same
	// badge verified a second time (and for the others of its batch).
	cache := func(name, result string) int {
		m := regexp.MustCompile(`badgeproof_cache_requests_total\{cache="` + name + `",result="` + result + `"\} (\d+)`).FindStringSubmatch(body)
		require.NotNil(t, m, "%s %s in %s", name, result, body)
		n, err := strconv.Atoi(m[1])
		require.NoError(t, err)
		return n
	}
	assert.Equal(t, 1, cache("anchors", "miss"))
	assert.Equal(t, 2, cache("anchors", "hit"), "the second verification of the same badge, and the revoked badge of the same batch, are hits")
	assert.Equal(t, 1, cache("status_lists", "miss"), "the revoked badge's status list, fetched once")
	assert.Equal(t, 0, cache("key_documents", "miss"), "did:key needs no document")
	t.Logf("cache counters:\n%s", strings.Join(regexp.MustCompile(`(?m)^badgeproof_cache_requests_total.*$`).FindAllString(body, -1), "\n"))
	assert.Contains(t, string(getBytes(t, base+"/readyz")), `"ready"`)
}

// TestServeLimitFlags: the batch and body limits are flags.
func TestServeLimitFlags(t *testing.T) {
	base, _ := startDemoServerArgs(t, "--addr", "127.0.0.1:0", "--demo-dir", t.TempDir(), "--max-batch", "2", "--max-body", "4096",
		"--frame-ancestor", "https://jobs.example.kr", "--cors-origin", "https://jobs.example.kr")
	badge := getBytes(t, base+"/v1/demo/badges/qualification")
	batch, _ := json.Marshal([]json.RawMessage{badge, badge, badge})
	resp, err := http.Post(base+"/v1/verify/batch", "application/json", bytes.NewReader(batch))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode, "--max-batch 2")
	resp, err = http.Post(base+"/v1/verify", "application/json", bytes.NewReader(append(badge, bytes.Repeat([]byte(" "), 4096)...)))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode, "--max-body 4096")
	resp, err = http.Get(base + "/")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "frame-ancestors https://jobs.example.kr")
	req, _ := http.NewRequest(http.MethodOptions, base+"/v1/verify", nil)
	req.Header.Set("Origin", "https://jobs.example.kr")
	req.Header.Set("Access-Control-Request-Method", "POST")
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, "https://jobs.example.kr", resp.Header.Get("Access-Control-Allow-Origin"))
}

// TestHelpExitsZero: --help and -h print the usage and the flags with
// their defaults on standard output and exit 0, for every command.
func TestHelpExitsZero(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"serve", "--help"}, {"serve", "-h"}, {"verify", "--help"}, {"verify", "-h"},
		{"--demo-dir", t.TempDir(), "--help"}} {
		var out, errOut bytes.Buffer
		code := run(context.Background(), args, &out, &errOut)
		assert.Equal(t, 0, code, "%v: %s", args, errOut.String())
		assert.Contains(t, out.String(), "usage", "%v", args)
		assert.Empty(t, errOut.String(), "%v", args)
	}
	var out, errOut bytes.Buffer
	require.Equal(t, 0, run(context.Background(), []string{"serve", "--help"}, &out, &errOut))
	for _, want := range []string{"-max-body BYTES", "(default 1048576)", "-max-batch N", "(default 100)", "-verify-timeout DURATION", "(default 30s)",
		"-public-url URL", "-cors-origin ORIGIN", "-frame-ancestor ORIGIN", "-shutdown-grace DURATION", "(default 10s)", "-metrics", "-log-format FORMAT"} {
		assert.Contains(t, out.String(), want)
	}
	out.Reset()
	require.Equal(t, 0, run(context.Background(), []string{"--demo-dir", t.TempDir(), "--help"}, &out, &errOut))
	assert.Contains(t, out.String(), "-demo-dir DIR")
	assert.Contains(t, out.String(), "-fresh")
	// A bad flag is still a usage error, on standard error.
	out.Reset()
	errOut.Reset()
	assert.Equal(t, exitUsage, run(context.Background(), []string{"verify", "--bogus", "x.json"}, &out, &errOut))
	assert.Contains(t, errOut.String(), "flag provided but not defined: -bogus")
	assert.Empty(t, out.String())
}

// TestVerifyTotals: verify ends with totals per verdict and per code;
// --summary prints only them; with --json the per-file lines stay JSON and
// the totals go to standard error, or, with --summary, are one JSON object.
func TestVerifyTotals(t *testing.T) {
	dir := t.TempDir()
	files, err := writeDemoFiles(context.Background(), dir, "")
	require.NoError(t, err)
	var paths []string
	for _, b := range files.badges {
		paths = append(paths, filepath.Join(dir, "badges", b.Name+".json"))
	}
	require.Len(t, paths, 6) // no revoked badge without a status server
	args := []string{"verify", "--ledger", filepath.Join(dir, "ledger"), "--trust", filepath.Join(dir, "trust-list.json"), "--trust-key", files.root}
	missing := filepath.Join(dir, "missing.json")

	var out, errOut bytes.Buffer
	code := run(context.Background(), append(append(args, paths...), missing), &out, &errOut)
	assert.Equal(t, exitUsage, code, "an unreadable file: %s", errOut.String())
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.GreaterOrEqual(t, len(lines), 2)
	assert.Equal(t, "total: 7 file(s): 4 verified, 2 failed, 0 indeterminate, 1 unreadable", lines[len(lines)-2])
	assert.Regexp(t, `^codes: (bad_signature 1, expired 1, hash_mismatch 1, untrusted_issuer 1|.*expired 1.*)$`, lines[len(lines)-1])
	assert.Contains(t, lines[len(lines)-1], "expired 1")
	assert.Contains(t, lines[len(lines)-1], "bad_signature 1")

	out.Reset()
	errOut.Reset()
	code = run(context.Background(), append(append(args, "--summary"), paths...), &out, &errOut)
	assert.Equal(t, exitFailed, code)
	assert.True(t, strings.HasPrefix(out.String(), "total: 6 file(s): 4 verified, 2 failed, 0 indeterminate\ncodes: "), out.String())
	assert.Equal(t, 2, strings.Count(out.String(), "\n"), "only the totals")

	out.Reset()
	errOut.Reset()
	code = run(context.Background(), append(append(args, "--json"), paths...), &out, &errOut)
	assert.Equal(t, exitFailed, code)
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		assert.True(t, json.Valid([]byte(line)), line)
	}
	assert.Contains(t, errOut.String(), "total: 6 file(s): 4 verified, 2 failed, 0 indeterminate")

	out.Reset()
	errOut.Reset()
	code = run(context.Background(), append(append(args, "--json", "--summary"), paths...), &out, &errOut)
	assert.Equal(t, exitFailed, code)
	var s struct {
		Summary struct {
			Files, Verified, Failed, Indeterminate, Unreadable int
			Codes                                              map[string]int
		}
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &s), out.String())
	assert.Equal(t, 6, s.Summary.Files)
	assert.Equal(t, 4, s.Summary.Verified)
	assert.Equal(t, 2, s.Summary.Failed)
	assert.Equal(t, 1, s.Summary.Codes["expired"])
	assert.Equal(t, 1, s.Summary.Codes["hash_mismatch"])
	_ = os.Remove(missing)
}

// TestReadinessDuringShutdown: on shutdown the server answers GET /readyz
// 503 at once while GET /healthz and the API still answer for
// --drain-delay, then it stops taking connections and exits 0.
func TestReadinessDuringShutdown(t *testing.T) {
	const drain = 1500 * time.Millisecond
	base, stop := startDemoServerArgs(t, "--addr", "127.0.0.1:0", "--demo-dir", t.TempDir(), "--drain-delay", drain.String())
	status := func(path string) int {
		resp, err := http.Get(base + path)
		if err != nil {
			return 0
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	require.Equal(t, http.StatusOK, status("/readyz"))
	require.Equal(t, http.StatusOK, status("/healthz"))

	begun := time.Now()
	stopped := make(chan struct{})
	go func() { stop(); close(stopped) }()
	deadline := time.Now().Add(drain)
	for status("/readyz") != http.StatusServiceUnavailable {
		require.True(t, time.Now().Before(deadline), "/readyz never turned 503 during the drain")
		time.Sleep(10 * time.Millisecond)
	}
	assert.Equal(t, http.StatusOK, status("/healthz"), "liveness holds while draining")
	r := postVerify(t, base, getBytes(t, base+"/v1/demo/badges/qualification"))
	assert.Equal(t, verify.StatusVerified, r.Status, "requests are still served while draining")

	select {
	case <-stopped:
	case <-time.After(drain + 20*time.Second):
		t.Fatal("the server did not stop")
	}
	assert.GreaterOrEqual(t, time.Since(begun), drain, "the server served for the whole drain delay")
	assert.Equal(t, 0, status("/healthz"), "after shutdown no connection is taken")
}
