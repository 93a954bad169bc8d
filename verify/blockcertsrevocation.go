package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/badgeproof/badgeproof/internal/fetch"
	"github.com/badgeproof/badgeproof/internal/jsonx"
)

// blockcertsRevocationList is a Blockcerts v2 (Open Badges 2.0) revocation
// list: the ids of the revoked assertions, with reasons.
type blockcertsRevocationList struct {
	Type              string `json:"type"`
	RevokedAssertions []struct {
		ID               string `json:"id"`
		RevocationReason string `json:"revocationReason"`
	} `json:"revokedAssertions"`
}

func parseBlockcertsRevocationList(b []byte) (*blockcertsRevocationList, error) {
	if err := jsonx.Check(b, jsonx.Limits{MaxBytes: 4 << 20}); err != nil {
		return nil, err
	}
	var l blockcertsRevocationList
	if err := json.Unmarshal(b, &l); err != nil {
		return nil, err
	}
	if l.Type != "RevocationList" {
		return nil, fmt.Errorf("type is %q, want RevocationList", l.Type)
	}
	return &l, nil
}

// WithBlockcertsRevocationList gives the Verifier the Blockcerts v2
// revocation list an issuer publishes at url, so that certificates naming
// it are checked without fetching it (offline). Without it, the list is
// fetched under the status list fetch rules, or, offline, the status check
// is indeterminate. A document that is not a RevocationList fails New.
func WithBlockcertsRevocationList(url string, doc []byte) Option {
	return func(c *config) error {
		l, err := parseBlockcertsRevocationList(doc)
		if err != nil {
			return fmt.Errorf("verify: Blockcerts revocation list %s: %w", url, err)
		}
		if c.interop.revocationLists == nil {
			c.interop.revocationLists = map[string]*blockcertsRevocationList{}
		}
		if _, dup := c.interop.revocationLists[url]; dup {
			return fmt.Errorf("verify: two Blockcerts revocation lists for %s", url)
		}
		c.interop.revocationLists[url] = l
		return nil
	}
}

// checkBlockcertsRevocation reads a Blockcerts v2 revocation list for the
// certificate id: revoked (failed), not listed (passed), or undecided when
// the list cannot be had.
func (v *Verifier) checkBlockcertsRevocation(ctx context.Context, r *Report, url, id string) {
	l := v.cfg.interop.revocationLists[url]
	if l == nil {
		if v.fetcher == nil {
			r.set(Check{ID: CheckStatus, Status: StatusIndeterminate, Err: ErrStatusUnavailable,
				Message: fmt.Sprintf("the Blockcerts revocation list %s was not fetched: offline (give it with WithBlockcertsRevocationList)", url)})
			return
		}
		b, err := v.fetcher.Get(ctx, url, "application/ld+json, application/json")
		switch {
		case fetch.Refused(err), errors.Is(err, fetch.ErrTooLarge):
			r.set(Check{ID: CheckStatus, Status: StatusFailed, Err: fmt.Errorf("%w: %w", ErrFetchRefused, err), Message: fmt.Sprintf("revocation list %s refused: %v", url, err)})
			return
		case err != nil:
			r.set(Check{ID: CheckStatus, Status: StatusIndeterminate, Err: fmt.Errorf("%w: %w", ErrStatusUnavailable, err), Message: fmt.Sprintf("revocation list %s unavailable: %v", url, err)})
			return
		}
		if l, err = parseBlockcertsRevocationList(b); err != nil {
			r.set(Check{ID: CheckStatus, Status: StatusFailed, Err: fmt.Errorf("%w: %w", ErrBadStatusList, err), Message: fmt.Sprintf("revocation list %s: %v", url, err)})
			return
		}
	}
	for _, a := range l.RevokedAssertions {
		if a.ID == id {
			r.set(Check{ID: CheckStatus, Status: StatusFailed, Err: ErrRevoked,
				Message: fmt.Sprintf("revoked: %s lists %s (reason: %s)", url, id, a.RevocationReason)})
			return
		}
	}
	r.set(Check{ID: CheckStatus, Status: StatusPassed, Message: fmt.Sprintf("not revoked: %s does not list %s", url, id)})
}

// testAnchored reports whether the badge's Merkle proof holds and its only
// anchors are test anchors the Verifier accepts (WithAllowTestAnchors).
func testAnchored(v *Verifier, st *credState) bool {
	m, a := st.report.Check(CheckMerkle), st.report.Check(CheckAnchor)
	return v.cfg.allowTestAnchors && m != nil && m.Status == StatusPassed && a != nil && a.Status == StatusSkipped
}
