package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/examples/clitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/anchor/ledger"
	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/badgeproof/badgeproof/verify"
)

// syncBuffer is a bytes.Buffer safe to read while a server writes to it.
type syncBuffer = clitest.Buffer

// startDemoServer runs `verifier --addr 127.0.0.1:0` (the embedded demo,
// kept in a fresh temporary directory)
// and returns its base URL; the server stops when the test ends.
func startDemoServer(t testing.TB) string {
	t.Helper()
	base, _ := startDemoServerArgs(t, "--addr", "127.0.0.1:0", "--demo-dir", t.TempDir())
	return base
}

// startDemoServerArgs runs `verifier ARGS...` and returns its base URL and
// a function that stops it (also called when the test ends) and returns
// what it printed.
func startDemoServerArgs(t testing.TB, args ...string) (string, func() string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var stderr syncBuffer
	exit := make(chan int, 1)
	go func() {
		exit <- run(ctx, args, pw, &stderr)
		pw.Close()
	}()
	urls := make(chan string, 1)
	var stdout syncBuffer
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			line := sc.Text()
			stdout.Write([]byte(line + "\n"))
			if _, url, ok := strings.Cut(line, "listening on "); ok {
				urls <- strings.TrimSuffix(url, "/")
			}
		}
	}()
	var once sync.Once
	stop := func() string {
		once.Do(func() {
			cancel()
			select {
			case code := <-exit:
				assert.Equal(t, 0, code, "exit code; stderr:\n%s", stderr.String())
				// run has returned; its last line is in the pipe until
				// the reader has taken it.
				<-scanned
			case <-time.After(20 * time.Second):
				t.Error("the demo server did not stop")
			}
			assert.Contains(t, stdout.String(), "badge verifier stopped")
		})
		return stdout.String()
	}
	t.Cleanup(func() { stop() })
	select {
	case u := <-urls:
		return u, stop
	case code := <-exit:
		t.Fatalf("the demo server exited with %d: %s", code, stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("the demo server did not start: %s", stderr.String())
	}
	return "", stop
}

type demoListEntry struct {
	Name, Title, Description, Expect, URL string
}

func fetchDemos(t testing.TB, base string) []demoListEntry {
	t.Helper()
	resp, err := http.Get(base + "/v1/demo/badges")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	var list []demoListEntry
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&list))
	return list
}

func getBytes(t testing.TB, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode, url)
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return b
}

func postVerify(t testing.TB, base string, body []byte) *verify.Report {
	t.Helper()
	resp, err := http.Post(base+"/v1/verify", "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	var r verify.Report
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&r))
	return &r
}

func TestDemoServerVerdicts(t *testing.T) {
	base := startDemoServer(t)
	list := fetchDemos(t, base)
	byName := map[string]*verify.Report{}
	for _, d := range list {
		r := postVerify(t, base, getBytes(t, base+d.URL))
		assert.EqualValues(t, d.Expect, r.Status, "%s: %+v", d.Name, r.Checks)
		byName[d.Name] = r
	}
	for _, name := range []string{"qualification", "degree", "work-experience", "training", "revoked", "expired", "tampered"} {
		require.Contains(t, byName, name)
	}
	// The four kinds, each anchored on the ledger and issued by a listed issuer.
	wantIssuer := map[string]string{"qualification": "한국산업인력공단", "degree": "한빛대학교", "work-experience": "한국고용정보원", "training": "한국산업인력공단"}
	for name, ko := range wantIssuer {
		r := byName[name]
		assert.Equal(t, verify.StatusVerified, r.Status, name)
		assert.Equal(t, verify.StatusPassed, r.Check(verify.CheckMerkle).Status, name)
		assert.Equal(t, verify.StatusPassed, r.Check(verify.CheckAnchor).Status, name)
		require.Len(t, r.Anchors, 1, name)
		assert.True(t, strings.HasPrefix(r.Anchors[0].URI, "blink:ledger:"), r.Anchors[0].URI)
		require.NotNil(t, r.Issuer, name)
		assert.Equal(t, ko, r.Issuer.NameKo, name)
	}
	// Each bad sample fails for its own reason, and only that.
	assert.Equal(t, verify.StatusFailed, byName["revoked"].Check(verify.CheckStatus).Status)
	assert.Equal(t, verify.StatusPassed, byName["revoked"].Check(verify.CheckSignature).Status)
	assert.Equal(t, verify.StatusPassed, byName["revoked"].Check(verify.CheckAnchor).Status)
	assert.Equal(t, verify.StatusFailed, byName["expired"].Check(verify.CheckValidity).Status)
	assert.Equal(t, verify.StatusPassed, byName["expired"].Check(verify.CheckSignature).Status)
	assert.Equal(t, verify.StatusFailed, byName["tampered"].Check(verify.CheckSignature).Status)
	assert.Equal(t, verify.StatusFailed, byName["tampered"].Check(verify.CheckMerkle).Status)

	// The page and the demo's trust list are served too.
	assert.Contains(t, string(getBytes(t, base+"/")), "디지털 배지 검증")
	tl := getBytes(t, base+"/demo/trust-list.json")
	_, err := verify.ParseSignedTrustList(tl, []string{mustDemoRoot(t)}, time.Now())
	require.NoError(t, err)
}

func mustDemoRoot(t testing.TB) string {
	k, err := demoKey("ministry")
	require.NoError(t, err)
	return k.PublicKey().DID()
}

func TestDemoIsDeterministic(t *testing.T) {
	ctx := context.Background()
	var dids [2][]string
	for i := range dids {
		d, err := newDemo(ctx, t.TempDir(), "")
		require.NoError(t, err)
		dids[i] = []string{d.ministry.did(), d.hrd.did(), d.keis.did(), d.univ.did(), d.holder.did()}
		assert.Nil(t, d.revocation, "no status list without a server")
		names := map[string]bool{}
		for _, b := range d.badges {
			names[b.Name] = true
		}
		assert.False(t, names["revoked"])
		assert.True(t, names["tampered"])
		require.NoError(t, d.Close())
	}
	assert.Equal(t, dids[0], dids[1])
}

func TestServeUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	ctx := context.Background()
	assert.Equal(t, exitUsage, run(ctx, []string{"serve", "--bogus"}, &out, &errOut))
	assert.Equal(t, exitUsage, run(ctx, []string{"serve", "extra-arg"}, &out, &errOut))
	assert.Equal(t, exitUsage, run(ctx, []string{"serve", "--eth-rpc", "nonsense"}, &out, &errOut))
	assert.Equal(t, exitUsage, run(ctx, []string{"--addr", "256.0.0.1:99999"}, &out, &errOut))
	assert.Contains(t, errOut.String(), "unexpected argument")
}

func TestServeCmdRunsAndStops(t *testing.T) {
	dir := t.TempDir()
	// serve reads a ledger an issuer made; it never makes one.
	ledgerDir := filepath.Join(dir, "ledger")
	l, err := ledger.Open(ledgerDir)
	require.NoError(t, err)
	require.NoError(t, l.Close())
	k, err := demoKey("hrd-korea")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	exit := make(chan int, 1)
	var errOut syncBuffer
	go func() {
		exit <- serveCmd(ctx, []string{"--addr", "127.0.0.1:0", "--trust-key", k.PublicKey().DID(), "--ledger", ledgerDir, "--domain", "jobs.example.kr"}, pw, &errOut)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	require.True(t, sc.Scan(), errOut.String())
	_, url, ok := strings.Cut(sc.Text(), "listening on ")
	require.True(t, ok, sc.Text())
	go io.Copy(io.Discard, pr)
	resp, err := http.Get(strings.TrimSuffix(url, "/") + "/v1/challenge")
	require.NoError(t, err)
	var c struct{ Domain string }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&c))
	resp.Body.Close()
	assert.Equal(t, "jobs.example.kr", c.Domain)
	resp, err = http.Get(strings.TrimSuffix(url, "/") + "/v1/demo/badges")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 404, resp.StatusCode, "serve has no demo badges")
	cancel()
	assert.Equal(t, 0, <-exit, errOut.String())
	assert.Contains(t, errOut.String(), "path=/v1/challenge")
}

// The demo's trust list is a conforming VC 2.0 document: its own terms
// are defined by no context, so it names the undefined-terms context last,
// and an RDFC suite, which refuses to sign a term it would drop, signs it.
func TestDemoTrustListDefinesItsTerms(t *testing.T) {
	d, err := newDemo(context.Background(), t.TempDir(), "")
	require.NoError(t, err)
	defer d.Close()
	c, err := badge.ParseCredential(d.trustDoc, badge.Limits{})
	require.NoError(t, err)
	require.JSONEq(t, `"`+badge.ContextUndefinedTerms+`"`, string(c.Context[len(c.Context)-1]))
	k, err := keys.Generate(keys.Ed25519)
	require.NoError(t, err)
	s, err := issuer.NewSigner(k, issuer.WithCryptosuite(issuer.EdDSARDFC2022))
	require.NoError(t, err)
	_, err = s.SignCredential(c)
	require.NoError(t, err, "every term of the trust list is defined")
}
