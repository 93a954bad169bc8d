package verifyhttp

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// slowUpload opens a connection to addr, announces a 1 MiB body, sends a
// few bytes of it and stalls, as issue 11's 300 slow uploads did.
func slowUpload(t *testing.T, addr string) net.Conn {
	c, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	fmt.Fprintf(c, "POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n{\"a\":", 1<<20)
	return c
}

// 300 slow uploads (issue 11: they took the server from 57 MB to 679 MB)
// hold only what they sent; a normal client is served meanwhile, and the
// bodies held never exceed the allowance, even when many fast uploads
// compete for it.
func TestSlowUploadsBounded(t *testing.T) {
	read := func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Write([]byte("ok"))
	}
	const allowance = 2 << 20
	lim := limitBodies(http.HandlerFunc(read), allowance)
	lim.readTimeout = 5 * time.Second
	srv := httptest.NewUnstartedServer(lim)
	srv.Config.ReadTimeout = 20 * time.Second
	srv.Start()
	t.Cleanup(srv.Close)
	addr := srv.Listener.Addr().String()

	var conns []net.Conn
	for i := 0; i < 300; i++ {
		conns = append(conns, slowUpload(t, addr))
	}
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	time.Sleep(200 * time.Millisecond)
	require.LessOrEqual(t, lim.held.Load(), int64(300*5), "slow uploads hold more than they sent")

	// Normal clients are served while the slow ones stall: 40 of 100 KiB
	// at once, more than the allowance left, so some wait for others.
	var wg sync.WaitGroup
	var served atomic.Int64
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Post(srv.URL+"/v1/verify", "application/json", bytes.NewReader(bytes.Repeat([]byte(" "), 100<<10)))
			if err != nil {
				return
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if string(body) == "ok" {
				served.Add(1)
			}
		}()
	}
	wg.Wait()
	require.EqualValues(t, 40, served.Load(), "normal clients served while slow uploads stall")
	require.LessOrEqual(t, lim.peak.Load(), int64(allowance), "bytes held at once")
}

// After a burst of large bodies, when none is being read, the memory is
// handed back to the operating system.
func TestMemoryHandedBackAfterLoad(t *testing.T) {
	lim := limitBodies(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
	}), 4<<20)
	srv := httptest.NewServer(lim)
	t.Cleanup(srv.Close)
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Post(srv.URL, "application/json", bytes.NewReader(make([]byte, 512<<10)))
			if err == nil {
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	require.Eventually(t, func() bool { return lim.frees.Load() >= 1 }, 10*time.Second, 10*time.Millisecond)
	require.Zero(t, lim.active.Load())
	require.Zero(t, lim.held.Load(), "bytes still held after the load")
}
