package verify

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
)

// An SD-JWT VC as issued (no key binding JWT) is a presentation only when
// the caller names a challenge: then it fails key_binding_failed. A caller
// that only decides challenges (AcceptChallenge, as a service taking
// credentials and presentations alike) gets it checked as a credential on
// its own, and is not asked about any challenge.
func TestSDJWTWithoutKeyBindingAndBinding(t *testing.T) {
	ik, err := keys.Generate(keys.P256)
	require.NoError(t, err)
	hk, err := keys.Generate(keys.Ed25519)
	require.NoError(t, err)
	s, err := issuer.NewJOSESigner(ik, issuer.WithJOSEClock(clock))
	require.NoError(t, err)
	sd, err := s.IssueSDJWT(ik.PublicKey().DID(), qualificationClaims(), issuer.SDJWTOptions{VCT: issuer.BadgeVCT,
		Disclosable: []string{"licenceNumber"}, Holder: hk.Public()})
	require.NoError(t, err)
	v := newVerifier(t, WithTrustedKey(ik.PublicKey().DID()), WithOffline())
	ctx := context.Background()

	r := v.Verify(ctx, []byte(sd), Binding{Challenge: "c", Domain: "https://hr.example"})
	require.False(t, r.Verified)
	require.Equal(t, "key_binding_failed", requireCheck(t, r, CheckHolder, StatusFailed).Code)

	asked := false
	r = v.Verify(ctx, []byte(sd), Binding{Domain: "https://hr.example", AcceptChallenge: func(string) error { asked = true; return nil }})
	require.True(t, r.Verified, "%+v", r.Checks)
	requireCheck(t, r, CheckHolder, StatusSkipped)
	require.False(t, asked)

	r = v.Verify(ctx, []byte(sd), Binding{})
	require.True(t, r.Verified)
}
