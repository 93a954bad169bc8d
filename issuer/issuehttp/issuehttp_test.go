package issuehttp

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
)

func newTestHandler(t testing.TB) *Handler {
	k, err := keys.Generate(keys.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	s, err := issuer.NewSigner(k, issuer.WithCryptosuite(issuer.EdDSARDFC2022))
	if err != nil {
		t.Fatal(err)
	}
	h, err := NewHandler([]*issuer.Signer{s})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestNewHandlerRefusesBadConfig(t *testing.T) {
	if _, err := NewHandler(nil); err == nil {
		t.Error("no signer accepted")
	}
	k, _ := keys.Generate(keys.Ed25519)
	s, _ := issuer.NewSigner(k)
	if _, err := NewHandler([]*issuer.Signer{s, s}); err == nil {
		t.Error("the same signer twice accepted")
	}
}

// Any body: never a panic, never a 5xx, and 201 only with a credential.
func FuzzIssue(f *testing.F) {
	f.Add([]byte(`{"credential":{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"credentialSubject":{"id":"did:example:s"}}}`))
	f.Add([]byte(`{"credential":{"@context":["https://www.w3.org/ns/credentials/v2",{"@protected":true,"X":"https://e.org/#X"},{"X":"https://e.org/#Y"}],"type":["VerifiableCredential","X"],"credentialSubject":{"id":"did:example:s"}}}`))
	f.Add([]byte(`{"credential":null}`))
	f.Add([]byte(`[]`))
	h := newTestHandler(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/credentials/issue", bytes.NewReader(body)))
		if rec.Code >= 500 {
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
		if rec.Code == http.StatusCreated && !bytes.Contains(rec.Body.Bytes(), []byte("verifiableCredential")) {
			t.Fatalf("201 without a credential")
		}
	})
}
