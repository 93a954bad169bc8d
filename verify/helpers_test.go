package verify

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/stretchr/testify/require"
)

const vectors = "../testdata/vectors"

func readVector(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(vectors, path))
	require.NoError(t, err)
	return b
}

var fixedNow = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

func clock() time.Time { return fixedNow }

// testIssuer is an issuer with a key and a signer.
type testIssuer struct {
	key    *keys.PrivateKey
	signer *issuer.Signer
}

func newTestIssuer(t testing.TB, typ keys.Type) *testIssuer {
	t.Helper()
	k, err := keys.Generate(typ)
	require.NoError(t, err)
	s, err := issuer.NewSigner(k, issuer.WithClock(clock))
	require.NoError(t, err)
	return &testIssuer{key: k, signer: s}
}

func (ti *testIssuer) did() string { return ti.key.PublicKey().DID() }

// qualification builds an unsigned national qualification badge for holder.
func (ti *testIssuer) qualification(t testing.TB, id, holder string) *badge.Credential {
	t.Helper()
	c, err := badge.NationalQualification{
		Common: badge.Common{ID: id, Issuer: badge.Profile{ID: ti.did(), Name: badge.AgencyHRDKorea()}, HolderID: holder,
			ValidFrom: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)},
		ItemCode: "1320", ItemName: "정보처리", ItemNameEn: "Information Processing", Grade: "기사", GradeEn: "Engineer",
		LicenceNumber: "25201001234A", PassDate: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC),
	}.Credential()
	require.NoError(t, err)
	return c
}

func (ti *testIssuer) sign(t testing.TB, c *badge.Credential) []byte {
	t.Helper()
	b, err := ti.signer.SignCredential(c)
	require.NoError(t, err)
	return b
}

func (ti *testIssuer) trusted(types ...string) TrustedIssuer {
	pk := ti.key.PublicKey()
	return TrustedIssuer{ID: ti.did(), Name: "HRD Korea", NameKo: "한국산업인력공단", AchievementTypes: types,
		Keys: []TrustedKey{{ID: pk.VerificationMethod(), PublicKeyMultibase: pk.Multibase()}}}
}

func trustList(t testing.TB, issuers ...TrustedIssuer) *TrustList {
	t.Helper()
	b, err := json.Marshal(TrustList{Issuers: issuers})
	require.NoError(t, err)
	tl, err := ParseUnsignedTrustList(b)
	require.NoError(t, err)
	return tl
}

// newVerifier builds a Verifier with opts, on the tests' clock unless opts
// set one, and without a trust list unless opts give trust material.
func newVerifier(t testing.TB, opts ...Option) *Verifier {
	t.Helper()
	var given config
	for _, o := range opts {
		_ = o(&given)
	}
	if !given.given["WithClock"] {
		opts = append(opts, WithClock(clock))
	}
	if given.trust == nil && len(given.trustedKeys) == 0 && !given.skipIssuerTrust && !given.noTrustList {
		opts = append(opts, WithoutTrustList())
	}
	v, err := New(opts...)
	require.NoError(t, err)
	return v
}

func requireCheck(t testing.TB, r *Report, id CheckID, want Status) *Check {
	t.Helper()
	c := r.Check(id)
	require.NotNil(t, c, "report has no %s check: %+v", id, r.Checks)
	require.Equal(t, want, c.Status, "%s: %s", id, c.Message)
	return c
}
