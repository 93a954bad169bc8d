package ethereum

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/go-resty/resty/v2"
)

// Defaults for the settings that options change.
const (
	DefaultTimeout          = 10 * time.Second
	DefaultRetries          = 2
	DefaultRetryWait        = 200 * time.Millisecond
	DefaultMaxResponseBytes = 1 << 20
	DefaultPollInterval     = time.Second
)

// Option configures a Resolver or a Publisher. Options that make sense for
// only one of them make the other's constructor fail.
type Option func(*config) error

type config struct {
	resty       *resty.Client
	httpClient  *http.Client
	timeout     time.Duration
	timeoutSet  bool
	retries     int
	retryWait   time.Duration
	maxResponse int64

	// Resolver only.
	minConfirmations uint64
	quorum           int
	resolverOnly     []string

	// Publisher only.
	key           *secp256k1.PrivateKey
	from          string
	pollInterval  time.Duration
	publisherOnly []string
}

func newConfig(opts []Option) (*config, error) {
	c := &config{
		timeout:      DefaultTimeout,
		retries:      DefaultRetries,
		retryWait:    DefaultRetryWait,
		maxResponse:  DefaultMaxResponseBytes,
		pollInterval: DefaultPollInterval,
	}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("ethereum: nil option")
		}
		if err := o(c); err != nil {
			return nil, err
		}
	}
	if c.resty != nil && c.httpClient != nil {
		return nil, errors.New("ethereum: WithRestyClient and WithHTTPClient both given; choose one")
	}
	if c.resty != nil && c.timeoutSet {
		return nil, errors.New("ethereum: WithRestyClient and WithTimeout both given; set the timeout on the resty client")
	}
	return c, nil
}

// transport is the pair of resty clients an rpcClient sends through.
type transport struct {
	retrying *resty.Client // retries transport failures as WithRetries says
	once     *resty.Client // never retries: for methods that must not be sent twice
}

// transport builds the clients requests go through. Retries are resty's
// own: its retry count, exponential backoff with jitter between wait and
// wait<<retries, and one retry condition, retryable. Each attempt is bounded
// by the http.Client's Timeout. The caller's clients are never changed: a
// resty client is cloned, an http.Client copied.
func (c *config) transport() transport {
	var base *resty.Client
	switch {
	case c.resty != nil:
		base = c.resty.Clone()
	case c.httpClient != nil:
		hc := *c.httpClient
		hc.Timeout = c.timeout
		base = resty.NewWithClient(&hc)
	default:
		base = resty.New().SetTimeout(c.timeout)
	}
	// resty logs failed attempts with the whole URL, API key included;
	// every failure is returned, redacted, to the caller instead.
	base.SetLogger(discardLogger{})

	once := base.Clone()
	once.RetryCount = 0
	once.RetryConditions = nil

	r := base.Clone()
	r.RetryCount = c.retries
	r.RetryWaitTime = c.retryWait
	r.RetryMaxWaitTime = c.retryWait << c.retries
	r.RetryAfter = nil
	r.RetryConditions = []resty.RetryConditionFunc{retryable}
	return transport{retrying: r, once: once}
}

type discardLogger struct{}

func (discardLogger) Errorf(string, ...any) {}
func (discardLogger) Warnf(string, ...any)  {}
func (discardLogger) Debugf(string, ...any) {}

// WithRestyClient sends requests through a copy of rc, taken when the
// Resolver or Publisher is built, with its headers, authentication,
// transport and middleware. Its retry settings are replaced by this
// package's (WithRetries), and its own timeout (rc.SetTimeout) bounds each
// attempt, so WithTimeout cannot be given with it.
func WithRestyClient(rc *resty.Client) Option {
	return func(c *config) error {
		if rc == nil {
			return errors.New("ethereum: WithRestyClient: nil client")
		}
		c.resty = rc
		return nil
	}
}

// WithHTTPClient sends requests through hc (for proxies, TLS settings or
// tests).
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("ethereum: WithHTTPClient: nil client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithTimeout bounds each JSON-RPC request (each attempt, when retried).
// The default is DefaultTimeout. The caller's context bounds the whole call.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("ethereum: WithTimeout(%v): want a positive duration", d)
		}
		c.timeout, c.timeoutSet = d, true
		return nil
	}
}

// WithRetries sets how many times a request is retried after a transport
// error (no reply, a reply cut off, or HTTP 429, 502, 503, 504), waiting
// wait before the first retry and, before each next one, up to twice as
// long as the time before (resty's exponential backoff with jitter). JSON-RPC errors,
// other HTTP statuses, oversized and malformed replies are never retried,
// and neither is eth_sendTransaction or eth_sendRawTransaction: a send
// that reached the node before the connection failed would be sent twice.
// The default is DefaultRetries and DefaultRetryWait; WithRetries(0, 0)
// disables retries.
func WithRetries(n int, wait time.Duration) Option {
	return func(c *config) error {
		if n < 0 || n > 10 || wait < 0 {
			return fmt.Errorf("ethereum: WithRetries(%d, %v): want 0 to 10 retries and a non-negative wait", n, wait)
		}
		c.retries, c.retryWait = n, wait
		return nil
	}
}

// WithMaxResponseBytes caps the size of one JSON-RPC reply; a larger reply
// is an error. The default is DefaultMaxResponseBytes.
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) error {
		if n < 64 {
			return fmt.Errorf("ethereum: WithMaxResponseBytes(%d): want at least 64", n)
		}
		c.maxResponse = n
		return nil
	}
}

// WithMinConfirmations makes a Resolver report a record with fewer than n
// confirmations as unavailable (an error wrapping anchor.ErrUnavailable and
// ErrFewConfirmations): it may still be dropped by a reorganisation. The
// default is 1, any mined transaction. Resolver only.
func WithMinConfirmations(n uint64) Option {
	return func(c *config) error {
		c.minConfirmations = n
		c.resolverOnly = append(c.resolverOnly, "WithMinConfirmations")
		return nil
	}
}

// WithQuorum lets a Resolver with several endpoints answer when only n of
// them reply; the others may be unreachable. The endpoints that reply must
// still all agree. The default is every endpoint: one unreachable endpoint
// makes the answer unavailable. Resolver only.
func WithQuorum(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("ethereum: WithQuorum(%d): want at least 1", n)
		}
		c.quorum = n
		c.resolverOnly = append(c.resolverOnly, "WithQuorum")
		return nil
	}
}

// WithKey makes a Publisher sign transactions itself with key and send them
// with eth_sendRawTransaction. The key's address must hold enough ether
// for the fees. Publisher only.
func WithKey(key *secp256k1.PrivateKey) Option {
	return func(c *config) error {
		if key == nil {
			return errors.New("ethereum: WithKey: nil key")
		}
		c.key = key
		c.publisherOnly = append(c.publisherOnly, "WithKey")
		return nil
	}
}

// WithFrom makes a Publisher send from the node's account address with
// eth_sendTransaction (the node holds and unlocks the key). Without WithKey
// or WithFrom, the Publisher uses the node's first account. Publisher only.
func WithFrom(address string) Option {
	return func(c *config) error {
		a, err := parseAddress(address)
		if err != nil {
			return fmt.Errorf("ethereum: WithFrom: %v", err)
		}
		c.from = a
		c.publisherOnly = append(c.publisherOnly, "WithFrom")
		return nil
	}
}

// WithPollInterval sets how often a Publisher asks for the receipt of the
// transaction it sent. The default is DefaultPollInterval. Publisher only.
func WithPollInterval(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("ethereum: WithPollInterval(%v): want a positive duration", d)
		}
		c.pollInterval = d
		c.publisherOnly = append(c.publisherOnly, "WithPollInterval")
		return nil
	}
}
