package verify_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/badgeproof/badgeproof/verify"
)

// A VC 2.0 credential that uses terms no context defines names the
// undefined-terms context last, as the data model requires; it is served
// locally, so the credential signs and verifies with an RDFC suite, and
// the undefined property is signed (changing it breaks the signature).
func TestUndefinedTermsContext(t *testing.T) {
	ctx := context.Background()
	k, err := keys.Generate(keys.Ed25519)
	require.NoError(t, err)
	for _, suite := range []string{issuer.EdDSARDFC2022, issuer.EdDSAJCS2022} {
		t.Run(suite, func(t *testing.T) {
			s, err := issuer.NewSigner(k, issuer.WithCryptosuite(suite))
			require.NoError(t, err)
			doc := []byte(`{"@context":["` + badge.ContextV2 + `","` + badge.ContextUndefinedTerms + `"],` +
				`"id":"urn:uuid:5b0c1d2e-0000-4000-8000-000000000001","type":["VerifiableCredential","TrainingRecord"],"issuer":"` + s.DID() + `",` +
				`"validFrom":"2026-01-02T00:00:00Z","credentialSubject":{"id":"did:example:trainee","hoursCompleted":"40"}}`)
			c, err := badge.ParseCredential(doc, badge.Limits{})
			require.NoError(t, err)
			signed, err := s.SignCredential(c)
			require.NoError(t, err)
			v, err := verify.New(verify.WithTrustedKey(s.DID()))
			require.NoError(t, err)
			r := v.Verify(ctx, signed, verify.Binding{})
			require.Equal(t, verify.StatusVerified, r.Status, "%+v", r.Checks)

			changed := bytes.Replace(signed, []byte(`"40"`), []byte(`"400"`), 1)
			require.NotEqual(t, string(signed), string(changed))
			r = v.Verify(ctx, changed, verify.Binding{})
			require.Equal(t, verify.StatusFailed, r.Status)
			require.Equal(t, "bad_signature", r.Check(verify.CheckSignature).Code)
		})
	}
}
