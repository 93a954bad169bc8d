package canon

import (
	"os"
	"testing"

	"github.com/badgeproof/badgeproof/internal/jsonx"
)

// BenchmarkJCS compares, on an Open Badges credential of the repository's
// test data, JCS of its bytes by gowebpki/jcs (which parses them again)
// with the JCS a verification computes from its one decoding (AppendJCS),
// and with that decoding itself.
//
//	go test -run '^$' -bench BenchmarkJCS -benchmem ./internal/canon
func BenchmarkJCS(b *testing.B) {
	data, err := os.ReadFile("../../testdata/unsigned-qualification.json")
	if err != nil {
		b.Fatal(err)
	}
	d, err := jsonx.Decode(data, jsonx.Limits{})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("gowebpki-from-bytes", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := JCS(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("from-decoding", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		buf := make([]byte, 0, len(data))
		for b.Loop() {
			if _, err := AppendJCS(buf[:0], d.Value); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("jsonx-decode", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := jsonx.Decode(data, jsonx.Limits{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
