package verify

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
)

// vpFixture: an issuer, a holder and two badges of the holder, one a
// vc+jwt and one with a Data Integrity proof.
type vpFixture struct {
	ti     *testIssuer
	holder *keys.PrivateKey
	hs     *issuer.JOSESigner
	vcJWT  string
	diCred []byte
	v      *Verifier
	b      Binding
}

func newVPFixture(t *testing.T) *vpFixture {
	t.Helper()
	f := &vpFixture{ti: newTestIssuer(t, keys.P256), b: Binding{Challenge: "c-123", Domain: "https://hr.example"}}
	var err error
	f.holder, err = keys.Generate(keys.Ed25519)
	require.NoError(t, err)
	f.hs, err = issuer.NewJOSESigner(f.holder, issuer.WithJOSEClock(clock))
	require.NoError(t, err)
	is, err := issuer.NewJOSESigner(f.ti.key, issuer.WithJOSEClock(clock))
	require.NoError(t, err)
	c := f.ti.qualification(t, "urn:uuid:7f0e2c1a-0000-4000-8000-000000000001", f.holder.PublicKey().DID())
	f.vcJWT, err = is.SignVCJOSE(c.Raw())
	require.NoError(t, err)
	f.diCred = f.ti.sign(t, f.ti.qualification(t, "urn:uuid:7f0e2c1a-0000-4000-8000-000000000002", f.holder.PublicKey().DID()))
	f.v = newVerifier(t, WithTrustedKey(f.ti.did()), WithOffline())
	return f
}

func (f *vpFixture) present(t *testing.T, aud, nonce string, creds ...[]byte) []byte {
	t.Helper()
	if len(creds) == 0 {
		creds = [][]byte{[]byte(f.vcJWT), f.diCred}
	}
	vp, err := f.hs.SignVPJOSE("", aud, nonce, creds...)
	require.NoError(t, err)
	return []byte(vp)
}

func TestVPJOSE(t *testing.T) {
	f := newVPFixture(t)
	ctx := context.Background()

	vp := f.present(t, f.b.Domain, f.b.Challenge)
	r := f.v.Verify(ctx, vp, f.b)
	require.True(t, r.Verified, "%+v", r.Checks)
	require.Equal(t, FormatVPJOSE, r.Format)
	require.Len(t, r.Credentials, 2)
	require.Equal(t, FormatVCJOSE, r.Credentials[0].Format, "the enveloped credential")
	require.Equal(t, "urn:uuid:7f0e2c1a-0000-4000-8000-000000000001", r.Credentials[0].Credential.ID)
	require.Equal(t, "urn:uuid:7f0e2c1a-0000-4000-8000-000000000002", r.Credentials[1].Credential.ID)
	for _, cr := range r.Credentials {
		require.True(t, cr.Verified, "%+v", cr.Checks)
		requireCheck(t, cr, CheckHolder, StatusPassed)
	}
	requireCheck(t, r, CheckSignature, StatusPassed)
	requireCheck(t, r, CheckHolder, StatusPassed)

	// The payload is a VC 2.0 presentation with the binding as claims, and
	// the first credential is enveloped.
	var payload map[string]any
	raw, err := base64.RawURLEncoding.DecodeString(strings.Split(string(vp), ".")[1])
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &payload))
	require.Equal(t, f.b.Challenge, payload["nonce"])
	require.Equal(t, f.b.Domain, payload["aud"])
	require.Equal(t, f.holder.PublicKey().DID(), payload["holder"])
	env := payload["verifiableCredential"].([]any)[0].(map[string]any)
	require.Equal(t, "EnvelopedVerifiableCredential", env["type"])
	require.Equal(t, "data:application/vc+jwt,"+f.vcJWT, env["id"])

	// AcceptChallenge sees the nonce, and its refusal is challenge_mismatch.
	var seen string
	r = f.v.Verify(ctx, vp, Binding{Domain: f.b.Domain, AcceptChallenge: func(c string) error { seen = c; return nil }})
	require.True(t, r.Verified, "%+v", r.Checks)
	require.Equal(t, f.b.Challenge, seen)
	r = f.v.Verify(ctx, vp, Binding{Domain: f.b.Domain, AcceptChallenge: func(string) error { return errors.New("used") }})
	require.Equal(t, "challenge_mismatch", requireCheck(t, r, CheckHolder, StatusFailed).Code)
}

// A wrong nonce, a wrong audience and no expected binding fail the holder
// check with challenge_mismatch, exactly as for a Data Integrity
// presentation; the badges inside keep their own verdicts.
func TestVPJOSEBindingMatchesDataIntegrity(t *testing.T) {
	f := newVPFixture(t)
	ctx := context.Background()
	// The same badges in a Data Integrity presentation by the same holder.
	hsDI, err := issuer.NewSigner(f.holder, issuer.WithClock(clock))
	require.NoError(t, err)
	c, err := badge.ParseCredential(f.diCred, badge.Limits{})
	require.NoError(t, err)
	diPresent := func(challenge, domain string) []byte {
		p, err := issuer.NewPresentation(f.holder.PublicKey().DID(), c)
		require.NoError(t, err)
		b, err := hsDI.SignPresentation(p, challenge, domain)
		require.NoError(t, err)
		return b
	}
	cases := []struct {
		name       string
		nonce, aud string
		binding    Binding
	}{
		{name: "wrong nonce", nonce: "c-999", aud: f.b.Domain, binding: f.b},
		{name: "wrong audience", nonce: f.b.Challenge, aud: "https://evil.example", binding: f.b},
		{name: "no binding expected", nonce: f.b.Challenge, aud: f.b.Domain, binding: Binding{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			jr := f.v.Verify(ctx, f.present(t, tc.aud, tc.nonce), tc.binding)
			dr := f.v.Verify(ctx, diPresent(tc.nonce, tc.aud), tc.binding)
			require.False(t, jr.Verified)
			require.Equal(t, StatusFailed, jr.Status)
			jc := requireCheck(t, jr, CheckHolder, StatusFailed)
			dc := requireCheck(t, dr, CheckHolder, StatusFailed)
			require.Equal(t, "challenge_mismatch", jc.Code)
			require.Equal(t, dc.Code, jc.Code, "the same code as a Data Integrity presentation")
			require.True(t, errors.Is(jc.Err, ErrChallenge))
			requireCheck(t, jr, CheckSignature, StatusPassed)
			for _, cr := range jr.Credentials {
				requireCheck(t, cr, CheckSignature, StatusPassed)
			}
		})
	}
}

// A credential changed inside the presentation (the holder signs a forged
// badge) fails that credential's signature; a presentation changed after
// the holder signed fails the presentation's signature.
func TestVPJOSETampered(t *testing.T) {
	f := newVPFixture(t)
	ctx := context.Background()
	parts := strings.Split(f.vcJWT, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	changed := strings.Replace(string(payload), "25201001234A", "25201009999A", 1)
	require.NotEqual(t, string(payload), changed)
	forged := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(changed)) + "." + parts[2]

	r := f.v.Verify(ctx, f.present(t, f.b.Domain, f.b.Challenge, []byte(forged), f.diCred), f.b)
	require.False(t, r.Verified)
	require.Equal(t, StatusFailed, r.Status)
	require.Equal(t, "bad_signature", requireCheck(t, r.Credentials[0], CheckSignature, StatusFailed).Code)
	require.True(t, r.Credentials[1].Verified, "the other badge is untouched")
	requireCheck(t, r, CheckSignature, StatusPassed) // the holder did sign what was presented

	vp := string(f.present(t, f.b.Domain, f.b.Challenge))
	vparts := strings.Split(vp, ".")
	vpPayload, err := base64.RawURLEncoding.DecodeString(vparts[1])
	require.NoError(t, err)
	vpChanged := strings.Replace(string(vpPayload), `"nonce":"c-123"`, `"nonce":"c-124"`, 1)
	require.NotEqual(t, string(vpPayload), vpChanged)
	r = f.v.Verify(ctx, []byte(vparts[0]+"."+base64.RawURLEncoding.EncodeToString([]byte(vpChanged))+"."+vparts[2]), Binding{Challenge: "c-124", Domain: f.b.Domain})
	require.False(t, r.Verified)
	require.Equal(t, "bad_signature", requireCheck(t, r, CheckSignature, StatusFailed).Code)
	require.Equal(t, "not_holder", requireCheck(t, r, CheckHolder, StatusFailed).Code)
}

// Who presents must be each badge's subject, and must sign with a key of
// the holder the presentation names.
func TestVPJOSEHolder(t *testing.T) {
	f := newVPFixture(t)
	ctx := context.Background()
	other, err := keys.Generate(keys.P256)
	require.NoError(t, err)
	osig, err := issuer.NewJOSESigner(other, issuer.WithJOSEClock(clock))
	require.NoError(t, err)

	// Someone else presents the holder's badges.
	vp, err := osig.SignVPJOSE("", f.b.Domain, f.b.Challenge, []byte(f.vcJWT))
	require.NoError(t, err)
	r := f.v.Verify(ctx, []byte(vp), f.b)
	require.False(t, r.Verified)
	requireCheck(t, r, CheckSignature, StatusPassed)
	require.Equal(t, "not_holder", requireCheck(t, r.Credentials[0], CheckHolder, StatusFailed).Code)
	require.Equal(t, "not_holder", requireCheck(t, r, CheckHolder, StatusFailed).Code)
	ob := f.b
	ob.OtherSubjects = true
	r = f.v.Verify(ctx, []byte(vp), ob)
	require.True(t, r.Verified, "%+v", r.Checks)
	require.Contains(t, requireCheck(t, r, CheckHolder, StatusPassed).Message, "another subject")

	// Someone else signs a presentation naming the holder.
	vp, err = osig.SignVPJOSE(f.holder.PublicKey().DID(), f.b.Domain, f.b.Challenge, []byte(f.vcJWT))
	require.NoError(t, err)
	r = f.v.Verify(ctx, []byte(vp), f.b)
	require.False(t, r.Verified)
	require.Equal(t, "key_not_issuer", requireCheck(t, r, CheckSignature, StatusFailed).Code)
	require.Equal(t, "not_holder", requireCheck(t, r.Credentials[0], CheckHolder, StatusFailed).Code)

	// An algorithm the verifier does not accept.
	v := newVerifier(t, WithTrustedKey(f.ti.did()), WithOffline(), WithJOSEAlgorithms("ES256"))
	r = v.Verify(ctx, f.present(t, f.b.Domain, f.b.Challenge), f.b)
	require.Equal(t, "suite_not_accepted", requireCheck(t, r, CheckSignature, StatusFailed).Code)
}

func TestVPJOSEMalformed(t *testing.T) {
	f := newVPFixture(t)
	ctx := context.Background()
	sign := func(payload string) []byte {
		tok, err := f.hs.SignVCJOSE([]byte(payload)) // any signed payload; typ is set below
		require.NoError(t, err)
		parts := strings.Split(tok, ".")
		hdr := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"EdDSA","typ":"vp+jwt","kid":"` + f.hs.KeyID() + `"}`))
		return []byte(hdr + "." + parts[1] + "." + parts[2])
	}
	holder := f.holder.PublicKey().DID()
	for name, payload := range map[string]string{
		"no credentials":      `{"@context":["` + badge.ContextV2 + `"],"type":["VerifiablePresentation"],"holder":"` + holder + `"}`,
		"VC 1.1 context":      `{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiablePresentation"],"holder":"` + holder + `","verifiableCredential":["x"]}`,
		"no holder":           `{"@context":["` + badge.ContextV2 + `"],"type":["VerifiablePresentation"],"verifiableCredential":["x"]}`,
		"iss is not holder":   `{"@context":["` + badge.ContextV2 + `"],"type":["VerifiablePresentation"],"holder":"` + holder + `","iss":"did:example:x","verifiableCredential":["x"]}`,
		"duplicate holder":    `{"@context":["` + badge.ContextV2 + `"],"type":["VerifiablePresentation"],"holder":"` + holder + `","holder":"did:example:x","verifiableCredential":["x"]}`,
		"aud a number":        `{"@context":["` + badge.ContextV2 + `"],"type":["VerifiablePresentation"],"holder":"` + holder + `","aud":7,"verifiableCredential":["x"]}`,
		"too many":            `{"@context":["` + badge.ContextV2 + `"],"type":["VerifiablePresentation"],"holder":"` + holder + `","verifiableCredential":[` + strings.TrimSuffix(strings.Repeat(`"x",`, maxPresentedCredentials+1), ",") + `]}`,
		"holder not a string": `{"@context":["` + badge.ContextV2 + `"],"type":["VerifiablePresentation"],"holder":7,"verifiableCredential":["x"]}`,
	} {
		r := f.v.Verify(ctx, sign(payload), f.b)
		require.Equal(t, FormatVPJOSE, r.Format, name)
		require.Equal(t, "malformed", requireCheck(t, r, CheckFormat, StatusFailed).Code, name)
	}
	// An enveloped credential of another media type, and a credential that
	// is not one: the presentation fails through that credential.
	vp := sign(`{"@context":["` + badge.ContextV2 + `"],"type":["VerifiablePresentation"],"holder":"` + holder + `","aud":"https://hr.example","nonce":"c-123",` +
		`"verifiableCredential":[{"@context":"` + badge.ContextV2 + `","type":"EnvelopedVerifiableCredential","id":"data:application/vc+cose;base64,AAAA"},42]}`)
	r := f.v.Verify(ctx, vp, f.b)
	require.False(t, r.Verified)
	require.Len(t, r.Credentials, 2)
	for _, cr := range r.Credentials {
		require.Equal(t, "malformed", requireCheck(t, cr, CheckFormat, StatusFailed).Code)
	}
	require.Equal(t, StatusFailed, r.Status)
	_, err := f.hs.SignVPJOSE("", "", "n", []byte(f.vcJWT))
	require.Error(t, err, "no audience")
	_, err = f.hs.SignVPJOSE("", "a", "n")
	require.Error(t, err, "no credentials")
	_, err = f.hs.SignVPJOSE("", "a", "n", []byte("not a credential"))
	require.Error(t, err)
}
