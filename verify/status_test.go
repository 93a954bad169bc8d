package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/fetch"
	"github.com/badgeproof/badgeproof/internal/statuslist"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
)

// slServer serves one issuer's status list directory over loopback HTTP and
// counts the requests.
type slServer struct {
	ti   *testIssuer
	dir  string
	url  string
	hits atomic.Int64
	srv  *httptest.Server
}

func newSLServer(t *testing.T, ti *testIssuer) *slServer {
	t.Helper()
	s := &slServer{ti: ti, dir: t.TempDir()}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		b, err := os.ReadFile(filepath.Join(s.dir, issuer.StatusListFile))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/vc+ld+json")
		w.Write(b)
	}))
	t.Cleanup(s.srv.Close)
	s.url = s.srv.URL + "/status/1"
	return s
}

// open opens the server's status list with the given purpose.
func (s *slServer) open(t *testing.T, purpose string) *issuer.StatusList {
	t.Helper()
	l, err := issuer.OpenStatusList(s.dir, s.ti.signer, issuer.StatusListConfig{URL: s.url, Purpose: purpose})
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	return l
}

// issue makes n signed badges with entries in l and publishes l.
func (s *slServer) issue(t *testing.T, l *issuer.StatusList, n int) [][]byte {
	t.Helper()
	out := make([][]byte, n)
	for i := range out {
		c, err := l.AddEntry(s.ti.qualification(t, fmt.Sprintf("urn:uuid:5a7e0000-0000-4000-8000-%012d", i), "did:key:z6MkholderStatus"))
		require.NoError(t, err)
		out[i] = s.ti.sign(t, c)
	}
	_, err := l.Publish()
	require.NoError(t, err)
	return out
}

func (s *slServer) verifier(t *testing.T, opts ...Option) *Verifier {
	return newVerifier(t, append([]Option{WithTrustedKey(s.ti.did()), WithAllowLoopback()}, opts...)...)
}

func TestStatusRevocation(t *testing.T) {
	s := newSLServer(t, newTestIssuer(t, keys.Ed25519))
	l := s.open(t, "")
	badges := s.issue(t, l, 3)
	ctx := context.Background()

	for _, b := range badges {
		r := s.verifier(t).Verify(ctx, b, Binding{})
		require.Equal(t, StatusVerified, r.Status, "%+v", r.Checks)
		require.Contains(t, requireCheck(t, r, CheckStatus, StatusPassed).Message, "not revoked")
	}

	_, err := l.Set("urn:uuid:5a7e0000-0000-4000-8000-000000000001", true)
	require.NoError(t, err)
	_, err = l.Publish()
	require.NoError(t, err)

	v := s.verifier(t)
	for i, b := range badges {
		r := v.Verify(ctx, b, Binding{})
		if i != 1 {
			require.Equal(t, StatusVerified, r.Status, "badge %d: %+v", i, r.Checks)
			continue
		}
		require.Equal(t, StatusFailed, r.Status)
		c := requireCheck(t, r, CheckStatus, StatusFailed)
		require.ErrorIs(t, c.Err, ErrRevoked)
		require.ErrorIs(t, r.Err(), ErrRevoked)
		// the other checks still ran and passed
		requireCheck(t, r, CheckSignature, StatusPassed)
		requireCheck(t, r, CheckIssuer, StatusPassed)
	}
}

func TestStatusSuspension(t *testing.T) {
	s := newSLServer(t, newTestIssuer(t, keys.P256))
	l := s.open(t, statuslist.PurposeSuspension)
	badges := s.issue(t, l, 1)
	_, err := l.Set("urn:uuid:5a7e0000-0000-4000-8000-000000000000", true)
	require.NoError(t, err)
	_, err = l.Publish()
	require.NoError(t, err)

	r := s.verifier(t).Verify(context.Background(), badges[0], Binding{})
	require.Equal(t, StatusFailed, r.Status)
	require.ErrorIs(t, requireCheck(t, r, CheckStatus, StatusFailed).Err, ErrSuspended)

	// Lifting the suspension makes the badge good again.
	_, err = l.Set("urn:uuid:5a7e0000-0000-4000-8000-000000000000", false)
	require.NoError(t, err)
	_, err = l.Publish()
	require.NoError(t, err)
	r = s.verifier(t).Verify(context.Background(), badges[0], Binding{})
	require.Equal(t, StatusVerified, r.Status, "%+v", r.Checks)
	require.Contains(t, r.Check(CheckStatus).Message, "not suspended")
}

// verifyEntry verifies a badge of ti whose revocation entry, index 7,
// names url, with a verifier trusting ti and given opts. It requires the
// report and its status check to have status want and returns both.
func verifyEntry(t *testing.T, ti *testIssuer, url string, want Status, opts ...Option) (*Report, *Check) {
	t.Helper()
	b := badgeWithEntry(t, ti, url, statuslist.PurposeRevocation, 7)
	r := newVerifier(t, append([]Option{WithTrustedKey(ti.did())}, opts...)...).Verify(context.Background(), b, Binding{})
	require.Equal(t, want, r.Status, "%+v", r.Checks)
	return r, requireCheck(t, r, CheckStatus, want)
}

// badgeWithEntry signs a badge whose credentialStatus is the given entry.
func badgeWithEntry(t *testing.T, ti *testIssuer, url, purpose string, index int) []byte {
	t.Helper()
	c, err := badge.NationalQualification{
		Common: badge.Common{ID: "urn:uuid:5a7e-entry", Issuer: badge.Profile{ID: ti.did(), Name: badge.AgencyHRDKorea()}, HolderID: "did:key:z6Mkh",
			ValidFrom: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
			Status: &badge.Status{ID: url + "#" + strconv.Itoa(index), Type: statuslist.EntryType, StatusPurpose: purpose,
				StatusListIndex: strconv.Itoa(index), StatusListCredential: url}},
		ItemCode: "1320", ItemName: "정보처리", ItemNameEn: "Information Processing", Grade: "기사", GradeEn: "Engineer",
		LicenceNumber: "25201001234A", PassDate: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC),
	}.Credential()
	require.NoError(t, err)
	return ti.sign(t, c)
}

// signedList makes a status list credential for url signed by signer,
// naming issuerID as its issuer.
func signedList(t *testing.T, signer *testIssuer, issuerID, url, purpose, encodedList string) []byte {
	t.Helper()
	doc, err := json.Marshal(map[string]any{
		"@context":  []string{badge.ContextV2},
		"id":        url,
		"type":      []string{"VerifiableCredential", "BitstringStatusListCredential"},
		"issuer":    issuerID,
		"validFrom": "2026-01-01T00:00:00Z",
		"credentialSubject": map[string]any{"id": url + "#list", "type": "BitstringStatusList",
			"statusPurpose": purpose, "encodedList": encodedList},
	})
	require.NoError(t, err)
	c, err := badge.ParseCredential(doc, badge.Limits{})
	require.NoError(t, err)
	return signer.sign(t, c)
}

// serveBytes serves body at every path.
func serveBytes(t *testing.T, body *atomic.Pointer[[]byte]) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(*body.Load()) }))
	t.Cleanup(srv.Close)
	return srv.URL + "/list"
}

func encodedWith(t *testing.T, set ...int) string {
	bs, err := statuslist.New(statuslist.MinBits)
	require.NoError(t, err)
	for _, i := range set {
		require.NoError(t, bs.Set(i, true))
	}
	enc, err := bs.Encode()
	require.NoError(t, err)
	return enc
}

func TestStatusListForgedOrForeign(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	other := newTestIssuer(t, keys.Ed25519)
	var body atomic.Pointer[[]byte]
	url := serveBytes(t, &body)
	b := badgeWithEntry(t, ti, url, statuslist.PurposeRevocation, 42)
	clean := encodedWith(t)

	for _, tc := range []struct {
		name string
		list []byte
		want string
	}{
		{"signed by another key in the issuer's name", signedList(t, other, ti.did(), url, "revocation", clean), "not signed by its issuer"},
		{"issued by another issuer", signedList(t, other, other.did(), url, "revocation", clean), "only the badge's issuer"},
		{"bits changed after signing", []byte(strings.Replace(string(signedList(t, ti, ti.did(), url, "revocation", encodedWith(t, 42))),
			encodedWith(t, 42), clean, 1)), "not signed by its issuer"},
		{"unsigned", func() []byte {
			var m map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(signedList(t, ti, ti.did(), url, "revocation", clean), &m))
			delete(m, "proof")
			out, _ := json.Marshal(m)
			return out
		}(), "not signed"},
		{"wrong purpose", signedList(t, ti, ti.did(), url, "suspension", clean), "serves suspension"},
		{"not a list", []byte(`{"hello":"world"}`), "not a valid credential"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body.Store(&tc.list)
			r := newVerifier(t, WithTrustedKey(ti.did()), WithAllowLoopback()).Verify(context.Background(), b, Binding{})
			require.Equal(t, StatusFailed, r.Status)
			c := requireCheck(t, r, CheckStatus, StatusFailed)
			require.ErrorIs(t, c.Err, ErrBadStatusList)
			require.Contains(t, c.Message, tc.want)
			requireCheck(t, r, CheckSignature, StatusPassed)
		})
	}
	// The genuine list with bit 42 clear passes, with it set revokes.
	good := signedList(t, ti, ti.did(), url, "revocation", clean)
	body.Store(&good)
	r := newVerifier(t, WithTrustedKey(ti.did()), WithAllowLoopback()).Verify(context.Background(), b, Binding{})
	require.Equal(t, StatusVerified, r.Status, "%+v", r.Checks)
	revoked := signedList(t, ti, ti.did(), url, "revocation", encodedWith(t, 42))
	body.Store(&revoked)
	r = newVerifier(t, WithTrustedKey(ti.did()), WithAllowLoopback()).Verify(context.Background(), b, Binding{})
	require.ErrorIs(t, requireCheck(t, r, CheckStatus, StatusFailed).Err, ErrRevoked)
}

func TestStatusUnavailableIsIndeterminate(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := down.URL + "/list"
	down.Close()
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
	}))
	t.Cleanup(failing.Close)

	for name, url := range map[string]string{"server down": downURL, "HTTP 503": failing.URL + "/list"} {
		t.Run(name, func(t *testing.T) {
			r, c := verifyEntry(t, ti, url, StatusIndeterminate, WithAllowLoopback())
			require.ErrorIs(t, c.Err, ErrStatusUnavailable)
			require.False(t, r.Verified)
		})
	}
	t.Run("offline", func(t *testing.T) {
		_, c := verifyEntry(t, ti, failing.URL+"/list", StatusIndeterminate, WithOffline())
		require.Contains(t, c.Message, "offline")
	})
}

func TestStatusStallTimesOut(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(`{"@context":`))
		w.(http.Flusher).Flush()
		select { // stall mid-body
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	_, c := verifyEntry(t, ti, srv.URL+"/list", StatusIndeterminate, WithAllowLoopback(), WithFetchLimits(200*time.Millisecond, 1<<20))
	require.ErrorIs(t, c.Err, ErrStatusUnavailable)
	require.ErrorIs(t, c.Err, fetch.ErrTimeout)
}

func TestStatusHugeResponseCapped(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	var sent atomic.Int64
	chunk := make([]byte, 1<<20)
	for i := range chunk {
		chunk[i] = ' '
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/declared" {
			w.Header().Set("Content-Length", strconv.Itoa(100<<20))
		}
		for i := 0; i < 100; i++ { // 100 MB
			n, err := w.Write(chunk)
			sent.Add(int64(n))
			if err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	for _, path := range []string{"/streamed", "/declared"} {
		t.Run(path, func(t *testing.T) {
			_, c := verifyEntry(t, ti, srv.URL+path, StatusFailed, WithAllowLoopback(), WithFetchLimits(5*time.Second, 1<<20))
			require.ErrorIs(t, c.Err, ErrFetchRefused)
			require.ErrorIs(t, c.Err, fetch.ErrTooLarge)
		})
	}
}

// TestStatusRefusedURLs: status list URLs the verifier will not fetch fail
// the status check without sending a packet (every refused address here is
// a literal refused before dialing, or loopback).
func TestStatusRefusedURLs(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	var hits atomic.Int64
	local := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	t.Cleanup(local.Close)
	for _, url := range []string{
		local.URL + "/list", // loopback, not allowed by this verifier
		"http://127.0.0.1:9/list",
		"https://127.0.0.1/list",
		"https://10.0.0.1/status/1",
		"http://10.0.0.1/status/1",
		"https://169.254.169.254/latest/meta-data/",
		"https://[::ffff:169.254.169.254]/x",
		"file://localhost/etc/passwd",
	} {
		t.Run(url, func(t *testing.T) {
			_, c := verifyEntry(t, ti, url, StatusFailed)
			require.ErrorIs(t, c.Err, ErrFetchRefused, c.Message)
			require.Contains(t, c.Message, "refused")
		})
	}
	require.Zero(t, hits.Load(), "a refused URL reached the server")

	// file:///etc/passwd has no host: the entry itself is invalid.
	b := badgeWithEntry(t, ti, "file:///etc/passwd", statuslist.PurposeRevocation, 7)
	r := newVerifier(t, WithTrustedKey(ti.did())).Verify(context.Background(), b, Binding{})
	require.ErrorIs(t, requireCheck(t, r, CheckStatus, StatusFailed).Err, ErrBadStatusList)
}

func TestStatusListValidityWindow(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	s := newSLServer(t, ti)
	l, err := issuer.OpenStatusList(s.dir, ti.signer, issuer.StatusListConfig{URL: s.url, ValidFor: time.Hour})
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	badges := s.issue(t, l, 1)

	r := s.verifier(t).Verify(context.Background(), badges[0], Binding{})
	require.Equal(t, StatusVerified, r.Status, "%+v", r.Checks)

	later := fixedNow.Add(2 * time.Hour)
	r = s.verifier(t, WithClock(func() time.Time { return later })).Verify(context.Background(), badges[0], Binding{})
	require.Equal(t, StatusIndeterminate, r.Status)
	c := requireCheck(t, r, CheckStatus, StatusIndeterminate)
	require.ErrorIs(t, c.Err, ErrStatusUnavailable)
	require.Contains(t, c.Message, "expired")

	earlier := fixedNow.Add(-time.Hour)
	r = s.verifier(t, WithClock(func() time.Time { return earlier })).Verify(context.Background(), badges[0], Binding{})
	require.Contains(t, requireCheck(t, r, CheckStatus, StatusIndeterminate).Message, "valid only from")
}

// TestStatusListFetchedOncePerBatch: a batch of badges naming one list
// fetches it once; with caching off, every verification fetches again.
func TestStatusListFetchedOncePerBatch(t *testing.T) {
	s := newSLServer(t, newTestIssuer(t, keys.Ed25519))
	badges := s.issue(t, s.open(t, ""), 40)
	v := s.verifier(t, WithWorkers(8))
	for _, r := range v.VerifyBatch(context.Background(), badges) {
		require.Equal(t, StatusVerified, r.Status, "%+v", r.Checks)
	}
	require.EqualValues(t, 1, s.hits.Load())
	v.VerifyBatch(context.Background(), badges)
	require.EqualValues(t, 1, s.hits.Load(), "the cached list was fetched again")

	uncached := s.verifier(t, WithStatusCacheTTL(0))
	uncached.Verify(context.Background(), badges[0], Binding{})
	uncached.Verify(context.Background(), badges[1], Binding{})
	require.EqualValues(t, 3, s.hits.Load())
}

// TestStatusSpecVectors reads the W3C specification's example list and the
// reference implementation's 100,000-bit list through the verifier.
func TestStatusSpecVectors(t *testing.T) {
	raw := readVector(t, "bitstring-status-list/bitstring-status-list-vectors.extracted.json")
	var vf struct {
		Official struct {
			EncodedList string          `json:"encodedList"`
			Entry       json.RawMessage `json:"credentialStatusExample"`
		} `json:"official_w3c_spec_example"`
		Impl struct {
			With50K struct {
				Value string `json:"value"`
			} `json:"encodedList100KWith50KthRevoked"`
		} `json:"implementation_test_strings_NOT_OFFICIAL"`
	}
	require.NoError(t, json.Unmarshal(raw, &vf))
	var entry struct {
		Index string `json:"statusListIndex"`
	}
	require.NoError(t, json.Unmarshal(vf.Official.Entry, &entry))
	index, err := strconv.Atoi(entry.Index)
	require.NoError(t, err)

	ti := newTestIssuer(t, keys.Ed25519)
	var body atomic.Pointer[[]byte]
	url := serveBytes(t, &body)
	official := signedList(t, ti, ti.did(), url, "revocation", vf.Official.EncodedList)
	body.Store(&official)
	r := newVerifier(t, WithTrustedKey(ti.did()), WithAllowLoopback()).Verify(context.Background(), badgeWithEntry(t, ti, url, "revocation", index), Binding{})
	require.Equal(t, StatusVerified, r.Status, "%+v", r.Checks)

	// 100,000 bits is below the specification's minimum: the list is
	// refused (STATUS_LIST_LENGTH_ERROR), even for the index it sets.
	short := signedList(t, ti, ti.did(), url, "revocation", vf.Impl.With50K.Value)
	body.Store(&short)
	r = newVerifier(t, WithTrustedKey(ti.did()), WithAllowLoopback()).Verify(context.Background(), badgeWithEntry(t, ti, url, "revocation", 50000), Binding{})
	c := requireCheck(t, r, CheckStatus, StatusFailed)
	require.ErrorIs(t, c.Err, ErrBadStatusList)
	require.True(t, errors.Is(c.Err, statuslist.ErrTooShort))
}

func TestStatusIndexBeyondList(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	var body atomic.Pointer[[]byte]
	url := serveBytes(t, &body)
	list := signedList(t, ti, ti.did(), url, "revocation", encodedWith(t))
	body.Store(&list)
	r := newVerifier(t, WithTrustedKey(ti.did()), WithAllowLoopback()).Verify(context.Background(), badgeWithEntry(t, ti, url, "revocation", statuslist.MinBits), Binding{})
	require.ErrorIs(t, requireCheck(t, r, CheckStatus, StatusFailed).Err, ErrBadStatusList)
}
