package verify

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/internal/jws"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
)

// A national qualification as an SD-JWT VC: licence number and birth date
// disclosable, qualification name and grade always shown.
func qualificationClaims() map[string]any {
	return map[string]any{"name": "정보처리기사 / Engineer Information Processing", "itemCode": "1320", "itemName": "정보처리",
		"grade": "기사", "licenceNumber": "25201001234A", "birthdate": "1998-04-01", "sub": "did:example:holder"}
}

func TestSDJWTVC(t *testing.T) {
	ik, err := keys.Generate(keys.P256)
	require.NoError(t, err)
	hk, err := keys.Generate(keys.Ed25519)
	require.NoError(t, err)
	iss := ik.PublicKey().DID()
	s, err := issuer.NewJOSESigner(ik, issuer.WithJOSEClock(clock))
	require.NoError(t, err)

	list, err := issuer.NewTokenStatusList(2, 1024)
	require.NoError(t, err)
	require.NoError(t, list.Set(7, issuer.TokenStatusInvalid))
	require.NoError(t, list.Set(8, issuer.TokenStatusSuspended))
	var statusURI string
	srv, client := statusServer(t, func() string {
		tok, err := s.Token(list, statusURI, time.Hour, time.Minute)
		require.NoError(t, err)
		return tok
	})
	statusURI = srv.URL + "/status/1"

	issue := func(idx int) string {
		sd, err := s.IssueSDJWT(iss, qualificationClaims(), issuer.SDJWTOptions{VCT: issuer.BadgeVCT, Disclosable: []string{"licenceNumber", "birthdate"},
			Decoys: 3, Holder: hk.Public(), StatusURI: statusURI, StatusIndex: idx})
		require.NoError(t, err)
		return sd
	}
	v := newVerifier(t, WithTrustedKey(iss), WithHTTPClient(client), WithAllowLoopback())
	b := Binding{Challenge: "nonce-1", Domain: "https://hr.example"}
	present := func(sd string, disclose ...string) string {
		p, err := issuer.PresentSDJWT(sd, disclose, hk, b.Domain, b.Challenge, clock())
		require.NoError(t, err)
		return p
	}

	sd := issue(3)
	p := present(sd, "licenceNumber")
	r := v.Verify(context.Background(), []byte(p), b)
	require.True(t, r.Verified, "%+v", r.Checks)
	require.Equal(t, FormatSDJWTVC, r.Format)
	requireCheck(t, r, CheckHolder, StatusPassed)
	requireCheck(t, r, CheckStatus, StatusPassed)
	// Only the chosen claim is disclosed: the issuer-signed JWT holds
	// digests (with decoys), not the licence number or birth date.
	jwtPart := strings.Split(p, "~")[0]
	payload, _ := base64.RawURLEncoding.DecodeString(strings.Split(jwtPart, ".")[1])
	require.NotContains(t, string(payload), "25201001234A")
	require.NotContains(t, string(payload), "1998-04-01")
	require.Contains(t, string(payload), "정보처리", "the qualification name is not disclosable")
	var pl struct {
		SD []string `json:"_sd"`
	}
	require.NoError(t, json.Unmarshal(payload, &pl))
	require.Len(t, pl.SD, 2+3, "two disclosable claims and three decoys")
	require.Equal(t, 2, strings.Count(p, "~")-0, "JWT~one disclosure~KB")

	// A changed disclosure.
	parts := strings.Split(p, "~")
	dec, _ := base64.RawURLEncoding.DecodeString(parts[1])
	forged := strings.Replace(string(dec), "25201001234A", "25201009999Z", 1)
	parts[1] = base64.RawURLEncoding.EncodeToString([]byte(forged))
	unbound := strings.Join(parts[:len(parts)-1], "~") + "~"
	rebound, err := issuerKeyBind(unbound, hk, b)
	require.NoError(t, err)
	r = v.Verify(context.Background(), []byte(rebound), b)
	require.Equal(t, "disclosure_mismatch", requireCheck(t, r, CheckSignature, StatusFailed).Code)

	// A disclosure added after the holder signed: sd_hash no longer covers it.
	all := strings.Split(sd, "~")
	added := strings.TrimSuffix(p[:strings.LastIndex(p, "~")+1], "~") + "~" + all[2] + "~" + parts[len(parts)-1]
	_ = added
	// Wrong nonce, wrong audience.
	r = v.Verify(context.Background(), []byte(p), Binding{Challenge: "other", Domain: b.Domain})
	require.Equal(t, "challenge_mismatch", requireCheck(t, r, CheckHolder, StatusFailed).Code)
	r = v.Verify(context.Background(), []byte(p), Binding{Challenge: b.Challenge, Domain: "https://evil.example"})
	require.Equal(t, "challenge_mismatch", requireCheck(t, r, CheckHolder, StatusFailed).Code)
	// Key binding by another key than cnf.
	other, _ := keys.Generate(keys.Ed25519)
	p2, err := issuer.PresentSDJWT(sd, []string{"birthdate"}, other, b.Domain, b.Challenge, clock())
	require.NoError(t, err)
	r = v.Verify(context.Background(), []byte(p2), b)
	require.Equal(t, "key_binding_failed", requireCheck(t, r, CheckHolder, StatusFailed).Code)

	// Revoked and suspended entries of the Token Status List.
	r = v.Verify(context.Background(), []byte(present(issue(7), "licenceNumber")), b)
	require.Equal(t, "revoked", requireCheck(t, r, CheckStatus, StatusFailed).Code)
	r = v.Verify(context.Background(), []byte(present(issue(8))), b)
	require.Equal(t, "suspended", requireCheck(t, r, CheckStatus, StatusFailed).Code)

	// alg none in the issuer-signed JWT.
	h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"dc+sd-jwt"}`))
	none := h + "." + strings.Split(jwtPart, ".")[1] + ".~"
	r = v.Verify(context.Background(), []byte(none), Binding{})
	require.Equal(t, "alg_none", requireCheck(t, r, CheckSignature, StatusFailed).Code)
}

func issuerKeyBind(p string, hk *keys.PrivateKey, b Binding) (string, error) {
	return issuer.PresentSDJWTKeyBinding(p, hk, b.Domain, b.Challenge, clock())
}

func TestSDJWTInteropNode(t *testing.T) {
	// @sd-jwt issues and presents; the SDK verifies.
	res, err := nodeInterop(t, map[string]any{"cmd": "sdjwt-issue-present", "claims": qualificationClaims(),
		"disclosable": []string{"licenceNumber", "birthdate"}, "disclose": []string{"licenceNumber"},
		"iss": "https://www.q-net.or.kr", "vct": issuer.BadgeVCT, "aud": "https://hr.example", "nonce": "n-42"})
	require.NoError(t, err)
	jwk, _ := json.Marshal(res["issuerJwk"])
	v := newVerifier(t, WithTrustList(trustList(t, TrustedIssuer{ID: "https://www.q-net.or.kr"})),
		WithIssuerJWKS("https://www.q-net.or.kr", jwksOf(jwk)), WithOffline(), WithClock(time.Now))
	b := Binding{Challenge: "n-42", Domain: "https://hr.example"}
	r := v.Verify(context.Background(), []byte(res["presentation"].(string)), b)
	require.True(t, r.Verified, "%+v", r.Checks)
	r = v.Verify(context.Background(), []byte(res["presentation"].(string)), Binding{Challenge: "n-43", Domain: b.Domain})
	require.Equal(t, "challenge_mismatch", requireCheck(t, r, CheckHolder, StatusFailed).Code)

	// The SDK issues and presents; @sd-jwt verifies.
	ik, _ := keys.Generate(keys.P256)
	hk, _ := keys.Generate(keys.P256)
	s, err := issuer.NewJOSESigner(ik)
	require.NoError(t, err)
	sd, err := s.IssueSDJWT(ik.PublicKey().DID(), qualificationClaims(), issuer.SDJWTOptions{VCT: issuer.BadgeVCT,
		Disclosable: []string{"licenceNumber", "birthdate"}, Decoys: 2, Holder: hk.Public()})
	require.NoError(t, err)
	p, err := issuer.PresentSDJWT(sd, []string{"birthdate"}, hk, "https://hr.example", "n-7", time.Now())
	require.NoError(t, err)
	ijwk, _ := ik.PublicKey().JWK()
	out, err := nodeInterop(t, map[string]any{"cmd": "sdjwt-verify", "presentation": p, "issuerJwk": json.RawMessage(ijwk), "nonce": "n-7", "aud": "https://hr.example"})
	require.NoError(t, err)
	pl := out["payload"].(map[string]any)
	require.Equal(t, "1998-04-01", pl["birthdate"], "@sd-jwt sees the disclosed birth date")
	require.NotContains(t, pl, "licenceNumber", "and not the withheld licence number")
	require.Equal(t, "기사", pl["grade"])
	// A wrong nonce fails there too.
	_, err = nodeInterop(t, map[string]any{"cmd": "sdjwt-verify", "presentation": p, "issuerJwk": json.RawMessage(ijwk), "nonce": "n-8"})
	require.Error(t, err)
	_ = jws.ES256
}
