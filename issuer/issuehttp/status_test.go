package issuehttp

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/badgeproof/badgeproof/verify"
	"github.com/stretchr/testify/require"
)

// The Bitstring Status List round trip the W3C suite makes: an issued
// credential carries a BitstringStatusListEntry whose list this handler
// serves; the verifier reads it (not revoked); POST /credentials/status
// revokes it and the verifier, fetching the list again, says revoked.
func TestStatusListRoundTrip(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	base := "http://" + ln.Addr().String()
	k, err := keys.Generate(keys.Ed25519)
	require.NoError(t, err)
	s, err := issuer.NewSigner(k, issuer.WithCryptosuite(issuer.EdDSARDFC2022))
	require.NoError(t, err)
	l, err := issuer.OpenStatusList(t.TempDir(), s, issuer.StatusListConfig{URL: base + "/status/1"})
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	h, err := NewHandler([]*issuer.Signer{s}, WithStatusList(l))
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)

	post := func(path, body string) (int, []byte) {
		resp, err := http.Post(base+path, "application/json", bytes.NewReader([]byte(body)))
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	code, b := post("/credentials/issue", `{"credential":{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:uuid:0b0e0c1a-0000-4000-8000-000000000001","type":["VerifiableCredential"],"credentialSubject":{"id":"did:example:s"}}}`)
	require.Equal(t, http.StatusCreated, code, "%s", b)
	var res struct {
		VerifiableCredential json.RawMessage `json:"verifiableCredential"`
	}
	require.NoError(t, json.Unmarshal(b, &res))
	require.Contains(t, string(res.VerifiableCredential), "BitstringStatusListEntry")

	verifier := func() *verify.Verifier {
		v, err := verify.New(verify.WithTrustedKey(s.DID()), verify.WithAllowLoopback())
		require.NoError(t, err)
		return v
	}
	r := verifier().Verify(context.Background(), res.VerifiableCredential, verify.Binding{})
	require.Equal(t, verify.StatusVerified, r.Status, "%+v", r.Checks)

	code, b = post("/credentials/status", `{"credentialId":"urn:uuid:0b0e0c1a-0000-4000-8000-000000000001","credentialStatus":[{"type":"BitstringStatusListEntry","status":"revoked"}]}`)
	require.Equal(t, http.StatusOK, code, "%s", b)
	r = verifier().Verify(context.Background(), res.VerifiableCredential, verify.Binding{})
	require.Equal(t, "revoked", r.Check(verify.CheckStatus).Code, "%+v", r.Checks)

	code, _ = post("/credentials/status", `{"credentialId":"urn:uuid:unknown","credentialStatus":[{"type":"BitstringStatusListEntry","status":"revoked"}]}`)
	require.Equal(t, http.StatusNotFound, code)
	code, _ = post("/credentials/status", `{"credentialId":"urn:uuid:0b0e0c1a-0000-4000-8000-000000000001","credentialStatus":[{"type":"StatusList2021Entry","status":"revoked"}]}`)
	require.Equal(t, http.StatusBadRequest, code)
	// A credential without an id cannot get a status entry.
	code, _ = post("/credentials/issue", `{"credential":{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"credentialSubject":{"id":"did:example:s"}}}`)
	require.Equal(t, http.StatusBadRequest, code)
}
