package verify

import (
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"time"

	"github.com/badgeproof/badgeproof/anchor"
	"github.com/badgeproof/badgeproof/badge"
)

// Option configures a Verifier. Options are checked when the Verifier is built.
type Option func(*config) error

type config struct {
	limits           badge.Limits
	trust            *TrustList
	trustedKeys      []string
	skipIssuerTrust  bool
	keyResolvers     []KeyResolver
	anchors          anchor.Resolver
	httpClient       *http.Client
	fetchTimeout     time.Duration
	fetchMaxBytes    int
	allowLoopback    bool
	offline          bool
	allowTestAnchors bool
	now              func() time.Time
	workers          int
	statusTTL        time.Duration
	schema           bool
	interop          interopConfig
}

func defaultConfig() config {
	return config{
		now:           time.Now,
		workers:       runtime.GOMAXPROCS(0),
		fetchTimeout:  10 * time.Second,
		fetchMaxBytes: 4 << 20,
		statusTTL:     5 * time.Minute,
		schema:        true,
	}
}

// WithTrustList sets the trusted issuers.
func WithTrustList(t *TrustList) Option {
	return func(c *config) error {
		if t == nil {
			return errors.New("verify: nil trust list")
		}
		if c.trust != nil {
			return errors.New("verify: trust list set twice")
		}
		c.trust = t
		return nil
	}
}

// WithTrustedKey trusts the controller of key (a did:key, a did:key
// verification method or a Multikey) as an issuer that may issue anything,
// signing with that key.
func WithTrustedKey(key string) Option {
	return func(c *config) error {
		if key == "" {
			return errors.New("verify: empty trusted key")
		}
		c.trustedKeys = append(c.trustedKeys, key)
		return nil
	}
}

// WithoutIssuerTrustUnsafe skips the issuer check: any issuer whose
// signature verifies is accepted. Only for inspecting badges, never for
// decisions.
func WithoutIssuerTrustUnsafe() Option {
	return func(c *config) error { c.skipIssuerTrust = true; return nil }
}

// WithKeyResolver adds a resolver consulted, before the built-in ones, for
// verification methods.
func WithKeyResolver(r KeyResolver) Option {
	return func(c *config) error {
		if r == nil {
			return errors.New("verify: nil key resolver")
		}
		c.keyResolvers = append(c.keyResolvers, r)
		return nil
	}
}

// WithAnchorResolver sets how anchors are read back (usually an
// anchor.Mux over a ledger and chain resolvers). The Verifier puts an
// anchor.Cache in front of it unless it already is one.
func WithAnchorResolver(r anchor.Resolver) Option {
	return func(c *config) error {
		if r == nil {
			return errors.New("verify: nil anchor resolver")
		}
		c.anchors = r
		return nil
	}
}

// WithHTTPClient sets the client for status lists and did:web documents.
func WithHTTPClient(h *http.Client) Option {
	return func(c *config) error {
		if h == nil {
			return errors.New("verify: nil HTTP client")
		}
		c.httpClient = h
		return nil
	}
}

// WithFetchLimits bounds each remote fetch.
func WithFetchLimits(timeout time.Duration, maxBytes int) Option {
	return func(c *config) error {
		if timeout <= 0 || maxBytes <= 0 {
			return fmt.Errorf("verify: fetch limits must be positive, got %v and %d", timeout, maxBytes)
		}
		c.fetchTimeout, c.fetchMaxBytes = timeout, maxBytes
		return nil
	}
}

// WithAllowLoopback lets status list and did:web fetches go to loopback
// addresses (local testing, on-premise servers). Private and link-local
// addresses stay refused.
func WithAllowLoopback() Option {
	return func(c *config) error { c.allowLoopback = true; return nil }
}

// WithOffline forbids network access: checks that need it are indeterminate.
func WithOffline() Option {
	return func(c *config) error { c.offline = true; return nil }
}

// WithAllowTestAnchors accepts test anchors such as Blockcerts mocknet; they
// are reported as not anchored.
func WithAllowTestAnchors() Option {
	return func(c *config) error { c.allowTestAnchors = true; return nil }
}

// WithClock sets the clock for validity and status checks.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("verify: nil clock")
		}
		c.now = now
		return nil
	}
}

// WithLimits sets the size and nesting limits of one input.
func WithLimits(l badge.Limits) Option {
	return func(c *config) error {
		if l.MaxBytes < 0 || l.MaxDepth < 0 {
			return errors.New("verify: negative limits")
		}
		c.limits = l
		return nil
	}
}

// WithWorkers sets how many badges VerifyBatch checks at once (default: all cores).
func WithWorkers(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("verify: workers must be at least 1, got %d", n)
		}
		c.workers = n
		return nil
	}
}

// WithStatusCacheTTL bounds how long a fetched status list is reused.
func WithStatusCacheTTL(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return errors.New("verify: negative status cache TTL")
		}
		c.statusTTL = d
		return nil
	}
}

// WithoutSchemaValidation turns off Open Badges JSON schema validation in
// the format check.
func WithoutSchemaValidation() Option {
	return func(c *config) error { c.schema = false; return nil }
}

func (c *config) validate() error {
	if c.skipIssuerTrust && (c.trust != nil || len(c.trustedKeys) > 0) {
		return errors.New("verify: WithoutIssuerTrustUnsafe conflicts with a trust list or trusted keys")
	}
	return nil
}
