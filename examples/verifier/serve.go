package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/badgeproof/badgeproof/verify"
	"github.com/badgeproof/badgeproof/verify/verifyhttp"
)

// defaultAddr is where the verifier listens unless --addr says otherwise.
const defaultAddr = "127.0.0.1:8080"

// shutdownGrace is how long requests under way may finish on shutdown.
const shutdownGrace = 10 * time.Second

// serveCmd runs the verifier with the trust and anchors its flags name.
func serveCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var vf verifierFlags
	vf.register(fs)
	addr := fs.String("addr", defaultAddr, "listen `ADDR`ess")
	domain := fs.String("domain", "", "the `DOMAIN` presentations must be bound to (default: the host of --addr)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "serve: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	opts, closeAll, err := vf.build()
	defer closeAll()
	if err != nil {
		fmt.Fprintln(stderr, "serve:", err)
		return exitUsage
	}
	v, err := verify.New(opts...)
	if err != nil {
		fmt.Fprintln(stderr, "serve:", err)
		return exitUsage
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(stderr, "serve:", err)
		return exitUsage
	}
	return serveOn(ctx, ln, v, nil, *domain, stdout, stderr, nil)
}

// serveDemo runs the verifier with the embedded demo: a trust list signed
// by a demo ministry key, demo badges anchored on a ledger in a temporary
// directory and a revocation list served by this same server.
func serveDemo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verifier", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", defaultAddr, "listen `ADDR`ess")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "verifier: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(stderr, "verifier:", err)
		return exitUsage
	}
	dir, err := os.MkdirTemp("", "badgeproof-demo-")
	if err != nil {
		ln.Close()
		fmt.Fprintln(stderr, "verifier:", err)
		return exitUsage
	}
	defer os.RemoveAll(dir)
	d, v, err := startDemo(ctx, dir, "http://"+ln.Addr().String())
	if err != nil {
		ln.Close()
		fmt.Fprintln(stderr, "verifier: building the demo:", err)
		return exitUsage
	}
	defer d.Close()
	extra := http.NewServeMux()
	extra.Handle("GET "+demoStatusPath, d.revocation)
	extra.HandleFunc("GET /demo/trust-list.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(d.trustDoc)
	})
	fmt.Fprintf(stdout, "demo trust list signed by the ministry root key %s\n", d.ministry.did())
	return serveOn(ctx, ln, v, d.badges, "", stdout, stderr, extra)
}

// startDemo builds the demo in dir and a Verifier that trusts it and may
// fetch its status list from base (a loopback URL).
func startDemo(ctx context.Context, dir, base string) (*demo, *verify.Verifier, error) {
	d, err := newDemo(ctx, dir, base)
	if err != nil {
		return nil, nil, err
	}
	v, err := verify.New(verify.WithTrustList(d.trust), verify.WithAnchorResolver(d.ledger), verify.WithAllowLoopback(),
		verify.WithStatusCacheTTL(10*time.Second))
	if err != nil {
		d.Close()
		return nil, nil, err
	}
	return d, v, nil
}

// serveOn serves the verifier (and extra's routes, when given) on ln until
// ctx ends.
func serveOn(ctx context.Context, ln net.Listener, v *verify.Verifier, demos []verifyhttp.DemoBadge, domain string,
	stdout, stderr io.Writer, extra *http.ServeMux) int {
	if domain == "" {
		host, _, err := net.SplitHostPort(ln.Addr().String())
		if err != nil || host == "" || net.ParseIP(host) != nil && net.ParseIP(host).IsUnspecified() {
			host = "localhost"
		}
		domain = host
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	opts := []verifyhttp.Option{verifyhttp.WithDomain(domain), verifyhttp.WithLogger(logger)}
	if demos != nil {
		opts = append(opts, verifyhttp.WithDemoBadges(demos))
	}
	h, err := verifyhttp.NewHandler(v, opts...)
	if err != nil {
		ln.Close()
		fmt.Fprintln(stderr, "serve:", err)
		return exitUsage
	}
	var root http.Handler = h
	if extra != nil {
		extra.Handle("/", h)
		root = extra
	}
	srv := verifyhttp.Server(ln.Addr().String(), root)
	srv.ErrorLog = slog.NewLogLogger(logger.Handler(), slog.LevelWarn)
	fmt.Fprintf(stdout, "badge verifier listening on http://%s/\n", ln.Addr())
	if err := verifyhttp.Serve(ctx, srv, ln, shutdownGrace); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(stderr, "serve:", err)
		return exitFailed
	}
	fmt.Fprintln(stdout, "badge verifier stopped")
	return exitVerified
}
