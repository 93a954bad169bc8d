package verify

import (
	"fmt"
	"strings"
	"time"

	"github.com/badgeproof/badgeproof/keys"
)

func ethAddress(pk *keys.PublicKey) []string {
	if pk == nil {
		return nil
	}
	addr, err := pk.EthereumAddress()
	if err != nil {
		return nil // not a secp256k1 key
	}
	return []string{addr}
}

// checkIssuer decides whether the issuer is trusted for this badge, with the
// keys that signed it, at the time the badge provably existed.
func (v *Verifier) checkIssuer(st *credState) {
	c, r := st.cred, st.report
	set := func(s Status, err error, format string, args ...any) {
		r.set(Check{ID: CheckIssuer, Status: s, Err: err, Message: fmt.Sprintf(format, args...)})
	}
	if v.cfg.skipIssuerTrust {
		r.set(Check{ID: CheckIssuer, Status: StatusSkipped, Reason: ReasonTrustNotChecked,
			Message: fmt.Sprintf("issuer trust not checked (WithoutIssuerTrustUnsafe): %s is whoever holds its key", c.Issuer.ID)})
		return
	}
	if v.trust == nil {
		set(StatusIndeterminate, ErrNoTrustList, "no trust list configured: cannot tell whether %s is a trusted issuer", c.Issuer.ID)
		return
	}
	is := v.trust.issuer(c.Issuer.ID)
	if is == nil {
		set(StatusFailed, ErrUntrustedIssuer, "issuer %s is not in the trust list", c.Issuer.ID)
		return
	}
	name := is.Name
	if name == "" {
		name = c.Issuer.Name.String()
	}
	r.Issuer = &IssuerSummary{ID: is.ID, Name: name, NameKo: is.NameKo}

	// When did the badge provably exist? An anchor proves it; otherwise
	// the badge's own validFrom is all there is.
	when, evidence := v.cfg.now(), "now"
	if st.anchorTime != nil {
		when, evidence = *st.anchorTime, "anchored"
	} else if c.ValidFrom != nil {
		when, evidence = *c.ValidFrom, "validFrom"
	}
	if is.ValidFrom != nil && when.Before(*is.ValidFrom) || is.ValidUntil != nil && !when.Before(*is.ValidUntil) {
		set(StatusFailed, ErrUntrustedIssuer, "issuer %s is trusted %s, the badge dates from %s (%s)", is.ID, window(is.ValidFrom, is.ValidUntil), when.UTC().Format(time.RFC3339), evidence)
		return
	}
	if len(is.AchievementTypes) > 0 {
		typ := ""
		if a := c.Achievement(); a != nil {
			typ = a.AchievementType
		}
		allowed := false
		for _, t := range is.AchievementTypes {
			allowed = allowed || strings.EqualFold(t, typ)
		}
		if !allowed {
			set(StatusFailed, ErrNotAuthorized, "issuer %s may issue %s, this badge's achievementType is %q", is.ID, strings.Join(is.AchievementTypes, ", "), typ)
			return
		}
	}
	var notes []string
	for _, k := range st.signers {
		if st.vouched[k] {
			continue
		}
		tk := is.key(k.ID, k.Public)
		if tk == nil {
			set(StatusFailed, ErrUntrustedIssuer, "signed with %s, which the trust list does not list as a key of %s", k.ID, is.ID)
			return
		}
		if tk.Retired == nil {
			continue
		}
		if st.anchorTime == nil || !st.anchorTime.Before(*tk.Retired) {
			at := "no anchor proves when the badge was signed"
			if st.anchorTime != nil {
				at = "the badge was anchored at " + st.anchorTime.UTC().Format(time.RFC3339)
			}
			set(StatusFailed, ErrKeyRetired, "key %s was retired at %s and %s", tk.ID, tk.Retired.UTC().Format(time.RFC3339), at)
			return
		}
		notes = append(notes, fmt.Sprintf("key %s retired at %s, but the anchor at %s proves the badge existed before", tk.ID,
			tk.Retired.UTC().Format(time.RFC3339), st.anchorTime.UTC().Format(time.RFC3339)))
	}
	switch {
	case len(st.signers) == 0 && len(st.records) == 0 && st.anchorUnknown:
		set(StatusIndeterminate, ErrAnchorUnavailable, "issuer %s is trusted, but only the anchor, which could not be checked, ties this badge to it", is.ID)
		return
	case len(st.signers) == 0 && len(st.records) == 0 && undecided(st.report, CheckSignature):
		// The signature could not be decided (a key server down, a suite
		// this verifier cannot check): neither could who issued the badge.
		set(StatusIndeterminate, st.report.Check(CheckSignature).Err, "issuer %s is trusted, but the signature that would tie this badge to it could not be checked", is.ID)
		return
	case len(st.signers) == 0 && len(st.records) == 0 && testAnchored(v, st):
		// WithAllowTestAnchors: a Merkle proof anchored on a test chain
		// (Blockcerts mocknet) is accepted for testing, with no chain to
		// show who anchored it.
		set(StatusPassed, nil, "issuer %s is trusted; the badge carries only a test anchor, accepted for testing (WithAllowTestAnchors): no chain shows who anchored it", is.ID)
		return
	case len(st.signers) == 0 && len(st.records) == 0:
		set(StatusFailed, ErrUntrustedIssuer, "nothing ties this badge to %s: no valid signature and no anchor of its own", is.ID)
		return
	}
	msg := fmt.Sprintf("%s is a trusted issuer", is.ID)
	if n := displayName(is, c.Issuer.Name.String()); n != "" {
		msg = fmt.Sprintf("%s (%s) is a trusted issuer", is.ID, n)
	}
	if len(notes) > 0 {
		msg += "; " + strings.Join(notes, "; ")
	}
	set(StatusPassed, nil, "%s", msg)
}

// undecided reports whether check id is indeterminate.
func undecided(r *Report, id CheckID) bool {
	c := r.Check(id)
	return c != nil && c.Status == StatusIndeterminate
}

// displayName names the issuer as the trust list does, else as the badge does.
func displayName(is *trustedIssuer, fromBadge string) string {
	switch {
	case is.NameKo != "" && is.Name != "":
		return is.NameKo + " / " + is.Name
	case is.Name != "":
		return is.Name
	case is.NameKo != "":
		return is.NameKo
	}
	return fromBadge
}

func window(from, until *time.Time) string {
	f, u := "always", "on"
	if from != nil {
		f = "from " + from.UTC().Format(time.RFC3339)
	}
	if until != nil {
		u = "until " + until.UTC().Format(time.RFC3339)
	}
	return f + " " + u
}
