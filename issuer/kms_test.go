package issuer_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"io"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/badgeproof/badgeproof/verify"
	"github.com/stretchr/testify/require"
)

// remoteKey stands in for a key in a KMS or an HSM: the SDK sees only its
// crypto.Signer, and it counts the signatures it was asked for.
type remoteKey struct {
	inner crypto.Signer
	calls int
}

func (k *remoteKey) Public() crypto.PublicKey { return k.inner.Public() }
func (k *remoteKey) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	k.calls++
	return k.inner.Sign(r, digest, opts)
}

func testBadge(t *testing.T, issuerID string) *badge.Credential {
	t.Helper()
	c, err := badge.TrainingCompletion{
		Common: badge.Common{ID: "urn:uuid:0b6e6d2c", Issuer: badge.Profile{ID: issuerID, Name: badge.NewText("직업훈련기관", "Training Provider")},
			HolderID: "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp", ValidFrom: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)},
		CourseID: "AIG20260000123456", Course: "클라우드 엔지니어 양성과정", CourseEn: "Cloud Engineer Course", Hours: 480, Provider: "한국폴리텍대학", ProviderEn: "Korea Polytechnics", Completed: time.Date(2026, 10, 30, 0, 0, 0, 0, time.UTC),
	}.Credential()
	require.NoError(t, err)
	return c
}

// Keys the standard library makes, and keys behind an opaque crypto.Signer,
// sign badges that verify with the Verifier trusting their did:key.
func TestSignerWithAnyCryptoSigner(t *testing.T) {
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	k1, err := keys.Generate(keys.Secp256k1)
	require.NoError(t, err)
	for name, key := range map[string]crypto.Signer{
		"ed25519 (stdlib)": edKey, "P-256 (stdlib)": p256, "P-384 (stdlib)": p384,
		"secp256k1 (remote)": &remoteKey{inner: k1}, "P-256 (remote)": &remoteKey{inner: p256},
	} {
		t.Run(name, func(t *testing.T) {
			s, err := issuer.NewSigner(key)
			require.NoError(t, err)
			signed, err := s.SignCredential(testBadge(t, s.DID()))
			require.NoError(t, err)
			if r, ok := key.(*remoteKey); ok {
				require.Equal(t, 1, r.calls, "one signature per badge")
			}
			v, err := verify.New(verify.WithTrustedKey(s.DID()), verify.WithOffline())
			require.NoError(t, err)
			rep := v.Verify(context.Background(), signed, verify.Binding{})
			require.Equal(t, verify.StatusVerified, rep.Status, "%+v", rep.Checks)
		})
	}
}

// liar claims one public key and signs with another.
type liar struct{ claimed, actual crypto.Signer }

func (l liar) Public() crypto.PublicKey { return l.claimed.Public() }
func (l liar) Sign(r io.Reader, d []byte, o crypto.SignerOpts) ([]byte, error) {
	return l.actual.Sign(r, d, o)
}

// A signer whose signatures do not match its public key never produces a
// badge; a key type the SDK does not sign with is refused at NewSigner.
func TestSignerRefusesBadKeys(t *testing.T) {
	a, err := keys.Generate(keys.P256)
	require.NoError(t, err)
	b, err := keys.Generate(keys.P256)
	require.NoError(t, err)
	s, err := issuer.NewSigner(liar{claimed: a, actual: b})
	require.NoError(t, err)
	_, err = s.SignCredential(testBadge(t, s.DID()))
	require.ErrorContains(t, err, "does not verify")

	p521, err := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	require.NoError(t, err)
	_, err = issuer.NewSigner(p521)
	require.ErrorIs(t, err, keys.ErrUnsupported)
	_, err = issuer.NewSigner(nil)
	require.Error(t, err)
}
