package baking

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const vectors = "../../testdata/vectors/openbadges"

// The 1EdTech validator's baked test images: the credential each carries
// is known from its own file.
func TestExtractValidatorImages(t *testing.T) {
	cases := []struct {
		file  string
		kind  Kind
		isJWT bool
	}{
		{"validator_testvector_simple-json.png", PNG, false},
		{"validator_testvector_simple-jwt.png", PNG, true},
		{"validator_testvector_simple-json.svg", SVG, false},
		{"validator_testvector_simple-jwt.svg", SVG, true},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(vectors, c.file))
			require.NoError(t, err)
			cred, kind, err := Extract(data)
			require.NoError(t, err)
			require.Equal(t, c.kind, kind)
			if c.isJWT {
				require.Equal(t, 3, len(strings.Split(string(cred), ".")), "a compact JWS")
				require.True(t, strings.HasPrefix(string(cred), "eyJ"))
			} else {
				var m map[string]any
				require.NoError(t, json.Unmarshal(cred, &m))
				require.Contains(t, m["type"], "OpenBadgeCredential")
			}
		})
	}
}

func TestBakeRoundTrip(t *testing.T) {
	png, err := os.ReadFile(filepath.Join(vectors, "validator_testvector_simple-json.png"))
	require.NoError(t, err)
	svg, err := os.ReadFile(filepath.Join(vectors, "validator_testvector_simple-json.svg"))
	require.NoError(t, err)
	for _, cred := range [][]byte{[]byte(`{"a":"<b>&]]"}`), []byte("eyJhbGciOiJFUzI1NiJ9.eyJ4IjoxfQ.c2ln")} {
		out, err := BakePNG(png, cred)
		require.NoError(t, err)
		got, err := ExtractPNG(out)
		require.NoError(t, err)
		require.Equal(t, cred, got, "the baked PNG replaces the old credential")
		// The image stays a valid PNG: every chunk's CRC checks.
		_, err = pngChunks(out)
		require.NoError(t, err)
	}
	// An SVG that already holds a credential is not baked over.
	_, err = BakeSVG(svg, []byte(`{"x":1}`))
	require.ErrorIs(t, err, ErrAlreadyBaked)
	plain := []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="4"/></svg>`)
	for _, cred := range [][]byte{[]byte(`{"name":"a < b & c"}`), []byte("eyJhbGciOiJFUzI1NiJ9.eyJ4IjoxfQ.c2ln")} {
		out, err := BakeSVG(plain, cred)
		require.NoError(t, err)
		got, err := ExtractSVG(out)
		require.NoError(t, err)
		require.Equal(t, cred, got)
		require.Equal(t, SVG, Sniff(out))
	}
}

func TestExtractRefuses(t *testing.T) {
	png, err := os.ReadFile(filepath.Join(vectors, "validator_testvector_simple-jwt.png"))
	require.NoError(t, err)
	bad := bytes.Clone(png)
	bad[40] ^= 0xff // inside the IHDR chunk: its CRC no longer matches
	_, err = ExtractPNG(bad)
	require.ErrorIs(t, err, ErrMalformed)
	_, err = ExtractPNG(png[:len(png)-20])
	require.ErrorIs(t, err, ErrMalformed, "a truncated PNG")
	_, err = ExtractPNG(append(bytes.Clone(pngMagic), 0xff, 0xff, 0xff, 0xff, 'I', 'D', 'A', 'T'))
	require.ErrorIs(t, err, ErrMalformed, "a chunk longer than the file")
	twice, err := BakePNG(png, []byte("x"))
	require.NoError(t, err)
	// Two credential chunks: splice the original's chunk back in.
	chunks, _ := pngChunks(png)
	for _, c := range chunks {
		if c.typ == "iTXt" {
			i := bytes.Index(twice, []byte("IEND")) - 4
			twice = append(twice[:i:i], append(bytes.Clone(png[c.start:c.end]), twice[i:]...)...)
		}
	}
	_, err = ExtractPNG(twice)
	require.ErrorIs(t, err, ErrMalformed)
	_, err = ExtractSVG([]byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`))
	require.True(t, errors.Is(err, ErrNotBaked))
	_, err = ExtractSVG([]byte(`<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential>&a;</openbadges:credential></svg>`))
	require.ErrorIs(t, err, ErrMalformed)
	_, err = ExtractSVG([]byte(`<svg><a>`))
	require.ErrorIs(t, err, ErrMalformed)
	_, _, err = Extract(make([]byte, MaxImageBytes+1))
	require.ErrorIs(t, err, ErrTooLarge)
}

func FuzzExtract(f *testing.F) {
	for _, name := range []string{"validator_testvector_simple-json.png", "validator_testvector_simple-jwt.svg"} {
		if b, err := os.ReadFile(filepath.Join(vectors, name)); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential verify="x.y.z"/></svg>`))
	f.Add(append(bytes.Clone(pngMagic), 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82))
	f.Fuzz(func(t *testing.T, data []byte) {
		cred, kind, err := Extract(data)
		if err == nil && (len(cred) == 0 || kind == Unknown) {
			t.Fatalf("no error but credential %q kind %v", cred, kind)
		}
		if kind == PNG && err == nil {
			if _, err := BakePNG(data, []byte("x")); err != nil {
				t.Fatalf("an image Extract reads cannot be baked: %v", err)
			}
		}
	})
}
