package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/verify"
)

// TestLoad hammers POST /v1/verify of the demo server on loopback with a
// genuine anchored badge and reports requests per second and latency
// percentiles. It is bounded in count and time and stops by itself. Run it
// with
//
//	BADGEPROOF_LOADTEST=1 go test -run TestLoad -v ./examples/verifier
//
// LOADTEST_REQUESTS (default 20000) and LOADTEST_CONCURRENCY (default
// 4×GOMAXPROCS) tune it; it stops after 60 s whatever the count.
func TestLoad(t *testing.T) {
	if os.Getenv("BADGEPROOF_LOADTEST") == "" {
		t.Skip("set BADGEPROOF_LOADTEST=1 to run the load test")
	}
	total := envInt(t, "LOADTEST_REQUESTS", 20000)
	conc := envInt(t, "LOADTEST_CONCURRENCY", 4*runtime.GOMAXPROCS(0))
	const budget = 60 * time.Second

	base := startDemoServer(t)
	body := getBytes(t, base+"/v1/demo/badges/qualification")
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conc, MaxConnsPerHost: conc}, Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()

	var next, errs atomic.Int64
	var firstErr atomic.Value
	lat := make([][]time.Duration, conc)
	deadline := time.Now().Add(budget)
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for next.Add(1) <= int64(total) && time.Now().Before(deadline) {
				t0 := time.Now()
				err := verifyOnce(client, base, body)
				lat[w] = append(lat[w], time.Since(t0))
				if err != nil {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
				}
			}
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start)
	all := slices.Concat(lat...)
	slices.Sort(all)
	pct := func(p float64) time.Duration { return all[min(len(all)-1, int(float64(len(all))*p))] }
	t.Logf("POST /v1/verify: %d requests, %d concurrent, %d errors in %v on %d cores: %.0f requests/s; latency p50 %v, p99 %v, max %v",
		len(all), conc, errs.Load(), elapsed.Round(time.Millisecond), runtime.NumCPU(), float64(len(all))/elapsed.Seconds(),
		pct(0.50).Round(10*time.Microsecond), pct(0.99).Round(10*time.Microsecond), all[len(all)-1].Round(10*time.Microsecond))
	require.Zero(t, errs.Load(), "first error: %v", firstErr.Load())
	require.NotEmpty(t, all)
}

func verifyOnce(client *http.Client, base string, body []byte) error {
	resp, err := client.Post(base+"/v1/verify", "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != 200 {
		return &loadError{"HTTP " + resp.Status}
	}
	var r verify.Report
	if err := json.Unmarshal(b, &r); err != nil {
		return err
	}
	if r.Status != verify.StatusVerified {
		return &loadError{"verdict " + string(r.Status)}
	}
	return nil
}

type loadError struct{ s string }

func (e *loadError) Error() string { return e.s }

func envInt(t *testing.T, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	require.NoError(t, err, name)
	require.Positive(t, n, name)
	return n
}
