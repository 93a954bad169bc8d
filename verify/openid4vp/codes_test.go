package openid4vp_test

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/issuer/wallet"
	"github.com/badgeproof/badgeproof/verify"
	"github.com/badgeproof/badgeproof/verify/openid4vp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// started creates a request on an x509_hash relying party and has the
// fixture's wallet fetch it.
func started(t *testing.T, q openid4vp.Query, opts ...openid4vp.Option) (*fixture, *openid4vp.RelyingParty, *openid4vp.Request, *wallet.Request) {
	f := newFixture(t)
	rp, _ := newRP(t, f, append([]openid4vp.Option{openid4vp.WithClientIdentity(x509HashIdentity(t))}, opts...)...)
	req, err := rp.CreateRequest(ctx, q)
	require.NoError(t, err)
	wr, err := f.wallet.Fetch(ctx, req.URL)
	require.NoError(t, err)
	return f, rp, req, wr
}

// TestFailureCodes: each way a response can be wrong fails with its own code.
func TestFailureCodes(t *testing.T) {
	t.Run("tampered", func(t *testing.T) {
		f, rp, req, wr := started(t, qualificationQuery())
		form, err := f.wallet.Response(wr, nil)
		require.NoError(t, err)
		jwe := []byte(form.Get("response"))
		parts := strings.Split(string(jwe), ".")
		ct := []byte(parts[3])
		ct[10] ^= 'A' ^ 'B'
		if ct[10] == parts[3][10] {
			ct[10] = 'Z'
		}
		parts[3] = string(ct)
		code, body := post(t, req.ResponseURI, url.Values{"response": {strings.Join(parts, ".")}})
		assert.Equal(t, http.StatusBadRequest, code)
		assert.Equal(t, "bad_encryption", body["code"])
		// The transaction is still open: the genuine answer is accepted.
		_, err = f.wallet.Post(ctx, wr, form)
		require.NoError(t, err)
		assert.True(t, result(t, rp, req).Verified)
	})
	t.Run("wrong-nonce", func(t *testing.T) {
		f, rp, req, wr := started(t, qualificationQuery())
		wr.Request.Nonce = "a-nonce-of-another-request"
		_, err := f.wallet.Respond(ctx, wr, nil)
		require.NoError(t, err)
		res := result(t, rp, req)
		assert.False(t, res.Verified)
		assert.Equal(t, "nonce_mismatch", res.Code, res.Message)
	})
	t.Run("wrong-audience", func(t *testing.T) {
		f, rp, req, wr := started(t, qualificationQuery())
		// A presentation made for another relying party, relayed here.
		p, err := issuer.NewPresentation(f.holder.DID(), wr.Matches[0].Candidates[0].Credential)
		require.NoError(t, err)
		vp, err := f.holder.SignPresentation(p, wr.Request.Nonce, "x509_san_dns:phish.example.kr")
		require.NoError(t, err)
		res := rp.ProcessResponse(ctx, req.ID, encrypted(t, wr, map[string]any{"qualification": []json.RawMessage{vp}}))
		assert.Equal(t, "audience_mismatch", res.Code, res.Message)
	})
	t.Run("wrong-state", func(t *testing.T) {
		_, rp, req, wr := started(t, qualificationQuery())
		wr.Request.State = "another-state"
		res := rp.ProcessResponse(ctx, req.ID, encrypted(t, wr, map[string]any{}))
		assert.Equal(t, "state_mismatch", res.Code)
		assert.False(t, res.Accepted())
	})
	t.Run("unrequested-credential", func(t *testing.T) {
		f, rp, req, wr := started(t, qualificationQuery())
		// The work-experience badge under an id the query does not name.
		work, err := f.wallet.Add(f.badges["work"])
		require.NoError(t, err)
		p, err := issuer.NewPresentation(f.holder.DID(), work)
		require.NoError(t, err)
		vp, err := f.holder.SignPresentation(p, wr.Request.Nonce, wr.Request.ClientID)
		require.NoError(t, err)
		q := qualifiedVP(t, f, wr)
		res := rp.ProcessResponse(ctx, req.ID, encrypted(t, wr, map[string]any{"qualification": []json.RawMessage{q}, "work": []json.RawMessage{vp}}))
		assert.Equal(t, "unrequested_credential", res.Code, res.Message)
		assert.True(t, res.Accepted(), "the transaction is used up")
	})
	t.Run("wrong-type-under-requested-id", func(t *testing.T) {
		q := qualificationQuery()
		q.Credentials[0].Claims = nil
		q.Credentials[0].Meta.TypeValues = [][]string{{"ClrCredential"}}
		f := newFixture(t)
		rp, _ := newRP(t, f, openid4vp.WithClientIdentity(x509HashIdentity(t)))
		req, err := rp.CreateRequest(ctx, q)
		require.NoError(t, err)
		// A wallet that ignores the query: the qualification instead of a CLR.
		wr := forced(t, f, req, "qualification")
		res := rp.ProcessResponse(ctx, req.ID, encrypted(t, wr, map[string]any{"qualification": []json.RawMessage{qualifiedVP(t, f, wr)}}))
		assert.Equal(t, "unrequested_credential", res.Code, res.Message)
	})
	t.Run("missing-claim", func(t *testing.T) {
		q := qualificationQuery()
		q.Credentials[0].Claims = append(q.Credentials[0].Claims, openid4vp.ClaimQuery{Path: []any{"credentialSubject", "achievement", "fieldOfStudy"}})
		f := newFixture(t)
		rp, _ := newRP(t, f, openid4vp.WithClientIdentity(x509HashIdentity(t)))
		req, err := rp.CreateRequest(ctx, q)
		require.NoError(t, err)
		_, err = f.wallet.Fetch(ctx, req.URL)
		require.ErrorIs(t, err, openid4vp.ErrNoMatchingCredential, "the wallet sees nothing it holds answers")
		wr := forced(t, f, req, "qualification")
		res := rp.ProcessResponse(ctx, req.ID, encrypted(t, wr, map[string]any{"qualification": []json.RawMessage{qualifiedVP(t, f, wr)}}))
		assert.Equal(t, "missing_claim", res.Code, res.Message)
		assert.Contains(t, res.Message, "credentialSubject.achievement.fieldOfStudy")
	})
	t.Run("claim-value", func(t *testing.T) {
		q := qualificationQuery()
		q.Credentials[0].Claims[1].Values = []any{"99999999999X"}
		f := newFixture(t)
		rp, _ := newRP(t, f, openid4vp.WithClientIdentity(x509HashIdentity(t)))
		req, err := rp.CreateRequest(ctx, q)
		require.NoError(t, err)
		wr := forced(t, f, req, "qualification")
		res := rp.ProcessResponse(ctx, req.ID, encrypted(t, wr, map[string]any{"qualification": []json.RawMessage{qualifiedVP(t, f, wr)}}))
		assert.Equal(t, "missing_claim", res.Code, res.Message)
	})
	t.Run("missing-credential", func(t *testing.T) {
		_, rp, req, wr := started(t, qualificationQuery())
		res := rp.ProcessResponse(ctx, req.ID, encrypted(t, wr, map[string]any{}))
		assert.Equal(t, "missing_credential", res.Code, res.Message)
	})
	t.Run("tampered-presentation", func(t *testing.T) {
		f, rp, req, wr := started(t, qualificationQuery())
		vp := strings.Replace(string(qualifiedVP(t, f, wr)), "25201001234A", "25201001234B", 1)
		res := rp.ProcessResponse(ctx, req.ID, encrypted(t, wr, map[string]any{"qualification": []json.RawMessage{json.RawMessage(vp)}}))
		assert.Equal(t, "not_verified", res.Code, res.Message)
		require.Len(t, res.Presented, 1)
		assert.Equal(t, "bad_signature", res.Presented[0].Report.Credentials[0].Check("signature").Code)
	})
	t.Run("unencrypted", func(t *testing.T) {
		f, rp, req, wr := started(t, qualificationQuery())
		token, _ := json.Marshal(map[string]any{"qualification": []json.RawMessage{qualifiedVP(t, f, wr)}})
		res := rp.ProcessResponse(ctx, req.ID, url.Values{"vp_token": {string(token)}, "state": {req.State}})
		assert.Equal(t, "unencrypted_response", res.Code)
	})
	t.Run("unknown-transaction", func(t *testing.T) {
		_, rp, _, _ := started(t, qualificationQuery())
		res := rp.ProcessResponse(ctx, "no-such-transaction", url.Values{})
		assert.Equal(t, "unknown_transaction", res.Code)
	})
	t.Run("malformed-vp-token", func(t *testing.T) {
		_, rp, req, wr := started(t, qualificationQuery())
		jwe, err := openid4vp.EncryptResponse(wr.Request, map[string]any{"vp_token": []string{"not", "an", "object"}, "state": wr.Request.State})
		require.NoError(t, err)
		res := rp.ProcessResponse(ctx, req.ID, url.Values{"response": {jwe}})
		assert.Equal(t, "malformed_response", res.Code)
	})
}

// qualifiedVP is a correctly bound presentation of the qualification.
func qualifiedVP(t *testing.T, f *fixture, wr *wallet.Request) json.RawMessage {
	var cred = f.wallet.Credentials()[0]
	require.Equal(t, "urn:uuid:q1", cred.ID)
	p, err := issuer.NewPresentation(f.holder.DID(), cred)
	require.NoError(t, err)
	vp, err := f.holder.SignPresentation(p, wr.Request.Nonce, wr.Request.ClientID)
	require.NoError(t, err)
	return vp
}

// forced fetches a request the wallet would refuse to answer, skipping
// its matching: a misbehaving wallet.
func forced(t *testing.T, f *fixture, req *openid4vp.Request, _ string) *wallet.Request {
	resp, err := http.Get(req.RequestURI)
	require.NoError(t, err)
	defer resp.Body.Close()
	jwt, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	ar, err := openid4vp.VerifyRequestObject(jwt, req.ClientID, openid4vp.RequestPolicy{})
	require.NoError(t, err)
	return &wallet.Request{Request: ar, ClientID: ar.ClientID}
}

func encrypted(t *testing.T, wr *wallet.Request, token map[string]any) url.Values {
	jwe, err := openid4vp.EncryptResponse(wr.Request, map[string]any{"vp_token": token, "state": wr.Request.State})
	require.NoError(t, err)
	return url.Values{"response": {jwe}}
}

// TestBadRequestObject: the wallet refuses a request object whose signature
// does not verify, or whose certificate is not the client identifier's.
func TestBadRequestObject(t *testing.T) {
	f := newFixture(t)
	rp, srv := newRP(t, f, openid4vp.WithClientIdentity(x509HashIdentity(t)))
	req, err := rp.CreateRequest(ctx, qualificationQuery())
	require.NoError(t, err)
	jwt, err := rp.RequestObject(ctx, req.ID, "")
	require.NoError(t, err)
	parts := strings.Split(string(jwt), ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	// An attacker on the way swaps the response URI for their own.
	evil := strings.Replace(string(payload), srv.URL, "https://evil.example", -1)
	require.NotEqual(t, string(payload), evil)
	parts[1] = base64.RawURLEncoding.EncodeToString([]byte(evil))
	tampered := strings.Join(parts, ".")

	_, err = openid4vp.VerifyRequestObject([]byte(tampered), req.ClientID, openid4vp.RequestPolicy{})
	require.ErrorIs(t, err, openid4vp.ErrBadRequestSignature)
	assert.Equal(t, "bad_request_signature", openid4vp.Code(err))

	// Served by a man in the middle, the wallet refuses it too.
	mitm := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(tampered)) }))
	defer mitm.Close()
	link := "openid4vp://?" + url.Values{"client_id": {req.ClientID}, "request_uri": {mitm.URL + "/r"}}.Encode()
	_, err = f.wallet.Fetch(ctx, link)
	require.ErrorIs(t, err, openid4vp.ErrBadRequestSignature)

	// A genuine request object presented under another x509_hash.
	_, err = openid4vp.VerifyRequestObject(jwt, "x509_hash:"+strings.Repeat("A", 43), openid4vp.RequestPolicy{})
	require.ErrorIs(t, err, openid4vp.ErrClientIDMismatch)
	// Under the redirect_uri prefix a signed object is refused.
	_, err = openid4vp.VerifyRequestObject(jwt, "redirect_uri:"+req.ResponseURI, openid4vp.RequestPolicy{AllowRedirectURI: true})
	require.ErrorIs(t, err, openid4vp.ErrBadRequestSignature)
	// alg none under x509_hash is refused.
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"oauth-authz-req+jwt"}`)) + "." + parts[1] + "."
	_, err = openid4vp.VerifyRequestObject([]byte(none), req.ClientID, openid4vp.RequestPolicy{})
	require.Error(t, err)
	// And the untouched one verifies.
	ar, err := openid4vp.VerifyRequestObject(jwt, req.ClientID, openid4vp.RequestPolicy{})
	require.NoError(t, err)
	assert.Equal(t, req.Nonce, ar.Nonce)
}

// TestTrustedIssuers: a query naming the trust list's issuers matches only
// their badges, at the wallet and at the relying party.
func TestTrustedIssuers(t *testing.T) {
	f := newFixture(t)
	rp, _ := newRP(t, f, openid4vp.WithClientIdentity(x509HashIdentity(t)))
	trusted := &verify.TrustList{Issuers: []verify.TrustedIssuer{{ID: f.agency.DID()}}}
	q := qualificationQuery()
	q.Credentials[0].TrustedAuthorities = []openid4vp.TrustedAuthority{openid4vp.TrustedIssuers(trusted)}
	req, err := rp.CreateRequest(ctx, q)
	require.NoError(t, err)
	wr, err := f.wallet.Fetch(ctx, req.URL)
	require.NoError(t, err)
	_, err = f.wallet.Respond(ctx, wr, nil)
	require.NoError(t, err)
	require.True(t, result(t, rp, req).Verified)

	other := &verify.TrustList{Issuers: []verify.TrustedIssuer{{ID: "did:web:another-agency.example.kr"}}}
	q.Credentials[0].TrustedAuthorities = []openid4vp.TrustedAuthority{openid4vp.TrustedIssuers(other)}
	req, err = rp.CreateRequest(ctx, q)
	require.NoError(t, err)
	_, err = f.wallet.Fetch(ctx, req.URL)
	require.ErrorIs(t, err, openid4vp.ErrNoMatchingCredential)
	wr = forced(t, f, req, "")
	res := rp.ProcessResponse(ctx, req.ID, encrypted(t, wr, map[string]any{"qualification": []json.RawMessage{qualifiedVP(t, f, wr)}}))
	assert.Equal(t, "unrequested_credential", res.Code, res.Message)
}
