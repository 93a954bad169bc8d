package verify

import (
	"context"
	"crypto"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/jws"
	"github.com/badgeproof/badgeproof/issuer"
)

// vc11JWT is a VC-JWT (VC 1.1 JWT encoding) of a qualification of the
// fixture's holder.
func (f *vpFixture) vc11JWT(t *testing.T, id string) string {
	t.Helper()
	is, err := issuer.NewJOSESigner(f.ti.key, issuer.WithJOSEClock(clock))
	require.NoError(t, err)
	tok, err := is.SignVCJWT(f.ti.qualification(t, id, f.holder.PublicKey().DID()).Raw())
	require.NoError(t, err)
	return tok
}

// resign changes a token's payload and signs it again with key.
func resign(t *testing.T, key crypto.Signer, token string, edit func(map[string]any)) string {
	t.Helper()
	parts := strings.Split(token, ".")
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	var p map[string]any
	require.NoError(t, json.Unmarshal(raw, &p))
	edit(p)
	raw, err = json.Marshal(p)
	require.NoError(t, err)
	hdr, err := base64.RawURLEncoding.DecodeString(parts[0])
	require.NoError(t, err)
	var h map[string]any
	require.NoError(t, json.Unmarshal(hdr, &h))
	out, err := jws.Sign(key, h, raw)
	require.NoError(t, err)
	return out
}

// TestVPJWT: a VC 1.1 presentation JWT (vp claim, OpenID4VP jwt_vc_json)
// verifies like a vp+jwt: the holder's signature by its did:key, nonce and
// aud as challenge and domain, one report per VC-JWT inside with the holder
// as subject.
func TestVPJWT(t *testing.T) {
	f := newVPFixture(t)
	ctx := context.Background()
	c1, c2 := f.vc11JWT(t, "urn:uuid:7f0e2c1a-0000-4000-8000-000000000011"), f.vc11JWT(t, "urn:uuid:7f0e2c1a-0000-4000-8000-000000000012")
	vp, err := f.hs.SignVPJWT("", f.b.Domain, f.b.Challenge, c1, c2)
	require.NoError(t, err)

	r := f.v.Verify(ctx, []byte(vp), f.b)
	require.True(t, r.Verified, "%+v", r.Checks)
	require.Equal(t, FormatVPJWT, r.Format)
	require.Len(t, r.Credentials, 2)
	for i, cr := range r.Credentials {
		require.True(t, cr.Verified, "%+v", cr.Checks)
		require.Equal(t, FormatVCJWT, cr.Format)
		requireCheck(t, cr, CheckHolder, StatusPassed)
		require.Equal(t, []string{"urn:uuid:7f0e2c1a-0000-4000-8000-000000000011", "urn:uuid:7f0e2c1a-0000-4000-8000-000000000012"}[i], cr.Credential.ID)
	}
	requireCheck(t, r, CheckSignature, StatusPassed)
	requireCheck(t, r, CheckHolder, StatusPassed)

	// The payload is the VC 1.1 form: iss the holder, the binding as
	// claims, the presentation in vp with the VC 1.1 context.
	raw, err := base64.RawURLEncoding.DecodeString(strings.Split(vp, ".")[1])
	require.NoError(t, err)
	var p struct {
		Iss, Aud, Nonce string
		Exp             int64
		VP              struct {
			Context []string `json:"@context"`
			Type    []string
			VC      []string `json:"verifiableCredential"`
		}
	}
	require.NoError(t, json.Unmarshal(raw, &p))
	require.Equal(t, f.holder.PublicKey().DID(), p.Iss)
	require.Equal(t, f.b.Domain, p.Aud)
	require.Equal(t, f.b.Challenge, p.Nonce)
	require.Equal(t, clock().Add(issuer.VPJWTLifetime).Unix(), p.Exp)
	require.Equal(t, []string{badge.ContextV1}, p.VP.Context)
	require.Equal(t, []string{c1, c2}, p.VP.VC)

	// Nonce and audience: challenge_mismatch, the badges keep their verdicts.
	for name, b := range map[string]Binding{
		"wrong nonce":    {Challenge: "c-999", Domain: f.b.Domain},
		"wrong audience": {Challenge: f.b.Challenge, Domain: "https://evil.example"},
		"no binding":     {},
	} {
		r := f.v.Verify(ctx, []byte(vp), b)
		require.False(t, r.Verified, name)
		require.Equal(t, "challenge_mismatch", requireCheck(t, r, CheckHolder, StatusFailed).Code, name)
		requireCheck(t, r, CheckSignature, StatusPassed)
		for _, cr := range r.Credentials {
			requireCheck(t, cr, CheckSignature, StatusPassed)
		}
	}
}

// TestVPJWTTampered: a VC-JWT changed inside fails its own signature; a
// presentation JWT changed after signing fails the holder's.
func TestVPJWTTampered(t *testing.T) {
	f := newVPFixture(t)
	ctx := context.Background()
	c := f.vc11JWT(t, "urn:uuid:7f0e2c1a-0000-4000-8000-000000000021")
	parts := strings.Split(c, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	changed := strings.Replace(string(payload), "25201001234A", "25201009999A", 1)
	require.NotEqual(t, string(payload), changed)
	forged := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(changed)) + "." + parts[2]
	vp, err := f.hs.SignVPJWT("", f.b.Domain, f.b.Challenge, forged)
	require.NoError(t, err)
	r := f.v.Verify(ctx, []byte(vp), f.b)
	require.False(t, r.Verified)
	require.Equal(t, "bad_signature", requireCheck(t, r.Credentials[0], CheckSignature, StatusFailed).Code)
	requireCheck(t, r, CheckSignature, StatusPassed)

	vp, err = f.hs.SignVPJWT("", f.b.Domain, f.b.Challenge, c)
	require.NoError(t, err)
	vparts := strings.Split(vp, ".")
	vpPayload, err := base64.RawURLEncoding.DecodeString(vparts[1])
	require.NoError(t, err)
	vpChanged := strings.Replace(string(vpPayload), `"nonce":"c-123"`, `"nonce":"c-124"`, 1)
	require.NotEqual(t, string(vpPayload), vpChanged)
	r = f.v.Verify(ctx, []byte(vparts[0]+"."+base64.RawURLEncoding.EncodeToString([]byte(vpChanged))+"."+vparts[2]), Binding{Challenge: "c-124", Domain: f.b.Domain})
	require.False(t, r.Verified)
	require.Equal(t, "bad_signature", requireCheck(t, r, CheckSignature, StatusFailed).Code)
}

// TestVPJWTMalformed: the shapes a VC 1.1 presentation JWT may not take are
// format failures of jwt_vp_json, never a verified report.
func TestVPJWTMalformed(t *testing.T) {
	f := newVPFixture(t)
	ctx := context.Background()
	c := f.vc11JWT(t, "urn:uuid:7f0e2c1a-0000-4000-8000-000000000031")
	vp, err := f.hs.SignVPJWT("", f.b.Domain, f.b.Challenge, c)
	require.NoError(t, err)
	cases := map[string]func(map[string]any){
		"vp not an object":    func(p map[string]any) { p["vp"] = "x" },
		"VC 2.0 context":      func(p map[string]any) { p["vp"].(map[string]any)["@context"] = []string{badge.ContextV2} },
		"no type":             func(p map[string]any) { delete(p["vp"].(map[string]any), "type") },
		"no credentials":      func(p map[string]any) { delete(p["vp"].(map[string]any), "verifiableCredential") },
		"iss is not holder":   func(p map[string]any) { p["vp"].(map[string]any)["holder"] = "did:example:other" },
		"vp beside top-level": func(p map[string]any) { p["type"] = []string{"VerifiablePresentation"} },
	}
	for name, edit := range cases {
		r := f.v.Verify(ctx, []byte(resign(t, f.holder, vp, edit)), f.b)
		require.False(t, r.Verified, name)
		require.Equal(t, StatusFailed, r.Status, name)
		if name != "vp beside top-level" {
			require.Equal(t, FormatVPJWT, r.Format, name)
		}
		requireCheck(t, r, CheckFormat, StatusFailed)
	}
	_, err = f.hs.SignVPJWT("", f.b.Domain, f.b.Challenge, `{"not":"a jwt"}`)
	require.Error(t, err)
	_, err = f.hs.SignVPJWT("", "", f.b.Challenge, c)
	require.Error(t, err)
}
