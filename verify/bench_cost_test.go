package verify

import (
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/internal/canon"
	"github.com/badgeproof/badgeproof/internal/cputime"
	"github.com/badgeproof/badgeproof/internal/jsonx"
)

// cost is what a benchmark spent per operation: wall time and the
// process's CPU time, in nanoseconds.
type cost struct{ wall, cpu float64 }

// meter starts measuring; its result gives the cost per operation of n
// operations done since.
func meter() func(n int) cost {
	w, c := time.Now(), cputime.Process()
	return func(n int) cost {
		return cost{wall: float64(time.Since(w).Nanoseconds()) / float64(n), cpu: float64((cputime.Process() - c).Nanoseconds()) / float64(n)}
	}
}

// reportRatios reports full's CPU time per operation and its ratios to the
// primitives measured in the same run: by wall time ("x-primitives"), by
// CPU time ("x-primitives-cpu") and, when measured, to the primitives with
// the verifier's own JCS ("x-tight-cpu").
func reportRatios(b *testing.B, full, primitives, tight cost) {
	b.ReportMetric(full.cpu, "cpu-ns/op")
	if primitives.wall > 0 {
		b.ReportMetric(full.wall/primitives.wall, "x-primitives")
	}
	if primitives.cpu > 0 {
		b.ReportMetric(full.cpu/primitives.cpu, "x-primitives-cpu")
	}
	if tight.cpu > 0 {
		b.ReportMetric(full.cpu/tight.cpu, "x-tight-cpu")
	}
}

// tightJCS is JCS of data done as the verifier does it: the strict
// decoding (jsonx.Decode), then canon.AppendJCS from it.
func tightJCS(b *testing.B, data []byte) []byte {
	d, err := jsonx.Decode(data, jsonx.Limits{})
	if err != nil {
		b.Fatal(err)
	}
	out, err := canon.AppendJCS(nil, d.Value)
	if err != nil {
		b.Fatal(err)
	}
	return out
}
