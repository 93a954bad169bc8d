package verify

import (
	"context"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/badgeproof/badgeproof/internal/dataintegrity"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/stretchr/testify/require"
)

// signRaw signs a document however it breaks the data model (the issuer
// would refuse it), so the verifier's own check is what is tested.
func signRaw(t *testing.T, k *keys.PrivateKey, doc string) []byte {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(doc), &m))
	proof, err := dataintegrity.Sign(k, k.PublicKey(), m, dataintegrity.Options{})
	require.NoError(t, err)
	pb, err := json.Marshal(proof)
	require.NoError(t, err)
	m["proof"] = pb
	out, err := json.Marshal(m)
	require.NoError(t, err)
	return out
}

// Each VC 2.0 MUST the W3C test suite checks fails the verifier's format
// check when broken, even under a valid signature by a trusted key; the
// same document without the break verifies.
func TestVerifierEnforcesDataModel(t *testing.T) {
	k, err := keys.Generate(keys.Ed25519)
	require.NoError(t, err)
	did := k.PublicKey().DID()
	v := newVerifier(t, WithTrustedKey(did), WithOffline())
	ctx := context.Background()
	head := `{"@context":["https://www.w3.org/ns/credentials/v2"%s],"type":["VerifiableCredential"%s],"issuer":"` + did + `","credentialSubject":%s%s}`
	doc := func(ctx, typ, subj, extra string) string {
		if subj == "" {
			subj = `{"id":"did:example:subject"}`
		}
		return fmt.Sprintf(head, ctx, typ, subj, extra)
	}
	ok := signRaw(t, k, doc("", "", "", ""))
	r := v.Verify(ctx, ok, Binding{})
	require.Equal(t, StatusVerified, r.Status, "%s", reportText(r))
	for name, d := range map[string]string{
		"id null":                doc("", "", "", `,"id":null`),
		"id not a URL":           doc("", "", "", `,"id":"https ://not-a-url/1"`),
		"empty subject":          doc("", "", "{}", ""),
		"validFrom not a date":   doc("", "", "", `,"validFrom":"Sat 25 Feb 2023 07:16:31 PM CST"`),
		"status without type":    doc("", "", "", `,"credentialStatus":{"id":"https://example.com/s#1"}`),
		"schema without id":      doc("", "", "", `,"credentialSchema":{"type":"JsonSchema"}`),
		"evidence without type":  doc("", "", "", `,"evidence":{"id":"https://example.com/e"}`),
		"name with extra member": doc("", "", "", `,"name":{"@value":"x","@language":"en","url":"y"}`),
		"related without digest": doc("", "", "", `,"relatedResource":{"id":"https://example.com/r"}`),
		"context not a URL":      doc(`,"https ://not-a-url/ctx"`, "", "", ""),
		"redefined VC":           doc(`,{"VerifiableCredential":"https://example.org/#Bad"}`, "", "", ""),
		"redefined protected":    doc(`,{"@protected":true,"X":"https://example.org/#X"},{"X":"https://example.org/#Y"}`, `,"X"`, "", ""),
		"unmapped type":          doc(`,{"@vocab":null}`, `,"ExampleTestCredential"`, "", ""),
		"type mapped to non-URL": doc(`,{"E":"https ://not-a-url#E"}`, `,"E"`, "", ""),
		"unknown context":        doc(`,"https://unknown.example/ctx"`, "", "", ""),
	} {
		r := v.Verify(ctx, signRaw(t, k, d), Binding{})
		f := r.Check(CheckFormat)
		require.Equal(t, StatusFailed, f.Status, "%s: %s", name, reportText(r))
		require.Equal(t, "malformed", f.Code, name)
		require.Equal(t, StatusFailed, r.Status, name)
	}
}

// A presentation that breaks the data model fails format; one with no
// credential is well-formed.
func TestPresentationDataModel(t *testing.T) {
	k, err := keys.Generate(keys.Ed25519)
	require.NoError(t, err)
	v := newVerifier(t, WithoutTrustList(), WithOffline())
	holder := k.PublicKey().DID()
	b := Binding{Challenge: "c", Domain: "d.example"}
	sign := func(doc string) []byte {
		var m map[string]json.RawMessage
		require.NoError(t, json.Unmarshal([]byte(doc), &m))
		proof, err := dataintegrity.Sign(k, k.PublicKey(), m, dataintegrity.Options{ProofPurpose: "authentication", Challenge: "c", Domain: "d.example"})
		require.NoError(t, err)
		m["proof"], _ = json.Marshal(proof)
		out, _ := json.Marshal(m)
		return out
	}
	r := v.Verify(context.Background(), sign(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"holder":"`+holder+`"}`), b)
	require.Equal(t, StatusPassed, r.Check(CheckFormat).Status, "%s", reportText(r))
	require.Equal(t, StatusPassed, r.Check(CheckSignature).Status, "%s", reportText(r))
	r = v.Verify(context.Background(), sign(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"holder":{"name":"Acme"}}`), b)
	require.Equal(t, StatusFailed, r.Check(CheckFormat).Status, "%s", reportText(r))
}

// A relatedResource digest is checked against the content the caller
// gives; a resource not given is never fetched.
func TestRelatedResources(t *testing.T) {
	k, err := keys.Generate(keys.Ed25519)
	require.NoError(t, err)
	did := k.PublicKey().DID()
	transcript := []byte("%PDF-1.7 transcript of Kim Minji")
	sum := sha512.Sum384(transcript)
	sri := "sha384-" + base64.StdEncoding.EncodeToString(sum[:])
	doc := signRaw(t, k, `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"`+did+`","credentialSubject":{"id":"did:example:subject"},"relatedResource":[{"id":"https://school.example/transcripts/1.pdf","mediaType":"application/pdf","digestSRI":"`+sri+`"}]}`)
	ctx := context.Background()
	for name, tc := range map[string]struct {
		content map[string][]byte
		status  Status
	}{
		"not given":        {nil, StatusVerified},
		"matching content": {map[string][]byte{"https://school.example/transcripts/1.pdf": transcript}, StatusVerified},
		"changed content":  {map[string][]byte{"https://school.example/transcripts/1.pdf": []byte("%PDF-1.7 forged")}, StatusFailed},
		"another resource": {map[string][]byte{"https://school.example/transcripts/2.pdf": []byte("x")}, StatusVerified},
	} {
		opts := []Option{WithTrustedKey(did), WithOffline()}
		if tc.content != nil {
			opts = append(opts, WithRelatedResources(tc.content))
		}
		r := newVerifier(t, opts...).Verify(ctx, doc, Binding{})
		require.Equal(t, tc.status, r.Status, "%s: %s", name, reportText(r))
		if tc.status == StatusFailed {
			f := r.Check(CheckFormat)
			require.Equal(t, "malformed", f.Code)
			require.Contains(t, f.Message, "/relatedResource/0/digestSRI: does not match the content of https://school.example/transcripts/1.pdf")
		}
	}
	_, err = New(WithRelatedResources(nil))
	require.Error(t, err)
	_, err = New(WithRelatedResources(map[string][]byte{"not a url": nil}))
	require.Error(t, err)
	_, err = New(WithRelatedResources(map[string][]byte{"https://a.example/x": nil}), WithRelatedResources(map[string][]byte{"https://a.example/x": nil}))
	require.Error(t, err)
}
