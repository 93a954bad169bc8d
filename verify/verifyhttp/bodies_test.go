package verifyhttp

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
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

// 300 slow uploads: at most the cap of bodies is read at once, each slow
// one is cut off at its read deadline, and a normal client is then served.
func TestSlowUploadsBounded(t *testing.T) {
	read := func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			return
		}
		w.Write([]byte("ok"))
	}
	lim := limitBodies(http.HandlerFunc(read), 16)
	lim.readTimeout = 100 * time.Millisecond
	srv := httptest.NewUnstartedServer(lim)
	srv.Config.ReadTimeout = 20 * time.Second // the server's own limit, far above the body's
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
	require.LessOrEqual(t, lim.peak.Load(), int64(16), "bodies read at once")

	// A normal client gets through once the slow ones are cut off.
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Post(srv.URL+"/v1/verify", "application/json", bytes.NewReader(bytes.Repeat([]byte(" "), 100<<10)))
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if string(body) == "ok" {
				break
			}
		}
		require.True(t, time.Now().Before(deadline), "a normal client was never served")
		time.Sleep(50 * time.Millisecond)
	}
	require.LessOrEqual(t, lim.peak.Load(), int64(16))
}

// After a burst of large bodies, when none is being read, the memory is
// handed back to the operating system.
func TestMemoryHandedBackAfterLoad(t *testing.T) {
	lim := limitBodies(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
	}), 4)
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
}
