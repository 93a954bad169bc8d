package verify

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/anchor"
	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
)

// within runs f and fails the test if it has not returned after d: a
// generous bound on work that, unbounded, runs for minutes.
func within(t *testing.T, d time.Duration, f func() *Report) *Report {
	t.Helper()
	done := make(chan *Report, 1)
	go func() { done <- f() }()
	select {
	case r := <-done:
		return r
	case <-time.After(d):
		t.Fatalf("still running after %v", d)
		return nil
	}
}

// poisonCredential is issue 11's 1 KB attack: an eddsa-rdfc-2022 badge
// whose credentialSubject holds k blank nodes that each point at all the
// others, signed (or not: the canonicalization comes first) by ti.
func poisonCredential(t *testing.T, ti *testIssuer, k int) []byte {
	t.Helper()
	subjects := make([]map[string]any, k)
	for i := range subjects {
		var links []map[string]any
		for j := 0; j < k; j++ {
			if j != i {
				links = append(links, map[string]any{"id": fmt.Sprintf("_:b%d", j)})
			}
		}
		subjects[i] = map[string]any{"id": fmt.Sprintf("_:b%d", i), "knows": links}
	}
	pk := ti.key.PublicKey()
	doc, err := json.Marshal(map[string]any{
		"@context":          []any{badge.ContextV2, map[string]any{"knows": "https://schema.org/knows"}},
		"type":              []string{"VerifiableCredential"},
		"issuer":            ti.did(),
		"validFrom":         "2026-03-02T00:00:00Z",
		"credentialSubject": subjects,
		"proof": map[string]any{"type": "DataIntegrityProof", "cryptosuite": EdDSARDFC2022, "proofPurpose": "assertionMethod",
			"verificationMethod": pk.VerificationMethod(), "created": "2026-03-02T00:00:00Z",
			"proofValue": "z" + strings.Repeat("2", 87)},
	})
	require.NoError(t, err)
	return doc
}

// The poison graph at K=9 took about ten minutes; it now ends with
// budget_exceeded, a failure (the input is abusive, not the network).
func TestPoisonGraphFailsOnBudget(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	doc := poisonCredential(t, ti, 9)
	require.Less(t, len(doc), 2048)
	v := newVerifier(t, WithTrustedKey(ti.did()))
	r := within(t, 20*time.Second, func() *Report { return v.Verify(context.Background(), doc, Binding{}) })
	c := requireCheck(t, r, CheckSignature, StatusFailed)
	require.Equal(t, "budget_exceeded", c.Code, c.Message)
	require.ErrorIs(t, c.Err, ErrBudgetExceeded)
	require.Equal(t, StatusFailed, r.Status)
}

// Cancellation stops canonicalization too: with an unlimited budget the
// caller's context ends the work.
func TestPoisonGraphStopsOnCancel(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	v := newVerifier(t, WithTrustedKey(ti.did()), WithWorkBudget(1<<62))
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	r := within(t, 20*time.Second, func() *Report { return v.Verify(ctx, poisonCredential(t, ti, 9), Binding{}) })
	c := requireCheck(t, r, CheckSignature, StatusIndeterminate)
	require.Equal(t, "canceled", c.Code, c.Message)
}

// Canonicalization runs only once the key is resolved: with a budget of one
// unit (spent on the proof itself), a key that cannot be had leaves the
// signature indeterminate; had the document been canonicalized first, the
// budget would have run out.
func TestCanonicalizeOnlyAfterKey(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(poisonCredential(t, ti, 9), &doc))
	doc["proof"].(map[string]any)["verificationMethod"] = "did:web:issuer.example#key-1"
	doc["issuer"] = "did:web:issuer.example"
	b, _ := json.Marshal(doc)
	r := newVerifier(t, WithoutIssuerTrustUnsafe(), WithOffline(), WithWorkBudget(1)).Verify(context.Background(), b, Binding{})
	c := requireCheck(t, r, CheckSignature, StatusIndeterminate)
	require.Equal(t, "key_unavailable", c.Code, c.Message)
}

// proofSet returns a copy of doc whose proof member is n copies of proof.
func withProofs(t *testing.T, doc []byte, n int, proof any) []byte {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(doc, &m))
	if proof == nil {
		var ps []json.RawMessage
		if err := json.Unmarshal(m["proof"], &ps); err != nil {
			ps = []json.RawMessage{m["proof"]}
		}
		proof = ps[0]
	}
	set := make([]any, n)
	for i := range set {
		set[i] = proof
	}
	m["proof"], _ = json.Marshal(set)
	out, err := json.Marshal(m)
	require.NoError(t, err)
	return out
}

// Proof sets of thousands: MerkleProof2019 (each proof re-decoded the
// document: 6 s at 2,000), merkle-jcs-2026 (each leaf re-covered the
// earlier proofs: 28 s at 2,000) and unknown proofs (each message appended:
// a 1.3 MB answer at 20,000) end at once with too_many_proofs and a report
// of a few KB.
func TestProofFloods(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	bc := readVector(t, "blockcerts/v3/mocknet-v3-valid.json")
	signed := ti.sign(t, ti.qualification(t, "urn:uuid:u", "did:key:z6Mkh"))
	merkleJCS := map[string]any{"type": "DataIntegrityProof", "cryptosuite": MerkleJCS2026, "proofPurpose": "assertionMethod", "proofValue": "z2"}
	unknown := map[string]any{"type": "UnknownProof2099", "proofValue": "x"}
	for _, tc := range []struct {
		name string
		doc  []byte
	}{
		{"2,000 MerkleProof2019", withProofs(t, bc, 2000, nil)},
		{"4,000 MerkleProof2019", withProofs(t, bc, 4000, nil)},
		{"2,000 merkle-jcs-2026", withProofs(t, signed, 2000, merkleJCS)},
		{"20,000 unknown proofs", withProofs(t, signed, 20000, unknown)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := newVerifier(t, WithTrustedKey(ti.did()), WithAllowTestAnchors(), WithLimits(badge.Limits{MaxBytes: 8 << 20}))
			r := within(t, 20*time.Second, func() *Report { return v.Verify(context.Background(), tc.doc, Binding{}) })
			require.Equal(t, StatusFailed, r.Status)
			found := false
			for _, c := range r.Checks {
				found = found || c.Code == "too_many_proofs"
			}
			require.True(t, found, "%+v", r.Checks)
			out, _ := json.Marshal(r)
			require.Less(t, len(out), 8<<10, "report of %d bytes", len(out))
		})
	}
}

// With the proof limit raised, 2,000 unknown proofs still give a message
// that does not grow with their number.
func TestReportMessagesDoNotGrow(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	doc := withProofs(t, ti.sign(t, ti.qualification(t, "urn:uuid:u", "did:key:z6Mkh")), 2000,
		map[string]any{"type": "UnknownProof2099", "proofValue": "x"})
	r := newVerifier(t, WithTrustedKey(ti.did()), WithMaxProofs(5000)).Verify(context.Background(), doc, Binding{})
	c := requireCheck(t, r, CheckSignature, StatusIndeterminate)
	require.Less(t, len(c.Message), 2000, c.Message)
	require.Contains(t, c.Message, "and 1992 more")
	// The same through NewReport.
	checks := make([]Check, 1000)
	for i := range checks {
		checks[i] = Check{ID: CheckStatus, Status: StatusIndeterminate, Err: ErrStatusUnavailable, Message: fmt.Sprintf("entry %d down", i)}
	}
	require.Less(t, len(NewReport(checks...).Check(CheckStatus).Message), 500)
}

// stallHost counts requests and holds each until the test ends.
type stallHost struct {
	url         string
	total, peak atomic.Int64
	now         atomic.Int64
}

func newStallHost(t *testing.T) *stallHost {
	h := &stallHost{}
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.total.Add(1)
		n := h.now.Add(1)
		defer h.now.Add(-1)
		for p := h.peak.Load(); n > p && !h.peak.CompareAndSwap(p, n); p = h.peak.Load() {
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	h.url = srv.URL
	return h
}

// manyEntries returns ti's badge with n credentialStatus entries, each
// naming another list on host.
func manyEntries(t *testing.T, ti *testIssuer, host string, n int) []byte {
	var m map[string]any
	require.NoError(t, json.Unmarshal(ti.sign(t, ti.qualification(t, "urn:uuid:many", "did:key:z6Mkh")), &m))
	entries := make([]map[string]any, n)
	for i := range entries {
		url := fmt.Sprintf("%s/list/%d", host, i)
		entries[i] = map[string]any{"id": url + "#7", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
			"statusListIndex": "7", "statusListCredential": url}
	}
	m["credentialStatus"] = entries
	b, _ := json.Marshal(m)
	return b
}

// 300 status entries to a stalling host: refused before any fetch by
// default; with the limit raised, the verification ends at its deadline
// with a bounded number of connections, and nothing starts afterwards.
func TestStatusEntryFlood(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	h := newStallHost(t)
	doc := manyEntries(t, ti, h.url, 300)

	r := newVerifier(t, WithTrustedKey(ti.did()), WithAllowLoopback()).Verify(context.Background(), doc, Binding{})
	c := requireCheck(t, r, CheckStatus, StatusFailed)
	require.Equal(t, "too_many_status_entries", c.Code)
	require.Zero(t, h.total.Load())

	v := newVerifier(t, WithTrustedKey(ti.did()), WithAllowLoopback(), WithMaxStatusEntries(300),
		WithTimeout(500*time.Millisecond), WithFetchLimits(time.Minute, 1<<20))
	r = within(t, 20*time.Second, func() *Report { return v.Verify(context.Background(), doc, Binding{}) })
	requireCheck(t, r, CheckStatus, StatusIndeterminate)
	require.NotEqual(t, StatusVerified, r.Status)
	time.Sleep(300 * time.Millisecond) // let anything wrongly started arrive
	require.LessOrEqual(t, h.total.Load(), int64(DefaultMaxFetchesPerHost), "requests to the stalling host")
	require.LessOrEqual(t, h.peak.Load(), int64(DefaultMaxFetchesPerHost))
}

// Every path where a dependency is undecided leaves what depends on it
// undecided: never failed.
func TestIndeterminateStaysIndeterminate(t *testing.T) {
	ctx := context.Background()
	k := genKey(t, keys.Ed25519)

	t.Run("did:web issuer stalls", func(t *testing.T) {
		h := newWebHost(t)
		h.handle = func(w http.ResponseWriter, r *http.Request) bool {
			// A stall: no answer at all, not even an empty one after the
			// client gave up.
			<-r.Context().Done()
			panic(http.ErrAbortHandler)
		}
		v := newVerifier(t, WithTrustList(trustList(t, TrustedIssuer{ID: h.did})), WithHTTPClient(h.client), WithAllowLoopback(),
			WithFetchLimits(200*time.Millisecond, 1<<20))
		r := v.Verify(ctx, h.webBadge(t, k, "key-1", "urn:uuid:s", "did:key:z6Mkh"), Binding{})
		require.Equal(t, StatusIndeterminate, r.Status, "%+v", r.Checks)
		requireCheck(t, r, CheckSignature, StatusIndeterminate)
		requireCheck(t, r, CheckIssuer, StatusIndeterminate)
	})
	t.Run("unsupported suite", func(t *testing.T) {
		ti := newTestIssuer(t, keys.Ed25519)
		doc := withProofs(t, ti.sign(t, ti.qualification(t, "urn:uuid:u", "did:key:z6Mkh")), 1,
			map[string]any{"type": "DataIntegrityProof", "cryptosuite": "bbs-2023", "proofValue": "u"})
		r := newVerifier(t, WithTrustList(trustList(t, ti.trusted()))).Verify(ctx, doc, Binding{})
		require.Equal(t, StatusIndeterminate, r.Status, "%+v", r.Checks)
		requireCheck(t, r, CheckIssuer, StatusIndeterminate)
	})
	t.Run("holder's did:web key stalls", func(t *testing.T) {
		ti := newTestIssuer(t, keys.Ed25519)
		h := newWebHost(t)
		h.handle = func(w http.ResponseWriter, r *http.Request) bool {
			// A stall: no answer at all, not even an empty one after the
			// client gave up.
			<-r.Context().Done()
			panic(http.ErrAbortHandler)
		}
		holderKey := genKey(t, keys.Ed25519)
		s, err := issuer.NewSigner(holderKey, issuer.WithVerificationMethod(h.did+"#key-1"), issuer.WithClock(clock))
		require.NoError(t, err)
		c, err := badge.ParseCredential(ti.sign(t, ti.qualification(t, "urn:uuid:p", h.did)), badge.Limits{})
		require.NoError(t, err)
		p, err := issuer.NewPresentation(h.did, c)
		require.NoError(t, err)
		vp, err := s.SignPresentation(p, testChallenge, testDomain)
		require.NoError(t, err)
		v := newVerifier(t, WithTrustList(trustList(t, ti.trusted())), WithHTTPClient(h.client), WithAllowLoopback(),
			WithFetchLimits(200*time.Millisecond, 1<<20))
		r := v.Verify(ctx, vp, Binding{Challenge: testChallenge, Domain: testDomain})
		require.Equal(t, StatusIndeterminate, r.Status, "%+v", r.Checks)
		requireCheck(t, r, CheckHolder, StatusIndeterminate)
		requireCheck(t, r.Credentials[0], CheckHolder, StatusIndeterminate)
	})
	t.Run("unreachable https key", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		issuerID := "https://localhost:" + srv.URL[strings.LastIndex(srv.URL, ":")+1:] + "/issuers/1"
		srv.Close() // the issuer's host is down
		s, err := issuer.NewSigner(k, issuer.WithVerificationMethod(issuerID+"#key-1"), issuer.WithClock(clock))
		require.NoError(t, err)
		c, err := badge.NationalQualification{
			Common: badge.Common{ID: "urn:uuid:https-down", Issuer: badge.Profile{ID: issuerID, Name: badge.AgencyHRDKorea()}, HolderID: "did:key:z6Mkh",
				ValidFrom: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)},
			ItemCode: "1320", ItemName: "정보처리", Grade: "기사", LicenceNumber: "25201001234A", PassDate: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC),
		}.Credential()
		require.NoError(t, err)
		doc, err := s.SignCredential(c)
		require.NoError(t, err)
		v := newVerifier(t, WithTrustList(trustList(t, TrustedIssuer{ID: issuerID})), WithAllowLoopback())
		r := v.Verify(ctx, doc, Binding{})
		require.Equal(t, StatusIndeterminate, r.Status, "%+v", r.Checks)
		require.Equal(t, "key_unavailable", requireCheck(t, r, CheckSignature, StatusIndeterminate).Code)
		requireCheck(t, r, CheckIssuer, StatusIndeterminate)
	})
	t.Run("status server down", func(t *testing.T) {
		ti := newTestIssuer(t, keys.Ed25519)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", 503) }))
		t.Cleanup(srv.Close)
		r, _ := verifyEntry(t, ti, srv.URL+"/list", StatusIndeterminate, WithAllowLoopback())
		requireCheck(t, r, CheckIssuer, StatusPassed)
	})
}

// A proof's own window: expires in the past fails, created far in the
// future fails; a created just inside the clock skew passes.
func TestProofWindow(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	for _, tc := range []struct {
		name    string
		created time.Time
		expires time.Time
		code    string
	}{
		{"expired", fixedNow.Add(-48 * time.Hour), fixedNow.Add(-time.Hour), "proof_expired"},
		{"created in the far future", time.Now().AddDate(10, 0, 0), time.Time{}, "proof_not_yet_valid"},
		{"created within the skew", time.Now().Add(time.Minute), time.Time{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			at := tc.created
			s, err := issuer.NewSigner(ti.key, issuer.WithClock(func() time.Time { return at }))
			require.NoError(t, err)
			c := ti.qualification(t, "urn:uuid:w", "did:key:z6Mkh")
			var doc []byte
			if !tc.expires.IsZero() {
				doc = signWithExpires(t, s, c, tc.expires)
			} else {
				doc, err = s.SignCredential(c)
				require.NoError(t, err)
			}
			r := newVerifier(t, WithTrustedKey(ti.did())).Verify(context.Background(), doc, Binding{})
			if tc.code == "" {
				requireCheck(t, r, CheckSignature, StatusPassed)
				return
			}
			require.Equal(t, tc.code, requireCheck(t, r, CheckSignature, StatusFailed).Code)
		})
	}
}

// signWithExpires signs c and adds expires to its proof (which the
// signature then no longer covers: the window is checked first).
func signWithExpires(t *testing.T, s *issuer.Signer, c *badge.Credential, exp time.Time) []byte {
	t.Helper()
	doc, err := s.SignCredential(c)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(doc, &m))
	m["proof"].(map[string]any)["expires"] = exp.UTC().Format(time.RFC3339)
	out, _ := json.Marshal(m)
	return out
}

// downResolver is a chain node that does not answer.
type downResolver struct{}

func (downResolver) Resolve(ctx context.Context, ref anchor.Ref) (anchor.Record, error) {
	return anchor.Record{}, fmt.Errorf("%w: connection refused", anchor.ErrUnavailable)
}

// A node down leaves the anchor undecided, and an issuer check that rests
// on the anchor alone (a batch proof without a signature) undecided too.
func TestNodeDownStaysIndeterminate(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	lf := newLedgerFixture(t)
	signed, _ := ledgerBatch(t, ti, lf, ti.did(), 2)
	v := newVerifier(t, WithTrustList(trustList(t, ti.trusted())), WithAnchorResolver(downResolver{}))
	r := v.Verify(context.Background(), signed[0], Binding{})
	require.Equal(t, StatusIndeterminate, r.Status, "%+v", r.Checks)
	requireCheck(t, r, CheckAnchor, StatusIndeterminate)

	// Only the batch proof ties this badge to its issuer.
	creds := make([]*badge.Credential, 2)
	for i := range creds {
		creds[i] = ti.qualification(t, fmt.Sprintf("urn:uuid:nosig-%d", i), "did:key:z6Mkh")
	}
	b, err := issuer.NewBatch(lf.l.Publisher(ti.did()))
	require.NoError(t, err)
	unsigned, _, err := b.Issue(context.Background(), creds)
	require.NoError(t, err)
	r = v.Verify(context.Background(), unsigned[0], Binding{})
	require.Equal(t, StatusIndeterminate, r.Status, "%+v", r.Checks)
	requireCheck(t, r, CheckIssuer, StatusIndeterminate)
}

// A signed number JCS cannot represent exactly (issue 11: 12345678901234567890
// rewritten as 12345678901234567000 still verified, both being the same
// double) and keys differing only in case (issuer.id and issuer.ID: Go read
// one, JSON-LD the other) are format failures before any signature is
// checked.
func TestNumbersAndCaseKeys(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	var m map[string]any
	require.NoError(t, json.Unmarshal(ti.sign(t, ti.qualification(t, "urn:uuid:n", "did:key:z6Mkh")), &m))
	good, _ := json.Marshal(m)
	v := newVerifier(t, WithTrustedKey(ti.did()))
	for name, doc := range map[string]string{
		"inexact number": strings.Replace(string(good), `"credentialSubject":{`, `"credentialSubject":{"score":12345678901234567000,`, 1),
		"big integer":    strings.Replace(string(good), `"credentialSubject":{`, `"credentialSubject":{"score":12345678901234567890,`, 1),
		"issuer.ID":      strings.Replace(string(good), `"issuer":{`, `"issuer":{"ID":"did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH",`, 1),
		"ID at the top":  strings.Replace(string(good), `{`, `{"ID":"urn:uuid:other",`, 1),
	} {
		require.NotEqual(t, string(good), doc, name)
		r := v.Verify(context.Background(), []byte(doc), Binding{})
		c := requireCheck(t, r, CheckFormat, StatusFailed)
		require.Equal(t, "malformed", c.Code, "%s: %s", name, c.Message)
		require.Equal(t, StatusFailed, r.Status, name)
	}
}

// The limits are checked when the Verifier is built: non-positive values,
// a per-host cap above the total, one given twice, and fetch limits on an
// offline verifier fail New.
func TestHostileInputOptionsChecked(t *testing.T) {
	base := []Option{WithoutTrustList()}
	for name, opts := range map[string][]Option{
		"zero budget":            {WithWorkBudget(0)},
		"zero proofs":            {WithMaxProofs(0)},
		"zero status entries":    {WithMaxStatusEntries(0)},
		"zero timeout":           {WithTimeout(0)},
		"per host above total":   {WithFetchConcurrency(2, 3)},
		"zero fetches":           {WithFetchConcurrency(0, 0)},
		"negative skew":          {WithClockSkew(-time.Second)},
		"budget twice":           {WithWorkBudget(10), WithWorkBudget(20)},
		"proofs twice":           {WithMaxProofs(1), WithMaxProofs(2)},
		"status twice":           {WithMaxStatusEntries(1), WithMaxStatusEntries(2)},
		"timeout twice":          {WithTimeout(time.Second), WithTimeout(time.Minute)},
		"concurrency twice":      {WithFetchConcurrency(4, 2), WithFetchConcurrency(8, 2)},
		"skew twice":             {WithClockSkew(time.Second), WithClockSkew(time.Minute)},
		"offline with fetch cap": {WithOffline(), WithFetchConcurrency(4, 2)},
	} {
		_, err := New(append(append([]Option{}, base...), opts...)...)
		require.Error(t, err, name)
	}
	_, err := New(WithoutTrustList(), WithWorkBudget(1), WithMaxProofs(1), WithMaxStatusEntries(1), WithTimeout(time.Second),
		WithFetchConcurrency(1, 1), WithClockSkew(0))
	require.NoError(t, err)
}

// With the proof limit raised, 4,000 merkle-jcs-2026 proofs (issue 11:
// each leaf re-covered all earlier proofs, 2,000 took 28 s) cost one pass:
// the leaves of the set are computed together, each proof canonicalized
// once.
func TestMerkleLeavesLinear(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	lf := newLedgerFixture(t)
	badges, _ := ledgerBatch(t, ti, lf, ti.did(), 2)
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(badges[0], &m))
	var proofs []json.RawMessage
	require.NoError(t, json.Unmarshal(m["proof"], &proofs))
	var batch json.RawMessage
	for _, p := range proofs {
		if strings.Contains(string(p), MerkleJCS2026) {
			batch = p
		}
	}
	require.NotNil(t, batch)
	doc := withProofs(t, badges[0], 4000, batch)
	v := newVerifier(t, WithTrustedKey(ti.did()), WithAnchorResolver(lf.l), WithMaxProofs(5000), WithLimits(badge.Limits{MaxBytes: 32 << 20}))
	r := within(t, 20*time.Second, func() *Report { return v.Verify(context.Background(), doc, Binding{}) })
	// Every copy but the first names a document with the proofs before it:
	// their hashes differ from the one anchored.
	c := requireCheck(t, r, CheckMerkle, StatusFailed)
	require.Equal(t, "hash_mismatch", c.Code)
	require.Contains(t, c.Message, "more")
}
