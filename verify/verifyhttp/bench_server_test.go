package verifyhttp

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/internal/cputime"
	"github.com/badgeproof/badgeproof/verify"
)

// BenchmarkServerVerify posts the fixture's signed badge to POST /v1/verify
// over loopback at 1, 4, 16 and 64 concurrent clients and, in the same
// run, measures the library's cost per badge (Verifier.Verify on one core).
// It reports requests/s, p50 and p99 latency, and the efficiency:
// requests/s ÷ (cores ÷ library seconds per badge), 1 meaning the server
// adds nothing to the verification on every core. Client and server share
// the machine, so the figure is a lower bound. On a machine other
// processes load, wall time mixes their work into both figures; the
// benchmark therefore also reports the process's CPU time per request
// (server and client) and "cpu-efficiency": the library's CPU time per
// badge ÷ the process's CPU time per request, what the efficiency would be
// with every core busy with this work alone.
//
//	go test -run '^$' -bench ServerVerify -benchtime 4000x ./verify/verifyhttp
func BenchmarkServerVerify(b *testing.B) {
	f := newFixture(b)
	h, err := NewHandler(f.verifier, WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	// The library's cost per badge, on one core (after a warm-up).
	const libRuns = 2000
	for range libRuns / 10 {
		f.verifier.Verify(context.Background(), f.badge, verify.Binding{})
	}
	start, startCPU := time.Now(), cputime.Process()
	for range libRuns {
		if r := f.verifier.Verify(context.Background(), f.badge, verify.Binding{}); r.Status != verify.StatusVerified {
			b.Fatalf("fixture badge: %s", r.Status)
		}
	}
	perBadge := time.Since(start).Seconds() / libRuns
	cpuPerBadge := (cputime.Process() - startCPU).Seconds() / libRuns
	floor := float64(runtime.GOMAXPROCS(0)) / perBadge

	for _, clients := range []int{1, 4, 16, 64} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
			defer tr.CloseIdleConnections()
			client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
			var next atomic.Int64
			lat := make([]time.Duration, b.N)
			var failed atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			t0, cpu0 := time.Now(), cputime.Process()
			for range clients {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						i := int(next.Add(1) - 1)
						if i >= b.N {
							return
						}
						s := time.Now()
						resp, err := client.Post(srv.URL+"/v1/verify", "application/json", bytes.NewReader(f.badge))
						if err != nil {
							failed.Add(1)
							continue
						}
						body, _ := io.ReadAll(resp.Body)
						resp.Body.Close()
						if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte(`"status":"verified"`)) {
							failed.Add(1)
						}
						lat[i] = time.Since(s)
					}
				}()
			}
			wg.Wait()
			elapsed, cpu := time.Since(t0), cputime.Process()-cpu0
			b.StopTimer()
			if n := failed.Load(); n > 0 {
				b.Fatalf("%d of %d requests failed or were not verified", n, b.N)
			}
			slices.Sort(lat)
			rps := float64(b.N) / elapsed.Seconds()
			b.ReportMetric(rps, "req/s")
			b.ReportMetric(float64(lat[b.N/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[min(b.N-1, b.N*99/100)].Microseconds())/1000, "p99-ms")
			b.ReportMetric(rps/floor, "efficiency")
			b.ReportMetric(perBadge*1e6, "lib-µs/badge")
			if cpu > 0 && cpuPerBadge > 0 {
				perReq := cpu.Seconds() / float64(b.N)
				b.ReportMetric(perReq*1e6, "cpu-µs/req")
				b.ReportMetric(cpuPerBadge*1e6, "lib-cpu-µs/badge")
				b.ReportMetric(cpuPerBadge/perReq, "cpu-efficiency")
			}
		})
	}
}
