package main

import (
	"context"
	"io"
	"testing"

	"github.com/badgeproof/badgeproof/verify"
)

// BenchmarkVerifyDemoBadge measures the library call behind POST
// /v1/verify for an anchored demo badge, without HTTP.
func BenchmarkVerifyDemoBadge(b *testing.B) {
	ctx := context.Background()
	d, v, err := startDemo(ctx, b.TempDir(), "http://127.0.0.1:1", false, io.Discard, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	data := d.badges[0].Data
	b.ReportAllocs()
	for b.Loop() {
		if r := v.Verify(ctx, data, verify.Binding{}); r.Status != verify.StatusVerified {
			b.Fatalf("%s: %+v", r.Status, r.Checks)
		}
	}
}
