package main

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/examples/clitest"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
)

// `verify` takes PNG, SVG, JWT, SD-JWT and vp+jwt files as it takes JSON,
// without being told which, and each report names the format and image.
func TestVerifyTellsFormats(t *testing.T) {
	dir := t.TempDir()
	ik, err := keys.Generate(keys.P256)
	require.NoError(t, err)
	hk, err := keys.Generate(keys.Ed25519)
	require.NoError(t, err)
	iss, holder := ik.PublicKey().DID(), hk.PublicKey().DID()
	c, err := badge.TrainingCompletion{
		Common: badge.Common{ID: "urn:uuid:4b8e6c1d-0000-4000-8000-00000000f0f0", Issuer: badge.Profile{ID: iss, Name: badge.NewText("서울기술교육원", "Seoul Technical Training Institute")},
			HolderID: holder, ValidFrom: time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)},
		CourseID: "AIG20240001", Course: "클라우드 엔지니어 양성과정", CourseEn: "Cloud engineer course", Hours: 480,
	}.Credential()
	require.NoError(t, err)
	di, err := issuer.NewSigner(ik)
	require.NoError(t, err)
	signed, err := di.SignCredential(c)
	require.NoError(t, err)
	js, err := issuer.NewJOSESigner(ik)
	require.NoError(t, err)
	vcJWT, err := js.SignVCJOSE(c.Raw())
	require.NoError(t, err)
	sd, err := js.IssueSDJWT(iss, map[string]any{"name": "클라우드 엔지니어 양성과정 수료", "course_id": "AIG20240001", "birthdate": "1998-04-01"},
		issuer.SDJWTOptions{VCT: badge.VCTTrainingCompletion, Disclosable: []string{"birthdate"}, Holder: hk.Public()})
	require.NoError(t, err)
	hs, err := issuer.NewJOSESigner(hk)
	require.NoError(t, err)
	vp, err := hs.SignVPJOSE("", "https://jobs.example.kr", "c-42", []byte(vcJWT))
	require.NoError(t, err)
	sdPresented, err := issuer.PresentSDJWT(sd, []string{"birthdate"}, hk, "https://jobs.example.kr", "c-42", time.Now())
	require.NoError(t, err)

	var img bytes.Buffer
	require.NoError(t, png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 8, 8))))
	bakedPNG, err := issuer.BakePNG(img.Bytes(), signed)
	require.NoError(t, err)
	bakedSVG, err := issuer.BakeSVG([]byte(`<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>`), []byte(vcJWT))
	require.NoError(t, err)

	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, data, 0o644))
		return p
	}
	want := map[string][2]string{
		write("badge.json", signed):         {"ldp_vc", ""},
		write("badge.png", bakedPNG):        {"ldp_vc", "png"},
		write("badge.svg", bakedSVG):        {"vc+jwt", "svg"},
		write("badge.jwt", []byte(vcJWT)):   {"vc+jwt", ""},
		write("badge.txt", []byte(sd)):      {"dc+sd-jwt", ""},
		write("vp.jwt", []byte(vp)):         {"vp+jwt", ""},
		write("sd.kb", []byte(sdPresented)): {"dc+sd-jwt", ""},
	}
	presentations := map[string]bool{filepath.Join(dir, "vp.jwt"): true, filepath.Join(dir, "sd.kb"): true}
	for _, bound := range []bool{false, true} {
		args := []string{"verify", "--json", "--offline", "--trust-key", iss}
		if bound {
			args = append(args, "--challenge", "c-42", "--domain", "https://jobs.example.kr")
		}
		var files []string
		for f := range want {
			if presentations[f] == bound {
				files = append(files, f)
			}
		}
		var out, errOut bytes.Buffer
		code := run(context.Background(), append(args, files...), &out, &errOut)
		reports := clitest.ParseReports(t, out.String())
		require.Len(t, reports, len(files), errOut.String())
		for _, r := range reports {
			w := want[r.File]
			require.Equal(t, "verified", r.Status, "%s: %+v", r.File, r.Checks)
			require.Equal(t, w[0], r.Format, r.File)
			require.Equal(t, w[1], r.Container, r.File)
		}
		require.Equal(t, exitVerified, code, errOut.String())
	}

	// The text report too: a wrong challenge fails the presentation.
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"verify", "--offline", "--trust-key", iss, "--challenge", "c-43", "--domain", "https://jobs.example.kr",
		filepath.Join(dir, "vp.jwt")}, &out, &errOut)
	require.Equal(t, exitFailed, code)
	require.Contains(t, out.String(), "[challenge_mismatch]")
}
