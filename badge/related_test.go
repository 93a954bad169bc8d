package badge

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"testing"

	"github.com/multiformats/go-multibase"
)

func TestCheckRelatedResources(t *testing.T) {
	body := []byte(`{"@context":{"ex":"https://example.org/#"}}`)
	other := []byte(`{"@context":{"ex":"https://evil.example/#"}}`)
	s256 := sha256.Sum256(body)
	s384 := sha512.Sum384(body)
	o256 := sha256.Sum256(other)
	sri384 := "sha384-" + base64.StdEncoding.EncodeToString(s384[:])
	sri256 := "sha256-" + base64.StdEncoding.EncodeToString(s256[:])
	wrong256 := "sha256-" + base64.StdEncoding.EncodeToString(o256[:])
	mbBare, err := multibase.Encode(multibase.Base64url, s256[:])
	if err != nil {
		t.Fatal(err)
	}
	mbHash, err := multibase.Encode(multibase.Base58BTC, append([]byte{0x12, 0x20}, s256[:]...))
	if err != nil {
		t.Fatal(err)
	}
	mbWrong, err := multibase.Encode(multibase.Base64url, o256[:])
	if err != nil {
		t.Fatal(err)
	}
	const id = "https://example.org/context.json"
	cred := func(rr string) string {
		return `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"did:example:i","credentialSubject":{"id":"did:example:s"},"relatedResource":` + rr + `}`
	}
	held := map[string][]byte{id: body}
	for _, tc := range []struct {
		name, doc string
		content   map[string][]byte
		pointer   string
	}{
		{"SRI sha384 matches", cred(fmt.Sprintf(`{"id":%q,"digestSRI":%q}`, id, sri384)), held, ""},
		{"SRI sha256 matches", cred(fmt.Sprintf(`{"id":%q,"digestSRI":%q}`, id, sri256)), held, ""},
		{"bare multibase digest matches", cred(fmt.Sprintf(`{"id":%q,"digestMultibase":%q}`, id, mbBare)), held, ""},
		{"multihash matches", cred(fmt.Sprintf(`[{"id":%q,"digestMultibase":%q}]`, id, mbHash)), held, ""},
		{"SRI does not match", cred(fmt.Sprintf(`{"id":%q,"digestSRI":%q}`, id, wrong256)), held, "/relatedResource/digestSRI"},
		{"multibase does not match", cred(fmt.Sprintf(`[{"id":%q,"digestSRI":%q,"digestMultibase":%q}]`, id, sri384, mbWrong)), held, "/relatedResource/0/digestMultibase"},
		// SRI: only the strongest algorithm given counts.
		{"strongest algorithm decides", cred(fmt.Sprintf(`{"id":%q,"digestSRI":"%s %s"}`, id, wrong256, sri384)), held, ""},
		{"weaker match does not save a stronger mismatch", cred(fmt.Sprintf(`{"id":%q,"digestSRI":"%s sha384-%s"}`, id, sri256, base64.StdEncoding.EncodeToString(make([]byte, 48)))), held, "/relatedResource/digestSRI"},
		{"a resource not held is not checked", cred(fmt.Sprintf(`{"id":"https://example.org/other","digestSRI":%q}`, wrong256)), held, ""},
		{"no content, nothing checked", cred(fmt.Sprintf(`{"id":%q,"digestSRI":%q}`, id, wrong256)), nil, ""},
		{"a credential in a presentation", `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"verifiableCredential":[` + cred(fmt.Sprintf(`{"id":%q,"digestSRI":%q}`, id, wrong256)) + `]}`, held, "/verifiableCredential/0/relatedResource/digestSRI"},
	} {
		checkViolation(t, tc.name, CheckRelatedResources([]byte(tc.doc), tc.content), tc.pointer, true)
	}
	if err := CheckRelatedResources([]byte(`{"a":`), held); !errors.Is(err, ErrMalformed) {
		t.Errorf("truncated JSON: %v", err)
	}
}

func FuzzCheckRelatedResources(f *testing.F) {
	for _, d := range []string{
		`{"relatedResource":{"id":"https://a.example/x","digestSRI":"sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="}}`,
		`{"relatedResource":[{"id":"https://a.example/x","digestMultibase":"uEiDjsMRCmPwcFJr79MiZb7kkJ65B5GSbk0yklZkbeFK4VQ"}]}`,
		`{"type":"VerifiablePresentation","verifiableCredential":[{"relatedResource":{"id":"https://a.example/x","digestSRI":"sha384-x sha512-y?z"}}]}`,
	} {
		f.Add([]byte(d), []byte(""))
	}
	f.Fuzz(func(t *testing.T, doc, content []byte) {
		err := CheckRelatedResources(doc, map[string][]byte{"https://a.example/x": content})
		if err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("error does not wrap ErrMalformed: %v", err)
		}
	})
}
