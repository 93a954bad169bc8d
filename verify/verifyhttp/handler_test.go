package verifyhttp

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/verify"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVerifyCredential(t *testing.T) {
	f := newFixture(t)
	h, logs := newHandler(t, f)

	rec := do(h, "POST", "/v1/verify", f.badge)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	r := decodeReport(t, rec)
	assert.Equal(t, verify.StatusVerified, r.Status)
	assert.True(t, r.Verified)
	assert.Equal(t, verify.StatusPassed, checkStatus(r, verify.CheckSignature))
	require.NotNil(t, r.Credential)
	assert.Equal(t, "urn:uuid:7d1c0b8e-2f3a-4c5d-8e9f-0a1b2c3d4e5f", r.Credential.ID)
	assert.NotEmpty(t, rec.Header().Get("X-Request-Id"))
	assert.Equal(t, strconv.Itoa(rec.Body.Len()), rec.Header().Get("Content-Length"), "the answer's length is announced")

	// A tampered badge is an answer too: 200 with a failed report.
	rec = do(h, "POST", "/v1/verify", f.tampered)
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Contains(t, rec.Body.String(), `"code":"bad_signature"`, "the reason is in the JSON for programs")
	r = decodeReport(t, rec)
	assert.Equal(t, verify.StatusFailed, r.Status)
	assert.Equal(t, verify.StatusFailed, checkStatus(r, verify.CheckSignature))
	assert.Equal(t, "bad_signature", r.Check(verify.CheckSignature).Code)

	lines := logs.lines(t)
	require.Len(t, lines, 2)
	for i, want := range []string{"verified", "failed"} {
		l := lines[i]
		assert.Equal(t, "/v1/verify", l["path"])
		assert.Equal(t, "POST", l["method"])
		assert.EqualValues(t, 200, l["status"])
		assert.Equal(t, want, l["verdict"])
		assert.NotEmpty(t, l["request_id"])
		assert.Contains(t, l, "duration")
	}
	assert.Equal(t, rec.Header().Get("X-Request-Id"), lines[1]["request_id"])
}

func TestRequestIDFromCaller(t *testing.T) {
	f := newFixture(t)
	h, _ := newHandler(t, f)
	req := httptest.NewRequest("GET", "/healthz", nil)
	req.Header.Set("X-Request-Id", "abc-123")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	assert.Equal(t, "abc-123", rec.Header().Get("X-Request-Id"))

	req.Header.Set("X-Request-Id", "bad id\u00e9<script>")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	assert.Regexp(t, `^[0-9a-f]{16}$`, rec.Header().Get("X-Request-Id"))
}

// badBodies are inputs that are not a document at all.
var badBodies = map[string]string{
	"empty":              "",
	"spaces":             "  \n\t ",
	"text":               "hello",
	"truncated":          `{"@context": ["https://www.w3.org/ns/credentials/v2"`,
	"array":              `[]`,
	"null":               `null`,
	"number":             `42`,
	"string":             `"a credential"`,
	"empty object":       `{}`,
	"duplicate keys":     `{"type":["VerifiableCredential"],"type":["VerifiableCredential"]}`,
	"invalid utf-8":      "{\"name\":\"\xff\xfe\"}",
	"lone surrogate":     `{"name":"\ud800"}`,
	"deep nesting":       strings.Repeat("[", 100000) + strings.Repeat("]", 100000),
	"deep objects":       strings.Repeat(`{"a":`, 5000) + "1" + strings.Repeat("}", 5000),
	"bom":                "\xef\xbb\xbf{}",
	"nul bytes":          "\x00\x00\x00",
	"presentation shell": `{"type":"VerifiablePresentation"}`,
	"presentation junk":  `{"type":["VerifiablePresentation"],"proof":{"challenge":42}}`,
	"proof not object":   `{"type":["VerifiablePresentation"],"proof":"x"}`,
	"credential shell":   `{"type":["VerifiableCredential"]}`,
	"huge number":        `{"validFrom":1e999999}`,
	"trailing garbage":   `{"type":["VerifiableCredential"]} xyz`,
}

func TestMalformedBodiesGet400AndAReport(t *testing.T) {
	f := newFixture(t)
	h, logs := newHandler(t, f)
	for name, body := range badBodies {
		t.Run(name, func(t *testing.T) {
			rec := do(h, "POST", "/v1/verify", []byte(body))
			require.Equal(t, http.StatusBadRequest, rec.Code, rec.Body.String())
			r := decodeReport(t, rec)
			assert.Equal(t, verify.StatusFailed, r.Status)
			assert.False(t, r.Verified)
			assert.Equal(t, verify.StatusFailed, checkStatus(r, verify.CheckFormat))
			assert.NotEmpty(t, checkMessage(r, verify.CheckFormat))
			assert.Equal(t, "malformed", r.Check(verify.CheckFormat).Code)
		})
	}
	assert.Zero(t, h.panics.Load(), "malformed input reached the panic handler")
	for _, l := range logs.lines(t) {
		assert.NotEqual(t, "ERROR", l["level"], "%v", l)
	}
}

func TestBadBodiesNeverPanicOrFail5xx(t *testing.T) {
	// Mutations of a genuine badge and a genuine presentation: whatever
	// they are, the answer is a Report with a 200 or a 400.
	f := newFixture(t)
	h, _ := newHandler(t, f)
	seeds := [][]byte{f.badge, f.present(t, "c", "jobs.example.kr")}
	n := 0
	for _, seed := range seeds {
		for i := 0; i < len(seed); i += 97 {
			for _, mut := range []func([]byte) []byte{
				func(b []byte) []byte { return b[:i] },
				func(b []byte) []byte { c := bytes.Clone(b); c[i] ^= 0x20; return c },
				func(b []byte) []byte { return append(append(bytes.Clone(b[:i]), '"'), b[i:]...) },
			} {
				body := mut(seed)
				rec := do(h, "POST", "/v1/verify", body)
				n++
				require.Contains(t, []int{200, 400}, rec.Code, "body %q", body)
				r := decodeReport(t, rec)
				if !bytes.Equal(body, seed) {
					assert.NotEqual(t, verify.StatusVerified, r.Status, "a changed document verified: %q", body)
				}
			}
		}
	}
	assert.Greater(t, n, 100)
	assert.Zero(t, h.panics.Load())
}

func TestOversizedBody(t *testing.T) {
	f := newFixture(t)
	h, _ := newHandler(t, f, WithMaxBodyBytes(int64(len(f.badge))), WithBatchLimits(10, int64(3*len(f.badge))))

	// Exactly at the limit is fine.
	rec := do(h, "POST", "/v1/verify", f.badge)
	require.Equal(t, http.StatusOK, rec.Code)

	big := append(bytes.Clone(f.badge), ' ')
	rec = do(h, "POST", "/v1/verify", big)
	require.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
	r := decodeReport(t, rec)
	assert.Equal(t, verify.StatusFailed, checkStatus(r, verify.CheckFormat))
	assert.Contains(t, checkMessage(r, verify.CheckFormat), "limit")

	// Without a Content-Length (chunked), the reader stops at the limit.
	req := httptest.NewRequest("POST", "/v1/verify", struct{ *bytes.Reader }{bytes.NewReader(big)})
	req.ContentLength = -1
	rec2 := httptest.NewRecorder()
	h.ServeHTTP(rec2, req)
	require.Equal(t, http.StatusRequestEntityTooLarge, rec2.Code)

	// A batch body over its own limit.
	batch := []byte("[" + strings.Repeat(string(f.badge)+",", 3) + string(f.badge) + "]")
	rec = do(h, "POST", "/v1/verify/batch", batch)
	require.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
}

func TestMethodsAndRoutes(t *testing.T) {
	f := newFixture(t)
	h, _ := newHandler(t, f)
	for _, tc := range []struct {
		method, path string
		code         int
	}{
		{"GET", "/v1/verify", http.StatusMethodNotAllowed},
		{"PUT", "/v1/verify/batch", http.StatusMethodNotAllowed},
		{"POST", "/v1/challenge", http.StatusMethodNotAllowed},
		{"POST", "/", http.StatusMethodNotAllowed},
		{"GET", "/nothing-here", http.StatusNotFound},
		{"GET", "/v1/demo/badges", http.StatusNotFound}, // no demo configured
		{"GET", "/healthz", http.StatusOK},
		{"HEAD", "/healthz", http.StatusOK},
	} {
		rec := do(h, tc.method, tc.path, nil)
		assert.Equal(t, tc.code, rec.Code, "%s %s", tc.method, tc.path)
	}
	rec := do(h, "GET", "/healthz", nil)
	assert.JSONEq(t, `{"status":"ok"}`, rec.Body.String())
	assert.Contains(t, do(h, "GET", "/v1/verify", nil).Header().Get("Allow"), "POST")
}

func TestBatch(t *testing.T) {
	f := newFixture(t)
	h, logs := newHandler(t, f, WithBatchLimits(3, DefaultMaxBatchBytes))
	body, err := json.Marshal([]json.RawMessage{f.badge, f.tampered, json.RawMessage(`{"type":["VerifiableCredential"]}`)})
	require.NoError(t, err)
	rec := do(h, "POST", "/v1/verify/batch", body)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var reports []*verify.Report
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &reports))
	require.Len(t, reports, 3)
	assert.Equal(t, verify.StatusVerified, reports[0].Status)
	assert.Equal(t, verify.StatusFailed, reports[1].Status)
	assert.Equal(t, verify.StatusFailed, checkStatus(reports[1], verify.CheckSignature))
	assert.Equal(t, verify.StatusFailed, checkStatus(reports[2], verify.CheckFormat))
	assert.Contains(t, logs.lines(t)[0]["verdict"], "1 verified, 2 failed")

	for name, tc := range map[string]struct {
		body string
		code int
	}{
		"not an array": {`{"a":1}`, 400},
		"empty":        {`[]`, 400},
		"garbage":      {`[1,2`, 400},
		"null":         {`null`, 400},
		"too many":     {`[{},{},{},{}]`, 413},
	} {
		rec := do(h, "POST", "/v1/verify/batch", []byte(tc.body))
		require.Equal(t, tc.code, rec.Code, name)
		r := decodeReport(t, rec)
		assert.Equal(t, verify.StatusFailed, checkStatus(r, verify.CheckFormat), name)
	}

	// A document over the per-document limit fails alone.
	var compact bytes.Buffer
	require.NoError(t, json.Compact(&compact, f.badge))
	h2, _ := newHandler(t, f, WithMaxBodyBytes(int64(compact.Len()+5)))
	body, _ = json.Marshal([]json.RawMessage{f.badge, json.RawMessage(strings.TrimSuffix(strings.TrimSpace(string(f.badge)), "}") + `,"x":"` + strings.Repeat("y", 10) + `"}`)})
	rec = do(h2, "POST", "/v1/verify/batch", body)
	require.Equal(t, http.StatusOK, rec.Code)
	reports = nil
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &reports))
	assert.Equal(t, verify.StatusVerified, reports[0].Status)
	assert.Contains(t, checkMessage(reports[1], verify.CheckFormat), "limit")
}

func getChallenge(t *testing.T, h http.Handler) challengeResponse {
	t.Helper()
	rec := do(h, "GET", "/v1/challenge", nil)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
	var c challengeResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &c))
	require.NotEmpty(t, c.Challenge)
	return c
}

func TestChallengeSingleUseAndExpiring(t *testing.T) {
	f := newFixture(t)
	clk := &fakeClock{now: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)}
	h, _ := newHandler(t, f, WithClock(clk.Now), WithChallenges(time.Minute, 100))

	c := getChallenge(t, h)
	assert.Equal(t, "jobs.example.kr", c.Domain)
	assert.Equal(t, "2026-05-01T09:01:00Z", c.Expires)
	assert.NotEqual(t, c.Challenge, getChallenge(t, h).Challenge, "challenges repeat")

	vp := f.present(t, c.Challenge, c.Domain)
	rec := do(h, "POST", "/v1/verify", vp)
	require.Equal(t, http.StatusOK, rec.Code)
	r := decodeReport(t, rec)
	require.Equal(t, verify.StatusVerified, r.Status, "%+v", r.Checks)
	assert.Equal(t, verify.StatusPassed, checkStatus(r, verify.CheckHolder))
	require.Len(t, r.Credentials, 1)

	// The same presentation again: a replay.
	r = decodeReport(t, do(h, "POST", "/v1/verify", vp))
	assert.Equal(t, verify.StatusFailed, r.Status)
	assert.Equal(t, verify.StatusFailed, checkStatus(r, verify.CheckHolder))
	assert.Contains(t, checkMessage(r, verify.CheckHolder), "already used")

	// Expired: used one second after its minute.
	c = getChallenge(t, h)
	clk.Add(time.Minute + time.Second)
	r = decodeReport(t, do(h, "POST", "/v1/verify", f.present(t, c.Challenge, c.Domain)))
	assert.Equal(t, verify.StatusFailed, r.Status)
	assert.Contains(t, checkMessage(r, verify.CheckHolder), "expired")

	// Just before expiry it is fine.
	c = getChallenge(t, h)
	clk.Add(time.Minute - time.Second)
	r = decodeReport(t, do(h, "POST", "/v1/verify", f.present(t, c.Challenge, c.Domain)))
	assert.Equal(t, verify.StatusVerified, r.Status)

	// A challenge this verifier never issued.
	r = decodeReport(t, do(h, "POST", "/v1/verify", f.present(t, "made-up", "jobs.example.kr")))
	assert.Equal(t, verify.StatusFailed, r.Status)
	assert.Contains(t, checkMessage(r, verify.CheckHolder), "not issued")

	// The right challenge for another domain.
	c = getChallenge(t, h)
	r = decodeReport(t, do(h, "POST", "/v1/verify", f.present(t, c.Challenge, "evil.example")))
	assert.Equal(t, verify.StatusFailed, r.Status)
	assert.Equal(t, verify.StatusFailed, checkStatus(r, verify.CheckHolder))

	// A forged presentation carrying someone's challenge does not use it
	// up: the genuine holder can still present with it.
	c = getChallenge(t, h)
	genuine := f.present(t, c.Challenge, c.Domain)
	forged := bytes.Replace(genuine, []byte(`"proofValue": "z`), []byte(`"proofValue": "z1`), 1)
	require.NotEqual(t, genuine, forged)
	r = decodeReport(t, do(h, "POST", "/v1/verify", forged))
	assert.Equal(t, verify.StatusFailed, r.Status)
	r = decodeReport(t, do(h, "POST", "/v1/verify", genuine))
	assert.Equal(t, verify.StatusVerified, r.Status, "%+v", r.Checks)
}

// A flood of GET /v1/challenge (issue 11: 100,000 in 15 s made every
// caller get 503 for five minutes) costs the handler no memory and denies
// nobody: challenges are stateless until used. Only used challenges are
// recorded, at most the configured number at once.
func TestChallengeFlood(t *testing.T) {
	f := newFixture(t)
	clk := &fakeClock{now: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)}
	h, _ := newHandler(t, f, WithClock(clk.Now), WithChallenges(time.Minute, 2))
	for i := 0; i < 20000; i++ {
		if code := do(h, "GET", "/v1/challenge", nil).Code; code != http.StatusOK {
			t.Fatalf("challenge %d: HTTP %d", i, code)
		}
	}
	require.Zero(t, h.challenges.recorded(), "records kept for unused challenges")
	// Another client is served, and its challenge works once.
	for i := 0; i < 2; i++ {
		c := getChallenge(t, h)
		r := decodeReport(t, do(h, "POST", "/v1/verify", f.present(t, c.Challenge, c.Domain)))
		require.Equal(t, verify.StatusVerified, r.Status, "%+v", r.Checks)
	}
	// Two used and unexpired: a third is refused until they expire.
	c := getChallenge(t, h)
	r := decodeReport(t, do(h, "POST", "/v1/verify", f.present(t, c.Challenge, c.Domain)))
	assert.Equal(t, verify.StatusFailed, r.Status)
	assert.Contains(t, checkMessage(r, verify.CheckHolder), "too many challenges in use")
	clk.Add(2 * time.Minute)
	c = getChallenge(t, h)
	r = decodeReport(t, do(h, "POST", "/v1/verify", f.present(t, c.Challenge, c.Domain)))
	assert.Equal(t, verify.StatusVerified, r.Status)
	// A forged challenge (right shape, wrong MAC) is not accepted.
	forged := []byte(c.Challenge)
	forged[len(forged)-2] ^= 1
	r = decodeReport(t, do(h, "POST", "/v1/verify", f.present(t, string(forged), c.Domain)))
	assert.Contains(t, checkMessage(r, verify.CheckHolder), "not issued")
}

func TestPage(t *testing.T) {
	f := newFixture(t)
	h, _ := newHandler(t, f)
	rec := do(h, "GET", "/", nil)
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"))
	body := rec.Body.String()
	assert.Contains(t, body, `<meta name="viewport" content="width=device-width, initial-scale=1">`)
	for _, ko := range []string{"형식", "서명", "머클 증명", "앵커", "발급기관", "폐기 여부", "유효기간", "소지자", "검증됨", "실패", "판단 불가", "통과", "해당 없음"} {
		assert.Contains(t, body, ko)
	}
	// No external assets: nothing is loaded from another origin.
	assert.NotRegexp(t, `(?i)(src|href)\s*=\s*["']?(https?:)?//`, body)
	assert.NotRegexp(t, `(?i)@import|url\(`, body)

	// The CSP allows exactly the inline script and style by hash.
	csp := rec.Header().Get("Content-Security-Policy")
	for _, re := range []string{`(?s)<script>(.*?)</script>`, `(?s)<style>(.*?)</style>`} {
		m := regexp.MustCompile(re).FindStringSubmatch(body)
		require.NotNil(t, m)
		sum := sha256.Sum256([]byte(m[1]))
		assert.Contains(t, csp, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	}
	assert.Contains(t, csp, "default-src 'none'")
	assert.NotContains(t, csp, "unsafe-inline")
	assert.NotContains(t, body, "style=\"", "inline style attributes are blocked by the CSP")
}

func TestDemoBadges(t *testing.T) {
	f := newFixture(t)
	demos := []DemoBadge{{Name: "good", Title: "좋은 배지", Description: "genuine", Expect: "verified", Data: f.badge},
		{Name: "bad", Title: "나쁜 배지", Description: "tampered", Expect: "failed", Data: f.tampered}}
	h, _ := newHandler(t, f, WithDemoBadges(demos))
	rec := do(h, "GET", "/v1/demo/badges", nil)
	require.Equal(t, http.StatusOK, rec.Code)
	var list []struct{ Name, Title, Description, Expect, URL string }
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &list))
	require.Len(t, list, 2)
	for i, d := range list {
		assert.Equal(t, demos[i].Name, d.Name)
		assert.Equal(t, "/v1/demo/badges/"+d.Name, d.URL)
		got := do(h, "GET", d.URL, nil)
		require.Equal(t, http.StatusOK, got.Code)
		r := decodeReport(t, do(h, "POST", "/v1/verify", got.Body.Bytes()))
		assert.EqualValues(t, d.Expect, r.Status)
	}
	assert.Equal(t, http.StatusNotFound, do(h, "GET", "/v1/demo/badges/nope", nil).Code)
}

func TestOptionsValidated(t *testing.T) {
	f := newFixture(t)
	for name, o := range map[string]Option{
		"empty domain":   WithDomain(""),
		"nil logger":     WithLogger(nil),
		"nil clock":      WithClock(nil),
		"zero ttl":       WithChallenges(0, 1),
		"zero count":     WithChallenges(time.Minute, 0),
		"zero body":      WithMaxBodyBytes(0),
		"zero batch":     WithBatchLimits(0, 1),
		"zero timeout":   WithVerifyTimeout(0),
		"bad demo name":  WithDemoBadges([]DemoBadge{{Name: "../x"}}),
		"twice the name": WithDemoBadges([]DemoBadge{{Name: "a"}, {Name: "a"}}),
		"batch < body":   WithBatchLimits(10, 10),
	} {
		_, err := NewHandler(f.verifier, o)
		assert.Error(t, err, name)
	}
	_, err := NewHandler(nil)
	assert.Error(t, err)
}

func TestRecoverIsForBugs(t *testing.T) {
	f := newFixture(t)
	h, logs := newHandler(t, f)
	bug := h.logged(h.recovered(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("bug") })))
	rec := do(bug, "GET", "/", nil)
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.JSONEq(t, `{"error":"internal error"}`, rec.Body.String())
	assert.EqualValues(t, 1, h.panics.Load())
	var sawStack bool
	for _, l := range logs.lines(t) {
		if l["msg"] == "panic serving request" {
			sawStack = strings.Contains(fmt.Sprint(l["stack"]), "handler_test.go")
		}
	}
	assert.True(t, sawStack, "the panic log carries the stack")
}
