package anchor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/badgeproof/badgeproof/internal/ttlcache"
)

// Cache defaults; see NewCache.
const (
	DefaultCacheSize        = 4096
	DefaultCacheTTL         = 10 * time.Minute
	DefaultMinConfirmations = 12
	DefaultShallowTTL       = 15 * time.Second
	DefaultNegativeTTL      = 10 * time.Second
	DefaultLookupTimeout    = 30 * time.Second
)

// Cache is a Resolver that remembers what another Resolver answered and
// asks it only once for concurrent lookups of the same Ref.
//
// What is kept, and for how long:
//
//   - A Record with at least the minimum number of confirmations
//     (DefaultMinConfirmations), or from a chain whose records are final
//     (the ledger and mocknet by default): the full TTL (DefaultCacheTTL).
//   - A Record with fewer confirmations, including 0 (unknown): only the
//     shallow TTL (DefaultShallowTTL), since a block that shallow may still
//     be replaced and the count goes up as the chain grows.
//   - ErrNotFound, ErrCorrupt, ErrChainMismatch, ErrUnsupported: the
//     negative TTL (DefaultNegativeTTL), so that a thousand badges naming one
//     missing anchor ask once, while a transaction that was merely late is
//     seen soon.
//   - Anything else, ErrUnavailable and context errors included: never. The
//     next lookup asks again.
//
// Entries are evicted least-recently-used beyond the size limit.
//
// A shared lookup runs with its own timeout (DefaultLookupTimeout) on a
// context that keeps the first caller's values but not its cancellation,
// so one caller giving up does not fail the others; each caller still
// returns as soon as its own context is done.
type Cache struct {
	inner Resolver
	cfg   cacheConfig
	c     *ttlcache.Cache[cacheEntry]
}

var _ Resolver = (*Cache)(nil)

// cacheEntry is one answer of the wrapped Resolver.
type cacheEntry struct {
	rec Record
	err error
}

type cacheConfig struct {
	size          int
	ttl           time.Duration
	minConf       uint64
	shallowTTL    time.Duration
	negativeTTL   time.Duration
	lookupTimeout time.Duration
	final         map[string]bool
	now           func() time.Time
}

// CacheOption configures a Cache.
type CacheOption func(*cacheConfig) error

// WithCacheSize sets how many Refs the cache holds (at least 1).
func WithCacheSize(n int) CacheOption {
	return func(c *cacheConfig) error {
		if n < 1 {
			return fmt.Errorf("anchor: cache size %d, want at least 1", n)
		}
		c.size = n
		return nil
	}
}

// WithCacheTTL sets how long a confirmed Record is kept (positive).
func WithCacheTTL(d time.Duration) CacheOption {
	return func(c *cacheConfig) error {
		if d <= 0 {
			return fmt.Errorf("anchor: cache TTL %v, want positive", d)
		}
		c.ttl = d
		return nil
	}
}

// WithMinConfirmations sets the confirmations a Record needs to be kept for
// the full TTL; shallower Records are kept for shallowTTL (0: not kept).
func WithMinConfirmations(n uint64, shallowTTL time.Duration) CacheOption {
	return func(c *cacheConfig) error {
		if shallowTTL < 0 {
			return fmt.Errorf("anchor: shallow TTL %v is negative", shallowTTL)
		}
		c.minConf, c.shallowTTL = n, shallowTTL
		return nil
	}
}

// WithFinalChains names the chains whose records never change once
// written, so that they are kept for the full TTL whatever their
// confirmations. The default is ChainLedger and ChainMock.
func WithFinalChains(chains ...string) CacheOption {
	return func(c *cacheConfig) error {
		c.final = make(map[string]bool, len(chains))
		for _, ch := range chains {
			c.final[ch] = true
		}
		return nil
	}
}

// WithNegativeTTL sets how long ErrNotFound, ErrCorrupt, ErrChainMismatch
// and ErrUnsupported answers are kept (0: not kept).
func WithNegativeTTL(d time.Duration) CacheOption {
	return func(c *cacheConfig) error {
		if d < 0 {
			return fmt.Errorf("anchor: negative TTL %v is negative", d)
		}
		c.negativeTTL = d
		return nil
	}
}

// WithLookupTimeout bounds each lookup of the wrapped Resolver (positive).
func WithLookupTimeout(d time.Duration) CacheOption {
	return func(c *cacheConfig) error {
		if d <= 0 {
			return fmt.Errorf("anchor: lookup timeout %v, want positive", d)
		}
		c.lookupTimeout = d
		return nil
	}
}

// WithClock sets the clock used for expiry (default time.Now).
func WithClock(now func() time.Time) CacheOption {
	return func(c *cacheConfig) error {
		if now == nil {
			return errors.New("anchor: nil clock")
		}
		c.now = now
		return nil
	}
}

// NewCache wraps inner.
func NewCache(inner Resolver, opts ...CacheOption) (*Cache, error) {
	if inner == nil {
		return nil, errors.New("anchor: NewCache with a nil Resolver")
	}
	cfg := cacheConfig{
		size:          DefaultCacheSize,
		ttl:           DefaultCacheTTL,
		minConf:       DefaultMinConfirmations,
		shallowTTL:    DefaultShallowTTL,
		negativeTTL:   DefaultNegativeTTL,
		lookupTimeout: DefaultLookupTimeout,
		final:         map[string]bool{ChainLedger: true, ChainMock: true},
		now:           time.Now,
	}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	// Every Record handed out gets its own Root, and the cache keeps its own
	// copy of the wrapped Resolver's, so that no caller can change what the
	// cache or another caller holds.
	c, err := ttlcache.New(ttlcache.Options[cacheEntry]{
		Size:  cfg.size,
		Now:   cfg.now,
		Clone: func(e cacheEntry) cacheEntry { e.rec.Root = bytes.Clone(e.rec.Root); return e },
	})
	if err != nil {
		return nil, fmt.Errorf("anchor: cache: %w", err)
	}
	return &Cache{inner: inner, cfg: cfg, c: c}, nil
}

func cacheKey(ref Ref) string {
	return ref.Chain + "\x00" + ref.Network + "\x00" + ref.ID
}

// Resolve answers from the cache when it can and asks the wrapped Resolver
// otherwise, once for all concurrent callers of the same Ref.
func (c *Cache) Resolve(ctx context.Context, ref Ref) (Record, error) {
	e, err := c.c.Get(ctx, cacheKey(ref), func(lctx context.Context) (cacheEntry, time.Time) {
		lctx, cancel := context.WithTimeout(lctx, c.cfg.lookupTimeout)
		defer cancel()
		rec, err := c.inner.Resolve(lctx, ref)
		var expires time.Time
		if ttl := c.ttlFor(ref, rec, err); ttl > 0 {
			expires = c.cfg.now().Add(ttl)
		}
		return cacheEntry{rec: rec, err: err}, expires
	})
	if err != nil {
		return Record{}, fmt.Errorf("%w: %s: %w", ErrUnavailable, ref, err)
	}
	return e.rec, e.err
}

func (c *Cache) ttlFor(ref Ref, rec Record, err error) time.Duration {
	switch {
	case err == nil:
		if c.cfg.final[ref.Chain] || rec.Confirmations >= c.cfg.minConf {
			return c.cfg.ttl
		}
		return c.cfg.shallowTTL
	case errors.Is(err, ErrUnavailable):
		return 0
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrCorrupt),
		errors.Is(err, ErrChainMismatch), errors.Is(err, ErrUnsupported):
		return c.cfg.negativeTTL
	}
	return 0
}

// Purge empties the cache.
func (c *Cache) Purge() { c.c.Purge() }

// Len returns the number of entries held, expired ones included until they
// are next looked up or evicted.
func (c *Cache) Len() int { return c.c.Len() }

// CacheStats counts the lookups a Cache answered.
type CacheStats struct {
	// Hits were answered from an unexpired entry.
	Hits uint64
	// Misses asked the wrapped Resolver (or waited for a lookup of the
	// same Ref already under way).
	Misses uint64
}

// Stats returns how many lookups the cache answered from its entries and
// how many it passed on, since it was made.
func (c *Cache) Stats() CacheStats {
	s := c.c.Stats()
	return CacheStats{Hits: s.Hits, Misses: s.Misses}
}
