package verify

import (
	"errors"
	"fmt"
	"github.com/badgeproof/badgeproof/internal/didweb"
	"github.com/badgeproof/badgeproof/internal/rdfc"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/badgeproof/badgeproof/anchor"
	"github.com/badgeproof/badgeproof/badge"
)

// Option configures a Verifier. Options are checked when the Verifier is built.
type Option func(*config) error

type config struct {
	// given records the single-valued options given, to refuse one given twice.
	given    map[string]bool
	contexts *rdfc.Contexts // the caller's JSON-LD contexts (WithContexts)
	// controllerDocs are the caller's controller documents by id
	// (WithControllerDocuments).
	controllerDocs map[string]*didweb.Document
	// statusDocs are the caller's status list credentials by URL
	// (WithStatusListCredential).
	statusDocs map[string][]byte
	// credSchemas are the caller's JSON schemas by id
	// (WithCredentialSchemas).
	credSchemas map[string]*jsonschema.Schema
	// related is the content of related resources by id
	// (WithRelatedResources).
	related          map[string][]byte
	limits           badge.Limits
	trust            *TrustList
	trustedKeys      []string
	skipIssuerTrust  bool
	noTrustList      bool
	suites           map[string]bool // nil: every built-in suite
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
	jose             joseConfig
	workBudget       int64
	maxProofs        int
	maxStatus        int
	timeout          time.Duration
	fetchTotal       int
	fetchPerHost     int
	clockSkew        time.Duration
}

// once refuses a single-valued option given a second time.
func (c *config) once(name string) error {
	if c.given == nil {
		c.given = map[string]bool{}
	}
	if c.given[name] {
		return fmt.Errorf("verify: %s given twice", name)
	}
	c.given[name] = true
	return nil
}

func defaultConfig() config {
	return config{
		now:           time.Now,
		workers:       runtime.GOMAXPROCS(0),
		fetchTimeout:  10 * time.Second,
		fetchMaxBytes: 4 << 20,
		statusTTL:     DefaultStatusCacheTTL,
		schema:        true,
		workBudget:    DefaultWorkBudget,
		maxProofs:     DefaultMaxProofs,
		maxStatus:     DefaultMaxStatusEntries,
		timeout:       DefaultTimeout,
		fetchTotal:    DefaultMaxFetches,
		fetchPerHost:  DefaultMaxFetchesPerHost,
		clockSkew:     DefaultClockSkew,
	}
}

// Defaults of the limits on one verification. Every real badge and every
// vector in the SDK's tests needs far less: the costliest RDF
// canonicalization among them (the Open Badges "complete" example, every
// property filled in) takes about 21,000 work units, a typical badge a few
// thousand, and none has more than three proofs or two status entries.
const (
	// DefaultWorkBudget is the work one verification may do (WithWorkBudget):
	// canonicalization steps (each quad serialized, hash computed and
	// permutation tried by RDFC-1.0), one unit per proof, status entry and
	// presented credential, and one per KiB hashed for a batch proof. The
	// credentials of one presentation share it: raise it for presentations
	// of many RDF-canonicalized badges. At this default an RDF poison graph
	// stops after about a tenth of a second of one core.
	DefaultWorkBudget = 200_000
	// DefaultMaxProofs is how many proofs one credential or presentation
	// may carry (WithMaxProofs).
	DefaultMaxProofs = 32
	// DefaultMaxStatusEntries is how many credentialStatus entries one
	// credential may carry (WithMaxStatusEntries).
	DefaultMaxStatusEntries = 16
	// DefaultTimeout bounds one verification, all its fetches and anchor
	// look-ups together (WithTimeout).
	DefaultTimeout = 30 * time.Second
	// DefaultMaxFetches caps the fetches (status lists, did:web documents)
	// under way at once in one Verifier, whatever the number of
	// verifications (WithFetchConcurrency).
	DefaultMaxFetches = 64
	// DefaultMaxFetchesPerHost caps the fetches under way at once to one
	// host (WithFetchConcurrency).
	DefaultMaxFetchesPerHost = 4
	// DefaultClockSkew is how far in the future a proof's created may lie
	// (WithClockSkew).
	DefaultClockSkew = 5 * time.Minute
)

// WithWorkBudget sets the work one verification may do, in the units of
// DefaultWorkBudget. A document that needs more (an RDF poison graph, a
// flood of proofs) fails the check that ran out with ErrBudgetExceeded.
func WithWorkBudget(units int64) Option {
	return func(c *config) error {
		if units < 1 {
			return fmt.Errorf("verify: work budget must be positive, got %d", units)
		}
		c.workBudget = units
		return c.once("WithWorkBudget")
	}
}

// WithMaxProofs sets how many proofs one credential or presentation may
// carry (default DefaultMaxProofs); more fail with ErrTooManyProofs
// before any is checked.
func WithMaxProofs(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("verify: proof limit must be at least 1, got %d", n)
		}
		c.maxProofs = n
		return c.once("WithMaxProofs")
	}
}

// WithMaxStatusEntries sets how many credentialStatus entries one
// credential may carry (default DefaultMaxStatusEntries); more fail the
// status check with ErrTooManyStatusEntries before anything is fetched.
func WithMaxStatusEntries(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("verify: status entry limit must be at least 1, got %d", n)
		}
		c.maxStatus = n
		return c.once("WithMaxStatusEntries")
	}
}

// WithTimeout bounds one verification (Verify, VerifyCredential,
// VerifyPresentation, and each document of VerifyBatch): when it passes,
// fetches and look-ups under way are abandoned, none is started, and what
// they would have decided is indeterminate. Default DefaultTimeout; the
// caller's context may end it sooner.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("verify: timeout must be positive, got %v", d)
		}
		c.timeout = d
		return c.once("WithTimeout")
	}
}

// WithFetchConcurrency caps the fetches (status lists, did:web documents)
// one Verifier has under way at once, in total and to any one host
// (defaults DefaultMaxFetches and DefaultMaxFetchesPerHost). A fetch
// waits for a free slot, within its verification's deadline.
func WithFetchConcurrency(total, perHost int) Option {
	return func(c *config) error {
		if total < 1 || perHost < 1 || perHost > total {
			return fmt.Errorf("verify: fetch concurrency must be positive with perHost <= total, got %d and %d", total, perHost)
		}
		c.fetchTotal, c.fetchPerHost = total, perHost
		return c.once("WithFetchConcurrency")
	}
}

// WithClockSkew sets how far in the future a proof's created may lie
// (default DefaultClockSkew); a later one fails with ErrProofNotYetValid.
func WithClockSkew(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("verify: negative clock skew %v", d)
		}
		c.clockSkew = d
		return c.once("WithClockSkew")
	}
}

// WithTrustList sets the trusted issuers.
func WithTrustList(t *TrustList) Option {
	return func(c *config) error {
		if t == nil {
			return errors.New("verify: nil trust list")
		}
		if err := c.once("WithTrustList"); err != nil {
			return err
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
// signature verifies is accepted, so a badge anyone signed can be verified.
// Only for inspecting badges, never for decisions.
func WithoutIssuerTrustUnsafe() Option {
	return func(c *config) error { c.skipIssuerTrust = true; return c.once("WithoutIssuerTrustUnsafe") }
}

// WithoutTrustList builds a Verifier that knows no trusted issuer: every
// check runs, and the issuer check is indeterminate (no_trust_list), so no
// badge is ever verified. It is for tools that show what a badge says and
// whether its signatures hold. New refuses to build a Verifier without
// trust material unless this is given.
func WithoutTrustList() Option {
	return func(c *config) error { c.noTrustList = true; return c.once("WithoutTrustList") }
}

// WithCryptosuites restricts the proofs the Verifier accepts to the named
// cryptosuites (for DataIntegrityProof, its cryptosuite, e.g.
// "eddsa-jcs-2022"; for other proof types, the type, e.g.
// "MerkleProof2019"). A proof in another suite fails the check it belongs
// to with ErrSuiteNotAccepted. Without this option every built-in suite is
// accepted; Cryptosuites lists them.
func WithCryptosuites(suites ...string) Option {
	return func(c *config) error {
		if err := c.once("WithCryptosuites"); err != nil {
			return err
		}
		if len(suites) == 0 {
			return errors.New("verify: WithCryptosuites needs at least one suite")
		}
		c.suites = map[string]bool{}
		for _, s := range suites {
			if !isBuiltinSuite(s) {
				return fmt.Errorf("verify: unknown cryptosuite %q (built in: %s)", s, strings.Join(Cryptosuites(), ", "))
			}
			c.suites[s] = true
		}
		return nil
	}
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
		return c.once("WithAnchorResolver")
	}
}

// WithHTTPClient sets the client for status lists and did:web documents.
func WithHTTPClient(h *http.Client) Option {
	return func(c *config) error {
		if h == nil {
			return errors.New("verify: nil HTTP client")
		}
		c.httpClient = h
		return c.once("WithHTTPClient")
	}
}

// WithFetchLimits bounds each remote fetch.
func WithFetchLimits(timeout time.Duration, maxBytes int) Option {
	return func(c *config) error {
		if timeout <= 0 || maxBytes <= 0 {
			return fmt.Errorf("verify: fetch limits must be positive, got %v and %d", timeout, maxBytes)
		}
		c.fetchTimeout, c.fetchMaxBytes = timeout, maxBytes
		return c.once("WithFetchLimits")
	}
}

// WithAllowLoopback lets status list and did:web fetches go to loopback
// addresses (local testing, on-premise servers). Private and link-local
// addresses stay refused.
func WithAllowLoopback() Option {
	return func(c *config) error { c.allowLoopback = true; return c.once("WithAllowLoopback") }
}

// WithOffline forbids network access: checks that need it are indeterminate.
func WithOffline() Option {
	return func(c *config) error { c.offline = true; return c.once("WithOffline") }
}

// WithAllowTestAnchors accepts test anchors such as Blockcerts mocknet; they
// are reported as not anchored.
func WithAllowTestAnchors() Option {
	return func(c *config) error { c.allowTestAnchors = true; return c.once("WithAllowTestAnchors") }
}

// WithClock sets the clock for validity and status checks.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("verify: nil clock")
		}
		c.now = now
		return c.once("WithClock")
	}
}

// WithLimits sets the size and nesting limits of one input.
func WithLimits(l badge.Limits) Option {
	return func(c *config) error {
		if l.MaxBytes < 0 || l.MaxDepth < 0 {
			return errors.New("verify: negative limits")
		}
		c.limits = l
		return c.once("WithLimits")
	}
}

// WithWorkers sets how many badges VerifyBatch checks at once (default: all cores).
func WithWorkers(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("verify: workers must be at least 1, got %d", n)
		}
		c.workers = n
		return c.once("WithWorkers")
	}
}

// WithStatusCacheTTL bounds how long a fetched status list is reused
// (default DefaultStatusCacheTTL): the list's own ttl and the server's
// Cache-Control or Expires headers may shorten it, never lengthen it; a
// list is otherwise reused for at least a second. 0 turns caching off.
// RefreshStatusList forces a fresh fetch.
func WithStatusCacheTTL(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return errors.New("verify: negative status cache TTL")
		}
		c.statusTTL = d
		return c.once("WithStatusCacheTTL")
	}
}

// WithoutSchemaValidation turns off Open Badges JSON schema validation in
// the format check.
func WithoutSchemaValidation() Option {
	return func(c *config) error { c.schema = false; return c.once("WithoutSchemaValidation") }
}

func (c *config) validate() error {
	hasTrust := c.trust != nil || len(c.trustedKeys) > 0
	switch {
	case c.skipIssuerTrust && hasTrust:
		return errors.New("verify: WithoutIssuerTrustUnsafe conflicts with a trust list or trusted keys")
	case c.noTrustList && hasTrust:
		return errors.New("verify: WithoutTrustList conflicts with a trust list or trusted keys")
	case c.noTrustList && c.skipIssuerTrust:
		return errors.New("verify: WithoutTrustList conflicts with WithoutIssuerTrustUnsafe")
	case !hasTrust && !c.noTrustList && !c.skipIssuerTrust:
		return errors.New("verify: no trusted issuers: give WithTrustList or WithTrustedKey (or, deliberately, WithoutTrustList to decide nothing about issuers)")
	}
	if c.offline {
		for _, o := range []string{"WithHTTPClient", "WithAllowLoopback", "WithFetchLimits", "WithFetchConcurrency"} {
			if c.given[o] {
				return fmt.Errorf("verify: WithOffline conflicts with %s: an offline verifier fetches nothing", o)
			}
		}
	}
	return nil
}
