package wallet_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/issuer/wallet"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/badgeproof/badgeproof/verify/openid4vp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestVCJWTBadges: the wallet files a compact VC-JWT, offers it for
// jwt_vc_json queries only, and answers with a VC 1.1 presentation JWT of
// the holder bound to the request's nonce and client identifier.
func TestVCJWTBadges(t *testing.T) {
	h := holder(t)
	w, err := wallet.New(h, wallet.WithRedirectURIClientsUnsafe())
	require.NoError(t, err)
	k, err := keys.Generate(keys.P256)
	require.NoError(t, err)
	agency, err := issuer.NewJOSESigner(k)
	require.NoError(t, err)
	agencyDID, _, _ := strings.Cut(agency.KeyID(), "#")
	q, err := badge.NationalQualification{
		Common: badge.Common{ID: "urn:uuid:j1", Issuer: badge.Profile{ID: agencyDID, Name: badge.AgencyHRDKorea()}, HolderID: h.DID(),
			ValidFrom: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)},
		ItemCode: "1320", ItemName: "정보처리", ItemNameEn: "Information Processing", Grade: "기사", GradeEn: "Engineer",
		LicenceNumber: "25201001234A", PassDate: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC),
	}.Credential()
	require.NoError(t, err)
	tok, err := agency.SignVCJWT(q.Raw())
	require.NoError(t, err)
	c, err := w.Add([]byte(tok))
	require.NoError(t, err)
	assert.Equal(t, "urn:uuid:j1", c.ID)
	assert.Equal(t, agencyDID, c.Issuer.ID)
	for _, bad := range []string{"eyJhbGciOiJFUzI1NiJ9.eyJ4IjoxfQ.c2ln", "a.b.c"} {
		_, err := w.Add([]byte(bad))
		assert.Error(t, err, "a JWT without a vc object is no badge: %s", bad)
	}
	require.Len(t, w.Credentials(), 1)

	ctx := context.Background()
	_, err = w.Fetch(ctx, byValue(query))
	require.ErrorIs(t, err, openid4vp.ErrNoMatchingCredential, "a VC-JWT is not presented as ldp_vc")
	jq := `{"credentials":[{"id":"q","format":"jwt_vc_json","meta":{"type_values":[["OpenBadgeCredential"]]},"claims":[{"path":["credentialSubject","licenseNumber"]}]}]}`
	req, err := w.Fetch(ctx, byValue(jq))
	require.NoError(t, err)
	require.Len(t, req.Matches[0].Candidates, 1)
	form, err := w.Response(req, nil)
	require.NoError(t, err)
	var token map[string][]string
	require.NoError(t, json.Unmarshal([]byte(form.Get("vp_token")), &token))
	require.Len(t, token["q"], 1)
	raw, err := base64.RawURLEncoding.DecodeString(strings.Split(token["q"][0], ".")[1])
	require.NoError(t, err)
	var p struct {
		Iss, Aud, Nonce string
		VP              struct {
			Type []string
			VC   []string `json:"verifiableCredential"`
		}
	}
	require.NoError(t, json.Unmarshal(raw, &p))
	assert.Equal(t, h.DID(), p.Iss)
	assert.Equal(t, "redirect_uri:https://jobs.example.kr/cb", p.Aud)
	assert.Equal(t, "n-1", p.Nonce)
	assert.Equal(t, []string{"VerifiablePresentation"}, p.VP.Type)
	assert.Equal(t, []string{tok}, p.VP.VC)
}
