package openid4vp_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/badgeproof/badgeproof/verify/openid4vp"
	"github.com/stretchr/testify/require"
)

// FuzzProcessResponse: whatever a wallet (or anyone) posts, the relying
// party answers with a Result carrying a code, never panics, and never
// verifies a response it did not get from the holder.
func FuzzProcessResponse(f *testing.F) {
	f.Add("", `{"qualification":[{"type":"VerifiablePresentation"}]}`, "state", "")
	f.Add("eyJhbGciOiJFQ0RILUVTIiwiZW5jIjoiQTEyOEdDTSJ9..x.y.z", "", "", "")
	f.Add("", `{"qualification":[]}`, "", "")
	f.Add("", `{"other":["x"],"qualification":[1,2]}`, "", "access_denied")
	f.Add("a.b.c.d.e", `[]`, "", "")
	f.Add("", `{"qualification":["eyJ..."]}`, "", "")
	fx := newFixture(f)
	var rps []*openid4vp.RelyingParty
	// The first answers a dc+sd-jwt query, the second an ldp_vc query, the
	// third a jwt_vc_json query.
	for _, mode := range []string{openid4vp.ResponseModeDirectPost, openid4vp.ResponseModeDirectPostJWT, openid4vp.ResponseModeDirectPost} {
		rp, _ := newRP(f, fx, openid4vp.WithResponseMode(mode))
		rps = append(rps, rp)
	}
	f.Fuzz(func(t *testing.T, response, vpToken, state, walletErr string) {
		sdq := openid4vp.Query{Credentials: []openid4vp.CredentialQuery{{ID: "qualification", Format: openid4vp.FormatSDJWTVC,
			Meta: openid4vp.Meta{VCTValues: []string{"urn:x"}}, Claims: []openid4vp.ClaimQuery{{Path: []any{"a", nil}}}}}}
		for i, rp := range rps {
			q := qualificationQuery()
			switch i {
			case 0:
				q = sdq
			case 2:
				q = jwtQuery()
			}
			req, err := rp.CreateRequest(ctx, q)
			require.NoError(t, err)
			form := url.Values{}
			for k, v := range map[string]string{"response": response, "vp_token": vpToken, "error": walletErr} {
				if v != "" {
					form.Set(k, v)
				}
			}
			if state == "state" {
				state = req.State
			}
			form.Set("state", state)
			res := rp.ProcessResponse(ctx, req.ID, form)
			require.NotNil(t, res)
			require.False(t, res.Verified)
			require.NotEmpty(t, res.Code, res.Message)
			_, err = json.Marshal(res)
			require.NoError(t, err)
		}
	})
}

// FuzzRequestParsing: links, request objects and DCQL queries from a
// hostile relying party are refused with an error, never a panic.
func FuzzRequestParsing(f *testing.F) {
	f.Add("openid4vp://?client_id=x509_hash%3Aabc&request_uri=https%3A%2F%2Fv.example%2Fr", `{"credentials":[{"id":"a","format":"ldp_vc","meta":{"type_values":[["VerifiableCredential"]]},"claims":[{"path":["credentialSubject",null,0]}]}]}`)
	f.Add("openid4vp://?client_id=redirect_uri%3Ahttps%3A%2F%2Fv.example%2Fcb&response_type=vp_token&response_mode=direct_post&response_uri=https%3A%2F%2Fv.example%2Fcb&nonce=n&dcql_query=%7B%7D", `{"credentials":[],"credential_sets":[{"options":[["x"]]}]}`)
	f.Add("eyJhbGciOiJFUzI1NiIsInR5cCI6Im9hdXRoLWF1dGh6LXJlcStqd3QiLCJ4NWMiOlsiQUFBQSJdfQ.e30.AAAA", `{"credentials":[{"id":"a","format":"dc+sd-jwt","meta":{"vct_values":["x"]},"claims":[{"id":"c","path":["a"],"values":[1,true,"s"]}],"claim_sets":[["c"],["d"]]}]}`)
	f.Add("?request_uri=http://[::1", `{"credentials":[{"id":"a","format":"ldp_vc","meta":{},"claims":[{"path":[-1]}]}]}`)
	f.Fuzz(func(t *testing.T, link, query string) {
		if l, err := openid4vp.ParseRequestLink(link); err == nil && l.ByValue != nil {
			_ = openid4vp.CheckRequest(l.ByValue)
		}
		for _, id := range []string{"x509_hash:abc", "x509_san_dns:v.example", "redirect_uri:https://v.example/cb"} {
			_, err := openid4vp.VerifyRequestObject([]byte(link), id, openid4vp.RequestPolicy{AllowRedirectURI: true})
			if err == nil && !strings.HasPrefix(id, "redirect_uri") {
				t.Fatalf("an unsigned or forged request object verified for %s: %q", id, link)
			}
		}
		for _, proto := range []string{openid4vp.DCAPIProtocolSigned, openid4vp.DCAPIProtocolUnsigned} {
			_, _ = openid4vp.VerifyDCAPIRequest(openid4vp.DCAPIRequest{Protocol: proto, Data: json.RawMessage(query)}, "https://jobs.example.kr",
				openid4vp.RequestPolicy{AllowRedirectURI: true})
		}
		q, err := openid4vp.ParseQuery([]byte(query))
		if err != nil {
			return
		}
		for i := range q.Credentials {
			_, _ = q.Credentials[i].Match(openid4vp.Credential{Format: q.Credentials[i].Format, Types: []string{"VerifiableCredential"},
				Claims: json.RawMessage(`{"credentialSubject":{"a":[1,{"b":null}],"licenseNumber":"x"}}`)})
		}
		_ = q.Missing(map[string]bool{})
	})
}
