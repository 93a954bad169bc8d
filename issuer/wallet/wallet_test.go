package wallet_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/issuer/wallet"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/badgeproof/badgeproof/verify/openid4vp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func holder(t *testing.T) *issuer.Signer {
	k, err := keys.Generate(keys.Ed25519)
	require.NoError(t, err)
	s, err := issuer.NewSigner(k)
	require.NoError(t, err)
	return s
}

// byValue is an unsigned request passed by value, as a development relying
// party (redirect_uri) sends it.
func byValue(query string) string {
	return "openid4vp://?" + url.Values{
		"client_id": {"redirect_uri:https://jobs.example.kr/cb"}, "response_type": {"vp_token"}, "response_mode": {"direct_post"},
		"response_uri": {"https://jobs.example.kr/cb"}, "nonce": {"n-1"}, "state": {"s-1"}, "dcql_query": {query},
	}.Encode()
}

const query = `{"credentials":[{"id":"any","format":"ldp_vc","meta":{"type_values":[["VerifiableCredential"]]}}]}`

func TestRequestByValue(t *testing.T) {
	ctx := context.Background()
	strict, err := wallet.New(holder(t))
	require.NoError(t, err)
	_, err = strict.Fetch(ctx, byValue(query))
	require.ErrorIs(t, err, openid4vp.ErrBadRequestSignature, "unsigned requests are refused by default")

	dev, err := wallet.New(holder(t), wallet.WithRedirectURIClientsUnsafe())
	require.NoError(t, err)
	_, err = dev.Fetch(ctx, byValue(query))
	require.ErrorIs(t, err, openid4vp.ErrNoMatchingCredential, "an empty wallet answers nothing")

	// A response_uri that is not the redirect_uri client's.
	u, _ := url.Parse(byValue(query))
	v := u.Query()
	v.Set("response_uri", "https://evil.example/cb")
	_, err = dev.Fetch(ctx, "openid4vp://?"+v.Encode())
	require.ErrorIs(t, err, openid4vp.ErrClientIDMismatch)

	for _, bad := range []string{"openid4vp://?client_id=a&request_uri=ftp%3A%2F%2Fx", "openid4vp://?request_uri=https%3A%2F%2Fx",
		"openid4vp://?client_id=a&request_uri=https%3A%2F%2Fx&request_uri_method=put", "openid4vp://?client_id=a&client_id=b"} {
		_, err = dev.Fetch(ctx, bad)
		assert.ErrorIs(t, err, openid4vp.ErrMalformedRequest, bad)
	}
}

func TestNewChecksOptions(t *testing.T) {
	_, err := wallet.New(nil)
	assert.Error(t, err)
	_, err = wallet.New(holder(t), wallet.WithTrustedRoots(nil))
	assert.Error(t, err)
	_, err = wallet.New(holder(t), wallet.WithClock(nil))
	assert.Error(t, err)
	w, err := wallet.New(holder(t))
	require.NoError(t, err)
	_, err = w.Add([]byte(`{"not":"a badge"}`))
	assert.Error(t, err)
	assert.Empty(t, w.Credentials())
}
