package verifyhttp

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startServer serves h on loopback with short timeouts.
func startServer(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := Server(ln.Addr().String(), h)
	srv.ReadHeaderTimeout = 200 * time.Millisecond
	srv.ReadTimeout = 400 * time.Millisecond
	srv.WriteTimeout = 2 * time.Second
	srv.IdleTimeout = 500 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, srv, ln, time.Second) }()
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-done)
	})
	return ln.Addr().String()
}

// send dials addr and writes raw; the connection is closed when the test ends.
func send(t *testing.T, addr, raw string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	_, err = io.WriteString(c, raw)
	require.NoError(t, err)
	return c
}

// waitClosed reads from c until the server closes it; it fails if the
// server keeps the connection open for far longer than its timeouts.
func waitClosed(t *testing.T, c net.Conn) string {
	t.Helper()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(10*time.Second)))
	b, err := io.ReadAll(c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the server kept a stalled connection open; read so far: %q", b)
	}
	return string(b)
}

func TestServerCutsOffStalledBody(t *testing.T) {
	f := newFixture(t)
	h, logs := newHandler(t, f)
	c := send(t, startServer(t, h), "POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"@context\":")
	// ...and then nothing more.
	got := waitClosed(t, c)
	if got != "" {
		// The handler saw the read fail and answered before the close.
		assert.True(t, strings.HasPrefix(got, "HTTP/1.1 400"), got)
	}
	assert.Zero(t, h.panics.Load())
	for _, l := range logs.lines(t) {
		assert.Less(t, l["status"], float64(500), "%v", l)
	}
}

func TestServerCutsOffStalledHeaders(t *testing.T) {
	f := newFixture(t)
	h, logs := newHandler(t, f)
	c := send(t, startServer(t, h), "GET /healthz HTTP/1.1\r\nHost: x\r\n")
	waitClosed(t, c)
	assert.Empty(t, logs.lines(t), "a request without complete headers never reaches the handler")
}

func TestServerServesOverTCP(t *testing.T) {
	f := newFixture(t)
	h, _ := newHandler(t, f)
	addr := startServer(t, h)
	c := send(t, addr, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)

	// Oversized headers are refused before the handler.
	big := "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", MaxHeaderBytes+8192) + "\r\n\r\n"
	c2, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer c2.Close()
	io.WriteString(c2, big) // the server may stop reading once the limit is passed
	resp2, err := http.ReadResponse(bufio.NewReader(c2), nil)
	require.NoError(t, err)
	resp2.Body.Close()
	assert.Equal(t, http.StatusRequestHeaderFieldsTooLarge, resp2.StatusCode)
}

func TestServerDefaults(t *testing.T) {
	srv := Server(":0", http.NotFoundHandler())
	assert.Equal(t, ReadHeaderTimeout, srv.ReadHeaderTimeout)
	assert.Equal(t, ReadTimeout, srv.ReadTimeout)
	assert.Greater(t, srv.WriteTimeout, DefaultVerifyTimeout, "a slow verification must be able to answer")
	assert.Equal(t, IdleTimeout, srv.IdleTimeout)
	assert.Equal(t, MaxHeaderBytes, srv.MaxHeaderBytes)
}
