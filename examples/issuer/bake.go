package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/badgeproof/badgeproof/issuer"
)

// maxBakeInput bounds the badge and image files bake reads.
const maxBakeInput = 32 << 20

// bakeCmd puts a signed badge (JSON or a compact JWT) into a PNG or SVG
// image, as Open Badges 3.0 baking prescribes.
func bakeCmd(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bake", stderr)
	in := fs.String("in", "", "the signed badge `FILE`: JSON with a proof, or a JWT (issue-jwt)")
	image := fs.String("image", "", "the `IMAGE` to bake it into: a .png or .svg file")
	out := fs.String("out", "", "write the baked image to `FILE` (must not exist)")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *in == "" || *image == "" || *out == "" || fs.NArg() > 0 {
		return usageError{"bake needs --in BADGE, --image IMAGE and --out FILE, and no arguments"}
	}
	cred, err := readBounded(*in)
	if err != nil {
		return err
	}
	img, err := readBounded(*image)
	if err != nil {
		return err
	}
	var baked []byte
	switch kind := imageKind(*image, img); kind {
	case "png":
		baked, err = issuer.BakePNG(img, bytes.TrimSpace(cred))
	case "svg":
		baked, err = issuer.BakeSVG(img, bytes.TrimSpace(cred))
	default:
		return usageError{fmt.Sprintf("%s is neither a PNG nor an SVG image", *image)}
	}
	if err != nil {
		return err
	}
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(baked); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintln(stdout, *out)
	return nil
}

// imageKind tells a PNG from an SVG by its bytes, then by its name.
func imageKind(name string, data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case bytes.Contains(data[:min(len(data), 4096)], []byte("<svg")):
		return "svg"
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".png":
		return "png"
	case ".svg":
		return "svg"
	}
	return ""
}

func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxBakeInput+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxBakeInput {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, maxBakeInput)
	}
	return data, nil
}
