package openid4vp_test

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/badgeproof/badgeproof/verify/openid4vp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHandlerBounds: the routes refuse what they should, with codes, and
// bound what they read.
func TestHandlerBounds(t *testing.T) {
	f := newFixture(t)
	rp, srv := newRP(t, f, openid4vp.WithClientIdentity(x509HashIdentity(t)), openid4vp.WithMaxResponseBytes(4096))
	req, err := rp.CreateRequest(ctx, qualificationQuery())
	require.NoError(t, err)

	// The request object, by GET and by POST with a wallet_nonce it echoes.
	resp, err := http.Get(req.RequestURI)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/oauth-authz-req+jwt", resp.Header.Get("Content-Type"))
	assert.Equal(t, 3, len(strings.Split(string(body), ".")))
	resp, err = http.PostForm(req.RequestURI, url.Values{"wallet_nonce": {"wn-123"}})
	require.NoError(t, err)
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	payload, err := base64.RawURLEncoding.DecodeString(strings.Split(string(body), ".")[1])
	require.NoError(t, err)
	var claims map[string]any
	require.NoError(t, json.Unmarshal(payload, &claims))
	assert.Equal(t, "wn-123", claims["wallet_nonce"])
	assert.Equal(t, req.Nonce, claims["nonce"])
	assert.Equal(t, "direct_post.jwt", claims["response_mode"])

	// Unknown request: 404 with a code.
	resp, err = http.Get(srv.URL + "/oid4vp/requests/nope")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)

	// Responses: form only, bounded.
	resp, err = http.Post(req.ResponseURI, "application/json", strings.NewReader(`{}`))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnsupportedMediaType, resp.StatusCode)
	resp, err = http.PostForm(req.ResponseURI, url.Values{"response": {strings.Repeat("A", 8192)}})
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	code, m := post(t, req.ResponseURI, url.Values{"response": {"a.b.c.d.e"}, "state": {req.State}})
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Equal(t, "bad_encryption", m["code"])
	code, m = post(t, req.ResponseURI, url.Values{"state": {req.State}, "state2": {"x"}, "vp_token": {"{}", "{}"}})
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Equal(t, "malformed_response", m["code"])

	// Results: pending with the key, 404 without.
	resp, err = http.Get(srv.URL + "/oid4vp/results/" + req.ID + "?key=" + url.QueryEscape(req.ResultKey))
	require.NoError(t, err)
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.JSONEq(t, `{"status":"pending"}`, string(body))
	resp, err = http.Get(srv.URL + "/oid4vp/results/" + req.ID + "?key=guess")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)

	// Bad options fail at New.
	for _, o := range []openid4vp.Option{openid4vp.WithMaxResponseBytes(10), openid4vp.WithTTL(0), openid4vp.WithResponseMode("fragment"),
		openid4vp.WithPathPrefix("no-slash"), openid4vp.WithStore(nil), openid4vp.WithClientIdentity(openid4vp.ClientIdentity{})} {
		_, err := openid4vp.New(f.v, "https://jobs.example.kr", o)
		assert.Error(t, err)
	}
	_, err = openid4vp.New(f.v, "http://jobs.example.kr")
	assert.Error(t, err, "plain http off loopback")
	_, err = rp.CreateRequest(ctx, openid4vp.Query{Credentials: []openid4vp.CredentialQuery{{ID: "x", Format: "mso_mdoc"}}})
	assert.ErrorIs(t, err, openid4vp.ErrUnsupportedFormat, "no mso_mdoc handler registered")
}
