package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/stretchr/testify/require"
)

// A TrustList built in code, as a struct literal, works; the Verifier keeps
// its own copy, so changing the list afterwards changes nothing.
func TestLiteralTrustList(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	pk := ti.key.PublicKey()
	tl := &TrustList{Issuers: []TrustedIssuer{{ID: ti.did(), Name: "HRD Korea", Keys: []TrustedKey{NewTrustedKey("", pk)}}}}
	v := newVerifier(t, WithTrustList(tl))
	doc := ti.sign(t, ti.qualification(t, "urn:uuid:lit", "did:key:z6Mkh"))
	r := v.Verify(context.Background(), doc, Binding{})
	require.Equal(t, StatusVerified, r.Status, "%+v", r.Checks)

	// The caller's later edits do not reach the Verifier.
	tl.Issuers[0].ID = "did:example:someone-else"
	tl.Issuers[0].Keys[0].PublicKeyMultibase = "zBroken"
	require.Equal(t, StatusVerified, v.Verify(context.Background(), doc, Binding{}).Status)

	// A literal key that does not decode is an error at New, not a panic later.
	_, err := New(WithTrustList(&TrustList{Issuers: []TrustedIssuer{{ID: "did:example:x", Keys: []TrustedKey{{ID: "did:example:x#1"}}}}}))
	require.ErrorIs(t, err, ErrTrustList)
	_, err = New(WithTrustList(&TrustList{Issuers: []TrustedIssuer{{ID: ti.did()}, {ID: ti.did()}}}))
	require.ErrorContains(t, err, "listed twice")
}

// LoadTrustList with root keys accepts only a list a root signed; a plain
// list is read only by the named call.
func TestLoadTrustListNeedsASignature(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	root := newTestIssuer(t, keys.Ed25519)
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain.json")
	b, err := json.Marshal(TrustList{Issuers: []TrustedIssuer{ti.trusted()}})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(plain, b, 0o600))

	_, err = LoadTrustList(plain, []string{root.did()}, fixedNow)
	require.ErrorIs(t, err, ErrTrustList)
	require.ErrorContains(t, err, "not signed")
	_, err = LoadTrustList(plain, nil, fixedNow)
	require.ErrorContains(t, err, "no root key")
	tl, err := LoadUnsignedTrustList(plain)
	require.NoError(t, err)
	require.NotNil(t, tl.Issuer(ti.did()))

	signed := filepath.Join(dir, "signed.json")
	require.NoError(t, os.WriteFile(signed, signTrustList(t, root, TrustList{Issuers: []TrustedIssuer{ti.trusted()}}), 0o600))
	tl, err = LoadTrustList(signed, []string{root.did()}, fixedNow)
	require.NoError(t, err)
	require.NotNil(t, tl.Issuer(ti.did()))
	other := newTestIssuer(t, keys.Ed25519)
	_, err = LoadTrustList(signed, []string{other.did()}, fixedNow)
	require.ErrorIs(t, err, ErrTrustList, "signed, but not by a root given")
	_, err = LoadUnsignedTrustList(signed)
	require.ErrorContains(t, err, "signed trust list credential", "a signed list is not silently read without its signature check")
}

// New refuses to guess about trust and about conflicting settings.
func TestNewOptionChecks(t *testing.T) {
	k := newTestIssuer(t, keys.Ed25519).did()
	for name, opts := range map[string][]Option{
		"no trust material":           nil,
		"offline with an HTTP client": {WithTrustedKey(k), WithOffline(), WithHTTPClient(http.DefaultClient)},
		"offline with loopback":       {WithTrustedKey(k), WithOffline(), WithAllowLoopback()},
		"offline with fetch limits":   {WithTrustedKey(k), WithOffline(), WithFetchLimits(time.Second, 1000)},
		"clock twice":                 {WithTrustedKey(k), WithClock(clock), WithClock(clock)},
		"trust list twice":            {WithTrustList(&TrustList{}), WithTrustList(&TrustList{})},
		"workers twice":               {WithTrustedKey(k), WithWorkers(1), WithWorkers(2)},
		"no trust list and a key":     {WithTrustedKey(k), WithoutTrustList()},
		"unsafe and no trust list":    {WithoutIssuerTrustUnsafe(), WithoutTrustList()},
		"unknown cryptosuite":         {WithTrustedKey(k), WithCryptosuites("rsa-2048")},
		"empty cryptosuites":          {WithTrustedKey(k), WithCryptosuites()},
		"cryptosuites twice":          {WithTrustedKey(k), WithCryptosuites("eddsa-jcs-2022"), WithCryptosuites("ecdsa-jcs-2019")},
		"bad trusted key":             {WithTrustedKey("did:key:zzz")},
	} {
		_, err := New(opts...)
		require.Error(t, err, name)
	}
	for name, opts := range map[string][]Option{
		"trusted key":        {WithTrustedKey(k)},
		"two trusted keys":   {WithTrustedKey(k), WithTrustedKey(newTestIssuer(t, keys.P256).did())},
		"without trust list": {WithoutTrustList()},
		"offline":            {WithTrustedKey(k), WithOffline()},
	} {
		_, err := New(opts...)
		require.NoError(t, err, name)
	}
}

// Without a trust list nothing is ever verified, and the report says why.
func TestWithoutTrustList(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	r := newVerifier(t, WithoutTrustList()).Verify(context.Background(), ti.sign(t, ti.qualification(t, "urn:uuid:nt", "did:key:z6Mkh")), Binding{})
	require.Equal(t, StatusIndeterminate, r.Status)
	c := requireCheck(t, r, CheckIssuer, StatusIndeterminate)
	require.Equal(t, "no_trust_list", c.Code)
	requireCheck(t, r, CheckSignature, StatusPassed)
}

// No exported variable of this package can change a verdict: the only
// exported variables are the sentinel errors, and the code table and the
// check order are not reachable from outside.
func TestNoExportedVariableDecides(t *testing.T) {
	for _, c := range Checks() {
		require.NotEmpty(t, c)
	}
	order := Checks()
	order[0] = "tampered"
	require.Equal(t, CheckFormat, Checks()[0], "Checks returns a copy")

	// Every sentinel has exactly one code and every code one sentinel.
	seen := map[string]error{}
	for err, code := range errorCodes {
		require.Regexp(t, `^[a-z]+(_[a-z]+)*$`, code)
		prev, dup := seen[code]
		require.False(t, dup, "code %s names %v and %v", code, prev, err)
		seen[code] = err
		require.Equal(t, code, Code(fmt.Errorf("context: %w", err)))
	}
	require.Equal(t, "", Code(errors.New("unrelated")))
	require.Equal(t, "", Code(nil))
	// The first sentinel in wrapping order names the reason.
	require.Equal(t, "fetch_refused", Code(fmt.Errorf("%w: %w", ErrFetchRefused, ErrUnknownKey)))
	// An error value of an uncomparable type does not panic the lookup.
	require.Equal(t, "revoked", Code(sliceErr{errs: []error{ErrRevoked}}))
}

type sliceErr struct{ errs []error }

func (e sliceErr) Error() string   { return "several" }
func (e sliceErr) Unwrap() []error { return e.errs }

// Every failed or indeterminate check of every report carries a code.
func requireCodes(t *testing.T, r *Report) {
	t.Helper()
	for _, c := range r.Checks {
		if c.Status == StatusFailed || c.Status == StatusIndeterminate {
			require.NotEmpty(t, c.Code, "%s %s has no code: %s", c.ID, c.Status, c.Message)
			require.Equal(t, c.Code, Code(c.Err))
		} else {
			require.Empty(t, c.Code, "%s %s", c.ID, c.Status)
		}
	}
	for _, sub := range r.Credentials {
		requireCodes(t, sub)
	}
	b, err := json.Marshal(r)
	require.NoError(t, err)
	var back struct {
		Checks []struct {
			Status string `json:"status"`
			Code   string `json:"code"`
		} `json:"checks"`
	}
	require.NoError(t, json.Unmarshal(b, &back))
	for i, c := range back.Checks {
		require.Equal(t, r.Checks[i].Code, c.Code, "the JSON report carries the code")
	}
}

// The signature check tells apart a bad signature, a valid signature by a
// key that is not the issuer's, and a key that could not be resolved.
func TestSignatureReasons(t *testing.T) {
	ctx := context.Background()
	ti := newTestIssuer(t, keys.Ed25519)
	other := newTestIssuer(t, keys.Ed25519)
	good := ti.sign(t, ti.qualification(t, "urn:uuid:r1", "did:key:z6Mkh"))

	tampered := []byte(strings.Replace(string(good), "25201001234A", "25201009999Z", 1))
	r := newVerifier(t, WithTrustedKey(ti.did())).Verify(ctx, tampered, Binding{})
	c := requireCheck(t, r, CheckSignature, StatusFailed)
	require.Equal(t, "bad_signature", c.Code)
	requireCodes(t, r)

	// Signed by another key, which names itself: the signature is valid, the
	// key is not the issuer's.
	c2 := ti.qualification(t, "urn:uuid:r2", "did:key:z6Mkh")
	byOther := other.sign(t, c2)
	r = newVerifier(t, WithTrustedKey(ti.did())).Verify(ctx, byOther, Binding{})
	c = requireCheck(t, r, CheckSignature, StatusFailed)
	require.Equal(t, "key_not_issuer", c.Code)
	require.ErrorIs(t, c.Err, ErrKeyNotIssuer)
	requireCodes(t, r)

	// A key server that does not answer: indeterminate, and the issuer check,
	// which depends on the signature, is not failed either.
	down := KeyResolverFunc(func(ctx context.Context, vm string, _ ProofPurpose) (*Key, error) {
		if strings.HasPrefix(vm, "did:example:") {
			return nil, errors.New("key server unreachable")
		}
		return nil, fmt.Errorf("%w: %s", ErrUnknownKey, vm)
	})
	webSigner, err := issuer.NewSigner(ti.key, issuer.WithVerificationMethod("did:example:hrd#key-1"), issuer.WithClock(clock))
	require.NoError(t, err)
	c3 := ti.qualification(t, "urn:uuid:r3", "did:key:z6Mkh")
	doc, err := webSigner.SignCredential(c3)
	require.NoError(t, err)
	r = newVerifier(t, WithTrustedKey(ti.did()), WithKeyResolver(down)).Verify(ctx, doc, Binding{})
	c = requireCheck(t, r, CheckSignature, StatusIndeterminate)
	require.Equal(t, "key_unavailable", c.Code)
	require.NotEqual(t, StatusFailed, r.Status, "a genuine badge is never failed because a server is down")
	requireCheck(t, r, CheckIssuer, StatusIndeterminate)
	requireCodes(t, r)

	// A key nobody knows fails.
	r = newVerifier(t, WithTrustedKey(ti.did())).Verify(ctx, doc, Binding{})
	c = requireCheck(t, r, CheckSignature, StatusFailed)
	require.Equal(t, "unknown_key", c.Code)
	requireCodes(t, r)
}

// A KeyResolver learns the proof purpose as an argument: assertionMethod for
// a credential's proof, authentication for a holder's.
func TestKeyResolverPurpose(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	holder := newTestIssuer(t, keys.Ed25519)
	var asked []ProofPurpose
	spy := KeyResolverFunc(func(ctx context.Context, vm string, purpose ProofPurpose) (*Key, error) {
		asked = append(asked, purpose)
		return DIDKeyResolver().ResolveKey(ctx, vm, purpose)
	})
	cred, err := badge.ParseCredential(ti.sign(t, ti.qualification(t, "urn:uuid:p1", holder.did())), badge.Limits{})
	require.NoError(t, err)
	p, err := issuer.NewPresentation(holder.did(), cred)
	require.NoError(t, err)
	vp, err := holder.signer.SignPresentation(p, "c-1", "jobs.example.kr")
	require.NoError(t, err)
	v := newVerifier(t, WithTrustedKey(ti.did()), WithKeyResolver(spy), WithWorkers(1))
	r := v.Verify(context.Background(), vp, Binding{Challenge: "c-1", Domain: "jobs.example.kr"})
	require.Equal(t, StatusVerified, r.Status, "%+v", r.Checks)
	require.Equal(t, []ProofPurpose{PurposeAuthentication, PurposeAssertion}, asked)
}

// The caller names the cryptosuites it accepts; others are reported as
// not accepted, on the check they belong to.
func TestWithCryptosuites(t *testing.T) {
	ed := newTestIssuer(t, keys.Ed25519)
	p256 := newTestIssuer(t, keys.P256)
	v := newVerifier(t, WithTrustedKey(ed.did()), WithTrustedKey(p256.did()), WithCryptosuites("ecdsa-jcs-2019"))
	r := v.Verify(context.Background(), ed.sign(t, ed.qualification(t, "urn:uuid:s1", "did:key:z6Mkh")), Binding{})
	c := requireCheck(t, r, CheckSignature, StatusFailed)
	require.Equal(t, "suite_not_accepted", c.Code)
	require.Contains(t, c.Message, "eddsa-jcs-2022")
	requireCodes(t, r)
	r = v.Verify(context.Background(), p256.sign(t, p256.qualification(t, "urn:uuid:s2", "did:key:z6Mkh")), Binding{})
	require.Equal(t, StatusVerified, r.Status)
	require.Contains(t, Cryptosuites(), "eddsa-rdfc-2022")
	require.Contains(t, Cryptosuites(), MerkleJCS2026)
}

// The size limit applies before any sniffing: a document past the limit is
// refused without being read, whatever it says it is.
func TestLimitsBeforeSniffing(t *testing.T) {
	v := newVerifier(t)
	pad := strings.Repeat(" ", badge.DefaultMaxBytes)
	for name, doc := range map[string]string{
		"blockcerts v3 context string only": `{"@context":["https://www.w3.org/ns/credentials/v2"],"x":"w3id.org/blockcerts/"}` + pad,
		"blockcerts v2 receipt named":       `{"signature":{"type":"MerkleProof2017"}}` + pad,
		"past every limit":                  `{"@context":["https://w3id.org/blockcerts/v3"]}` + strings.Repeat(" ", 9<<20),
	} {
		r := v.Verify(context.Background(), []byte(doc), Binding{})
		c := requireCheck(t, r, CheckFormat, StatusFailed)
		require.Contains(t, c.Message, "more than the limit", name)
		require.Equal(t, "malformed", c.Code, name)
	}
	limited := newVerifier(t, WithLimits(badge.Limits{MaxBytes: 100}))
	c := requireCheck(t, limited.Verify(context.Background(), []byte(`{"signature":{"type":"MerkleProof2017"},"pad":"`+strings.Repeat("a", 200)+`"}`), Binding{}), CheckFormat, StatusFailed)
	require.Contains(t, c.Message, "limit of 100")
}

// VerifyBatch stops handing out work when its context ends and reports the
// rest as indeterminate.
func TestVerifyBatchCancel(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	doc := ti.sign(t, ti.qualification(t, "urn:uuid:b", "did:key:z6Mkh"))
	docs := make([][]byte, 200)
	for i := range docs {
		docs[i] = doc
	}
	ctx, cancel := context.WithCancel(context.Background())
	var seen int
	counting := KeyResolverFunc(func(ctx context.Context, vm string, p ProofPurpose) (*Key, error) {
		seen++
		if seen == 3 {
			cancel()
		}
		return nil, fmt.Errorf("%w: pass", ErrUnknownKey)
	})
	v := newVerifier(t, WithTrustedKey(ti.did()), WithKeyResolver(counting), WithWorkers(1))
	reps := v.VerifyBatch(ctx, docs)
	require.Len(t, reps, len(docs))
	canceled := 0
	for _, r := range reps {
		require.NotNil(t, r)
		if c := r.Check(CheckFormat); c != nil && c.Code == "canceled" {
			canceled++
			require.Equal(t, StatusIndeterminate, r.Status)
		}
	}
	require.Greater(t, canceled, 150, "work stops soon after the context ends")
	require.Less(t, seen, 10)
}

// The exported API of verify names no internal type (checked through
// reflection on the exported struct fields).
func TestKeyTypeIsPublic(t *testing.T) {
	typ := reflect.TypeOf(Key{}).Field(2).Type
	require.Equal(t, "github.com/badgeproof/badgeproof/keys", typ.Elem().PkgPath())
}
