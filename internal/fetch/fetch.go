package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/go-resty/resty/v2"
)

// Defaults for [Options].
const (
	DefaultTimeout   = 10 * time.Second
	DefaultMaxBytes  = 1 << 20
	DefaultUserAgent = "badgeproof"
	// MaxRedirects is how many redirects one Get follows at most.
	MaxRedirects = 5
)

// Sentinel errors. Every error returned by [Fetcher.Get] that falls in one of
// these categories wraps the matching sentinel.
var (
	// ErrRefused: the URL's scheme, its host, a redirect target or a
	// resolved address is not allowed.
	ErrRefused = errors.New("fetch: refused")
	// ErrTooLarge: the response body is larger than the limit.
	ErrTooLarge = errors.New("fetch: response too large")
	// ErrTimeout: the fetch did not finish within its timeout or the
	// caller's deadline. It also wraps context.DeadlineExceeded.
	ErrTimeout = errors.New("fetch: timed out")
	// ErrHTTPStatus: the server answered with a status outside 2xx; the
	// error is a *StatusError.
	ErrHTTPStatus = errors.New("fetch: unexpected HTTP status")
)

// StatusError reports a non-2xx answer.
type StatusError struct {
	URL  string // the URL finally requested, after redirects
	Code int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("fetch: %s answered HTTP %d %s", e.URL, e.Code, http.StatusText(e.Code))
}

// Is makes errors.Is(err, ErrHTTPStatus) true.
func (e *StatusError) Is(target error) bool { return target == ErrHTTPStatus }

// Options configure a [Fetcher]. The zero value is a safe default.
type Options struct {
	// Timeout bounds one Get from start to last byte, redirects included.
	// Zero means DefaultTimeout.
	Timeout time.Duration
	// MaxBytes caps the response body. Zero means DefaultMaxBytes.
	MaxBytes int64
	// AllowLoopback permits loopback addresses (127.0.0.0/8, ::1), and
	// plain http to a loopback host. For tests and on-premise servers.
	AllowLoopback bool
	// AllowPrivate permits private (RFC 1918, fc00::/7) and carrier-grade
	// NAT addresses. Link-local, metadata and multicast addresses stay
	// refused.
	AllowPrivate bool
	// HTTPClient, when set, supplies the transport settings (TLS roots,
	// connection pool). Its Transport must be nil or an *http.Transport:
	// the Fetcher uses a clone with its own dialer, which enforces the
	// address rules, and without proxy, cookie jar or redirect policy of the
	// given client. The given client is not modified.
	HTTPClient *http.Client
	// UserAgent is sent with every request. Empty means DefaultUserAgent.
	UserAgent string
	// MaxConcurrent caps the Gets under way at once on this Fetcher, and
	// MaxPerHost those to one host; a Get waits for a free slot within its
	// context and timeout. Zero means unlimited.
	MaxConcurrent int
	MaxPerHost    int
}

// Fetcher fetches remote documents under the rules in the package doc. It is
// safe for concurrent use.
type Fetcher struct {
	client    *resty.Client
	timeout   time.Duration
	maxBytes  int64
	policy    policy
	userAgent string
	slots     *slots
}

// New validates opts and builds a Fetcher.
func New(opts Options) (*Fetcher, error) {
	if opts.Timeout < 0 {
		return nil, fmt.Errorf("fetch: negative timeout %v", opts.Timeout)
	}
	if opts.MaxBytes < 0 {
		return nil, fmt.Errorf("fetch: negative MaxBytes %d", opts.MaxBytes)
	}
	if opts.MaxConcurrent < 0 || opts.MaxPerHost < 0 {
		return nil, fmt.Errorf("fetch: negative concurrency limits %d, %d", opts.MaxConcurrent, opts.MaxPerHost)
	}
	f := &Fetcher{
		timeout:   opts.Timeout,
		maxBytes:  opts.MaxBytes,
		policy:    policy{allowLoopback: opts.AllowLoopback, allowPrivate: opts.AllowPrivate},
		userAgent: opts.UserAgent,
		slots:     newSlots(opts.MaxConcurrent, opts.MaxPerHost),
	}
	if f.timeout == 0 {
		f.timeout = DefaultTimeout
	}
	if f.maxBytes == 0 {
		f.maxBytes = DefaultMaxBytes
	}
	if f.userAgent == "" {
		f.userAgent = DefaultUserAgent
	}

	var base *http.Transport
	if opts.HTTPClient != nil && opts.HTTPClient.Transport != nil {
		t, ok := opts.HTTPClient.Transport.(*http.Transport)
		if !ok {
			return nil, fmt.Errorf("fetch: HTTPClient.Transport is %T; only *http.Transport can carry the address checks", opts.HTTPClient.Transport)
		}
		base = t.Clone()
	} else {
		base = http.DefaultTransport.(*http.Transport).Clone()
	}
	dialer := &net.Dialer{
		Timeout:   f.timeout,
		KeepAlive: 30 * time.Second,
		Control:   f.policy.control,
	}
	base.Proxy = nil // the address check must see the real destination
	base.DialContext = dialer.DialContext
	base.DialTLSContext = nil
	base.Dial = nil    //nolint:staticcheck // cleared so it cannot bypass DialContext
	base.DialTLS = nil //nolint:staticcheck // cleared so it cannot bypass DialContext
	base.OnProxyConnectResponse = nil

	hc := &http.Client{Transport: base}
	rc := resty.NewWithClient(hc)
	rc.SetLogger(discardLogger{})
	rc.SetRetryCount(0)
	rc.SetRedirectPolicy(resty.RedirectPolicyFunc(f.checkRedirect))
	f.client = rc
	return f, nil
}

// control runs after DNS resolution, after the socket is created and before
// it connects: a refusal here sends no packet.
func (p policy) control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: cannot parse dial address %q", ErrRefused, address)
	}
	return p.checkAddr(ap.Addr())
}

// checkURL applies the scheme and literal-host rules to one URL.
func (p policy) checkURL(u *url.URL) error {
	if u.User != nil {
		return fmt.Errorf("%w: URL with user information", ErrRefused)
	}
	host := u.Hostname()
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !p.allowLoopback || !isLoopbackHost(host) {
			return fmt.Errorf("%w: plain http to %q (only https is allowed, http only to loopback when enabled)", ErrRefused, host)
		}
	default:
		return fmt.Errorf("%w: scheme %q (only https is allowed)", ErrRefused, u.Scheme)
	}
	if host == "" {
		return fmt.Errorf("%w: URL %q has no host", ErrRefused, u.Redacted())
	}
	if a, err := netip.ParseAddr(host); err == nil {
		return p.checkAddr(a)
	}
	return nil
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	c, _ := classify(a)
	return c == classLoopback
}

func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > MaxRedirects {
		return fmt.Errorf("%w: more than %d redirects", ErrRefused, MaxRedirects)
	}
	if err := f.policy.checkURL(req.URL); err != nil {
		return fmt.Errorf("redirect to %s: %w", req.URL.Redacted(), err)
	}
	return nil
}

// Get fetches rawURL and returns its body. accept, if not empty, is sent as
// the Accept header. The body is returned only for a 2xx answer.
func (f *Fetcher) Get(ctx context.Context, rawURL string, accept string) ([]byte, error) {
	body, _, err := f.GetWithHeader(ctx, rawURL, accept)
	return body, err
}

// GetWithHeader is Get that also returns the answer's headers (for its
// caching headers).
func (f *Fetcher) GetWithHeader(ctx context.Context, rawURL string, accept string) ([]byte, http.Header, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: invalid URL: %v", ErrRefused, err)
	}
	if err := f.policy.checkURL(u); err != nil {
		return nil, nil, err
	}
	// Nothing starts once the caller has given up.
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("fetch %s not started: %w", u.Redacted(), err)
	}

	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	release, err := f.slots.acquire(ctx, strings.ToLower(u.Host))
	if err != nil {
		return nil, nil, f.wrapErr(ctx, u, err)
	}
	defer release()

	req := f.client.R().
		SetContext(ctx).
		SetDoNotParseResponse(true).
		SetHeader("User-Agent", f.userAgent)
	if accept != "" {
		req.SetHeader("Accept", accept)
	}
	resp, err := req.Get(u.String())
	if resp != nil && resp.RawBody() != nil {
		defer resp.RawBody().Close()
	}
	if err != nil {
		return nil, nil, f.wrapErr(ctx, u, err)
	}
	raw := resp.RawResponse
	if raw.StatusCode < 200 || raw.StatusCode > 299 {
		return nil, nil, &StatusError{URL: raw.Request.URL.Redacted(), Code: raw.StatusCode}
	}
	if raw.ContentLength > f.maxBytes {
		return nil, nil, fmt.Errorf("%w: %s declares %d bytes, limit is %d", ErrTooLarge, u.Redacted(), raw.ContentLength, f.maxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(raw.Body, f.maxBytes+1))
	if err != nil {
		return nil, nil, f.wrapErr(ctx, u, err)
	}
	if int64(len(body)) > f.maxBytes {
		return nil, nil, fmt.Errorf("%w: %s sent more than %d bytes", ErrTooLarge, u.Redacted(), f.maxBytes)
	}
	return body, raw.Header, nil
}

func (f *Fetcher) wrapErr(ctx context.Context, u *url.URL, err error) error {
	if errors.Is(err, ErrRefused) {
		return fmt.Errorf("fetch %s: %w", u.Redacted(), err)
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%w: %s after %v: %w", ErrTimeout, u.Redacted(), f.timeout, context.DeadlineExceeded)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("%w: %s: %w", ErrTimeout, u.Redacted(), err)
	}
	return fmt.Errorf("fetch %s: %w", u.Redacted(), err)
}

// Unavailable reports whether err means the document could not be obtained
// right now for a reason outside the URL's control: a timeout, a network or
// DNS failure, or a non-2xx answer. It is false for nil, for refusals
// ([ErrRefused]: the URL points somewhere the SDK will not go), for
// oversized answers ([ErrTooLarge]) and for a cancelled context.
func Unavailable(err error) bool {
	switch {
	case err == nil,
		errors.Is(err, ErrRefused),
		errors.Is(err, ErrTooLarge),
		errors.Is(err, context.Canceled):
		return false
	}
	return true
}

// Refused reports whether err wraps [ErrRefused].
func Refused(err error) bool { return errors.Is(err, ErrRefused) }

type discardLogger struct{}

func (discardLogger) Errorf(string, ...interface{}) {}
func (discardLogger) Warnf(string, ...interface{})  {}
func (discardLogger) Debugf(string, ...interface{}) {}

// slots caps the Gets under way: in total and per host.
type slots struct {
	total   chan struct{} // nil: unlimited
	perHost int           // 0: unlimited
	mu      sync.Mutex
	hosts   map[string]*hostSlot
}

type hostSlot struct {
	sem   chan struct{}
	users int // Gets holding or waiting for a slot; the entry goes at 0
}

func newSlots(total, perHost int) *slots {
	s := &slots{perHost: perHost, hosts: map[string]*hostSlot{}}
	if total > 0 {
		s.total = make(chan struct{}, total)
	}
	return s
}

// acquire waits for a slot for host, or until ctx ends.
func (s *slots) acquire(ctx context.Context, host string) (func(), error) {
	var hs *hostSlot
	if s.perHost > 0 {
		s.mu.Lock()
		hs = s.hosts[host]
		if hs == nil {
			hs = &hostSlot{sem: make(chan struct{}, s.perHost)}
			s.hosts[host] = hs
		}
		hs.users++
		s.mu.Unlock()
	}
	leave := func() {
		if hs == nil {
			return
		}
		s.mu.Lock()
		if hs.users--; hs.users == 0 {
			delete(s.hosts, host)
		}
		s.mu.Unlock()
	}
	if hs != nil {
		select {
		case hs.sem <- struct{}{}:
		case <-ctx.Done():
			leave()
			return nil, ctx.Err()
		}
	}
	if s.total != nil {
		select {
		case s.total <- struct{}{}:
		case <-ctx.Done():
			if hs != nil {
				<-hs.sem
			}
			leave()
			return nil, ctx.Err()
		}
	}
	return func() {
		if s.total != nil {
			<-s.total
		}
		if hs != nil {
			<-hs.sem
		}
		leave()
	}, nil
}
