package verifyhttp

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/badgeproof/badgeproof/verify"
)

// The VC-API verification endpoints never panic and never answer 5xx, and
// only a verified document gets 200.
func FuzzVCAPIVerify(f *testing.F) {
	f.Add("/credentials/verify", []byte(`{"verifiableCredential":{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"did:example:i","credentialSubject":{"id":"did:example:s"}}}`))
	f.Add("/presentations/verify", []byte(`{"verifiablePresentation":{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"]},"options":{"challenge":"c","domain":"d"}}`))
	f.Add("/credentials/verify", []byte(`{"verifiableCredential":null}`))
	v, err := verify.New(verify.WithoutTrustList(), verify.WithOffline())
	if err != nil {
		f.Fatal(err)
	}
	h, err := NewHandler(v)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, path string, body []byte) {
		if path != "/credentials/verify" {
			path = "/presentations/verify"
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body)))
		if rec.Code >= 500 || rec.Code == http.StatusOK {
			t.Fatalf("status %d for %q", rec.Code, body)
		}
	})
}
