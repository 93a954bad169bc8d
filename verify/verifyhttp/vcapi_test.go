package verifyhttp

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/issuer/issuehttp"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/badgeproof/badgeproof/verify"
	"github.com/stretchr/testify/require"
)

func postJSON(t *testing.T, h http.Handler, path string, body any) (int, map[string]json.RawMessage) {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path, bytes.NewReader(b)))
	out, _ := io.ReadAll(rec.Body)
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(out, &m), "%s", out)
	return rec.Code, m
}

// The VC-API round trip the W3C suites make: issue through
// POST /credentials/issue with the cryptosuite chosen in options, verify
// through POST /credentials/verify; a changed copy and a credential that
// breaks the data model are refused; presentations, with or without
// credentials, verify through POST /presentations/verify against the
// options' challenge and domain.
func TestVCAPIRoundTrip(t *testing.T) {
	ed, err := keys.Generate(keys.Ed25519)
	require.NoError(t, err)
	p256, err := keys.Generate(keys.P256)
	require.NoError(t, err)
	var signers []*issuer.Signer
	for _, c := range []struct {
		k     *keys.PrivateKey
		suite string
	}{{ed, issuer.EdDSARDFC2022}, {ed, issuer.EdDSAJCS2022}, {p256, issuer.ECDSARDFC2019}, {p256, issuer.ECDSAJCS2019}} {
		s, err := issuer.NewSigner(c.k, issuer.WithCryptosuite(c.suite))
		require.NoError(t, err)
		signers = append(signers, s)
	}
	ih, err := issuehttp.NewHandler(signers)
	require.NoError(t, err)
	v, err := verify.New(verify.WithTrustedKey(ed.PublicKey().DID()), verify.WithTrustedKey(p256.PublicKey().DID()), verify.WithOffline())
	require.NoError(t, err)
	vh, err := NewHandler(v, WithDomain("verifier.example"))
	require.NoError(t, err)

	cred := map[string]any{
		"@context":          []string{badge.ContextV2, "https://www.w3.org/ns/credentials/examples/v2"},
		"type":              []string{"VerifiableCredential", "ExampleAlumniCredential"},
		"validFrom":         "2025-01-01T00:00:00Z",
		"credentialSubject": map[string]any{"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
	}
	for _, s := range signers {
		t.Run(s.Cryptosuite(), func(t *testing.T) {
			code, res := postJSON(t, ih, "/credentials/issue", map[string]any{"credential": cred, "options": map[string]any{"cryptosuite": s.Cryptosuite(), "verificationMethod": s.VerificationMethod()}})
			require.Equal(t, http.StatusCreated, code, "%s", res)
			vc := res["verifiableCredential"]
			require.Contains(t, string(vc), `"cryptosuite":"`+s.Cryptosuite()+`"`)
			require.Contains(t, string(vc), `"issuer":"`+s.DID()+`"`)

			code, res = postJSON(t, vh, "/credentials/verify", map[string]any{"verifiableCredential": vc, "options": map[string]any{}})
			require.Equal(t, http.StatusOK, code, "%s", res)
			require.JSONEq(t, `true`, string(res["verified"]))
			require.Contains(t, string(res["checks"]), `"proof"`)
			require.JSONEq(t, `[]`, string(res["errors"]))

			changed := bytes.Replace(vc, []byte("The School of Examples"), []byte("The School of Exampels"), 1)
			code, res = postJSON(t, vh, "/credentials/verify", map[string]any{"verifiableCredential": json.RawMessage(changed)})
			require.Equal(t, http.StatusBadRequest, code)
			require.JSONEq(t, `false`, string(res["verified"]))
			var errs []ProblemDetail
			require.NoError(t, json.Unmarshal(res["errors"], &errs))
			require.Equal(t, "bad_signature", errs[0].Type)
		})
	}

	// The issuer refuses what breaks the data model, and unknown signers.
	for name, body := range map[string]any{
		"empty subject":   map[string]any{"credential": map[string]any{"@context": []string{badge.ContextV2}, "type": []string{"VerifiableCredential"}, "credentialSubject": map[string]any{}}},
		"id null":         map[string]any{"credential": map[string]any{"@context": []string{badge.ContextV2}, "type": []string{"VerifiableCredential"}, "id": nil, "credentialSubject": map[string]any{"id": "did:example:s"}}},
		"no type":         map[string]any{"credential": map[string]any{"@context": []string{badge.ContextV2}, "credentialSubject": map[string]any{"id": "did:example:s"}}},
		"redefined VC":    map[string]any{"credential": map[string]any{"@context": []any{badge.ContextV2, map[string]any{"VerifiableCredential": "https://example.org/#Bad"}}, "type": []string{"VerifiableCredential"}, "credentialSubject": map[string]any{"id": "did:example:s"}}},
		"other issuer":    map[string]any{"credential": map[string]any{"@context": []string{badge.ContextV2}, "type": []string{"VerifiableCredential"}, "issuer": "did:example:other", "credentialSubject": map[string]any{"id": "did:example:s"}}},
		"issuer null":     map[string]any{"credential": map[string]any{"@context": []string{badge.ContextV2}, "type": []string{"VerifiableCredential"}, "issuer": nil, "credentialSubject": map[string]any{"id": "did:example:s"}}},
		"unknown suite":   map[string]any{"credential": cred, "options": map[string]any{"cryptosuite": "bbs-2023"}},
		"not a document":  map[string]any{"credential": "x"},
		"no credential":   map[string]any{},
		"validFrom wrong": map[string]any{"credential": map[string]any{"@context": []string{badge.ContextV2}, "type": []string{"VerifiableCredential"}, "validFrom": "yesterday", "credentialSubject": map[string]any{"id": "did:example:s"}}},
	} {
		code, res := postJSON(t, ih, "/credentials/issue", body)
		require.Equal(t, http.StatusBadRequest, code, "%s: %s", name, res)
		require.NotEmpty(t, res["errors"], name)
	}

	// Presentations: the holder signs with eddsa-rdfc-2022, bound to the
	// options' challenge and domain.
	holderKey, err := keys.Generate(keys.Ed25519)
	require.NoError(t, err)
	holder, err := issuer.NewSigner(holderKey, issuer.WithCryptosuite(issuer.EdDSARDFC2022), issuer.WithClock(func() time.Time { return time.Now() }))
	require.NoError(t, err)
	_, res := postJSON(t, ih, "/credentials/issue", map[string]any{"credential": cred})
	vcParsed, err := badge.ParseCredential(res["verifiableCredential"], badge.Limits{})
	require.NoError(t, err)
	for name, creds := range map[string][]*badge.Credential{"one credential": {vcParsed}, "no credential": nil} {
		p, err := issuer.NewPresentation(holder.DID(), creds...)
		require.NoError(t, err)
		vp, err := holder.SignPresentation(p, "c-123", "recruit.example")
		require.NoError(t, err)
		code, res := postJSON(t, vh, "/presentations/verify", map[string]any{"verifiablePresentation": json.RawMessage(vp), "options": map[string]any{"challenge": "c-123", "domain": "recruit.example"}})
		require.Equal(t, http.StatusOK, code, "%s: %s", name, res)
		if name == "one credential" {
			// The credential's subject is not the holder, which the VC
			// data model allows: the report says so.
			require.Contains(t, string(res["checks"]), `"verifiableCredential[0].proof"`)
			require.Contains(t, string(res["report"]), "another subject")
		}
		code, res = postJSON(t, vh, "/presentations/verify", map[string]any{"verifiablePresentation": json.RawMessage(vp), "options": map[string]any{"challenge": "other", "domain": "recruit.example"}})
		require.Equal(t, http.StatusBadRequest, code)
		require.Contains(t, string(res["errors"]), "challenge_mismatch")
	}
	// A credential sent to the presentation endpoint and the reverse are
	// refused.
	code, _ := postJSON(t, vh, "/presentations/verify", map[string]any{"verifiablePresentation": json.RawMessage(res["verifiableCredential"])})
	require.Equal(t, http.StatusBadRequest, code)
}
