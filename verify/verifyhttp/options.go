package verifyhttp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/badgeproof/badgeproof/store"
)

// Defaults of a Handler.
const (
	// DefaultMaxBodyBytes caps the body of POST /v1/verify: one document.
	DefaultMaxBodyBytes = 1 << 20
	// DefaultMaxBatch is the most documents POST /v1/verify/batch takes.
	DefaultMaxBatch = 100
	// DefaultMaxBatchBytes caps the body of POST /v1/verify/batch.
	DefaultMaxBatchBytes = 16 << 20
	// DefaultChallengeTTL is how long a challenge from GET /v1/challenge may be used.
	DefaultChallengeTTL = 5 * time.Minute
	// DefaultMaxChallenges bounds the challenges issued and not yet used or expired.
	DefaultMaxChallenges = 100_000
	// DefaultVerifyTimeout bounds one request's verification (anchor
	// look-ups and status list fetches included).
	DefaultVerifyTimeout = 30 * time.Second
	// DefaultDomain is the presentation domain when WithDomain is not given.
	DefaultDomain = "localhost"
)

// Option configures a Handler. Options are checked by NewHandler.
type Option func(*config) error

type config struct {
	domain        string
	logger        *slog.Logger
	now           func() time.Time
	challengeTTL  time.Duration
	maxChallenges int
	// challengeStore and challengeKey: WithChallengeStore (shared.go).
	challengeStore store.Store
	challengeKey   []byte
	maxBody        int64
	maxBatch       int
	maxBatchBytes  int64
	verifyTimeout  time.Duration
	demo           []DemoBadge
	// corsOrigins and frameAncestors say who may call the API from a
	// browser and who may embed the page (embedding.go).
	corsOrigins    []string
	frameAncestors []string
	metrics        *metrics                    // nil: no metrics (metrics.go)
	ready          func(context.Context) error // GET /readyz; nil: ready while serving
}

func defaultConfig() config {
	return config{
		domain:        DefaultDomain,
		logger:        slog.Default(),
		now:           time.Now,
		challengeTTL:  DefaultChallengeTTL,
		maxChallenges: DefaultMaxChallenges,
		maxBody:       DefaultMaxBodyBytes,
		maxBatch:      DefaultMaxBatch,
		maxBatchBytes: DefaultMaxBatchBytes,
		verifyTimeout: DefaultVerifyTimeout,
	}
}

// WithDomain sets the domain presentations must be bound to, returned by
// GET /v1/challenge with each challenge (default DefaultDomain). Use the
// host name applicants see, e.g. "jobs.example.kr".
func WithDomain(domain string) Option {
	return func(c *config) error {
		if domain == "" {
			return errors.New("verifyhttp: empty domain")
		}
		c.domain = domain
		return nil
	}
}

// WithLogger sets the logger for the one line each request writes
// (default slog.Default()).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("verifyhttp: nil logger")
		}
		c.logger = l
		return nil
	}
}

// WithClock sets the clock challenges expire by.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("verifyhttp: nil clock")
		}
		c.now = now
		return nil
	}
}

// WithChallenges sets how long a challenge stays usable and how many used,
// unexpired challenges are remembered (to refuse their reuse). Challenges
// are stateless until used (an expiry and a nonce under a MAC only this
// handler knows), so GET /v1/challenge never runs out however often it is
// called; when max used challenges are still unexpired, a presentation
// bound to one more is refused until some expire.
func WithChallenges(ttl time.Duration, max int) Option {
	return func(c *config) error {
		if ttl <= 0 || max < 1 {
			return fmt.Errorf("verifyhttp: challenge ttl and count must be positive, got %v and %d", ttl, max)
		}
		c.challengeTTL, c.maxChallenges = ttl, max
		return nil
	}
}

// WithMaxBodyBytes caps the body of POST /v1/verify and each document of a batch.
func WithMaxBodyBytes(n int64) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("verifyhttp: body limit must be positive, got %d", n)
		}
		c.maxBody = n
		return nil
	}
}

// WithBatchLimits caps how many documents POST /v1/verify/batch takes and
// the size of its body.
func WithBatchLimits(count int, bytes int64) Option {
	return func(c *config) error {
		if count < 1 || bytes < 1 {
			return fmt.Errorf("verifyhttp: batch limits must be positive, got %d and %d", count, bytes)
		}
		c.maxBatch, c.maxBatchBytes = count, bytes
		return nil
	}
}

// WithVerifyTimeout bounds the verification work of one request.
func WithVerifyTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("verifyhttp: verify timeout must be positive, got %v", d)
		}
		c.verifyTimeout = d
		return nil
	}
}

// DemoBadge is a sample document the page lists so a visitor can try the
// verifier with one click.
type DemoBadge struct {
	// Name is the URL-safe key: GET /v1/demo/badges/{Name} serves Data.
	Name string `json:"name"`
	// Title and Description say what the sample is and what verdict to
	// expect, Korean first.
	Title       string `json:"title"`
	Description string `json:"description"`
	// Expect is the verdict the sample should get ("verified", "failed", ...).
	Expect string `json:"expect,omitempty"`
	Data   []byte `json:"-"`
	// Present, when set instead of Data, makes a presentation sample: it
	// is called with a fresh challenge of this handler and its domain, and
	// returns the signed presentation, as an applicant's wallet would.
	Present func(challenge, domain string) ([]byte, error) `json:"-"`
}

// WithDemoBadges serves samples at GET /v1/demo/badges (a JSON list of
// {name, title, description, expect, url}) and GET /v1/demo/badges/{name}.
func WithDemoBadges(badges []DemoBadge) Option {
	return func(c *config) error {
		seen := map[string]bool{}
		for _, b := range badges {
			if !validName(b.Name) {
				return fmt.Errorf("verifyhttp: demo badge name %q: use letters, digits and - only", b.Name)
			}
			if seen[b.Name] {
				return fmt.Errorf("verifyhttp: demo badge %q listed twice", b.Name)
			}
			seen[b.Name] = true
		}
		c.demo = append([]DemoBadge(nil), badges...)
		return nil
	}
}

func validName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}
