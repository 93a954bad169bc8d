package verify

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/badgeproof/badgeproof/anchor"
	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/blockcerts"
	"github.com/badgeproof/badgeproof/internal/budget"
	"github.com/badgeproof/badgeproof/internal/fetch"
	"github.com/badgeproof/badgeproof/internal/rdfc"
	"github.com/badgeproof/badgeproof/keys"
)

// Verifier checks credentials and presentations. Build it once with New; it
// is safe for concurrent use.
type Verifier struct {
	cfg config
	// terms checks credentials' JSON-LD terms once per shape of credential.
	terms   *rdfc.TermCache
	trust   *trustIndex // nil: no trust material (WithoutTrustList, WithoutIssuerTrustUnsafe)
	keys    KeyResolver
	anchors anchor.Resolver
	status  *statusChecker
	// fetcher fetches status lists and did:web documents (one connection
	// pool); nil when offline.
	fetcher *fetch.Fetcher
	// tokenStatus caches IETF status list tokens (tokenstatus.go).
	tokenStatus tokenStatusCache
}

// New builds a Verifier. Conflicting or invalid options are errors here,
// not halfway through a verification.
func New(opts ...Option) (*Verifier, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	v := &Verifier{cfg: cfg}
	var err error
	if v.terms, err = rdfc.NewTermCache(rdfc.Options{Contexts: cfg.contexts}, termCacheSize); err != nil {
		return nil, err
	}
	if !cfg.offline {
		f, err := newFetcher(&v.cfg)
		if err != nil {
			return nil, err
		}
		v.fetcher = f
	}
	if cfg.trust != nil || len(cfg.trustedKeys) > 0 {
		idx, err := newTrustIndex(cfg.trust)
		if err != nil {
			return nil, fmt.Errorf("verify: %w", err)
		}
		for _, k := range cfg.trustedKeys {
			pk, err := keys.ParsePublicKey(k)
			if err != nil {
				return nil, fmt.Errorf("verify: trusted key %q: %w", k, err)
			}
			idx.addKey(pk)
		}
		v.trust = idx
	}
	resolvers := append(chainResolver{}, cfg.keyResolvers...)
	if v.trust != nil {
		resolvers = append(resolvers, trustListResolver{v.trust})
	}
	if len(cfg.controllerDocs) > 0 {
		resolvers = append(resolvers, controllerDocResolver{cfg.controllerDocs})
	}
	resolvers = append(resolvers, DIDKeyResolver())
	extra, err := v.builtinKeyResolvers()
	if err != nil {
		return nil, err
	}
	v.keys = append(resolvers, extra...)
	if cfg.anchors != nil {
		if c, ok := cfg.anchors.(*anchor.Cache); ok {
			v.anchors = c
		} else if v.anchors, err = anchor.NewCache(cfg.anchors); err != nil {
			return nil, err
		}
	}
	if v.status, err = newStatusChecker(v); err != nil {
		return nil, err
	}
	return v, nil
}

// termCacheSize bounds the shapes of credential whose JSON-LD terms a
// Verifier remembers as checked (rdfc.TermCache): an issuer's badges share
// a handful; a flood of distinct shapes only evicts.
const termCacheSize = 4096

// Binding is what a verifier expects of a presentation: the challenge it
// issued and its domain, and optionally values it knows of the applicant
// (email, phone) to match hashed identity objects.
type Binding struct {
	Challenge string
	Domain    string
	// AcceptChallenge, when set, decides the challenge instead of
	// Challenge, for verifiers that hand out many single-use challenges: it
	// is called with a holder proof's challenge only after that proof's
	// signature and domain have checked out (so a forged presentation cannot
	// use up someone's challenge); an error fails the holder check with
	// ErrChallenge.
	AcceptChallenge func(challenge string) error
	// Identities are known values of the applicant, e.g. "mailto:kim@example.kr"
	// or "kim@example.kr"; a subject identified by a hashed IdentityObject is
	// the holder when one of them matches.
	Identities []string
	// OtherSubjects accepts credentials whose subject is not the holder:
	// the VC data model lets a holder present credentials about someone
	// else (a parent, an agent). The holder check then confirms who
	// presents them and names each credential's subject. Off by default,
	// since a job seeker presents their own badges.
	OtherSubjects bool
}

// Verify checks one credential or presentation given as bytes. A
// presentation is checked against b (its zero value when none is expected:
// then a presentation's binding fails). It never returns nil.
func (v *Verifier) Verify(ctx context.Context, data []byte, b Binding) *Report {
	if r := v.verifyEncoded(ctx, data, b); r != nil {
		return r // a baked image, a JWT or an SD-JWT (jose.go, sdjwt.go)
	}
	v2 := v.blockcertsV2Candidate(data)
	lim, err := v.limitsForDoc(data, v2)
	if err != nil {
		return formatFailure(err)
	}
	ctx, cancel := context.WithTimeout(ctx, v.cfg.timeout)
	defer cancel()
	bud := budget.New(v.cfg.workBudget)
	if v2.isV2() {
		return ldp(v.verifyBlockcertsV2(ctx, bud, v2))
	}
	c, p, err := badge.Parse(data, lim)
	switch {
	case err != nil:
		return formatFailure(err)
	case p != nil:
		return ldp(v.verifyPresentation(ctx, bud, p, b))
	}
	return ldp(v.verifyCredential(ctx, bud, c))
}

// ldp names the format of a JSON-LD document with embedded proofs.
func ldp(r *Report) *Report {
	if r.Format == "" {
		r.Format = FormatLDP
	}
	return r
}

func formatFailure(err error) *Report {
	return NewReport(Check{ID: CheckFormat, Status: StatusFailed, Message: err.Error(), Err: fmt.Errorf("%w: %w", ErrMalformed, err)})
}

// credState carries what one credential's checks learn from each other.
type credState struct {
	cred    *badge.Credential
	report  *Report
	signers []*Key // keys whose signatures verified
	// vouched are signers the verifier's configuration ties to the issuer
	// (a JWK set given for it, an X.509 root), not the trust list's keys.
	vouched map[*Key]bool
	records []anchor.Record // anchors that matched the badge's root
	// anchorTime is the earliest time an anchor proves the badge existed.
	anchorTime *time.Time
	// anchorUnknown: an anchor lookup was indeterminate.
	anchorUnknown bool

	// budget is the work allowance of the whole verification (shared by
	// the credentials of a presentation).
	budget *budget.Budget
	// blockcerts is the credential decoded once for its Blockcerts v3
	// proofs (nil until the first one needs it), or why it cannot be.
	blockcerts    *blockcerts.Doc
	blockcertsErr error
	// leaves are the Merkle leaves of the set's merkle-jcs-2026 proofs by
	// index, computed once for all of them.
	leaves    map[int][32]byte
	leavesErr error
}

// VerifyCredential runs every check on a parsed credential.
func (v *Verifier) VerifyCredential(ctx context.Context, c *badge.Credential) *Report {
	ctx, cancel := context.WithTimeout(ctx, v.cfg.timeout)
	defer cancel()
	return v.verifyCredential(ctx, budget.New(v.cfg.workBudget), c)
}

func (v *Verifier) verifyCredential(ctx context.Context, bud *budget.Budget, c *badge.Credential) *Report {
	return v.credentialReport(ctx, bud, c, func(*badge.Credential) Check {
		return Check{ID: CheckHolder, Status: StatusSkipped, Reason: ReasonNotPresented, Message: "not presented: no holder to check"}
	})
}

// credentialReport runs every check on one credential; holder decides the
// holder check (skipped for a credential on its own, the presenter's
// binding inside a presentation).
func (v *Verifier) credentialReport(ctx context.Context, bud *budget.Budget, c *badge.Credential, holder func(*badge.Credential) Check) *Report {
	r := &Report{Credential: summarize(c)}
	st := &credState{cred: c, report: r, budget: bud}
	if n := len(c.Proofs); n > v.cfg.maxProofs {
		// Refused before anything reads the document further: schema
		// validation and JSON-LD expansion of thousands of proofs alone
		// take seconds.
		r.set(Check{ID: CheckFormat, Status: StatusFailed, Err: ErrTooManyProofs,
			Message: fmt.Sprintf("the credential carries %d proofs, more than the %d this verifier checks (WithMaxProofs): not checked further", n, v.cfg.maxProofs)})
	} else {
		r.set(v.formatCheck(c))
	}
	v.checkProofs(ctx, st)
	v.checkIssuer(st)
	v.status.check(ctx, st)
	v.checkValidity(st)
	r.set(holder(c))
	r.finish()
	return r
}

// VerifyBatch verifies many documents on all cores (WithWorkers), sharing
// the verifier's caches. Reports are in input order. When ctx ends, no
// further document is started, and each one not verified gets an
// indeterminate report (code canceled).
func (v *Verifier) VerifyBatch(ctx context.Context, docs [][]byte) []*Report {
	out := make([]*Report, len(docs))
	// Each worker takes the next document itself: no goroutine hands them
	// out, so no core waits for one to be scheduled.
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < min(v.cfg.workers, len(docs)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= int64(len(docs)) {
					return
				}
				out[i] = v.Verify(ctx, docs[i], Binding{})
			}
		}()
	}
	wg.Wait()
	for i := range out {
		if out[i] == nil {
			out[i] = canceledReport(ctx.Err())
		}
	}
	return out
}

// canceledReport is the report of a document that was not verified because
// the caller's context ended first.
func canceledReport(err error) *Report {
	return NewReport(Check{ID: CheckFormat, Status: StatusIndeterminate, Err: fmt.Errorf("%w: %w", ErrCanceled, err),
		Message: "not verified: the verification was canceled before this document was reached"})
}

func (v *Verifier) checkValidity(st *credState) {
	c, now := st.cred, v.cfg.now()
	switch {
	case c.ValidFrom != nil && now.Before(*c.ValidFrom):
		st.report.set(Check{ID: CheckValidity, Status: StatusFailed, Err: ErrNotYetValid,
			Message: fmt.Sprintf("not yet valid: validFrom is %s, now is %s", c.ValidFrom.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))})
	case c.ValidUntil != nil && !now.Before(*c.ValidUntil):
		st.report.set(Check{ID: CheckValidity, Status: StatusFailed, Err: ErrExpired,
			Message: fmt.Sprintf("expired: validUntil was %s, now is %s", c.ValidUntil.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))})
	case c.ValidUntil != nil:
		st.report.set(Check{ID: CheckValidity, Status: StatusPassed, Message: fmt.Sprintf("valid until %s", c.ValidUntil.UTC().Format(time.RFC3339))})
	default:
		st.report.set(Check{ID: CheckValidity, Status: StatusPassed, Message: "valid: no expiry date"})
	}
}

func summarize(c *badge.Credential) *CredentialSummary {
	s := &CredentialSummary{ID: c.ID, Type: c.Type, Name: c.Name.String(), Issuer: c.Issuer.ID}
	if len(c.CredentialSubject) > 0 {
		s.Subject = c.CredentialSubject[0].ID
		if s.Subject == "" && !c.CredentialSubject[0].Name.IsZero() {
			s.Subject = c.CredentialSubject[0].Name.String()
		}
	}
	if a := c.Achievement(); a != nil {
		s.Achievement = a.Name.String()
	}
	if c.ValidFrom != nil {
		s.ValidFrom = c.ValidFrom.UTC().Format(time.RFC3339)
	}
	if c.ValidUntil != nil {
		s.ValidUntil = c.ValidUntil.UTC().Format(time.RFC3339)
	}
	return s
}

func isUnknownKey(err error) bool { return errors.Is(err, ErrUnknownKey) }

// workFailure sorts an error of a budgeted step: a spent budget is the
// input's fault (failed, budget_exceeded); an ended context is nobody's
// verdict (indeterminate, canceled). ok is false for any other error.
func workFailure(err error) (Status, error, bool) {
	switch {
	case errors.Is(err, budget.ErrExhausted):
		return StatusFailed, fmt.Errorf("%w: %w", ErrBudgetExceeded, err), true
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return StatusIndeterminate, fmt.Errorf("%w: %w", ErrCanceled, err), true
	}
	return "", nil, false
}

// spend charges n units of st's budget, reporting on check id when it is
// spent or the verification's context has ended; it returns false then.
func (v *Verifier) spend(ctx context.Context, st *credState, id CheckID, n int64, what string) bool {
	err := st.budget.Spend(ctx, n)
	if err == nil {
		return true
	}
	s, e, _ := workFailure(err)
	if s == "" {
		s, e = StatusIndeterminate, fmt.Errorf("%w: %w", ErrCanceled, err)
	}
	st.report.set(Check{ID: id, Status: s, Err: e, Message: fmt.Sprintf("%s: stopped: %v", what, err)})
	return false
}
