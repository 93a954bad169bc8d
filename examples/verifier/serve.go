package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/badgeproof/badgeproof/verify"
	"github.com/badgeproof/badgeproof/verify/verifyhttp"
)

// defaultAddr is where the verifier listens unless --addr says otherwise.
const defaultAddr = "127.0.0.1:8080"

// serverFlags are the flags of serve and of the demo: where to listen, how
// the server is reached, who may embed or call it, and its limits.
type serverFlags struct {
	addr, publicURL, domain string
	corsOrigins             listFlag
	frameAncestors          listFlag
	maxBody, maxBatchBytes  int64
	maxBatch, maxChallenges int
	verifyTimeout           time.Duration
	challengeTTL            time.Duration
	readHeaderTimeout       time.Duration
	readTimeout             time.Duration
	writeTimeout            time.Duration
	idleTimeout             time.Duration
	shutdownGrace           time.Duration
	drainDelay              time.Duration
	metrics                 bool
	logFormat               string
	fleet                   fleetFlags // fleet.go
}

func (f *serverFlags) register(fs *flag.FlagSet) {
	f.fleet.register(fs)
	fs.StringVar(&f.addr, "addr", defaultAddr, "listen `ADDR`ess (host:port; 0.0.0.0:PORT or [::]:PORT for every interface)")
	fs.StringVar(&f.publicURL, "public-url", "", "the `URL` clients reach this server at, e.g. https://verify.example.kr (default: http://ADDR, localhost for an unspecified host)")
	fs.StringVar(&f.domain, "domain", "", "the `DOMAIN` presentations must be bound to (default: the host of --public-url)")
	fs.Var(&f.corsOrigins, "cors-origin", "let web pages of this `ORIGIN` (https://jobs.example.kr, or *) call the JSON API; repeatable (default: none)")
	fs.Var(&f.frameAncestors, "frame-ancestor", "let pages of this `ORIGIN` ('self', https://jobs.example.kr, https://*.example.kr) embed the page in a frame; repeatable (default: none may)")
	fs.Int64Var(&f.maxBody, "max-body", verifyhttp.DefaultMaxBodyBytes, "largest request body of POST /v1/verify, in `BYTES`")
	fs.IntVar(&f.maxBatch, "max-batch", verifyhttp.DefaultMaxBatch, "most documents in one POST /v1/verify/batch (`N`)")
	fs.Int64Var(&f.maxBatchBytes, "max-batch-body", verifyhttp.DefaultMaxBatchBytes, "largest request body of POST /v1/verify/batch, in `BYTES`")
	fs.DurationVar(&f.verifyTimeout, "verify-timeout", verifyhttp.DefaultVerifyTimeout, "longest one request's verification may take (`DURATION`)")
	fs.DurationVar(&f.challengeTTL, "challenge-ttl", verifyhttp.DefaultChallengeTTL, "how long a presentation challenge stays usable (`DURATION`)")
	fs.IntVar(&f.maxChallenges, "max-challenges", verifyhttp.DefaultMaxChallenges, "most challenges outstanding at once (`N`)")
	fs.DurationVar(&f.readHeaderTimeout, "read-header-timeout", verifyhttp.ReadHeaderTimeout, "cut off a client whose request headers take longer (`DURATION`)")
	fs.DurationVar(&f.readTimeout, "read-timeout", verifyhttp.ReadTimeout, "cut off a client whose whole request takes longer (`DURATION`)")
	fs.DurationVar(&f.writeTimeout, "write-timeout", verifyhttp.WriteTimeout, "longest time to answer one request (`DURATION`)")
	fs.DurationVar(&f.idleTimeout, "idle-timeout", verifyhttp.IdleTimeout, "close idle keep-alive connections after (`DURATION`)")
	fs.DurationVar(&f.shutdownGrace, "shutdown-grace", 10*time.Second, "on SIGINT or SIGTERM, let requests under way finish for up to (`DURATION`)")
	fs.DurationVar(&f.drainDelay, "drain-delay", 0, "on SIGINT or SIGTERM, answer GET /readyz 503 and keep serving for (`DURATION`) before shutting down, so that a load balancer stops sending traffic first")
	fs.BoolVar(&f.metrics, "metrics", true, "serve Prometheus metrics at GET /metrics")
	fs.StringVar(&f.logFormat, "log-format", "text", "request log `FORMAT` on standard error: text or json (never badge contents)")
}

// listener is where the server listens and how it is reached.
type listener struct {
	ln     net.Listener
	public *url.URL // what clients use: --public-url, or derived from the address
	local  string   // http://host:port the server reaches itself at (loopback when listening everywhere)
	all    bool     // listening on every interface
}

// listen opens --addr and works out the server's URLs. An unspecified host
// (0.0.0.0, [::] or none) is reached at localhost, never at "[::]".
func (f *serverFlags) listen() (*listener, error) {
	var public *url.URL
	if f.publicURL != "" {
		u, err := url.Parse(f.publicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			return nil, fmt.Errorf("--public-url %q: want http(s)://host[:port] with no path", f.publicURL)
		}
		u.Path = ""
		public = u
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return nil, err
	}
	l := &listener{ln: ln}
	reqHost, _, _ := net.SplitHostPort(f.addr)
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	ip := net.ParseIP(reqHost)
	switch {
	case reqHost == "" || ip != nil && ip.IsUnspecified():
		l.all = true
		loop := "127.0.0.1"
		if ip != nil && ip.To4() == nil {
			loop = "::1"
		}
		l.local = "http://" + net.JoinHostPort(loop, port)
		if public == nil {
			public = &url.URL{Scheme: "http", Host: net.JoinHostPort("localhost", port)}
		}
	default:
		l.local = "http://" + net.JoinHostPort(reqHost, port)
		if public == nil {
			public = &url.URL{Scheme: "http", Host: net.JoinHostPort(reqHost, port)}
		}
	}
	l.public = public
	return l, nil
}

// handlerOptions turns the flags into verifyhttp options.
func (f *serverFlags) handlerOptions(l *listener, logger *slog.Logger) ([]verifyhttp.Option, error) {
	domain := f.domain
	if domain == "" {
		domain = l.public.Hostname()
	}
	opts := []verifyhttp.Option{
		verifyhttp.WithDomain(domain), verifyhttp.WithLogger(logger),
		verifyhttp.WithMaxBodyBytes(f.maxBody), verifyhttp.WithBatchLimits(f.maxBatch, f.maxBatchBytes),
		verifyhttp.WithVerifyTimeout(f.verifyTimeout), verifyhttp.WithChallenges(f.challengeTTL, f.maxChallenges),
	}
	if len(f.corsOrigins) > 0 {
		opts = append(opts, verifyhttp.WithCORSOrigins(f.corsOrigins...))
	}
	if len(f.frameAncestors) > 0 {
		opts = append(opts, verifyhttp.WithFrameAncestors(f.frameAncestors...))
	}
	shared, err := f.fleet.options()
	if err != nil {
		return nil, err
	}
	return append(opts, shared...), nil
}

func (f *serverFlags) logger(stderr io.Writer) (*slog.Logger, error) {
	switch f.logFormat {
	case "text":
		return slog.New(slog.NewTextHandler(stderr, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(stderr, nil)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", f.logFormat)
}

// parseFlags parses args; --help prints the flags with their defaults to
// stdout and exits 0, a bad flag prints them to stderr and exits 2.
func parseFlags(fs *flag.FlagSet, synopsis string, args []string, stdout, stderr io.Writer) (code int, ok bool) {
	var out bytes.Buffer
	fs.SetOutput(&out)
	fs.Usage = func() {
		fmt.Fprintf(&out, "usage: %s\n\nflags:\n", synopsis)
		fs.PrintDefaults()
	}
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		stdout.Write(out.Bytes())
		return 0, false
	case err != nil:
		stderr.Write(out.Bytes())
		return exitUsage, false
	}
	fs.SetOutput(stderr)
	return 0, true
}

// serveCmd runs the verifier with the trust and anchors its flags name.
func serveCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var vf verifierFlags
	vf.register(fs)
	var sf serverFlags
	sf.register(fs)
	if code, ok := parseFlags(fs, "verifier serve [flags]", args, stdout, stderr); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "serve: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	var m *serverMetrics
	if sf.metrics {
		m = newServerMetrics()
		vf.wrapAnchors = m.wrapAnchors
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
	l, err := sf.listen()
	if err != nil {
		fmt.Fprintln(stderr, "serve:", err)
		return exitUsage
	}
	return serveOn(ctx, l, v, &sf, m, nil, stdout, stderr, nil)
}

// serveOn serves the verifier (and extra's routes, when given) on l until
// ctx ends, then shuts down gracefully.
func serveOn(ctx context.Context, l *listener, v *verify.Verifier, sf *serverFlags, m *serverMetrics, demos []verifyhttp.DemoBadge,
	stdout, stderr io.Writer, extra *http.ServeMux) int {
	fail := func(err error) int {
		l.ln.Close()
		fmt.Fprintln(stderr, "serve:", err)
		return exitUsage
	}
	logger, err := sf.logger(stderr)
	if err != nil {
		return fail(err)
	}
	opts, err := sf.handlerOptions(l, logger)
	if err != nil {
		return fail(err)
	}
	// Ready once serving, not ready again as soon as shutdown begins.
	var draining atomic.Bool
	opts = append(opts, verifyhttp.WithReadiness(func(context.Context) error {
		if draining.Load() || ctx.Err() != nil {
			return errors.New("shutting down")
		}
		return nil
	}))
	if m != nil {
		opts = append(opts, verifyhttp.WithMetrics(m.reg))
	}
	if demos != nil {
		opts = append(opts, verifyhttp.WithDemoBadges(demos))
	}
	h, err := verifyhttp.NewHandler(v, opts...)
	if err != nil {
		return fail(err)
	}
	mux := extra
	if mux == nil {
		mux = http.NewServeMux()
	}
	if m != nil {
		mux.Handle("GET /metrics", m.handler())
	}
	mux.Handle("/", h)
	srv := verifyhttp.Server(l.ln.Addr().String(), mux)
	srv.ReadHeaderTimeout, srv.ReadTimeout, srv.WriteTimeout, srv.IdleTimeout = sf.readHeaderTimeout, sf.readTimeout, sf.writeTimeout, sf.idleTimeout
	srv.ErrorLog = slog.NewLogLogger(logger.Handler(), slog.LevelWarn)
	fmt.Fprintf(stdout, "badge verifier listening on %s/\n", l.public)
	if l.all {
		fmt.Fprintf(stdout, "(on every interface, port %s; --public-url sets the address others use)\n", portOf(l.ln.Addr()))
	}
	if m != nil {
		fmt.Fprintf(stdout, "metrics at %s/metrics, readiness at %s/readyz\n", l.public, l.public)
	}
	// When ctx ends, /readyz answers 503 at once; the server goes on
	// serving for --drain-delay, so that load balancers probing it stop
	// sending traffic, then stops taking connections and lets requests
	// under way finish.
	serveCtx, stopServing := context.WithCancel(context.WithoutCancel(ctx))
	defer stopServing()
	stop := context.AfterFunc(ctx, func() {
		draining.Store(true)
		time.AfterFunc(sf.drainDelay, stopServing)
	})
	defer stop()
	if err := verifyhttp.Serve(serveCtx, srv, l.ln, sf.shutdownGrace); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(stderr, "serve:", err)
		return exitFailed
	}
	fmt.Fprintln(stdout, "badge verifier stopped")
	return exitVerified
}

func portOf(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok {
		return strconv.Itoa(t.Port)
	}
	_, p, _ := net.SplitHostPort(a.String())
	return p
}
