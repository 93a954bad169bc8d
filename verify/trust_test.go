package verify

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/anchor/ledger"
	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
)

func TestUnknownIssuerFails(t *testing.T) {
	known := newTestIssuer(t, keys.Ed25519)
	stranger := newTestIssuer(t, keys.Ed25519)
	signed := stranger.sign(t, stranger.qualification(t, "urn:uuid:stranger", "did:key:z6Mkh"))
	v := newVerifier(t, WithTrustList(trustList(t, known.trusted())))
	r := v.Verify(context.Background(), signed, Binding{})
	require.Equal(t, StatusFailed, r.Status)
	c := requireCheck(t, r, CheckIssuer, StatusFailed)
	require.ErrorIs(t, c.Err, ErrUntrustedIssuer)
	require.Contains(t, c.Message, "not in the trust list")
	// The signature itself is fine: only trust is missing.
	requireCheck(t, r, CheckSignature, StatusPassed)
}

func TestIssuerNotAllowedAchievementType(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	signed := ti.sign(t, ti.qualification(t, "urn:uuid:type", "did:key:z6Mkh"))

	r := newVerifier(t, WithTrustList(trustList(t, ti.trusted(badge.AchievementTypeDegree)))).Verify(context.Background(), signed, Binding{})
	require.Equal(t, StatusFailed, r.Status)
	c := requireCheck(t, r, CheckIssuer, StatusFailed)
	require.ErrorIs(t, c.Err, ErrNotAuthorized)
	require.Contains(t, c.Message, `"License"`)

	r = newVerifier(t, WithTrustList(trustList(t, ti.trusted(badge.AchievementTypeDegree, badge.AchievementTypeLicense)))).Verify(context.Background(), signed, Binding{})
	require.Equal(t, StatusVerified, r.Status, "%+v", r.Checks)
}

// anchoredBadge signs a badge and anchors it on a ledger whose clock says
// anchoredAt, returning the badge and the ledger.
func anchoredBadge(t *testing.T, ti *testIssuer, anchoredAt time.Time) ([]byte, *ledger.Ledger) {
	t.Helper()
	l, err := ledger.Open(t.TempDir(), ledger.WithClock(func() time.Time { return anchoredAt }))
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	signed, err := badge.ParseCredential(ti.sign(t, ti.qualification(t, "urn:uuid:anchored-retired", "did:key:z6Mkh")), badge.Limits{})
	require.NoError(t, err)
	b, err := issuer.NewBatch(l.Publisher(ti.did()), issuer.WithBatchSigner(ti.signer))
	require.NoError(t, err)
	out, rec, err := b.Issue(context.Background(), []*badge.Credential{signed})
	require.NoError(t, err)
	require.True(t, rec.Time.Equal(anchoredAt))
	return out[0], l
}

func TestRetiredKeyAndAnchorTime(t *testing.T) {
	ti := newTestIssuer(t, keys.Ed25519)
	anchoredAt := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	doc, l := anchoredBadge(t, ti, anchoredAt)
	plain := ti.sign(t, ti.qualification(t, "urn:uuid:not-anchored", "did:key:z6Mkh"))

	retiredAt := func(at time.Time) *TrustList {
		te := ti.trusted()
		te.Keys[0].Retired = &at
		return trustList(t, te)
	}
	ctx := context.Background()

	// Retired after the anchor: the anchor proves the badge was signed
	// while the key was in service.
	r := newVerifier(t, WithTrustList(retiredAt(anchoredAt.Add(24*time.Hour))), WithAnchorResolver(l)).Verify(ctx, doc, Binding{})
	require.Equal(t, StatusVerified, r.Status, "%+v", r.Checks)
	requireCheck(t, r, CheckAnchor, StatusPassed)
	require.Contains(t, requireCheck(t, r, CheckIssuer, StatusPassed).Message, "proves the badge existed before")

	// Retired before the anchor: the badge may have been signed with a
	// compromised key.
	r = newVerifier(t, WithTrustList(retiredAt(anchoredAt.Add(-time.Hour))), WithAnchorResolver(l)).Verify(ctx, doc, Binding{})
	require.Equal(t, StatusFailed, r.Status)
	require.ErrorIs(t, requireCheck(t, r, CheckIssuer, StatusFailed).Err, ErrKeyRetired)

	// No anchor: nothing proves when it was signed, so a retired key fails.
	r = newVerifier(t, WithTrustList(retiredAt(anchoredAt.Add(24*time.Hour)))).Verify(ctx, plain, Binding{})
	require.Equal(t, StatusFailed, r.Status)
	c := requireCheck(t, r, CheckIssuer, StatusFailed)
	require.ErrorIs(t, c.Err, ErrKeyRetired)
	require.Contains(t, c.Message, "no anchor")
}

// signTrustList publishes tl as a credential signed by root.
func signTrustList(t *testing.T, root *testIssuer, tl TrustList) []byte {
	t.Helper()
	doc, err := json.Marshal(map[string]any{
		"@context":          []string{badge.ContextV2},
		"id":                "urn:uuid:kr-trust-list-2026",
		"type":              []string{"VerifiableCredential", "TrustListCredential"},
		"issuer":            root.did(),
		"validFrom":         "2026-01-01T00:00:00Z",
		"validUntil":        "2027-01-01T00:00:00Z",
		"credentialSubject": tl,
	})
	require.NoError(t, err)
	c, err := badge.ParseCredential(doc, badge.Limits{})
	require.NoError(t, err)
	return root.sign(t, c)
}

func TestSignedTrustList(t *testing.T) {
	root := newTestIssuer(t, keys.P256)
	ti := newTestIssuer(t, keys.Ed25519)
	signed := signTrustList(t, root, TrustList{Name: "Digital badge issuers", NameKo: "디지털 배지 발급기관", Issuers: []TrustedIssuer{ti.trusted(badge.AchievementTypeLicense)}})

	tl, err := ParseSignedTrustList(signed, []string{root.did()}, fixedNow)
	require.NoError(t, err)
	require.Equal(t, "urn:uuid:kr-trust-list-2026", tl.ID)
	require.NotNil(t, tl.Issuer(ti.did()))
	// The root may also be given as a Multikey.
	_, err = ParseSignedTrustList(signed, []string{root.key.PublicKey().Multibase()}, fixedNow)
	require.NoError(t, err)

	badgeDoc := ti.sign(t, ti.qualification(t, "urn:uuid:tl", "did:key:z6Mkh"))
	r := newVerifier(t, WithTrustList(tl)).Verify(context.Background(), badgeDoc, Binding{})
	require.Equal(t, StatusVerified, r.Status, "%+v", r.Checks)
	require.Equal(t, "한국산업인력공단", r.Issuer.NameKo)

	// A wrong root refuses it.
	_, err = ParseSignedTrustList(signed, []string{newTestIssuer(t, keys.P256).did()}, fixedNow)
	require.ErrorIs(t, err, ErrTrustList)
	require.Contains(t, err.Error(), "not signed by a root key")

	// Tampered: an attacker adds their own issuer to the signed list.
	attacker := newTestIssuer(t, keys.Ed25519)
	var m map[string]any
	require.NoError(t, json.Unmarshal(signed, &m))
	subj := m["credentialSubject"].(map[string]any)
	att, _ := json.Marshal(attacker.trusted())
	var attEntry any
	require.NoError(t, json.Unmarshal(att, &attEntry))
	subj["issuers"] = append(subj["issuers"].([]any), attEntry)
	tampered, err := json.Marshal(m)
	require.NoError(t, err)
	_, err = ParseSignedTrustList(tampered, []string{root.did()}, fixedNow)
	require.ErrorIs(t, err, ErrTrustList)
	require.Contains(t, err.Error(), "root signature")

	// One changed character of a name is enough.
	renamed := []byte(strings.Replace(string(signed), "HRD Korea", "HRD Korex", 1))
	_, err = ParseSignedTrustList(renamed, []string{root.did()}, fixedNow)
	require.ErrorIs(t, err, ErrTrustList)

	// Expired.
	_, err = ParseSignedTrustList(signed, []string{root.did()}, time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC))
	require.ErrorIs(t, err, ErrTrustList)
	require.Contains(t, err.Error(), "expired")

	// No root at all is an error, not an unchecked list.
	_, err = ParseSignedTrustList(signed, nil, fixedNow)
	require.ErrorIs(t, err, ErrTrustList)
}
