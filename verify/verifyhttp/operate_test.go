package verifyhttp

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/verify"
)

// i18n is page_i18n.json.
type i18n struct {
	Checks  map[string][2]string                       `json:"checks"`
	Status  map[string][2]string                       `json:"status"`
	Banners map[string][2]string                       `json:"banners"`
	Explain map[string]map[string]map[string][2]string `json:"explain"`
	Present map[string]map[string]map[string][2]string `json:"presentation"`
	UI      map[string][2]string                       `json:"ui"`
}

func loadI18N(t *testing.T) *i18n {
	t.Helper()
	var p i18n
	require.NoError(t, json.Unmarshal(pageI18N, &p))
	return &p
}

// verifyCodes reads the code table of verify/report.go: code and status.
func verifyCodes(t *testing.T) map[string]string {
	t.Helper()
	src, err := os.ReadFile("../report.go")
	require.NoError(t, err)
	codes := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^//\t([a-z_]+)\s+Err\w+\s+(failed|indeterminate)\s`).FindAllStringSubmatch(string(src), -1) {
		codes[m[1]] = m[2]
	}
	require.GreaterOrEqual(t, len(codes), 34, "the code table of verify/report.go was not found")
	return codes
}

// verifyReasons reads the reason table of verify/report.go: each reason of
// a skipped check and the checks it is given on.
func verifyReasons(t *testing.T) map[string][]string {
	t.Helper()
	src, err := os.ReadFile("../report.go")
	require.NoError(t, err)
	reasons := map[string][]string{}
	for _, m := range regexp.MustCompile(`(?m)^//\t([a-z_]+)\s+([a-z]+(?:, [a-z]+)*)\s{2,}\S`).FindAllStringSubmatch(string(src), -1) {
		if m[1] == "reason" || m[1] == "code" {
			continue
		}
		reasons[m[1]] = strings.Split(m[2], ", ")
	}
	require.GreaterOrEqual(t, len(reasons), 8, "the reason table of verify/report.go was not found")
	for r, checks := range reasons {
		for _, c := range checks {
			require.True(t, slices.Contains(verify.Checks(), verify.CheckID(c)), "reason %s names check %q", r, c)
		}
	}
	return reasons
}

// TestPageExplainsEveryCode: every code of verify's table has a Korean and
// an English explanation for the status it comes with, under some check
// or for every check ("*"); every check has one for passed, and a generic
// one exists for every status, so no row is ever left unexplained.
func TestPageExplainsEveryCode(t *testing.T) {
	p := loadI18N(t)
	for code, status := range verifyCodes(t) {
		found := false
		for check, byStatus := range p.Explain {
			if pair, ok := byStatus[status][code]; ok {
				found = true
				assert.NotEmpty(t, pair[0], "%s/%s/%s in Korean", check, status, code)
				assert.NotEmpty(t, pair[1], "%s/%s/%s in English", check, status, code)
			}
		}
		assert.True(t, found, "no explanation of code %s (%s)", code, status)
	}
	for _, id := range verify.Checks() {
		assert.NotEmpty(t, p.Checks[string(id)][0], "name of %s in Korean", id)
		assert.NotEmpty(t, p.Checks[string(id)][1], "name of %s in English", id)
		assert.NotEmpty(t, p.Explain[string(id)]["passed"][""][1], "%s passed", id)
	}
	for _, st := range []string{"failed", "indeterminate", "skipped"} {
		assert.NotEmpty(t, p.Explain["*"][st][""][0], "a generic %s explanation", st)
	}
	for _, st := range []string{"verified", "failed", "indeterminate", "passed", "skipped"} {
		assert.NotEmpty(t, p.Status[st][1], st)
	}
	// Each state of a badge and of a presentation has its own banner.
	for _, b := range []string{"verified", "tampered", "untrusted", "revoked", "suspended", "expired", "not_yet_valid", "failed", "indeterminate",
		"presentation_verified", "presentation_binding", "presentation_signature", "presentation_holder", "presentation_badge",
		"presentation_failed", "presentation_indeterminate"} {
		assert.NotEmpty(t, p.Banners[b][0], "banner %s in Korean", b)
		assert.NotEmpty(t, p.Banners[b][1], "banner %s in English", b)
		assert.Contains(t, string(pageHTML), `"`+b+`"`, "the page chooses banner %s somewhere", b)
	}
	// Every reason of a skipped check, on each check it is given on.
	for reason, checks := range verifyReasons(t) {
		for _, check := range checks {
			pair := p.Explain[check]["skipped"][reason]
			assert.NotEmpty(t, pair[0], "skipped %s, reason %s, in Korean", check, reason)
			assert.NotEmpty(t, pair[1], "skipped %s, reason %s, in English", check, reason)
		}
	}
	assert.Contains(t, string(pageHTML), "c.reason", "the page explains a skipped check by its reason")
	// A report without reasons still has its skipped anchor explained.
	for _, key := range []string{"", "not_looked_up", "test_anchor"} {
		assert.NotEmpty(t, p.Explain["anchor"]["skipped"][key][1], "skipped anchor %q", key)
		assert.Contains(t, string(pageHTML), `"`+key+`"`)
	}
	// A presentation's signature is the holder's, never the issuer's.
	assert.NotContains(t, p.Present["signature"]["passed"][""][1], "issuer")
	assert.Contains(t, p.Present["signature"]["passed"][""][1], "holder")
}

// TestPageTextsAreInThePage: the page carries the texts (one request, one
// script hash) and nothing in them can end its script element.
func TestPageTextsAreInThePage(t *testing.T) {
	assert.Contains(t, string(pageHTML), "/*I18N*/null;\n", "the marker is in page.html")
	assert.Contains(t, string(page), `const I18N = {"checks":`)
	assert.NotContains(t, string(page), "/*I18N*/")
}

// luminance is the WCAG relative luminance of #rrggbb.
func luminance(t *testing.T, hex string) float64 {
	t.Helper()
	require.Regexp(t, `^#[0-9a-fA-F]{6}$`, hex)
	var l [3]float64
	for i := range l {
		v, err := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		require.NoError(t, err)
		c := float64(v) / 255
		if c <= 0.03928 {
			l[i] = c / 12.92
		} else {
			l[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
}

func contrast(t *testing.T, a, b string) float64 {
	la, lb := luminance(t, a), luminance(t, b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// TestPageContrast: every pair of text and background colours the page
// uses reaches the WCAG AA ratio of 4.5:1.
func TestPageContrast(t *testing.T) {
	m := regexp.MustCompile(`:root\{([^}]*)\}`).FindStringSubmatch(string(pageHTML))
	require.NotNil(t, m)
	vars := map[string]string{"white": "#ffffff"}
	for _, decl := range strings.Split(m[1], ";") {
		name, val, ok := strings.Cut(decl, ":")
		if ok {
			val = strings.TrimSpace(val)
			if len(val) == 4 { // #fff
				val = "#" + strings.Repeat(val[1:2], 2) + strings.Repeat(val[2:3], 2) + strings.Repeat(val[3:4], 2)
			}
			vars[strings.TrimPrefix(strings.TrimSpace(name), "--")] = val
		}
	}
	for _, pair := range [][2]string{
		{"ink", "bg"}, {"ink", "card"}, {"muted", "card"}, {"muted", "bg"}, {"muted", "skipbg"},
		{"ok", "okbg"}, {"bad", "badbg"}, {"unk", "unkbg"}, {"skip", "skipbg"},
		{"headink", "head"}, {"headmuted", "head"}, {"white", "accent"}, {"accent", "card"}, {"bad", "card"},
	} {
		r := contrast(t, vars[pair[0]], vars[pair[1]])
		assert.GreaterOrEqual(t, r, 4.5, "%s on %s: %.2f:1", pair[0], pair[1], r)
	}
}

func TestCORS(t *testing.T) {
	f := newFixture(t)
	preflight := func(h http.Handler, origin string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodOptions, "/v1/verify", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "content-type")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	post := func(h http.Handler, origin string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/v1/verify", strings.NewReader(string(f.badge)))
		req.Header.Set("Origin", origin)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}

	// By default no other origin is allowed.
	h, _ := newHandler(t, f)
	rec := post(h, "https://jobs.example.kr")
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Empty(t, rec.Header().Get("Access-Control-Allow-Origin"))

	h, _ = newHandler(t, f, WithCORSOrigins("https://jobs.example.kr"))
	rec = preflight(h, "https://jobs.example.kr")
	assert.Equal(t, http.StatusNoContent, rec.Code)
	assert.Equal(t, "https://jobs.example.kr", rec.Header().Get("Access-Control-Allow-Origin"))
	assert.Contains(t, rec.Header().Get("Access-Control-Allow-Methods"), "POST")
	assert.Contains(t, rec.Header().Get("Access-Control-Allow-Headers"), "Content-Type")
	assert.Contains(t, rec.Header().Values("Vary"), "Origin")
	rec = post(h, "https://jobs.example.kr")
	assert.Equal(t, "https://jobs.example.kr", rec.Header().Get("Access-Control-Allow-Origin"))
	assert.Equal(t, verify.StatusVerified, decodeReport(t, rec).Status)
	// Another origin gets no permission, in the preflight or after.
	rec = preflight(h, "https://evil.example")
	assert.Empty(t, rec.Header().Get("Access-Control-Allow-Origin"))
	assert.Empty(t, rec.Header().Get("Access-Control-Allow-Methods"))
	assert.Empty(t, post(h, "https://evil.example").Header().Get("Access-Control-Allow-Origin"))

	h, _ = newHandler(t, f, WithCORSOrigins("*"))
	assert.Equal(t, "*", post(h, "https://anyone.example").Header().Get("Access-Control-Allow-Origin"))

	for _, bad := range []string{"jobs.example.kr", "https://jobs.example.kr/path", "ftp://x.example", "https://a.example, https://b.example", ""} {
		_, err := NewHandler(f.verifier, WithCORSOrigins(bad))
		assert.Error(t, err, "%q", bad)
	}
}

func TestFrameAncestors(t *testing.T) {
	f := newFixture(t)
	h, _ := newHandler(t, f)
	rec := do(h, "GET", "/", nil)
	assert.Contains(t, rec.Header().Get("Content-Security-Policy"), "frame-ancestors 'none'")
	assert.Equal(t, "DENY", rec.Header().Get("X-Frame-Options"))

	h, _ = newHandler(t, f, WithFrameAncestors("'self'", "https://jobs.example.kr", "https://*.saramin.example"))
	rec = do(h, "GET", "/", nil)
	csp := rec.Header().Get("Content-Security-Policy")
	assert.Contains(t, csp, "frame-ancestors 'self' https://jobs.example.kr https://*.saramin.example")
	assert.NotContains(t, csp, "frame-ancestors 'none'")
	assert.Empty(t, rec.Header().Get("X-Frame-Options"), "X-Frame-Options would forbid what frame-ancestors allows")

	for _, bad := range [][]string{nil, {"*"}, {"https://a.example; script-src *"}, {"'unsafe-inline'"}, {"https://a.example/x"}} {
		_, err := NewHandler(f.verifier, WithFrameAncestors(bad...))
		assert.Error(t, err, "%q", bad)
	}
}

func TestFavicon(t *testing.T) {
	f := newFixture(t)
	h, _ := newHandler(t, f)
	for _, path := range []string{"/favicon.svg", "/favicon.ico"} {
		rec := do(h, "GET", path, nil)
		require.Equal(t, http.StatusOK, rec.Code, path)
		assert.Equal(t, "image/svg+xml", rec.Header().Get("Content-Type"))
		assert.True(t, strings.HasPrefix(rec.Body.String(), "<svg "), path)
	}
	assert.Contains(t, do(h, "GET", "/", nil).Body.String(), `<link rel="icon" href="/favicon.svg"`)
}

func TestReadiness(t *testing.T) {
	f := newFixture(t)
	h, _ := newHandler(t, f)
	assert.Equal(t, http.StatusOK, do(h, "GET", "/readyz", nil).Code)

	var down error
	h, _ = newHandler(t, f, WithReadiness(func(ctx context.Context) error { return down }))
	assert.Equal(t, http.StatusOK, do(h, "GET", "/readyz", nil).Code)
	down = errors.New("shutting down")
	rec := do(h, "GET", "/readyz", nil)
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.Contains(t, rec.Body.String(), "shutting down")
	assert.Equal(t, http.StatusOK, do(h, "GET", "/healthz", nil).Code, "liveness is apart from readiness")

	_, err := NewHandler(f.verifier, WithReadiness(nil))
	assert.Error(t, err)
}

func TestMetrics(t *testing.T) {
	f := newFixture(t)
	reg := prometheus.NewRegistry()
	h, _ := newHandler(t, f, WithMetrics(reg))
	require.Equal(t, http.StatusOK, do(h, "POST", "/v1/verify", f.badge).Code)
	require.Equal(t, http.StatusOK, do(h, "POST", "/v1/verify", f.tampered).Code)
	batch, _ := json.Marshal([]json.RawMessage{f.badge, f.badge})
	require.Equal(t, http.StatusOK, do(h, "POST", "/v1/verify/batch", batch).Code)
	do(h, "GET", "/no/such/path", nil)

	m := h.cfg.metrics
	assert.Equal(t, 3.0, testutil.ToFloat64(m.verifications.WithLabelValues("verified")))
	assert.Equal(t, 1.0, testutil.ToFloat64(m.verifications.WithLabelValues("failed")))
	assert.Equal(t, 0.0, testutil.ToFloat64(m.verifications.WithLabelValues("indeterminate")))
	assert.Equal(t, 1.0, testutil.ToFloat64(m.checks.WithLabelValues("signature", "failed", "bad_signature")))
	assert.Equal(t, 3.0, testutil.ToFloat64(m.checks.WithLabelValues("signature", "passed", "")))
	assert.Equal(t, 2.0, testutil.ToFloat64(m.requests.WithLabelValues("POST /v1/verify", "200")))
	assert.Equal(t, 1.0, testutil.ToFloat64(m.requests.WithLabelValues("POST /v1/verify/batch", "200")))
	assert.Equal(t, 1.0, testutil.ToFloat64(m.requests.WithLabelValues("unmatched", "404")), "a client's path never becomes a label")
	assert.Equal(t, 2, testutil.CollectAndCount(m.duration), "one latency series per endpoint")

	// The exposition has them by name.
	n, err := testutil.GatherAndCount(reg, "badgeproof_verifications_total", "badgeproof_checks_total",
		"badgeproof_verification_duration_seconds", "badgeproof_http_requests_total", "badgeproof_http_request_duration_seconds")
	require.NoError(t, err)
	assert.Greater(t, n, 10)
	// The Verifier's cache counters, hit and miss of each cache, read at
	// each scrape.
	n, err = testutil.GatherAndCount(reg, "badgeproof_cache_requests_total")
	require.NoError(t, err)
	assert.Equal(t, 6, n, "anchors, status_lists and key_documents, each hit and miss")

	// The same registry cannot take a second handler's metrics.
	_, err = NewHandler(f.verifier, WithMetrics(reg))
	assert.Error(t, err)
	_, err = NewHandler(f.verifier, WithMetrics(nil))
	assert.Error(t, err)
}

// TestDemoPresentation: a presentation sample is signed on request for a
// fresh challenge of the handler, so it verifies once; a replay of it fails
// only the binding, and the badge inside stays verified.
func TestDemoPresentation(t *testing.T) {
	f := newFixture(t)
	var domains []string
	sample := DemoBadge{Name: "presentation", Title: "프레젠테이션", Expect: "verified", Present: func(challenge, domain string) ([]byte, error) {
		domains = append(domains, domain)
		return f.present(t, challenge, domain), nil
	}}
	h, _ := newHandler(t, f, WithDemoBadges([]DemoBadge{sample}))
	rec := do(h, "GET", "/v1/demo/badges/presentation", nil)
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
	assert.Equal(t, []string{"jobs.example.kr"}, domains)
	vp := rec.Body.Bytes()

	r := decodeReport(t, do(h, "POST", "/v1/verify", vp))
	assert.Equal(t, verify.StatusVerified, r.Status, "%+v", r.Checks)

	r = decodeReport(t, do(h, "POST", "/v1/verify", vp))
	assert.Equal(t, verify.StatusFailed, r.Status)
	assert.Equal(t, "challenge_mismatch", r.Check(verify.CheckHolder).Code)
	assert.Equal(t, verify.StatusPassed, r.Check(verify.CheckSignature).Status)
	require.Len(t, r.Credentials, 1)
	assert.Equal(t, verify.StatusVerified, r.Credentials[0].Status, "only the binding failed: %+v", r.Credentials[0].Checks)

	// A second request gets another challenge.
	rec2 := do(h, "GET", "/v1/demo/badges/presentation", nil)
	assert.NotEqual(t, string(vp), rec2.Body.String())
}

// TestLogsCarryNoBadgeContents: the request log says what was asked and
// the verdict, never what a badge says or who it names.
func TestLogsCarryNoBadgeContents(t *testing.T) {
	f := newFixture(t)
	h, logs := newHandler(t, f)
	require.Equal(t, http.StatusOK, do(h, "POST", "/v1/verify", f.badge).Code)
	require.Equal(t, http.StatusOK, do(h, "POST", "/v1/verify", f.tampered).Code)
	lines := logs.lines(t)
	require.Len(t, lines, 2)
	assert.Equal(t, "verified", lines[0]["verdict"])
	assert.Equal(t, "failed", lines[1]["verdict"])
	var all strings.Builder
	for _, l := range lines {
		b, _ := json.Marshal(l)
		all.Write(b)
	}
	for _, secret := range []string{"김지원", "Kim Ji-won", "25201001234A", "25201009999A", f.holder.DID(), "urn:uuid:7d1c0b8e", "정보처리"} {
		assert.NotContains(t, all.String(), secret)
	}
}

// TestPageKeyboard: every control is a native button or input a keyboard
// reaches (the file input is hidden by opacity, not display:none), focus is
// drawn, and the language switch says which language is on.
func TestPageKeyboard(t *testing.T) {
	html := string(pageHTML)
	assert.NotRegexp(t, `\.file input\{[^}]*display:\s*none`, html)
	assert.Contains(t, html, ":focus-visible{outline:3px solid var(--focus)")
	assert.Contains(t, html, ".file:focus-within")
	assert.NotRegexp(t, `<(div|span|li)[^>]*\bonclick=`, html)
	assert.Contains(t, html, `setAttribute("aria-pressed"`)
	assert.Regexp(t, `<div id="lang" role="group" aria-label="[^"]+">`, html)
	assert.Contains(t, html, `<section id="result-section" aria-live="polite">`)
}
