package issuer

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/dataintegrity"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/stretchr/testify/require"
)

func TestSignAllCurvesAndProofSet(t *testing.T) {
	c, err := badge.ParseCredential([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],
		"issuer":"did:example:x","credentialSubject":{"id":"did:example:y"},"x-unknown":{"kept":true}}`), badge.Limits{})
	require.NoError(t, err)
	doc := c
	var signers []*Signer
	for _, typ := range []keys.Type{keys.Ed25519, keys.P256, keys.P384, keys.Secp256k1} {
		k, err := keys.Generate(typ)
		require.NoError(t, err)
		s, err := NewSigner(k, WithClock(func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }))
		require.NoError(t, err)
		require.Equal(t, dataintegrity.SuiteFor(typ), s.Cryptosuite())
		b, err := s.SignCredential(doc)
		require.NoError(t, err)
		doc, err = badge.ParseCredential(b, badge.Limits{})
		require.NoError(t, err)
		signers = append(signers, s)
	}
	require.Len(t, doc.Proofs, 4)
	require.JSONEq(t, `{"kept":true}`, string(doc.Members()["x-unknown"]))
	for i, p := range doc.Proofs {
		require.Equal(t, signers[i].VerificationMethod(), p.VerificationMethod)
		require.NoError(t, dataintegrity.Verify(signers[i].PublicKey(), doc.Unsigned(), p.Members()), "proof %d", i)
	}
}

func TestPresentationNeedsBinding(t *testing.T) {
	k, err := keys.Generate(keys.Ed25519)
	require.NoError(t, err)
	s, err := NewSigner(k)
	require.NoError(t, err)
	p, err := badge.ParsePresentation([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"]}`), badge.Limits{})
	require.NoError(t, err)
	_, err = s.SignPresentation(p, "", "")
	require.Error(t, err)
	b, err := s.SignPresentation(p, "c-123", "jobs.example.kr")
	require.NoError(t, err)
	var m struct {
		Proof map[string]any `json:"proof"`
	}
	require.NoError(t, json.Unmarshal(b, &m))
	require.Equal(t, "authentication", m.Proof["proofPurpose"])
	require.Equal(t, "c-123", m.Proof["challenge"])
	require.Equal(t, "jobs.example.kr", m.Proof["domain"])
}
