package openid4vp_test

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/verify"
	"github.com/badgeproof/badgeproof/verify/openid4vp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jwtFixture: the fixture's wallet also holds the two badges as VC-JWTs
// (the VC 1.1 JWT encoding), signed by the agency's key.
type jwtFixture struct {
	*fixture
	jwts   map[string]string
	holder *issuer.JOSESigner
}

func newJWTFixture(t testing.TB) *jwtFixture {
	t.Helper()
	f := &jwtFixture{fixture: newFixture(t), jwts: map[string]string{}}
	agency, err := f.agency.JOSESigner()
	require.NoError(t, err)
	for _, name := range []string{"qualification", "work"} {
		c, err := badge.ParseCredential(f.badges[name], badge.Limits{})
		require.NoError(t, err)
		var m map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(c.Raw(), &m))
		delete(m, "proof")
		unsigned, err := json.Marshal(m)
		require.NoError(t, err)
		f.jwts[name], err = agency.SignVCJWT(unsigned)
		require.NoError(t, err)
		held, err := f.wallet.Add([]byte(f.jwts[name]))
		require.NoError(t, err)
		require.Equal(t, c.ID, held.ID)
	}
	f.holder, err = f.fixture.holder.JOSESigner()
	require.NoError(t, err)
	return f
}

// jwtQuery asks for a qualification as a VC-JWT, with its name and
// licence number.
func jwtQuery() openid4vp.Query {
	q := qualificationQuery()
	q.Credentials[0].Format = openid4vp.FormatJWTVCJSON
	q.Credentials[0].Meta = openid4vp.Meta{TypeValues: [][]string{{"OpenBadgeCredential"}}}
	return q
}

// TestJWTVCJSONFlow: a relying party's jwt_vc_json request (x509_hash,
// direct_post.jwt), answered by the SDK wallet with the VC-JWT it holds,
// yields a verified Result: the VP JWT's report (jwt_vp_json, the holder's
// signature and binding) with one report for the credential (jwt_vc_json,
// the holder its subject), and the requested claims.
func TestJWTVCJSONFlow(t *testing.T) {
	f := newJWTFixture(t)
	rp, _ := newRP(t, f.fixture, openid4vp.WithClientIdentity(x509HashIdentity(t)))
	req, err := rp.CreateRequest(ctx, jwtQuery())
	require.NoError(t, err)

	wr, err := f.wallet.Fetch(ctx, req.URL)
	require.NoError(t, err)
	require.Contains(t, wr.Request.ClientMetadata.VPFormatsSupported, openid4vp.FormatJWTVCJSON, "the relying party says it takes jwt_vc_json")
	require.Len(t, wr.Matches, 1)
	require.Len(t, wr.Matches[0].Candidates, 1, "the VC-JWT qualification, not the Data Integrity one, nor the work badge")
	assert.Equal(t, "urn:uuid:q1", wr.Matches[0].Candidates[0].Credential.ID)

	form, err := f.wallet.Response(wr, nil)
	require.NoError(t, err)
	require.NotEmpty(t, form.Get("response"), "direct_post.jwt")
	_, err = f.wallet.Post(ctx, wr, form)
	require.NoError(t, err)

	res := result(t, rp, req)
	require.True(t, res.Verified, "%s: %s", res.Code, res.Message)
	require.Len(t, res.Presented, 1)
	p := res.Presented[0]
	assert.Equal(t, openid4vp.FormatJWTVCJSON, p.Format)
	assert.Equal(t, verify.FormatVPJWT, p.Report.Format)
	assert.Equal(t, verify.StatusPassed, p.Report.Check(verify.CheckSignature).Status)
	assert.Equal(t, verify.StatusPassed, p.Report.Check(verify.CheckHolder).Status)
	require.Len(t, p.Report.Credentials, 1)
	cr := p.Report.Credentials[0]
	assert.Equal(t, verify.FormatVCJWT, cr.Format)
	assert.True(t, cr.Verified)
	assert.Equal(t, "urn:uuid:q1", cr.Credential.ID)
	assert.Equal(t, verify.StatusPassed, cr.Check(verify.CheckHolder).Status, "the holder is the subject")
	assert.Len(t, p.Claims, 2)
}

// answerJWT posts, through direct_post.jwt, a vp_token holding vps for the
// query "qualification" of a fresh jwt_vc_json request.
func answerJWT(t *testing.T, f *jwtFixture, q openid4vp.Query, vps func(ar *openid4vp.AuthorizationRequest) []string) *openid4vp.Result {
	t.Helper()
	rp, _ := newRP(t, f.fixture, openid4vp.WithClientIdentity(x509HashIdentity(t)))
	req, err := rp.CreateRequest(ctx, q)
	require.NoError(t, err)
	wr, err := f.wallet.Fetch(ctx, req.URL)
	require.NoError(t, err)
	jwe, err := openid4vp.EncryptResponse(wr.Request, map[string]any{"vp_token": map[string][]string{"qualification": vps(wr.Request)}, "state": wr.Request.State})
	require.NoError(t, err)
	res := rp.ProcessResponse(ctx, req.ID, url.Values{"response": {jwe}})
	require.NotNil(t, res)
	return res
}

// TestJWTVCJSONRefused: each way a jwt_vc_json response can be wrong fails
// with its own code.
func TestJWTVCJSONRefused(t *testing.T) {
	f := newJWTFixture(t)
	holder := f.fixture.holder.DID()
	sign := func(aud, nonce string, creds ...string) string {
		vp, err := f.holder.SignVPJWT(holder, aud, nonce, creds...)
		require.NoError(t, err)
		return vp
	}
	// The qualification with its licence number changed after the agency
	// signed it.
	parts := strings.Split(f.jwts["qualification"], ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	changed := strings.Replace(string(payload), "25201001234A", "25201009999A", 1)
	require.NotEqual(t, string(payload), changed)
	forged := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(changed)) + "." + parts[2]

	cases := []struct {
		name, code string
		sentinel   error
		q          openid4vp.Query
		vps        func(ar *openid4vp.AuthorizationRequest) []string
	}{
		{"wrong nonce", "nonce_mismatch", openid4vp.ErrNonceMismatch, jwtQuery(), func(ar *openid4vp.AuthorizationRequest) []string {
			return []string{sign(ar.ClientID, "another-nonce", f.jwts["qualification"])}
		}},
		{"wrong audience", "audience_mismatch", openid4vp.ErrAudienceMismatch, jwtQuery(), func(ar *openid4vp.AuthorizationRequest) []string {
			return []string{sign("x509_hash:another-verifier", ar.Nonce, f.jwts["qualification"])}
		}},
		{"tampered credential", "not_verified", openid4vp.ErrNotVerified, jwtQuery(), func(ar *openid4vp.AuthorizationRequest) []string {
			return []string{sign(ar.ClientID, ar.Nonce, forged)}
		}},
		{"unrequested credential beside the requested one", "unrequested_credential", openid4vp.ErrUnrequestedCredential, jwtQuery(), func(ar *openid4vp.AuthorizationRequest) []string {
			return []string{sign(ar.ClientID, ar.Nonce, f.jwts["qualification"], f.jwts["work"])}
		}},
		{"missing claim", "missing_claim", openid4vp.ErrMissingClaim, jwtQuery(), func(ar *openid4vp.AuthorizationRequest) []string {
			return []string{sign(ar.ClientID, ar.Nonce, f.jwts["work"])} // no licence number
		}},
		{"a Data Integrity presentation for jwt_vc_json", "malformed_response", openid4vp.ErrMalformedResponse, jwtQuery(), func(ar *openid4vp.AuthorizationRequest) []string {
			return []string{`{"type":"VerifiablePresentation"}`}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := answerJWT(t, f, tc.q, tc.vps)
			require.False(t, res.Verified)
			assert.Equal(t, tc.code, res.Code, res.Message)
			assert.ErrorIs(t, res.Err, tc.sentinel, res.Message)
			if tc.name == "tampered credential" {
				require.Len(t, res.Presented, 1)
				rep := res.Presented[0].Report
				require.Len(t, rep.Credentials, 1)
				assert.Equal(t, "bad_signature", rep.Credentials[0].Check(verify.CheckSignature).Code)
				assert.Equal(t, verify.StatusPassed, rep.Check(verify.CheckSignature).Status, "the holder did sign what was presented")
			}
		})
	}
}

// TestJWTVCJSONTypeValues: DCQL type_values select VC-JWTs by type, short
// names and the IRIs they expand to alike; a credential of another type or
// format is not one the query asked for.
func TestJWTVCJSONTypeValues(t *testing.T) {
	cred := openid4vp.Credential{Format: openid4vp.FormatJWTVCJSON, Types: []string{"VerifiableCredential", "OpenBadgeCredential"},
		Claims: json.RawMessage(`{"credentialSubject":{"licenseNumber":"25201001234A"}}`)}
	claims := []openid4vp.ClaimQuery{{Path: []any{"credentialSubject", "licenseNumber"}}}
	for name, tc := range map[string]struct {
		format string
		types  [][]string
		ok     bool
	}{
		"short name":                      {openid4vp.FormatJWTVCJSON, [][]string{{"OpenBadgeCredential"}}, true},
		"expanded IRIs":                   {openid4vp.FormatJWTVCJSON, [][]string{{"https://www.w3.org/2018/credentials#VerifiableCredential", "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"}}, true},
		"second alternative":              {openid4vp.FormatJWTVCJSON, [][]string{{"ClrCredential"}, {"VerifiableCredential"}}, true},
		"another type":                    {openid4vp.FormatJWTVCJSON, [][]string{{"ClrCredential"}}, false},
		"every type of one alternative":   {openid4vp.FormatJWTVCJSON, [][]string{{"OpenBadgeCredential", "ClrCredential"}}, false},
		"the same type in another format": {openid4vp.FormatLDPVC, [][]string{{"OpenBadgeCredential"}}, false},
	} {
		cq := openid4vp.CredentialQuery{ID: "q", Format: tc.format, Meta: openid4vp.Meta{TypeValues: tc.types}, Claims: claims}
		got, err := cq.Match(cred)
		if tc.ok {
			require.NoError(t, err, name)
			assert.Len(t, got, 1, name)
		} else {
			require.ErrorIs(t, err, openid4vp.ErrUnrequestedCredential, name)
		}
	}
	// type_values are required of jwt_vc_json queries.
	_, err := openid4vp.ParseQuery([]byte(`{"credentials":[{"id":"q","format":"jwt_vc_json","meta":{}}]}`))
	require.Error(t, err)
	_, err = openid4vp.ParseQuery([]byte(`{"credentials":[{"id":"q","format":"jwt_vc_json","meta":{"type_values":[["OpenBadgeCredential"]]},"claims":[{"path":["credentialSubject","licenseNumber"]}]}]}`))
	require.NoError(t, err)
}
