package verifyhttp

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strconv"
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

	// A server that does everything POST /v1/verify does except verify:
	// it reads the body and answers with the report's bytes, through the
	// same net/http. Its CPU time per request is what serving and the
	// client cost on this machine, so lib-cpu ÷ (lib-cpu + that) is the
	// most any server built on net/http could reach here.
	rep := f.verifier.Verify(context.Background(), f.badge, verify.Binding{})
	answer, err := rep.MarshalJSON()
	if err != nil {
		b.Fatal(err)
	}
	null := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(answer)))
		w.Write(answer)
	}))
	defer null.Close()

	for _, mode := range []string{"", "lean-", "lean-null-"} {
		for _, clients := range []int{1, 4, 16, 64} {
			b.Run(fmt.Sprintf("%sclients=%d", mode, clients), func(b *testing.B) {
				var post func() (int, []byte, error)
				switch mode {
				case "lean-":
					pool := newLeanPool(srv.Listener.Addr().String(), clients, f.badge)
					defer pool.close()
					post = pool.post
				case "lean-null-":
					pool := newLeanPool(null.Listener.Addr().String(), clients, f.badge)
					defer pool.close()
					post = pool.post
				default:
					tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
					defer tr.CloseIdleConnections()
					client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
					post = func() (int, []byte, error) {
						resp, err := client.Post(srv.URL+"/v1/verify", "application/json", bytes.NewReader(f.badge))
						if err != nil {
							return 0, nil, err
						}
						body, err := io.ReadAll(resp.Body)
						resp.Body.Close()
						return resp.StatusCode, body, err
					}
				}
				serverClients(b, clients, post, floor, perBadge, cpuPerBadge, mode == "lean-null-")
			})
		}
	}
}

// serverClients runs b.N requests from clients concurrent clients and
// reports the figures BenchmarkServerVerify describes.
//
// With null, the server does not verify: the figures are the cost of
// serving alone, and "ceiling-cpu-efficiency" is the library's CPU time
// per badge ÷ (that + the CPU time per request measured here).
func serverClients(b *testing.B, clients int, post func() (int, []byte, error), floor, perBadge, cpuPerBadge float64, null bool) {
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
				status, body, err := post()
				if err != nil || status != http.StatusOK || !bytes.Contains(body, []byte(`"status":"verified"`)) {
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
		if null {
			b.ReportMetric(cpuPerBadge/(cpuPerBadge+perReq), "ceiling-cpu-efficiency")
		} else {
			b.ReportMetric(cpuPerBadge/perReq, "cpu-efficiency")
		}
	}
}

// leanPool is a load client that costs the machine little, so that the
// figures are the server's: one keep-alive HTTP/1.1 connection per
// client, the request's bytes built once and written in one call, and
// the answer read with http.ReadResponse (no goroutines per connection,
// no transport).
type leanPool struct {
	conns chan *leanConn
	addr  string
	req   []byte
}

type leanConn struct {
	c  net.Conn
	br *bufio.Reader
}

func newLeanPool(addr string, clients int, body []byte) *leanPool {
	req := fmt.Appendf(nil, "POST /v1/verify HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", addr, len(body))
	p := &leanPool{conns: make(chan *leanConn, clients), addr: addr, req: append(req, body...)}
	for range clients {
		p.conns <- nil
	}
	return p
}

func (p *leanPool) post() (int, []byte, error) {
	lc := <-p.conns
	defer func() { p.conns <- lc }()
	if lc == nil {
		c, err := net.Dial("tcp", p.addr)
		if err != nil {
			return 0, nil, err
		}
		lc = &leanConn{c: c, br: bufio.NewReaderSize(c, 16<<10)}
	}
	if _, err := lc.c.Write(p.req); err != nil {
		lc.c.Close()
		lc = nil
		return 0, nil, err
	}
	resp, err := http.ReadResponse(lc.br, nil)
	if err != nil {
		lc.c.Close()
		lc = nil
		return 0, nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, body, err
}

func (p *leanPool) close() {
	for range cap(p.conns) {
		if lc := <-p.conns; lc != nil {
			lc.c.Close()
		}
	}
}
