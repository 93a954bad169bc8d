package verify

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/stretchr/testify/require"
)

var w3cSigned = []string{
	"w3c-di/ecdsa-jcs-2019/ecdsa-jcs-2019-p256/signedJCSECDSAP256.json",
	"w3c-di/ecdsa-jcs-2019/ecdsa-jcs-2019-p384/signedJCSECDSAP384.json",
	"w3c-di/eddsa-jcs-2022/eddsa-jcs-2022/signedJCS.json",
}

// vectorTrust lists the W3C vectors' issuer with the vector's key.
func vectorTrust(t *testing.T, signed []byte) *TrustList {
	c, err := badge.ParseCredential(signed, badge.Limits{})
	require.NoError(t, err)
	pk, err := keys.ParseDIDKey(c.Proofs[0].VerificationMethod)
	require.NoError(t, err)
	return trustList(t, TrustedIssuer{ID: c.Issuer.ID, Name: "Example issuer",
		Keys: []TrustedKey{{ID: c.Proofs[0].VerificationMethod, PublicKeyMultibase: pk.Multibase()}}})
}

func TestW3CVectorsVerify(t *testing.T) {
	for _, f := range w3cSigned {
		t.Run(f, func(t *testing.T) {
			signed := readVector(t, f)
			v := newVerifier(t, WithTrustList(vectorTrust(t, signed)))
			r := v.Verify(context.Background(), signed, Binding{})
			require.Equal(t, StatusVerified, r.Status, "%+v", r.Checks)
			require.True(t, r.Verified)
			requireCheck(t, r, CheckSignature, StatusPassed)
			requireCheck(t, r, CheckIssuer, StatusPassed)
			requireCheck(t, r, CheckValidity, StatusPassed)
			requireCheck(t, r, CheckMerkle, StatusSkipped)
			require.NoError(t, r.Err())

			// Without a trust list the signature verifies but nothing ties
			// the did:key to the URL issuer: indeterminate, never verified.
			bare := newVerifier(t).Verify(context.Background(), signed, Binding{})
			require.Equal(t, StatusIndeterminate, bare.Status)
		})
	}
}

// TestW3CVectorsEveryByteMatters changes each byte of each signed vector in
// turn; no changed document may verify.
func TestW3CVectorsEveryByteMatters(t *testing.T) {
	for _, f := range w3cSigned {
		signed := readVector(t, f)
		v := newVerifier(t, WithTrustList(vectorTrust(t, signed)))
		changed := 0
		for i := range signed {
			for _, delta := range []byte{1, 0x20} {
				mutated := append([]byte(nil), signed...)
				mutated[i] ^= delta
				r := v.Verify(context.Background(), mutated, Binding{})
				if r.Status == StatusVerified {
					// Only changes JSON cannot see may keep the verdict:
					// whitespace swapped for whitespace between tokens.
					require.True(t, isInsignificant(signed, mutated, i), "%s: byte %d (%q -> %q) changed and still verified", f, i, signed[i], mutated[i])
					continue
				}
				changed++
			}
		}
		require.Greater(t, changed, len(signed))
	}
}

func isInsignificant(orig, mutated []byte, i int) bool {
	ws := func(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }
	return ws(orig[i]) && ws(mutated[i])
}

func TestAllCurvesSignAndVerify(t *testing.T) {
	for _, typ := range []keys.Type{keys.Ed25519, keys.P256, keys.P384, keys.Secp256k1} {
		t.Run(string(typ), func(t *testing.T) {
			is := newTestIssuer(t, typ)
			signed := is.sign(t, is.qualification(t, "urn:uuid:"+string(typ), "did:key:z6MkholderX"))
			v := newVerifier(t, WithTrustedKey(is.did()))
			r := v.Verify(context.Background(), signed, Binding{})
			require.Equal(t, StatusVerified, r.Status, "%+v", r.Checks)
			suite := "ecdsa-jcs-2019"
			if typ == keys.Ed25519 {
				suite = "eddsa-jcs-2022"
			}
			require.Contains(t, r.Check(CheckSignature).Message, suite)
			tampered := strings.Replace(string(signed), "25201001234A", "25201001234B", 1)
			r = v.Verify(context.Background(), []byte(tampered), Binding{})
			require.Equal(t, StatusFailed, r.Status)
			c := requireCheck(t, r, CheckSignature, StatusFailed)
			require.ErrorIs(t, c.Err, ErrBadSignature)
			require.ErrorIs(t, r.Err(), ErrBadSignature)
		})
	}
}

func TestProofSet(t *testing.T) {
	a := newTestIssuer(t, keys.Ed25519)
	b := newTestIssuer(t, keys.P256)
	c := a.qualification(t, "urn:uuid:set", "did:key:z6Mkholder")
	once := a.sign(t, c)
	parsed, err := badge.ParseCredential(once, badge.Limits{})
	require.NoError(t, err)
	// b signs as a second proof, with a verification method of a's DID so
	// that the key belongs to the issuer in the trust list.
	twice := b.sign(t, parsed)
	set, err := badge.ParseCredential(twice, badge.Limits{})
	require.NoError(t, err)
	require.Len(t, set.Proofs, 2)
	// b's key is not a's: b's valid signature stands beside the issuer's
	// as another party's (an endorser's), never counted as the issuer's.
	v := newVerifier(t, WithTrustedKey(a.did()), WithTrustedKey(b.did()))
	r := v.Verify(context.Background(), twice, Binding{})
	require.Equal(t, StatusVerified, r.Status, "%+v", r.Checks)
	require.Equal(t, []SignerSummary{
		{Proof: 0, Suite: "eddsa-jcs-2022", VerificationMethod: a.key.PublicKey().VerificationMethod(), Controller: a.did(), Role: RoleIssuer},
		{Proof: 1, Suite: "ecdsa-jcs-2019", VerificationMethod: b.key.PublicKey().VerificationMethod(), Controller: b.did(), Role: RoleOther},
	}, r.Signers)
	require.Contains(t, r.Check(CheckSignature).Message, "proof[1]")
	require.Contains(t, r.Check(CheckSignature).Message, "not the issuer")
	// Without the issuer's own proof, b's valid signature fails the
	// signature check with key_not_issuer, not bad_signature.
	var only map[string]any
	require.NoError(t, json.Unmarshal(twice, &only))
	only["proof"] = only["proof"].([]any)[1]
	bOnly, err := json.Marshal(only)
	require.NoError(t, err)
	r = v.Verify(context.Background(), bOnly, Binding{})
	sig := requireCheck(t, r, CheckSignature, StatusFailed)
	require.ErrorIs(t, sig.Err, ErrKeyNotIssuer)
	require.Equal(t, "key_not_issuer", sig.Code)

	// Proof set [a, a]: build from the single-proof badge.
	double, err := a.signer.SignCredential(parsed)
	require.NoError(t, err)
	r = v.Verify(context.Background(), double, Binding{})
	require.Equal(t, StatusVerified, r.Status, "%+v", r.Checks)
	require.Contains(t, r.Check(CheckSignature).Message, "proof[0]")
	require.Contains(t, r.Check(CheckSignature).Message, "proof[1]")
	// Break the second proof only: the set fails.
	var m map[string]any
	require.NoError(t, json.Unmarshal(double, &m))
	proofs := m["proof"].([]any)
	pv := proofs[1].(map[string]any)["proofValue"].(string)
	proofs[1].(map[string]any)["proofValue"] = pv[:len(pv)-2] + "11"
	broken, _ := json.Marshal(m)
	r = v.Verify(context.Background(), broken, Binding{})
	require.Equal(t, StatusFailed, r.Status)
	require.Contains(t, r.Check(CheckSignature).Message, "proof[1]")
}

func TestNoProofNeverVerified(t *testing.T) {
	is := newTestIssuer(t, keys.Ed25519)
	c := is.qualification(t, "urn:uuid:unsigned", "did:key:z6Mkholder")
	r := newVerifier(t, WithTrustedKey(is.did())).Verify(context.Background(), c.Raw(), Binding{})
	require.Equal(t, StatusFailed, r.Status)
	require.ErrorIs(t, requireCheck(t, r, CheckSignature, StatusFailed).Err, ErrNoProof)
	// every other check still ran
	require.Len(t, r.Checks, len(Checks()))
}

func TestKeySuiteConfusionFails(t *testing.T) {
	is := newTestIssuer(t, keys.P256)
	signed := is.sign(t, is.qualification(t, "urn:uuid:conf", "did:key:z6Mkholder"))
	confused := strings.Replace(string(signed), "ecdsa-jcs-2019", "eddsa-jcs-2022", 1)
	r := newVerifier(t, WithTrustedKey(is.did())).Verify(context.Background(), []byte(confused), Binding{})
	require.Equal(t, StatusFailed, r.Status)
	require.ErrorIs(t, r.Check(CheckSignature).Err, ErrKeyMismatch)
}

func TestFailuresDoNotHideEachOther(t *testing.T) {
	is := newTestIssuer(t, keys.Ed25519)
	c := is.qualification(t, "urn:uuid:many", "did:key:z6Mkholder")
	signed := is.sign(t, c)
	tampered := strings.Replace(string(signed), "25201001234A", "X", 1)
	// expired by the clock, tampered, and from an issuer nobody trusts
	v := newVerifier(t, WithTrustedKey(newTestIssuer(t, keys.Ed25519).did()), WithClock(func() time.Time { return time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC) }))
	r := v.Verify(context.Background(), []byte(tampered), Binding{})
	require.Equal(t, StatusFailed, r.Status)
	requireCheck(t, r, CheckSignature, StatusFailed)
	requireCheck(t, r, CheckIssuer, StatusFailed)
	require.ErrorIs(t, requireCheck(t, r, CheckValidity, StatusFailed).Err, ErrNotYetValid)
	require.ErrorIs(t, r.Err(), ErrUntrustedIssuer)
	require.ErrorIs(t, r.Err(), ErrBadSignature)
}

func TestValidity(t *testing.T) {
	is := newTestIssuer(t, keys.Ed25519)
	c, err := badge.TrainingCompletion{Common: badge.Common{ID: "urn:uuid:exp", Issuer: badge.Profile{ID: is.did()}, HolderID: "did:key:z6Mkh",
		ValidFrom: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), ValidUntil: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)},
		CourseID: "C1", Course: "과정", CourseEn: "Course", Hours: 10}.Credential()
	require.NoError(t, err)
	signed := is.sign(t, c)
	for _, tc := range []struct {
		now  time.Time
		want Status
		err  error
	}{
		{time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), StatusFailed, ErrNotYetValid},
		{time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), StatusPassed, nil},
		{time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), StatusFailed, ErrExpired},
	} {
		now := tc.now
		r := newVerifier(t, WithTrustedKey(is.did()), WithClock(func() time.Time { return now })).Verify(context.Background(), signed, Binding{})
		chk := requireCheck(t, r, CheckValidity, tc.want)
		if tc.err != nil {
			require.ErrorIs(t, chk.Err, tc.err)
			require.Equal(t, StatusFailed, r.Status)
		} else {
			require.Equal(t, StatusVerified, r.Status)
		}
	}
}

func TestBadInputGetsAReport(t *testing.T) {
	v := newVerifier(t)
	for _, in := range []string{"", "null", "{", `{"a":1,"a":2}`, `[]`, strings.Repeat("[", 10000), `{"type":"VerifiablePresentation"}`} {
		r := v.Verify(context.Background(), []byte(in), Binding{})
		require.NotNil(t, r)
		require.Equal(t, StatusFailed, r.Status, in)
		require.ErrorIs(t, requireCheck(t, r, CheckFormat, StatusFailed).Err, ErrMalformed)
		b, err := json.Marshal(r)
		require.NoError(t, err)
		require.Contains(t, string(b), `"status":"failed"`)
	}
}

func TestOptionsValidated(t *testing.T) {
	_, err := New(WithTrustedKey("did:key:zzz"))
	require.Error(t, err)
	_, err = New(WithoutIssuerTrustUnsafe(), WithTrustedKey(newTestIssuer(t, keys.Ed25519).did()))
	require.Error(t, err)
	_, err = New(WithWorkers(0))
	require.Error(t, err)
	_, err = New(WithClock(nil))
	require.Error(t, err)
}

func TestVerifyBatchOrder(t *testing.T) {
	is := newTestIssuer(t, keys.Ed25519)
	var docs [][]byte
	for i := 0; i < 50; i++ {
		c := is.qualification(t, "urn:uuid:b"+string(rune('a'+i%26))+strings.Repeat("x", i), "did:key:z6Mkh")
		docs = append(docs, is.sign(t, c))
	}
	docs[17] = []byte("{bad")
	reports := newVerifier(t, WithTrustedKey(is.did()), WithWorkers(4)).VerifyBatch(context.Background(), docs)
	require.Len(t, reports, 50)
	for i, r := range reports {
		if i == 17 {
			require.Equal(t, StatusFailed, r.Status)
			continue
		}
		require.Equal(t, StatusVerified, r.Status)
		require.Equal(t, "urn:uuid:b"+string(rune('a'+i%26))+strings.Repeat("x", i), r.Credential.ID)
	}
}
