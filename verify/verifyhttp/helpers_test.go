package verifyhttp

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/badgeproof/badgeproof/verify"
	"github.com/stretchr/testify/require"
)

// fixture is a verifier trusting one issuer, a badge it issued to a holder,
// and the holder's signer for presentations.
type fixture struct {
	issuer, holder *issuer.Signer
	badge          []byte
	tampered       []byte
	verifier       *verify.Verifier
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	signer := func() *issuer.Signer {
		k, err := keys.Generate(keys.Ed25519)
		require.NoError(t, err)
		s, err := issuer.NewSigner(k)
		require.NoError(t, err)
		return s
	}
	f := &fixture{issuer: signer(), holder: signer()}
	c, err := badge.NationalQualification{
		Common: badge.Common{ID: "urn:uuid:7d1c0b8e-2f3a-4c5d-8e9f-0a1b2c3d4e5f", Issuer: badge.Profile{ID: f.issuer.DID(), Name: badge.AgencyHRDKorea()},
			HolderID: f.holder.DID(), HolderName: badge.NewText("김지원", "Kim Ji-won"), ValidFrom: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)},
		ItemCode: "1320", ItemName: "정보처리", ItemNameEn: "Information Processing", Grade: "기사", GradeEn: "Engineer",
		LicenceNumber: "25201001234A",
	}.Credential()
	require.NoError(t, err)
	f.badge, err = f.issuer.SignCredential(c)
	require.NoError(t, err)
	f.tampered = bytes.Replace(f.badge, []byte("25201001234A"), []byte("25201009999A"), 1)
	require.NotEqual(t, f.badge, f.tampered)
	f.verifier, err = verify.New(verify.WithTrustedKey(f.issuer.DID()))
	require.NoError(t, err)
	return f
}

// present signs a presentation of the badge bound to challenge and domain.
func (f *fixture) present(t testing.TB, challenge, domain string) []byte {
	t.Helper()
	doc, err := json.Marshal(map[string]any{
		"@context": []string{badge.ContextV2}, "type": []string{"VerifiablePresentation"},
		"holder": f.holder.DID(), "verifiableCredential": []json.RawMessage{f.badge},
	})
	require.NoError(t, err)
	p, err := badge.ParsePresentation(doc, badge.Limits{})
	require.NoError(t, err)
	b, err := f.holder.SignPresentation(p, challenge, domain)
	require.NoError(t, err)
	return b
}

// logBuffer collects JSON log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) lines(t testing.TB) []map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	dec := json.NewDecoder(bytes.NewReader(l.buf.Bytes()))
	for dec.More() {
		var m map[string]any
		require.NoError(t, dec.Decode(&m))
		out = append(out, m)
	}
	return out
}

func newHandler(t testing.TB, f *fixture, opts ...Option) (*Handler, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	h, err := NewHandler(f.verifier, append([]Option{WithLogger(slog.New(slog.NewJSONHandler(logs, nil))), WithDomain("jobs.example.kr")}, opts...)...)
	require.NoError(t, err)
	return h, logs
}

// do sends one request through h.
func do(h http.Handler, method, path string, body []byte) *httptest.ResponseRecorder {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func decodeReport(t testing.TB, rec *httptest.ResponseRecorder) *verify.Report {
	t.Helper()
	require.Equal(t, "application/json; charset=utf-8", rec.Header().Get("Content-Type"))
	var r verify.Report
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &r), rec.Body.String())
	return &r
}

func checkStatus(r *verify.Report, id verify.CheckID) verify.Status {
	for _, c := range r.Checks {
		if c.ID == id {
			return c.Status
		}
	}
	return ""
}

func checkMessage(r *verify.Report, id verify.CheckID) string {
	for _, c := range r.Checks {
		if c.ID == id {
			return c.Message
		}
	}
	return ""
}

// fakeClock is a settable clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}
