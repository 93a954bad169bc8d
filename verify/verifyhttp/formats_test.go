package verifyhttp

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/badgeproof/badgeproof/verify"
)

// POST /v1/verify takes every format as raw bytes, without the caller
// saying which: JSON with a proof, a JWT, an SD-JWT, and a badge baked into
// a PNG or an SVG; the report names the format (and the image).
func TestVerifyEveryFormat(t *testing.T) {
	f := newFixture(t)
	k, err := keys.Generate(keys.P256)
	require.NoError(t, err)
	js, err := issuer.NewJOSESigner(k)
	require.NoError(t, err)
	f.verifier, err = verify.New(verify.WithTrustedKey(f.issuer.DID()), verify.WithTrustedKey(k.PublicKey().DID()), verify.WithOffline())
	require.NoError(t, err)
	h, _ := newHandler(t, f)

	// A VC 2.0 credential secured with JOSE: the fixture's badge, unsigned,
	// with the JOSE key's DID as issuer.
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(bytes.ReplaceAll(f.badge, []byte(f.issuer.DID()), []byte(k.PublicKey().DID())), &m))
	delete(m, "proof")
	unsigned, err := json.Marshal(m)
	require.NoError(t, err)
	vcJWT, err := js.SignVCJOSE(unsigned)
	require.NoError(t, err)
	obJWT, err := js.SignVCJWT(unsigned)
	require.NoError(t, err)
	sd, err := js.IssueSDJWT(k.PublicKey().DID(), map[string]any{"name": "정보처리기사", "licence_number": "25201001234A"},
		issuer.SDJWTOptions{VCT: "urn:kr:badge:vct:national-qualification", Disclosable: []string{"licence_number"}})
	require.NoError(t, err)

	var img bytes.Buffer
	require.NoError(t, png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 4, 4))))
	pngBadge, err := issuer.BakePNG(img.Bytes(), f.badge)
	require.NoError(t, err)
	pngJWT, err := issuer.BakePNG(img.Bytes(), []byte(vcJWT))
	require.NoError(t, err)
	svgBadge, err := issuer.BakeSVG([]byte(`<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>`), f.badge)
	require.NoError(t, err)

	for _, c := range []struct {
		name, format, container string
		body                    []byte
	}{
		{"JSON", verify.FormatLDP, "", f.badge},
		{"vc+jwt", verify.FormatVCJOSE, "", []byte(vcJWT)},
		{"VC-JWT", verify.FormatVCJWT, "", []byte(obJWT + "\n")},
		{"SD-JWT VC", verify.FormatSDJWTVC, "", []byte(sd)},
		{"PNG", verify.FormatLDP, "png", pngBadge},
		{"PNG with a JWT", verify.FormatVCJOSE, "png", pngJWT},
		{"SVG", verify.FormatLDP, "svg", svgBadge},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := do(h, "POST", "/v1/verify", c.body)
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			r := decodeReport(t, rec)
			require.True(t, r.Verified, "%+v", r.Checks)
			require.Equal(t, c.format, r.Format)
			require.Equal(t, c.container, r.Container)
			require.Contains(t, rec.Body.String(), `"format":"`+c.format+`"`)
		})
	}

	// A PNG whose badge was changed: a failed report, 200, not a 400.
	forged, err := issuer.BakePNG(img.Bytes(), f.tampered)
	require.NoError(t, err)
	rec := do(h, "POST", "/v1/verify", forged)
	require.Equal(t, http.StatusOK, rec.Code)
	r := decodeReport(t, rec)
	require.Equal(t, "png", r.Container)
	require.Equal(t, "bad_signature", r.Check(verify.CheckSignature).Code)
	// A PNG with no badge in it: 400 with a format failure.
	rec = do(h, "POST", "/v1/verify", img.Bytes())
	require.Equal(t, http.StatusBadRequest, rec.Code, rec.Body.String())
	require.Equal(t, "malformed", decodeReport(t, rec).Check(verify.CheckFormat).Code)
}
