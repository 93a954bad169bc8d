package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/badgeproof/badgeproof/internal/fetch"
	"github.com/badgeproof/badgeproof/internal/jws"
	"github.com/badgeproof/badgeproof/internal/tokenstatus"
	"github.com/badgeproof/badgeproof/internal/ttlcache"
)

// tokenStatusList is one fetched status list token, or why it is unusable.
type tokenStatusList struct {
	list    *tokenstatus.List
	claims  *tokenstatus.Claims
	token   *jws.Token
	expires time.Time
	status  Status
	err     error
	msg     string
}

// tokenStatusCache holds status list tokens per Verifier, created on first
// use so that verifiers that never meet an SD-JWT VC pay nothing.
type tokenStatusCache struct {
	once  sync.Once
	cache *ttlcache.Cache[*tokenStatusList]
	err   error
}

func (v *Verifier) tokenCache() (*ttlcache.Cache[*tokenStatusList], error) {
	tc := &v.tokenStatus
	tc.once.Do(func() {
		tc.cache, tc.err = ttlcache.New(ttlcache.Options[*tokenStatusList]{Size: statusCacheSize})
	})
	return tc.cache, tc.err
}

// checkTokenStatus decides the status check of an SD-JWT VC from its
// status claim (IETF Token Status List): the status list token at uri is
// fetched (cached for its ttl, never past its exp or the verifier's
// status cache lifetime), its signature checked with the same key rules as
// the credential's and its sub compared with uri; then the entry's value
// decides: 0 passed, 1 revoked, 2 suspended. Outages are indeterminate,
// as for Bitstring Status Lists; a list not provably the issuer's fails.
func (v *Verifier) checkTokenStatus(ctx context.Context, st *credState, issuer string, status json.RawMessage) {
	set := func(s Status, err error, format string, args ...any) {
		st.report.set(Check{ID: CheckStatus, Status: s, Err: err, Message: fmt.Sprintf(format, args...)})
	}
	if len(status) == 0 {
		st.report.set(Check{ID: CheckStatus, Status: StatusSkipped, Reason: ReasonNoStatus,
			Message: "no status claim: the issuer publishes no revocation for this credential"})
		return
	}
	ref, ok, err := tokenstatus.ParseReference(status)
	switch {
	case err != nil:
		set(StatusFailed, fmt.Errorf("%w: %w", ErrBadStatusList, err), "invalid status claim: %v", err)
		return
	case !ok:
		set(StatusIndeterminate, ErrStatusUnavailable, "the status claim names no status_list, the only mechanism this verifier reads: revocation is unknown")
		return
	}
	if v.fetcher == nil {
		set(StatusIndeterminate, fmt.Errorf("%w: offline", ErrStatusUnavailable), "status list %s not fetched: offline, so revocation is unknown", ref.URI)
		return
	}
	cache, err := v.tokenCache()
	if err != nil {
		set(StatusIndeterminate, fmt.Errorf("%w: %w", ErrStatusUnavailable, err), "%v", err)
		return
	}
	l, err := cache.Get(ctx, issuer+" "+ref.URI, func(ctx context.Context) (*tokenStatusList, time.Time) {
		l := v.loadTokenStatus(ctx, issuer, ref.URI)
		return l, l.expires
	})
	if err != nil {
		set(StatusIndeterminate, fmt.Errorf("%w: %w", ErrStatusUnavailable, err), "status list %s: %v", ref.URI, err)
		return
	}
	if l.err != nil {
		set(l.status, l.err, "%s", l.msg)
		return
	}
	now := v.cfg.now()
	if l.claims.Exp != 0 && !now.Before(time.Unix(l.claims.Exp, 0)) {
		set(StatusIndeterminate, fmt.Errorf("%w: %w", ErrStatusUnavailable, ErrExpired), "status list token %s expired at %s (now %s)",
			ref.URI, time.Unix(l.claims.Exp, 0).UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
		return
	}
	val, err := l.list.Get(ref.Idx)
	if err != nil {
		set(StatusFailed, fmt.Errorf("%w: %w", ErrBadStatusList, err), "status list %s: %v", ref.URI, err)
		return
	}
	switch val {
	case tokenstatus.Valid:
		set(StatusPassed, nil, "valid: entry %d of status list token %s is 0x00", ref.Idx, ref.URI)
	case tokenstatus.Invalid:
		set(StatusFailed, ErrRevoked, "revoked: entry %d of status list token %s is 0x01 (INVALID)", ref.Idx, ref.URI)
	case tokenstatus.Suspended:
		set(StatusFailed, ErrSuspended, "suspended: entry %d of status list token %s is 0x02 (SUSPENDED)", ref.Idx, ref.URI)
	default:
		set(StatusIndeterminate, ErrStatusUnavailable, "entry %d of status list token %s is 0x%02x, a status this verifier does not know", ref.Idx, ref.URI, val)
	}
}

// loadTokenStatus fetches and checks a status list token.
func (v *Verifier) loadTokenStatus(ctx context.Context, issuer, uri string) *tokenStatusList {
	ttl := v.cfg.statusTTL
	l := &tokenStatusList{}
	fail := func(s Status, err error, format string, args ...any) *tokenStatusList {
		l.status, l.err, l.msg = s, err, fmt.Sprintf(format, args...)
		l.expires = time.Now().Add(min(ttl, statusFailureTTL))
		return l
	}
	body, err := v.fetcher.Get(ctx, uri, tokenstatus.MediaType+", application/jwt;q=0.5")
	switch {
	case fetch.Refused(err), errors.Is(err, fetch.ErrTooLarge):
		return fail(StatusFailed, fmt.Errorf("%w: %w", ErrFetchRefused, err), "status list %s refused: %v", uri, err)
	case err != nil:
		return fail(StatusIndeterminate, fmt.Errorf("%w: %w", ErrStatusUnavailable, err), "status list %s unavailable, so revocation is unknown: %v", uri, err)
	}
	t, err := jws.Parse(strings.TrimSpace(string(body)), 0)
	if err != nil {
		code := ErrBadStatusList
		switch {
		case errors.Is(err, jws.ErrAlgNone):
			code = ErrAlgNone
		case errors.Is(err, jws.ErrAlgHMAC):
			code = ErrAlgHMAC
		}
		return fail(StatusFailed, fmt.Errorf("%w: %w", code, err), "status list %s is not a valid status list token: %v", uri, err)
	}
	if t.Header.Typ != tokenstatus.TokenType && t.Header.Typ != tokenstatus.MediaType {
		return fail(StatusFailed, ErrBadStatusList, "status list %s has typ %q, want %s", uri, t.Header.Typ, tokenstatus.TokenType)
	}
	claims, list, err := tokenstatus.ParseClaims(t.Payload)
	if err != nil {
		return fail(StatusFailed, fmt.Errorf("%w: %w", ErrBadStatusList, err), "status list %s: %v", uri, err)
	}
	if claims.Sub != uri {
		return fail(StatusFailed, ErrBadStatusList, "status list token at %s names itself %s (sub): it is not the list the credential refers to", uri, claims.Sub)
	}
	// The list must be the credential issuer's: its key is found and
	// checked exactly as the credential's is.
	probe := &credState{report: &Report{}}
	v.checkJOSESignature(ctx, probe, t, issuer, "status list token")
	if c := probe.report.Check(CheckSignature); c == nil || c.Status != StatusPassed {
		msg, st, err := "not checked", StatusFailed, error(ErrBadStatusList)
		if c != nil {
			msg = c.Message
			if c.Status == StatusIndeterminate {
				st, err = StatusIndeterminate, ErrStatusUnavailable
			}
			if errors.Is(c.Err, ErrAlgNone) || errors.Is(c.Err, ErrAlgHMAC) {
				err = c.Err
			}
		}
		return fail(st, fmt.Errorf("%w: %s", err, msg), "status list %s is not provably %s's: %s", uri, issuer, msg)
	}
	l.list, l.claims, l.token = list, claims, t
	life := ttl
	if claims.TTL > 0 && time.Duration(claims.TTL)*time.Second < life {
		life = time.Duration(claims.TTL) * time.Second
	}
	l.expires = time.Now().Add(life)
	if claims.Exp != 0 && time.Unix(claims.Exp, 0).Before(l.expires) {
		l.expires = time.Unix(claims.Exp, 0)
	}
	return l
}
