package openid4vp_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/badgeproof/badgeproof/verify"
	"github.com/badgeproof/badgeproof/verify/openid4vp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSDJWTVC: a dc+sd-jwt badge presented with a key binding to the
// request's nonce and client identifier verifies through direct_post.jwt;
// a wrong nonce, an undisclosed required claim and another vct fail with
// their codes.
func TestSDJWTVC(t *testing.T) {
	agencyKey, err := keys.Generate(keys.P256)
	require.NoError(t, err)
	agency, err := issuer.NewJOSESigner(agencyKey)
	require.NoError(t, err)
	did := agencyKey.PublicKey().DID()
	holderKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	sd, err := agency.IssueSDJWT(did, map[string]any{"achievement": map[string]any{"name": "정보처리 기사"}, "licence_number": "25201001234A"},
		issuer.SDJWTOptions{VCT: issuer.BadgeVCT, Disclosable: []string{"licence_number"}, Holder: &holderKey.PublicKey})
	require.NoError(t, err)

	f := newFixture(t)
	f.v, err = verify.New(verify.WithTrustedKey(did))
	require.NoError(t, err)
	rp, _ := newRP(t, f, openid4vp.WithClientIdentity(x509HashIdentity(t)))
	query := func(vct string, claim ...string) openid4vp.Query {
		q := openid4vp.Query{Credentials: []openid4vp.CredentialQuery{{ID: "badge", Format: openid4vp.FormatSDJWTVC,
			Meta: openid4vp.Meta{VCTValues: []string{vct}}}}}
		for _, c := range claim {
			q.Credentials[0].Claims = append(q.Credentials[0].Claims, openid4vp.ClaimQuery{Path: []any{c}})
		}
		return q
	}
	answer := func(q openid4vp.Query, disclose []string, nonce func(string) string) *openid4vp.Result {
		req, err := rp.CreateRequest(ctx, q)
		require.NoError(t, err)
		wr := forced(t, f, req, "")
		p, err := issuer.PresentSDJWT(sd, disclose, holderKey, wr.Request.ClientID, nonce(wr.Request.Nonce), time.Now())
		require.NoError(t, err)
		s, _ := json.Marshal(p)
		return rp.ProcessResponse(ctx, req.ID, encrypted(t, wr, map[string]any{"badge": []json.RawMessage{s}}))
	}
	same := func(n string) string { return n }

	res := answer(query(issuer.BadgeVCT, "licence_number"), []string{"licence_number"}, same)
	require.True(t, res.Verified, "%s: %s", res.Code, res.Message)
	require.Len(t, res.Presented, 1)
	assert.Equal(t, verify.StatusVerified, res.Presented[0].Report.Status)

	res = answer(query(issuer.BadgeVCT, "licence_number"), []string{"licence_number"}, func(string) string { return "another-nonce" })
	assert.Equal(t, "nonce_mismatch", res.Code, res.Message)
	res = answer(query(issuer.BadgeVCT, "licence_number"), nil, same)
	assert.Equal(t, "missing_claim", res.Code, res.Message)
	res = answer(query("urn:kr:another-vct"), nil, same)
	assert.Equal(t, "unrequested_credential", res.Code, res.Message)
}
