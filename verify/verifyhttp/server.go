package verifyhttp

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// Timeouts and limits of the server Server builds. Slow clients are cut off:
// headers must arrive within ReadHeaderTimeout and the whole request within
// ReadTimeout.
const (
	ReadHeaderTimeout = 5 * time.Second
	ReadTimeout       = 30 * time.Second
	WriteTimeout      = DefaultVerifyTimeout + 15*time.Second
	IdleTimeout       = 2 * time.Minute
	MaxHeaderBytes    = 64 << 10
)

// Server returns an *http.Server for h on addr with timeouts that cut off
// slow clients (ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout),
// a header size cap (MaxHeaderBytes), and request bodies held to
// MaxBodyMemory bytes in all, each read within BodyReadTimeout, so that
// slow uploads can neither take the server's memory nor hold up other
// clients; after a burst of large bodies the memory is handed back. Change
// its fields before serving to tune them.
func Server(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           limitBodies(h, MaxBodyMemory),
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
	}
}

// Serve serves srv on ln until ctx is done, then shuts down gracefully,
// giving requests under way up to grace to finish. It returns nil after a
// clean shutdown.
func Serve(ctx context.Context, srv *http.Server, ln net.Listener, grace time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}
