package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/budget"
	"github.com/badgeproof/badgeproof/internal/fetch"
	"github.com/badgeproof/badgeproof/internal/statuslist"
	"github.com/badgeproof/badgeproof/internal/ttlcache"
)

// statusCacheSize bounds how many status lists a Verifier keeps. One list
// serves up to millions of badges, so a few hundred cover many issuers.
const statusCacheSize = 256

// statusFailureTTL bounds how long a list that could not be fetched or did
// not verify is remembered, so that a batch of badges naming a dead server
// does not ask it once per badge, while a server that comes back is soon
// asked again.
const statusFailureTTL = 10 * time.Second

// statusListAccept is the Accept header sent for status list credentials.
const statusListAccept = "application/vc+ld+json, application/vc+json, application/ld+json;q=0.9, application/json;q=0.8"

// statusChecker reads credentialStatus entries: it fetches each status list
// credential once per lifetime (shared by every call on the Verifier,
// concurrent fetches of one URL merged), verifies the list's own proof with
// the Verifier's key resolution, and reads the badge's bit.
//
// Outcomes, and why:
//   - bit unset: passed.
//   - bit set: failed with ErrRevoked (purpose revocation) or ErrSuspended.
//   - the list's signature does not verify, its issuer is not the badge's,
//     it does not serve the entry's purpose or is too short for the index:
//     failed with ErrBadStatusList. The list is the issuer's word on the
//     badge; a list that is not provably the issuer's is no answer.
//   - the list cannot be had right now (offline, server down, timeout, HTTP
//     error) or is outside its own validity window: indeterminate with
//     ErrStatusUnavailable. A genuine badge is never failed because a server
//     was down.
//   - the URL is one the verifier refuses to fetch (loopback unless allowed,
//     private, link-local or metadata addresses, non-https schemes such as
//     file:), or the answer is larger than the fetch limit: failed with
//     ErrFetchRefused. The URL is fixed in the signed badge, so asking again
//     can never succeed; and reporting it as merely undecided would let a
//     badge escape revocation checks forever by naming an address the
//     verifier will not visit.
type statusChecker struct {
	v       *Verifier
	fetcher *fetch.Fetcher // nil when offline
	cache   *ttlcache.Cache[*statusList]
}

// statusList is one fetched status list credential, or why it is unusable.
type statusList struct {
	url     string
	expires time.Time // wall-clock time after which it is fetched again

	// Set when the list is usable.
	cred    *badge.Credential
	signers []*Key // the keys whose proofs on it verified
	// unprefixed is why Decode refused its encodedList, when it is one
	// only a StatusList2021 entry reads (no multibase prefix).
	unprefixed error
	subject    statuslist.ListSubject
	bits       *statuslist.Bitstring

	// Set when it is not: the check outcome every badge naming it gets.
	status Status
	err    error
	msg    string
}

func newStatusChecker(v *Verifier) (*statusChecker, error) {
	s := &statusChecker{v: v, fetcher: v.fetcher}
	// Lists are shared read-only by every badge naming them; expiry is
	// wall-clock time, not the verifier's clock, which may be set to verify
	// as of a past date.
	c, err := ttlcache.New(ttlcache.Options[*statusList]{Size: statusCacheSize})
	if err != nil {
		return nil, err
	}
	s.cache = c
	return s, nil
}

// newFetcher builds the fetcher for status lists and did:web documents from
// the verifier's settings.
func newFetcher(c *config) (*fetch.Fetcher, error) {
	f, err := fetch.New(fetch.Options{
		Timeout:       c.fetchTimeout,
		MaxBytes:      int64(c.fetchMaxBytes),
		AllowLoopback: c.allowLoopback,
		HTTPClient:    c.httpClient,
		MaxConcurrent: c.fetchTotal,
		MaxPerHost:    c.fetchPerHost,
	})
	if err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	return f, nil
}

func (s *statusChecker) check(ctx context.Context, st *credState) {
	raw, ok := st.cred.Members()["credentialStatus"]
	if !ok || len(st.cred.CredentialStatus) == 0 {
		st.report.set(Check{ID: CheckStatus, Status: StatusSkipped, Reason: ReasonNoStatus, Message: "no credentialStatus: the issuer publishes no revocation for this badge"})
		return
	}
	var entries []json.RawMessage
	if t := bytes.TrimSpace(raw); len(t) > 0 && t[0] == '[' {
		if err := json.Unmarshal(t, &entries); err != nil {
			st.report.set(Check{ID: CheckStatus, Status: StatusFailed, Err: fmt.Errorf("%w: credentialStatus: %v", ErrMalformed, err),
				Message: fmt.Sprintf("credentialStatus is not an array of objects: %v", err)})
			return
		}
	} else {
		entries = []json.RawMessage{raw}
	}
	if len(entries) > s.v.cfg.maxStatus {
		// Refused before any fetch: each entry may name another URL, and a
		// badge must not make the verifier fetch without bound.
		st.report.set(Check{ID: CheckStatus, Status: StatusFailed, Err: ErrTooManyStatusEntries,
			Message: fmt.Sprintf("the badge has %d credentialStatus entries, more than the %d this verifier checks (WithMaxStatusEntries): none was fetched", len(entries), s.v.cfg.maxStatus)})
		return
	}
	for i, e := range entries {
		if !s.v.spend(ctx, st, CheckStatus, 1, fmt.Sprintf("credentialStatus[%d]", i)) {
			return
		}
		c := s.checkEntry(ctx, st.cred, e)
		if len(entries) > 1 {
			c.Message = fmt.Sprintf("credentialStatus[%d]: %s", i, c.Message)
		}
		st.report.set(c)
	}
}

// checkEntry decides one credentialStatus entry.
func (s *statusChecker) checkEntry(ctx context.Context, c *badge.Credential, raw json.RawMessage) Check {
	check := func(st Status, err error, format string, args ...any) Check {
		return Check{ID: CheckStatus, Status: st, Err: err, Message: fmt.Sprintf(format, args...)}
	}
	e, err := statuslist.ParseEntry(raw)
	switch {
	case errors.Is(err, statuslist.ErrUnsupported):
		return check(StatusIndeterminate, fmt.Errorf("%w: %w", ErrStatusUnavailable, err),
			"cannot check this status entry, so revocation is unknown: %v", err)
	case err != nil:
		return check(StatusFailed, fmt.Errorf("%w: %w", ErrBadStatusList, err), "invalid credentialStatus: %v", err)
	}
	switch e.StatusPurpose {
	case statuslist.PurposeRevocation, statuslist.PurposeSuspension:
	default:
		c := check(StatusSkipped, nil, "status purpose %q says nothing about revocation", e.StatusPurpose)
		c.Reason = ReasonOtherStatusPurpose
		return c
	}
	l := s.list(ctx, e.StatusListCredential)
	if l.err != nil {
		return check(l.status, l.err, "%s", l.msg)
	}
	now := s.v.cfg.now()
	// A StatusList2021 entry is read as cert-verifier-js reads it: the
	// list's own proofs must verify, but its issuer need not be the
	// badge's (Blockcerts' sample lists are signed by a did:key of their
	// own). A set bit on such a list is honoured, as the list is the one
	// the issuer signed into the badge; an unset bit clears the badge only
	// when the badge's issuer signed the list.
	bc := e.Type == statuslist.EntryType2021
	foreign := l.cred.Issuer.ID != c.Issuer.ID
	switch lc := l.cred; {
	case foreign && !bc:
		return check(StatusFailed, ErrBadStatusList, "status list %s is issued by %s, the badge by %s: only the badge's issuer may say it is revoked or not",
			e.StatusListCredential, lc.Issuer.ID, c.Issuer.ID)
	case lc.ValidFrom != nil && now.Before(*lc.ValidFrom):
		return check(StatusIndeterminate, fmt.Errorf("%w: %w", ErrStatusUnavailable, ErrNotYetValid), "status list %s is valid only from %s, now is %s",
			e.StatusListCredential, lc.ValidFrom.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	case lc.ValidUntil != nil && !now.Before(*lc.ValidUntil):
		return check(StatusIndeterminate, fmt.Errorf("%w: %w", ErrStatusUnavailable, ErrExpired), "status list %s expired at %s (now %s): the issuer has not published a current one",
			e.StatusListCredential, lc.ValidUntil.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	case l.unprefixed != nil && !bc:
		return check(StatusFailed, fmt.Errorf("%w: %w", ErrBadStatusList, l.unprefixed), "status list %s: %v", e.StatusListCredential, l.unprefixed)
	case len(l.subject.StatusPurposes) == 0 && !bc:
		return check(StatusFailed, ErrBadStatusList, "status list %s names no statusPurpose", e.StatusListCredential)
	case len(l.subject.StatusPurposes) > 0 && !l.subject.HasPurpose(e.StatusPurpose):
		return check(StatusFailed, ErrBadStatusList, "the badge's %s entry points at status list %s, which serves %s",
			e.StatusPurpose, e.StatusListCredential, strings.Join(l.subject.StatusPurposes, ", "))
	}
	set, err := l.bits.Get(e.StatusListIndex)
	if err != nil {
		return check(StatusFailed, fmt.Errorf("%w: %w", ErrBadStatusList, err), "status list %s has %d entries, the badge's index is %d",
			e.StatusListCredential, l.bits.Len(), e.StatusListIndex)
	}
	by := ""
	if foreign {
		by = fmt.Sprintf(" (the list is signed by %s, not by the badge's issuer %s)", l.cred.Issuer.ID, c.Issuer.ID)
	}
	switch {
	case !set && foreign:
		return check(StatusIndeterminate, ErrStatusUnavailable, "bit %d of status list %s is unset, but the list is signed by %s, not by the badge's issuer %s: only the issuer may say it is not %s",
			e.StatusListIndex, e.StatusListCredential, l.cred.Issuer.ID, c.Issuer.ID, pastTense(e.StatusPurpose))
	case !set:
		return check(StatusPassed, nil, "not %s: bit %d of status list %s is unset", pastTense(e.StatusPurpose), e.StatusListIndex, e.StatusListCredential)
	case e.StatusPurpose == statuslist.PurposeRevocation:
		return check(StatusFailed, ErrRevoked, "revoked: bit %d of status list %s is set%s", e.StatusListIndex, e.StatusListCredential, by)
	default:
		return check(StatusFailed, ErrSuspended, "suspended: bit %d of status list %s is set%s", e.StatusListIndex, e.StatusListCredential, by)
	}
}

func pastTense(purpose string) string {
	if purpose == statuslist.PurposeSuspension {
		return "suspended"
	}
	return "revoked"
}

// list returns the status list at url from the cache, or fetches and checks
// it, merging concurrent requests for the same url.
func (s *statusChecker) list(ctx context.Context, url string) *statusList {
	doc, given := s.v.cfg.statusDocs[url]
	if s.fetcher == nil && !given {
		return &statusList{url: url, status: StatusIndeterminate, err: fmt.Errorf("%w: offline", ErrStatusUnavailable),
			msg: fmt.Sprintf("status list %s not fetched: offline, so revocation is unknown (give it with WithStatusListCredential)", url)}
	}
	l, err := s.cache.Get(ctx, url, func(ctx context.Context) (*statusList, time.Time) {
		var l *statusList
		if given {
			l = s.read(ctx, url, doc, nil)
		} else {
			l = s.load(ctx, url)
		}
		return l, l.expires
	})
	if err != nil {
		return &statusList{url: url, status: StatusIndeterminate, err: fmt.Errorf("%w: %w", ErrStatusUnavailable, err),
			msg: fmt.Sprintf("status list %s: %v", url, err)}
	}
	return l
}

// load fetches the status list credential at url and verifies it.
func (s *statusChecker) load(ctx context.Context, url string) *statusList {
	ttl := s.v.cfg.statusTTL
	l := &statusList{url: url}
	fail := func(st Status, err error, format string, args ...any) *statusList {
		l.status, l.err, l.msg = st, err, fmt.Sprintf(format, args...)
		l.expires = time.Now().Add(min(ttl, statusFailureTTL))
		return l
	}
	body, hdr, err := s.fetcher.GetWithHeader(ctx, url, statusListAccept)
	switch {
	case fetch.Refused(err):
		return fail(StatusFailed, fmt.Errorf("%w: %w", ErrFetchRefused, err), "status list %s refused: %v", url, err)
	case errors.Is(err, fetch.ErrTooLarge):
		return fail(StatusFailed, fmt.Errorf("%w: %w", ErrFetchRefused, err), "status list %s refused: %v", url, err)
	case err != nil:
		return fail(StatusIndeterminate, fmt.Errorf("%w: %w", ErrStatusUnavailable, err), "status list %s unavailable, so revocation is unknown: %v", url, err)
	}
	return s.read(ctx, url, body, hdr)
}

// read checks the status list credential body, fetched from url (with the
// response header hdr) or given by the caller (hdr nil).
func (s *statusChecker) read(ctx context.Context, url string, body []byte, hdr http.Header) *statusList {
	ttl := s.v.cfg.statusTTL
	l := &statusList{url: url}
	fail := func(st Status, err error, format string, args ...any) *statusList {
		l.status, l.err, l.msg = st, err, fmt.Sprintf(format, args...)
		l.expires = time.Now().Add(min(ttl, statusFailureTTL))
		return l
	}
	lc, err := badge.ParseCredential(body, badge.Limits{MaxBytes: s.v.cfg.fetchMaxBytes})
	if err != nil {
		return fail(StatusFailed, fmt.Errorf("%w: %w", ErrBadStatusList, err), "status list %s is not a valid credential: %v", url, err)
	}
	if !lc.Type.Has("BitstringStatusListCredential") && !lc.Type.Has("StatusList2021Credential") {
		return fail(StatusFailed, ErrBadStatusList, "%s is not a BitstringStatusListCredential or StatusList2021Credential (type %s)", url, strings.Join(lc.Type, ", "))
	}
	if lc.ID != "" && lc.ID != url {
		return fail(StatusFailed, ErrBadStatusList, "the credential at %s says its id is %s", url, lc.ID)
	}
	// The list's own proofs, checked by the same code as a badge's.
	sub := &credState{cred: lc, report: &Report{}, budget: budget.New(s.v.cfg.workBudget)}
	s.v.checkProofs(ctx, sub)
	sig := sub.report.Check(CheckSignature)
	switch {
	case sig != nil && sig.Status == StatusIndeterminate:
		return fail(StatusIndeterminate, fmt.Errorf("%w: %w", ErrStatusUnavailable, sig.Err), "status list %s: its signature could not be checked: %s", url, sig.Message)
	case sig == nil || sig.Status != StatusPassed || len(sub.signers) == 0:
		msg, cause := "no signature", error(ErrBadSignature)
		if sig != nil {
			msg = sig.Message
			if sig.Err != nil {
				cause = sig.Err
			}
		}
		return fail(StatusFailed, fmt.Errorf("%w: %w", ErrBadStatusList, cause), "status list %s is not signed by its issuer %s: %s", url, lc.Issuer.ID, msg)
	}
	subjRaw, err := singleSubject(lc)
	if err != nil {
		return fail(StatusFailed, fmt.Errorf("%w: %w", ErrBadStatusList, err), "status list %s: %v", url, err)
	}
	subject, err := statuslist.ParseListSubject(subjRaw)
	if err != nil {
		return fail(StatusFailed, fmt.Errorf("%w: %w", ErrBadStatusList, err), "status list %s: %v", url, err)
	}
	bits, err := statuslist.Decode(subject.EncodedList)
	if err != nil && !strings.HasPrefix(subject.EncodedList, "u") {
		// A StatusList2021 list writes its bitstring without the multibase
		// prefix; only StatusList2021 entries may read it (checkEntry).
		if b, err2 := statuslist.Decode2021(subject.EncodedList); err2 == nil {
			bits, err, l.unprefixed = b, nil, err
		}
	}
	if err != nil {
		return fail(StatusFailed, fmt.Errorf("%w: %w", ErrBadStatusList, err), "status list %s: %v", url, err)
	}
	l.cred, l.subject, l.bits, l.signers = lc, subject, bits, sub.signers
	l.expires = time.Now().Add(listLifetime(ttl, subject.TTL, hdr, time.Now()))
	return l
}

// singleSubject returns the raw credentialSubject object of c.
func singleSubject(c *badge.Credential) (json.RawMessage, error) {
	raw := bytes.TrimSpace(c.Members()["credentialSubject"])
	if len(raw) > 0 && raw[0] == '[' {
		var list []json.RawMessage
		if err := json.Unmarshal(raw, &list); err != nil || len(list) != 1 {
			return nil, errors.New("credentialSubject must be one object")
		}
		return list[0], nil
	}
	return raw, nil
}
