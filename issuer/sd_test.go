package issuer_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/badgeproof/badgeproof/verify"
	"github.com/stretchr/testify/require"
)

// The issuer signs an ecdsa-sd-2023 base proof; the holder derives a
// disclosure revealing the licence number but not the holder's name; the
// verifier accepts both, and refuses a changed disclosure.
func TestSelectiveDisclosure(t *testing.T) {
	for _, typ := range []keys.Type{keys.P256, keys.P384} {
		k, err := keys.Generate(typ)
		require.NoError(t, err)
		s, err := issuer.NewSigner(k, issuer.WithCryptosuite(issuer.ECDSASD2023), issuer.WithMandatoryPointers("/issuer", "/validFrom", "/id", "/name", "/credentialSubject/achievement"), issuer.WithClock(fixedClock))
		require.NoError(t, err)
		c := qualification(t, s.DID())
		base, err := s.SignCredential(c)
		require.NoError(t, err)
		v, err := verify.New(verify.WithTrustedKey(s.DID()), verify.WithOffline(), verify.WithClock(fixedClock), verify.WithoutSchemaValidation())
		require.NoError(t, err)
		// The holder checks the base proof; a verifier refuses it.
		require.NoError(t, issuer.VerifyBaseProof(base, s.PublicKey(), nil))
		other, _ := keys.Generate(typ)
		require.Error(t, issuer.VerifyBaseProof(base, other.PublicKey(), nil))
		r := v.Verify(context.Background(), base, verify.Binding{})
		require.Equal(t, "bad_signature", r.Check(verify.CheckSignature).Code, "%+v", r.Checks)
		require.Contains(t, r.Check(verify.CheckSignature).Message, "only derived proofs")

		disclosed, err := issuer.DeriveDisclosure(base, []string{"/credentialSubject/activityEndDate"}, nil)
		require.NoError(t, err)
		require.NotContains(t, string(disclosed), "25201001234A", "the licence number was not selected")
		r = v.Verify(context.Background(), disclosed, verify.Binding{})
		require.NotNil(t, r.Check(verify.CheckSignature), "%+v\n%s", r.Checks, disclosed)
		require.Equal(t, verify.StatusPassed, r.Check(verify.CheckSignature).Status, "%s: %+v\n%s", typ, r.Checks, disclosed)
		require.Contains(t, string(disclosed), "2025-12-01T00:00:00Z", "the selected claim is revealed")

		changed := bytes.Replace(disclosed, []byte("2025-12-01T00:00:00Z"), []byte("2025-12-02T00:00:00Z"), 1)
		require.NotEqual(t, disclosed, changed)
		r = v.Verify(context.Background(), changed, verify.Binding{})
		require.Equal(t, "bad_signature", r.Check(verify.CheckSignature).Code)

		_, err = issuer.DeriveDisclosure(base, []string{"/credentialSubject/nothing"}, nil)
		require.True(t, errors.Is(err, issuer.ErrPointer), "%v", err)
	}
	ed, _ := keys.Generate(keys.Ed25519)
	_, err := issuer.NewSigner(ed, issuer.WithCryptosuite(issuer.ECDSASD2023))
	require.Error(t, err)
	p, _ := keys.Generate(keys.P256)
	_, err = issuer.NewSigner(p, issuer.WithMandatoryPointers("/issuer"))
	require.Error(t, err, "mandatory pointers without ecdsa-sd-2023")
}
