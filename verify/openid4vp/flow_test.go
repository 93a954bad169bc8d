package openid4vp_test

import (
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/badgeproof/badgeproof/issuer/wallet"
	"github.com/badgeproof/badgeproof/verify"
	"github.com/badgeproof/badgeproof/verify/openid4vp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func post(t testing.TB, uri string, form url.Values) (int, map[string]string) {
	t.Helper()
	resp, err := http.PostForm(uri, form)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var m map[string]string
	require.NoError(t, json.Unmarshal(body, &m), "%s", body)
	return resp.StatusCode, m
}

func result(t testing.TB, rp *openid4vp.RelyingParty, req *openid4vp.Request) *openid4vp.Result {
	t.Helper()
	res, err := rp.Result(ctx, req.ID, req.ResultKey)
	require.NoError(t, err)
	require.NotNil(t, res, "the result is still pending")
	return res
}

// TestDirectPostJWT: a request signed with an x509_hash identity, answered
// by the SDK wallet through direct_post.jwt, yields verified Reports; the
// same response posted again is refused as a replay.
func TestDirectPostJWT(t *testing.T) {
	f := newFixture(t)
	rp, _ := newRP(t, f, openid4vp.WithClientIdentity(x509HashIdentity(t)), openid4vp.WithClientName("한빛채용 Hanbit Careers"))
	req, err := rp.CreateRequest(ctx, qualificationQuery())
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(req.URL, "openid4vp://?"), req.URL)
	assert.True(t, strings.HasPrefix(req.ClientID, "x509_hash:"), req.ClientID)

	pending, err := rp.Result(ctx, req.ID, req.ResultKey)
	require.NoError(t, err)
	require.Nil(t, pending, "no result before the wallet answers")

	wr, err := f.wallet.Fetch(ctx, req.URL)
	require.NoError(t, err)
	assert.Equal(t, "한빛채용 Hanbit Careers", wr.ClientName)
	assert.Equal(t, openid4vp.ResponseModeDirectPostJWT, wr.Request.ResponseMode)
	require.Len(t, wr.Matches, 1)
	require.Len(t, wr.Matches[0].Candidates, 1, "only the qualification has a licence number")
	assert.Equal(t, "urn:uuid:q1", wr.Matches[0].Candidates[0].Credential.ID)

	form, err := f.wallet.Response(wr, nil)
	require.NoError(t, err)
	require.NotEmpty(t, form.Get("response"), "an encrypted response")
	require.Empty(t, form.Get("vp_token"), "nothing in the clear")
	assert.Equal(t, 5, strings.Count(form.Get("response"), ".")+1, "a compact JWE")
	_, err = f.wallet.Post(ctx, wr, form)
	require.NoError(t, err)

	res := result(t, rp, req)
	require.True(t, res.Verified, "%s: %s", res.Code, res.Message)
	require.Len(t, res.Presented, 1)
	p := res.Presented[0]
	assert.Equal(t, "qualification", p.QueryID)
	assert.Equal(t, verify.StatusVerified, p.Report.Status)
	require.Len(t, p.Report.Credentials, 1)
	assert.Equal(t, "urn:uuid:q1", p.Report.Credentials[0].Credential.ID)
	assert.Equal(t, verify.StatusPassed, p.Report.Check(verify.CheckHolder).Status)
	assert.Len(t, p.Claims, 2)

	// Replayed: refused, and the stored result is unchanged.
	code, body := post(t, req.ResponseURI, form)
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Equal(t, "replayed_response", body["code"])
	assert.True(t, result(t, rp, req).Verified)

	// The result is read with its key only.
	_, err = rp.Result(ctx, req.ID, "not-the-key")
	require.ErrorIs(t, err, openid4vp.ErrUnknownTransaction)
}

// TestDirectPostRedirectURI: the development prefix, unencrypted.
func TestDirectPostRedirectURI(t *testing.T) {
	f := newFixture(t, wallet.WithRedirectURIClientsUnsafe())
	rp, _ := newRP(t, f, openid4vp.WithResponseMode(openid4vp.ResponseModeDirectPost))
	req, err := rp.CreateRequest(ctx, qualificationQuery())
	require.NoError(t, err)
	assert.Equal(t, "redirect_uri:"+req.ResponseURI, req.ClientID)
	wr, err := f.wallet.Fetch(ctx, req.URL)
	require.NoError(t, err)
	form, err := f.wallet.Response(wr, nil)
	require.NoError(t, err)
	require.NotEmpty(t, form.Get("vp_token"))
	assert.Equal(t, req.State, form.Get("state"))
	_, err = f.wallet.Post(ctx, wr, form)
	require.NoError(t, err)
	res := result(t, rp, req)
	require.True(t, res.Verified, "%s: %s", res.Code, res.Message)

	// A wallet that does not accept unsigned requests refuses it.
	strict := newFixture(t)
	req2, err := rp.CreateRequest(ctx, qualificationQuery())
	require.NoError(t, err)
	_, err = strict.wallet.Fetch(ctx, req2.URL)
	require.ErrorIs(t, err, openid4vp.ErrUntrustedClient)
}

// TestX509SANDNS: the production prefix; the wallet checks the chain
// against its roots and the response URI's host against the DNS name.
func TestX509SANDNS(t *testing.T) {
	cert, key := certificate(t, "localhost")
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	f := newFixture(t, wallet.WithTrustedRoots(roots))
	id, err := openid4vp.X509SANDNSIdentity("localhost", []*x509.Certificate{cert}, key)
	require.NoError(t, err)
	rp, _ := serve(t, func(base string) *openid4vp.RelyingParty {
		rp, err := openid4vp.New(f.v, strings.Replace(base, "127.0.0.1", "localhost", 1), openid4vp.WithClientIdentity(id))
		require.NoError(t, err)
		return rp
	})
	req, err := rp.CreateRequest(ctx, qualificationQuery())
	require.NoError(t, err)
	assert.Equal(t, "x509_san_dns:localhost", req.ClientID)
	wr, err := f.wallet.Fetch(ctx, req.URL)
	require.NoError(t, err)
	_, err = f.wallet.Respond(ctx, wr, nil)
	require.NoError(t, err)
	require.True(t, result(t, rp, req).Verified)

	// Another wallet that does not trust the certificate refuses.
	other := newFixture(t, wallet.WithTrustedRoots(x509.NewCertPool()))
	req2, err := rp.CreateRequest(ctx, qualificationQuery())
	require.NoError(t, err)
	_, err = other.wallet.Fetch(ctx, req2.URL)
	require.ErrorIs(t, err, openid4vp.ErrUntrustedClient)
	assert.Equal(t, "untrusted_client", openid4vp.Code(err))

	// A base URL on another host than the certificate names is refused at New.
	_, err = openid4vp.New(f.v, "https://jobs.example.kr", openid4vp.WithClientIdentity(id))
	require.Error(t, err)
}

// TestWalletDeclines: access_denied is a result with its own code.
func TestWalletDeclines(t *testing.T) {
	f := newFixture(t)
	rp, _ := newRP(t, f, openid4vp.WithClientIdentity(x509HashIdentity(t)))
	req, err := rp.CreateRequest(ctx, qualificationQuery())
	require.NoError(t, err)
	wr, err := f.wallet.Fetch(ctx, req.URL)
	require.NoError(t, err)
	_, err = f.wallet.Decline(ctx, wr, "")
	require.NoError(t, err)
	res := result(t, rp, req)
	assert.False(t, res.Verified)
	assert.Equal(t, "wallet_error", res.Code)
	require.NotNil(t, res.WalletError)
	assert.Equal(t, "access_denied", res.WalletError.Error)
}

// TestCredentialSets: the wallet answers one option of a credential set;
// nothing matching a required query fails before anything is sent.
func TestCredentialSets(t *testing.T) {
	f := newFixture(t)
	rp, _ := newRP(t, f, openid4vp.WithClientIdentity(x509HashIdentity(t)))
	q := qualificationQuery()
	q.Credentials = append(q.Credentials, openid4vp.CredentialQuery{ID: "degree", Format: openid4vp.FormatLDPVC,
		Meta:   openid4vp.Meta{TypeValues: [][]string{{"OpenBadgeCredential"}}},
		Claims: []openid4vp.ClaimQuery{{Path: []any{"credentialSubject", "achievement", "fieldOfStudy"}}}})
	q.CredentialSets = []openid4vp.CredentialSetQuery{{Options: [][]string{{"degree"}, {"qualification"}}}}
	req, err := rp.CreateRequest(ctx, q)
	require.NoError(t, err)
	wr, err := f.wallet.Fetch(ctx, req.URL)
	require.NoError(t, err)
	assert.Empty(t, wr.Matches[1].Candidates, "no degree held")
	_, err = f.wallet.Respond(ctx, wr, nil)
	require.NoError(t, err)
	require.True(t, result(t, rp, req).Verified)

	// Both required: the wallet cannot answer.
	q.CredentialSets = nil
	req, err = rp.CreateRequest(ctx, q)
	require.NoError(t, err)
	_, err = f.wallet.Fetch(ctx, req.URL)
	require.ErrorIs(t, err, openid4vp.ErrNoMatchingCredential)
}
