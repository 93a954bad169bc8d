package verify

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/budget"
)

// VerifyPresentation checks a job seeker's presentation: its proof by the
// holder, bound to b's challenge and domain; that the holder is the subject
// of every badge; and every badge. Each badge gets its own report in
// Report.Credentials.
func (v *Verifier) VerifyPresentation(ctx context.Context, p *badge.Presentation, b Binding) *Report {
	ctx, cancel := context.WithTimeout(ctx, v.cfg.timeout)
	defer cancel()
	return v.verifyPresentation(ctx, budget.New(v.cfg.workBudget), p, b)
}

func (v *Verifier) verifyPresentation(ctx context.Context, bud *budget.Budget, p *badge.Presentation, b Binding) *Report {
	r := &Report{}
	if n := maxProofCount(p); n > v.cfg.maxProofs {
		// The data model check reads the whole presentation: refused
		// before it, as for a credential.
		r.set(Check{ID: CheckFormat, Status: StatusFailed, Err: ErrTooManyProofs,
			Message: fmt.Sprintf("the presentation or a credential in it carries %d proofs, more than the %d this verifier checks (WithMaxProofs)", n, v.cfg.maxProofs)})
	} else if f := v.dataModelCheck(ctx, p.Raw()); f != nil {
		r.set(*f)
	} else {
		r.set(Check{ID: CheckFormat, Status: StatusPassed, Message: fmt.Sprintf("well-formed presentation of %d credential(s)", len(p.Credentials))})
	}
	holder := p.Holder
	authenticated, undecided := v.checkPresentationProof(ctx, r, bud, p, b, &holder)
	others := 0
	for _, c := range p.Credentials {
		r.Credentials = append(r.Credentials, v.credentialReport(ctx, bud, c, func(c *badge.Credential) Check {
			return holderCheck(c, holder, authenticated, undecided, b, &others)
		}))
	}
	summarizeHolder(r, holder, authenticated, undecided, others)
	r.finish()
	return r
}

// summarizeHolder sets the presentation's holder check from its
// credentials' holder checks: the first that did not pass, else
// indeterminate when the holder's proof could not be checked, else passed
// when the holder is authenticated.
func summarizeHolder(r *Report, holder string, authenticated bool, undecided error, others int) {
	for i, cr := range r.Credentials {
		id := fmt.Sprintf("#%d", i)
		if cr.Credential != nil && cr.Credential.ID != "" {
			id = cr.Credential.ID
		}
		c := cr.Check(CheckHolder)
		switch {
		case c != nil && c.Status != StatusPassed:
			r.set(Check{ID: CheckHolder, Status: c.Status, Err: c.Err, Message: fmt.Sprintf("credential %s: %s", id, c.Message)})
		case c == nil && cr.Status == StatusFailed:
			r.set(Check{ID: CheckHolder, Status: StatusFailed, Err: ErrNotHolder, Message: fmt.Sprintf("credential %s could not be read, so neither can who it belongs to", id)})
		}
	}
	if r.Check(CheckHolder) != nil {
		return
	}
	switch {
	case !authenticated && undecided != nil:
		r.set(Check{ID: CheckHolder, Status: StatusIndeterminate, Err: undecided, Message: "the holder's proof could not be checked"})
	case authenticated && others > 0:
		r.set(Check{ID: CheckHolder, Status: StatusPassed, Message: fmt.Sprintf("%s presented the badges; %d of them are about another subject, which this binding accepts (Binding.OtherSubjects)", holder, others)})
	case authenticated:
		r.set(Check{ID: CheckHolder, Status: StatusPassed, Message: fmt.Sprintf("%s presented the badges and is the subject of each", holder)})
	}
}

// maxProofCount is the most proofs the presentation or one of its
// credentials carries.
func maxProofCount(p *badge.Presentation) int {
	n := len(p.Proofs)
	for _, c := range p.Credentials {
		n = max(n, len(c.Proofs))
	}
	return n
}

// checkPresentationProof verifies the holder's proof and its binding. It
// returns whether the holder is authenticated, and, when that could not be
// decided (the holder's key could not be had, a proof this verifier cannot
// check) while nothing failed, the error saying why.
func (v *Verifier) checkPresentationProof(ctx context.Context, r *Report, bud *budget.Budget, p *badge.Presentation, b Binding, holder *string) (bool, error) {
	if len(p.Proofs) == 0 {
		r.set(Check{ID: CheckSignature, Status: StatusFailed, Err: ErrNoProof, Message: "the presentation has no proof: nothing shows who presents it"})
		r.set(Check{ID: CheckHolder, Status: StatusFailed, Err: ErrNotHolder, Message: "no holder proof"})
		return false, nil
	}
	if len(p.Proofs) > v.cfg.maxProofs {
		r.set(Check{ID: CheckSignature, Status: StatusFailed, Err: ErrTooManyProofs,
			Message: fmt.Sprintf("the presentation carries %d proofs, more than the %d this verifier checks", len(p.Proofs), v.cfg.maxProofs)})
		r.set(Check{ID: CheckHolder, Status: StatusFailed, Err: ErrTooManyProofs, Message: "the holder proofs were not checked: too many proofs"})
		return false, nil
	}
	ok, failed := true, false
	var undecided error
	for i := range p.Proofs {
		pr := &p.Proofs[i]
		// A binding that fails (challenge, domain) fails the presentation's
		// holder check only: the holder did sign, so the badges inside keep
		// their own verdicts.
		fail := func(id CheckID, err error, format string, args ...any) {
			r.set(Check{ID: id, Status: StatusFailed, Err: err, Message: fmt.Sprintf("presentation proof[%d]: ", i) + fmt.Sprintf(format, args...)})
			failed = true
			if id != CheckHolder {
				ok = false
			}
		}
		if isBlockcertsMerkleSuite(suiteName(pr)) {
			// A Blockcerts presentation anchored by its issuer: its Merkle
			// proof is checked, but it is no holder proof.
			ok = false
			if !v.accepts(suiteName(pr)) {
				fail(CheckMerkle, ErrSuiteNotAccepted, "%s proofs are not accepted by this verifier (accepted: %s)", suiteName(pr), v.acceptedList())
				continue
			}
			if !v.checkPresentationMerkle(ctx, r, bud, p, i) {
				failed = true
				continue
			}
			undecided = ErrUnsupportedProof
			r.set(Check{ID: CheckHolder, Status: StatusIndeterminate, Err: ErrUnsupportedProof,
				Message: fmt.Sprintf("presentation proof[%d]: a Blockcerts Merkle proof anchors the presentation but is no proof by the holder: who presents it is not shown", i)})
			continue
		}
		sig := builtinSuites[suiteName(pr)].sig
		if sig == nil {
			// A proof this verifier cannot check neither confirms nor
			// refutes the holder.
			undecided = ErrUnsupportedProof
			r.set(Check{ID: CheckSignature, Status: StatusIndeterminate, Err: ErrUnsupportedProof,
				Message: fmt.Sprintf("presentation proof[%d]: unsupported proof %s/%s: this verifier cannot check it", i, pr.Type, pr.Cryptosuite)})
			ok = false
			continue
		}
		if !v.accepts(suiteName(pr)) {
			fail(CheckSignature, ErrSuiteNotAccepted, "%s proofs are not accepted by this verifier (accepted: %s)", suiteName(pr), v.acceptedList())
			continue
		}
		if pr.ProofPurpose != "authentication" {
			fail(CheckSignature, ErrBadSignature, "proofPurpose is %q, want authentication", pr.ProofPurpose)
			continue
		}
		if err := v.proofWindow(pr); err != nil {
			fail(CheckSignature, err, "%v", err)
			continue
		}
		key, found := v.resolveKey(ctx, r, CheckSignature, i, pr.VerificationMethod, PurposeAuthentication)
		if !found {
			ok = false
			if c := r.Check(CheckSignature); c != nil && c.Status == StatusIndeterminate {
				undecided = c.Err
			} else {
				failed = true
			}
			continue
		}
		if *holder == "" {
			*holder = key.Controller
		}
		if key.Controller != *holder {
			fail(CheckSignature, ErrKeyNotIssuer, "signed with a key of %s, but the holder is %s", key.Controller, *holder)
			continue
		}
		if err := v.verifyHolderProof(ctx, sig, key, p, i); err != nil {
			fail(CheckSignature, suiteError(err), "the holder's signature does not verify%s", signatureDetail(err))
			continue
		}
		r.set(Check{ID: CheckSignature, Status: StatusPassed, Message: fmt.Sprintf("presentation proof[%d]: signed by the holder %s", i, *holder)})
		if b.Challenge == "" && b.AcceptChallenge == nil || b.Domain == "" {
			fail(CheckHolder, ErrChallenge, "no challenge and domain were expected, so the presentation could be a replay")
			continue
		}
		if pr.Domain != b.Domain {
			fail(CheckHolder, ErrChallenge, "domain is %q, expected %q", pr.Domain, b.Domain)
			continue
		}
		if b.AcceptChallenge != nil {
			if err := b.AcceptChallenge(pr.Challenge); err != nil {
				fail(CheckHolder, fmt.Errorf("%w: %w", ErrChallenge, err), "challenge %q: %v", pr.Challenge, err)
			}
			continue
		}
		if subtle.ConstantTimeCompare([]byte(pr.Challenge), []byte(b.Challenge)) != 1 {
			fail(CheckHolder, ErrChallenge, "challenge is %q, expected %q", pr.Challenge, b.Challenge)
		}
	}
	if failed {
		undecided = nil
	}
	return ok, undecided
}

// holderCheck decides whether holder may present c; it counts in others
// a credential accepted although its subject is someone else.
func holderCheck(c *badge.Credential, holder string, authenticated bool, undecided error, b Binding, others *int) Check {
	if !authenticated && undecided != nil {
		return Check{ID: CheckHolder, Status: StatusIndeterminate, Err: undecided,
			Message: "the presentation's holder proof could not be checked, so neither can who presents this badge"}
	}
	if !authenticated {
		return Check{ID: CheckHolder, Status: StatusFailed, Err: ErrNotHolder, Message: "the presentation's holder proof did not verify"}
	}
	var hashed []badge.IdentityObject
	for _, s := range c.CredentialSubject {
		if s.ID != "" && s.ID == holder {
			return Check{ID: CheckHolder, Status: StatusPassed, Message: fmt.Sprintf("the holder %s is the subject", holder)}
		}
		hashed = append(hashed, s.Identifier...)
	}
	for _, id := range hashed {
		for _, known := range b.Identities {
			if MatchIdentity(id, known) {
				return Check{ID: CheckHolder, Status: StatusPassed, Message: fmt.Sprintf("the subject's %s matches the value the verifier knows", id.IdentityType)}
			}
		}
	}
	if len(hashed) > 0 && len(b.Identities) == 0 {
		return Check{ID: CheckHolder, Status: StatusIndeterminate, Err: ErrNotHolder,
			Message: "the subject is identified by a hashed identity object; supply the applicant's known value (email, phone) to match it"}
	}
	subject := "none"
	if len(c.CredentialSubject) > 0 && c.CredentialSubject[0].ID != "" {
		subject = c.CredentialSubject[0].ID
	}
	if b.OtherSubjects {
		*others++
		return Check{ID: CheckHolder, Status: StatusPassed, Message: fmt.Sprintf("presented by %s; the subject is %s, which this binding accepts (Binding.OtherSubjects)", holder, subject)}
	}
	return Check{ID: CheckHolder, Status: StatusFailed, Err: ErrNotHolder, Message: fmt.Sprintf("the holder %s is not the subject (%s)", holder, subject)}
}

// MatchIdentity reports whether value is the identity an Open Badges
// IdentityObject names: equal to identityHash when not hashed, else
// identityHash is "sha256$" + hex(SHA-256(value + salt)). Emails are
// compared case-insensitively and may carry a "mailto:" prefix.
func MatchIdentity(id badge.IdentityObject, value string) bool {
	candidates := []string{value}
	if id.IdentityType == "emailAddress" {
		v := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(value)), "mailto:")
		candidates = []string{v, "mailto:" + v}
	}
	for _, cand := range candidates {
		if !id.Hashed {
			if subtle.ConstantTimeCompare([]byte(cand), []byte(id.IdentityHash)) == 1 {
				return true
			}
			continue
		}
		alg, digest, ok := strings.Cut(id.IdentityHash, "$")
		if !ok || !strings.EqualFold(alg, "sha256") {
			continue
		}
		sum := sha256.Sum256([]byte(cand + id.Salt))
		if subtle.ConstantTimeCompare([]byte(hex.EncodeToString(sum[:])), []byte(strings.ToLower(digest))) == 1 {
			return true
		}
	}
	return false
}
