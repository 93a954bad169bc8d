package clitest_test

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/badgeproof/badgeproof/examples/clitest"
)

// Badges baked into a PNG and an SVG by `issuer bake`, and JWT and SD-JWT
// badges made by `issuer issue-jwt` and `issuer issue-sdjwt`, verify with
// `verifier verify`, which tells each format from its bytes and names it
// (and the image) in the report.
func TestBakeAndJOSERoundTrip(t *testing.T) {
	dir := t.TempDir()
	keyFile, did := keygen(t, dir, "p256")
	in := filepath.Join(dir, "badge.json")
	if err := os.WriteFile(in, credentialLine(1), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	clitest.MustRun(t, 0, "", issuerBin, "issue", "--key", keyFile, "--anchor", "none", "--out", out, in)
	signed := badgeFiles(t, out)
	if len(signed) != 1 {
		t.Fatalf("issue wrote %d badges, want 1", len(signed))
	}
	signed[0] = filepath.Join(out, signed[0])

	var img bytes.Buffer
	if err := png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	pngIn := filepath.Join(dir, "badge-art.png")
	svgIn := filepath.Join(dir, "badge-art.svg")
	if err := os.WriteFile(pngIn, img.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(svgIn, []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><circle cx="4" cy="4" r="4"/></svg>`), 0o644); err != nil {
		t.Fatal(err)
	}
	bakedPNG := filepath.Join(dir, "baked.png")
	bakedSVG := filepath.Join(dir, "baked.svg")
	clitest.MustRun(t, 0, "", issuerBin, "bake", "--in", signed[0], "--image", pngIn, "--out", bakedPNG)
	clitest.MustRun(t, 0, "", issuerBin, "bake", "--in", signed[0], "--image", svgIn, "--out", bakedSVG)
	// The output is never overwritten.
	clitest.MustRun(t, 1, "", issuerBin, "bake", "--in", signed[0], "--image", pngIn, "--out", bakedPNG)

	vcJWT := filepath.Join(dir, "badge.vc.jwt")
	obJWT := filepath.Join(dir, "badge.ob.jwt")
	clitest.MustRun(t, 0, "", issuerBin, "issue-jwt", "--key", keyFile, "--out", vcJWT, in)
	clitest.MustRun(t, 0, "", issuerBin, "issue-jwt", "--key", keyFile, "--format", "vc-jwt", "--out", obJWT, in)
	jwtPNG := filepath.Join(dir, "baked-jwt.png")
	clitest.MustRun(t, 0, "", issuerBin, "bake", "--in", vcJWT, "--image", pngIn, "--out", jwtPNG)

	claims := filepath.Join(dir, "claims.json")
	if err := os.WriteFile(claims, []byte(`{"name":"정보처리기사","item_code":"1320","grade":"기사","licence_number":"25201001234A","birthdate":"1998-04-01"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	sdJWT := filepath.Join(dir, "badge.sd-jwt")
	clitest.MustRun(t, 0, "", issuerBin, "issue-sdjwt", "--key", keyFile, "--vct", "urn:kr:badge:vct:national-qualification",
		"--disclose", "licence_number,birthdate", "--out", sdJWT, claims)
	sd, err := os.ReadFile(sdJWT)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(sd), "~") != 3 || strings.Contains(strings.Split(string(sd), "~")[0], "25201001234A") {
		t.Fatalf("the SD-JWT should carry two disclosures and hide the licence number: %s", sd)
	}

	want := map[string][2]string{
		bakedPNG: {"ldp_vc", "png"}, bakedSVG: {"ldp_vc", "svg"}, jwtPNG: {"vc+jwt", "png"},
		vcJWT: {"vc+jwt", ""}, obJWT: {"jwt_vc_json", ""}, sdJWT: {"dc+sd-jwt", ""},
	}
	files := []string{bakedPNG, bakedSVG, jwtPNG, vcJWT, obJWT, sdJWT}
	r := clitest.MustRun(t, 0, "", verifierBin, append([]string{"verify", "--json", "--offline", "--trust-key", did}, files...)...)
	reports := clitest.ParseReports(t, r.Stdout)
	if len(reports) != len(files) {
		t.Fatalf("%d reports for %d files", len(reports), len(files))
	}
	for _, rep := range reports {
		w := want[rep.File]
		if rep.Status != "verified" || rep.Format != w[0] || rep.Container != w[1] {
			t.Errorf("%s: %s, format %q container %q; want verified, %q, %q\n%+v", rep.File, rep.Status, rep.Format, rep.Container, w[0], w[1], rep.Checks)
		}
	}

	// A badge changed after baking fails, in the image as anywhere else.
	forged := filepath.Join(dir, "forged.svg")
	svg, err := os.ReadFile(bakedSVG)
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(svg), "Information Processing Engineer 1", "Information Processing Engineer 9", 1)
	if changed == string(svg) {
		t.Fatal("the baked SVG does not hold the badge's name")
	}
	if err := os.WriteFile(forged, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	r = clitest.MustRun(t, 1, "", verifierBin, "verify", "--json", "--offline", "--trust-key", did, forged)
	rep := clitest.ParseReports(t, r.Stdout)[0]
	if rep.Container != "svg" || rep.Check("signature") != "failed" {
		t.Errorf("forged SVG: container %q, signature %s", rep.Container, rep.Check("signature"))
	}
}

// The new commands answer --help with their flags and exit 0, and refuse
// missing flags with exit 2.
func TestBakeAndJOSECommandsHelp(t *testing.T) {
	for cmd, flag := range map[string]string{"bake": "-image", "issue-jwt": "-format", "issue-sdjwt": "-disclose"} {
		r := clitest.MustRun(t, 0, "", issuerBin, cmd, "--help")
		if !strings.Contains(r.Stdout, "usage: issuer "+cmd) || !strings.Contains(r.Stdout, flag) {
			t.Errorf("%s --help: %s", cmd, r.Stdout)
		}
		clitest.MustRun(t, 2, "", issuerBin, cmd)
	}
	r := clitest.MustRun(t, 0, "", issuerBin, "--help")
	for _, cmd := range []string{"issuer bake", "issuer issue-jwt", "issuer issue-sdjwt"} {
		if !strings.Contains(r.Stdout, cmd) {
			t.Errorf("issuer --help does not list %s", cmd)
		}
	}
}
