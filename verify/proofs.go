package verify

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/badgeproof/badgeproof/anchor"
	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/batchproof"
	"github.com/badgeproof/badgeproof/internal/dataintegrity"
	"github.com/badgeproof/badgeproof/internal/disuite"
	"github.com/badgeproof/badgeproof/internal/ecdsasd"
	"github.com/badgeproof/badgeproof/internal/ldjws"
	"github.com/badgeproof/badgeproof/internal/merkle"
	"github.com/badgeproof/badgeproof/internal/proofvalue"
	"github.com/badgeproof/badgeproof/internal/rdfcsuite"
	"github.com/badgeproof/badgeproof/keys"
)

// MerkleJCS2026 is this SDK's batch proof cryptosuite: inclusion of
// SHA-256(JCS(credential without this proof, with the proofs before it)) in
// a Merkle tree whose root is anchored on a chain.
const MerkleJCS2026 = batchproof.Cryptosuite

// proofHandler checks one proof of a credential's proof set.
type proofHandler func(v *Verifier, ctx context.Context, st *credState, i int)

// suite is one entry of the table of proofs the Verifier checks: the check
// a proof of that suite decides, and its handler (nil for Blockcerts v2
// receipts, which are checked as a whole document).
type suite struct {
	check   CheckID
	handler proofHandler
	// sig is the signature suite checkSignatureProof uses (nil for other
	// handlers).
	sig disuite.Suite
}

// builtinSuites is the one table of proof kinds, keyed by suiteName.
var builtinSuites = map[string]suite{
	dataintegrity.EdDSAJCS2022:  {CheckSignature, signWith(dataintegrity.EdDSAJCS), dataintegrity.EdDSAJCS},
	dataintegrity.ECDSAJCS2019:  {CheckSignature, signWith(dataintegrity.ECDSAJCS), dataintegrity.ECDSAJCS},
	EdDSARDFC2022:               {CheckSignature, signWith(rdfcsuite.EdDSA), rdfcsuite.EdDSA},
	ECDSARDFC2019:               {CheckSignature, signWith(rdfcsuite.ECDSA), rdfcsuite.ECDSA},
	Ed25519Signature2020:        {CheckSignature, signWith(rdfcsuite.Ed25519), rdfcsuite.Ed25519},
	EcdsaSecp256k1Signature2019: {CheckSignature, signWith(ldjws.Secp256k1{}), ldjws.Secp256k1{}},
	ECDSASD2023:                 {CheckSignature, signWith(ecdsasd.Suite{}), ecdsasd.Suite{}},
	MerkleJCS2026:               {CheckMerkle, (*Verifier).checkMerkleJCS, nil},
	MerkleProof2019Suite:        {CheckMerkle, (*Verifier).checkBlockcertsMerkle, nil},
	MerkleProof2019:             {CheckMerkle, (*Verifier).checkBlockcertsMerkle, nil},
	ChainedProof2021:            {CheckMerkle, (*Verifier).checkBlockcertsMerkle, nil},
	MerkleProof2017:             {CheckMerkle, nil, nil},
}

// Cryptosuites lists the proof kinds the Verifier checks, by the names
// WithCryptosuites takes.
func Cryptosuites() []string {
	out := make([]string, 0, len(builtinSuites))
	for name := range builtinSuites {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

func isBuiltinSuite(name string) bool { _, ok := builtinSuites[name]; return ok }

// suiteName names a proof's kind: a DataIntegrityProof by its cryptosuite,
// any other proof by its type.
func suiteName(p *badge.Proof) string {
	if p.Type == dataintegrity.ProofType {
		return p.Cryptosuite
	}
	return p.Type
}

// acceptedList names the accepted suites, for messages.
func (v *Verifier) acceptedList() string {
	if v.cfg.suites == nil {
		return "all built-in"
	}
	out := make([]string, 0, len(v.cfg.suites))
	for s := range v.cfg.suites {
		out = append(out, s)
	}
	slices.Sort(out)
	return strings.Join(out, ", ")
}

// accepts reports whether the caller accepts proofs of suite name.
func (v *Verifier) accepts(name string) bool { return v.cfg.suites == nil || v.cfg.suites[name] }

// handlerFor returns the entry that checks p, if any.
func handlerFor(p *badge.Proof) (suite, bool) {
	name := suiteName(p)
	e, ok := builtinSuites[name]
	if !ok || e.handler == nil {
		return suite{}, false
	}
	if name == ChainedProof2021 {
		// Only chains of MerkleProof2019 (Blockcerts v3) are checked.
		var chained string
		if raw, ok := p.Members()["chainedProofType"]; !ok || json.Unmarshal(raw, &chained) != nil || chained != MerkleProof2019 {
			return suite{}, false
		}
	}
	return e, true
}

func (v *Verifier) checkProofs(ctx context.Context, st *credState) {
	r := st.report
	if len(st.cred.Proofs) == 0 {
		r.set(Check{ID: CheckSignature, Status: StatusFailed, Err: ErrNoProof,
			Message: "no proof: the credential is unsigned, so nothing shows who issued it or that it is unchanged"})
	}
	if n := len(st.cred.Proofs); n > v.cfg.maxProofs {
		// Checked before any proof is: each costs a decoding and a hash
		// of the document, and a few thousand proofs make that minutes.
		msg := fmt.Sprintf("the credential carries %d proofs, more than the %d this verifier checks (WithMaxProofs): none was checked", n, v.cfg.maxProofs)
		r.set(Check{ID: CheckSignature, Status: StatusFailed, Err: ErrTooManyProofs, Message: msg})
		r.set(Check{ID: CheckMerkle, Status: StatusFailed, Err: ErrTooManyProofs, Message: msg})
		r.set(Check{ID: CheckAnchor, Status: StatusSkipped, Reason: ReasonNotLookedUp, Message: "not looked up: the proofs were not checked"})
		return
	}
	for i := range st.cred.Proofs {
		p := &st.cred.Proofs[i]
		if !v.spend(ctx, st, CheckSignature, 1, fmt.Sprintf("proof[%d]", i)) {
			break
		}
		e, ok := handlerFor(p)
		if ok && !v.accepts(suiteName(p)) {
			r.set(Check{ID: e.check, Status: StatusFailed, Err: ErrSuiteNotAccepted,
				Message: fmt.Sprintf("proof[%d]: %s proofs are not accepted by this verifier (accepted: %s)", i, suiteName(p), v.acceptedList())})
			if e.check == CheckMerkle {
				r.set(Check{ID: CheckAnchor, Status: StatusSkipped, Reason: ReasonNotLookedUp, Message: fmt.Sprintf("proof[%d]: not looked up: the batch proof's suite is not accepted", i)})
			}
			continue
		}
		if !ok {
			name := p.Type
			if p.Cryptosuite != "" {
				name += "/" + p.Cryptosuite
			}
			// A proof this verifier cannot check neither confirms nor refutes
			// the badge: indeterminate, never verified, never failed.
			r.set(Check{ID: CheckSignature, Status: StatusIndeterminate, Err: ErrUnsupportedProof,
				Message: fmt.Sprintf("proof[%d]: unsupported proof %s: this verifier cannot check it", i, name)})
			continue
		}
		e.handler(v, ctx, st, i)
	}
	v.decideSigners(st)
	if r.Check(CheckSignature) == nil {
		r.set(Check{ID: CheckSignature, Status: StatusSkipped, Reason: ReasonNoSignatureProof, Message: "no signature proof: integrity and origin rest on the Merkle batch proof and its anchor"})
	}
	if r.Check(CheckMerkle) == nil {
		r.set(Check{ID: CheckMerkle, Status: StatusSkipped, Reason: ReasonNoBatchProof, Message: "no batch proof: the badge was not issued in an anchored batch"})
	}
	if r.Check(CheckAnchor) == nil {
		r.set(Check{ID: CheckAnchor, Status: StatusSkipped, Reason: ReasonNoBatchProof, Message: "no batch proof: nothing to look up on a chain"})
	}
}

// proofWindow checks a proof's own validity window: expires must not have
// passed (by the verifier's clock), and created may lie at most the allowed
// clock skew in the future (of the real present: a proof dated later was
// not made by a clock anyone trusts).
func (v *Verifier) proofWindow(p *badge.Proof) error {
	now := v.cfg.now()
	if p.Expires != "" {
		t, err := parseDateTime(p.Expires)
		if err != nil {
			return fmt.Errorf("%w: proof expires %q is not an RFC 3339 date-time", ErrMalformed, p.Expires)
		}
		if !now.Before(t) {
			return fmt.Errorf("%w: the proof expired at %s, now is %s", ErrProofExpired, t.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
		}
	}
	if p.Created != "" {
		// An unreadable created is the suite's business; only a readable
		// one in the future is refused here.
		// Measured against the real present (or the verifier's clock, if
		// set later): verifying as of a past date (WithClock) does not make
		// a proof made since then suspect.
		ref := time.Now()
		if now.After(ref) {
			ref = now
		}
		if t, err := parseDateTime(p.Created); err == nil && t.After(ref.Add(v.cfg.clockSkew)) {
			return fmt.Errorf("%w: the proof says it was created at %s, later than now (%s) plus the allowed clock skew of %v",
				ErrProofNotYetValid, t.UTC().Format(time.RFC3339), ref.UTC().Format(time.RFC3339), v.cfg.clockSkew)
		}
	}
	return nil
}

// parseDateTime reads an xsd:dateTime: RFC 3339, or without a zone (UTC).
func parseDateTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	return time.Parse("2006-01-02T15:04:05.999999999", s)
}

// resolveKey resolves a verification method for purpose, reporting
// failures on check id: a key no resolver knows, a malformed id or document
// and a refused URL fail; anything else (offline, a server down) leaves
// the check indeterminate (key_unavailable).
func (v *Verifier) resolveKey(ctx context.Context, r *Report, id CheckID, i int, vm string, purpose ProofPurpose) (*Key, bool) {
	if vm == "" {
		r.set(Check{ID: id, Status: StatusFailed, Err: ErrUnknownKey, Message: fmt.Sprintf("proof[%d]: no verificationMethod", i)})
		return nil, false
	}
	key, err := v.keys.ResolveKey(ctx, vm, purpose)
	switch {
	case err == nil:
		return key, true
	case errors.Is(err, ErrFetchRefused):
		r.set(Check{ID: id, Status: StatusFailed, Err: fmt.Errorf("%w: %w", ErrFetchRefused, err), Message: fmt.Sprintf("proof[%d]: cannot resolve key %s: %v", i, vm, err)})
	case errors.Is(err, ErrMalformed):
		r.set(Check{ID: id, Status: StatusFailed, Err: fmt.Errorf("%w: %w", ErrMalformed, err), Message: fmt.Sprintf("proof[%d]: cannot resolve key %s: %v", i, vm, err)})
	case errors.Is(err, ErrKeyMismatch):
		r.set(Check{ID: id, Status: StatusFailed, Err: fmt.Errorf("%w: %w", ErrKeyMismatch, err), Message: fmt.Sprintf("proof[%d]: key %s: %v", i, vm, err)})
	case errors.Is(err, ErrUnknownKey):
		r.set(Check{ID: id, Status: StatusFailed, Err: fmt.Errorf("%w: %w", ErrUnknownKey, err), Message: fmt.Sprintf("proof[%d]: cannot resolve key %s: %v", i, vm, err)})
	default:
		r.set(Check{ID: id, Status: StatusIndeterminate, Err: fmt.Errorf("%w: %w", ErrKeyUnavailable, err), Message: fmt.Sprintf("proof[%d]: could not resolve key %s now: %v", i, vm, err)})
	}
	return nil, false
}

func (v *Verifier) checkMerkleJCS(ctx context.Context, st *credState, i int) {
	p := &st.cred.Proofs[i]
	fail := func(err error, format string, args ...any) {
		st.report.set(Check{ID: CheckMerkle, Status: StatusFailed, Err: err, Message: fmt.Sprintf("proof[%d]: ", i) + fmt.Sprintf(format, args...)})
		st.report.set(Check{ID: CheckAnchor, Status: StatusSkipped, Reason: ReasonNotLookedUp, Message: fmt.Sprintf("proof[%d]: not looked up: the Merkle proof is invalid", i)})
	}
	mp, err := proofvalue.Decode(p.ProofValue)
	if err != nil {
		fail(fmt.Errorf("%w: %w", ErrMalformed, err), "cannot decode proofValue: %v", err)
		return
	}
	if st.leaves == nil && st.leavesErr == nil {
		// The leaves of every merkle-jcs-2026 proof of the set, in one
		// pass: each proof and the document canonicalized once.
		var idx []int
		for j := range st.cred.Proofs {
			if suiteName(&st.cred.Proofs[j]) == MerkleJCS2026 {
				idx = append(idx, j)
			}
		}
		size := len(st.cred.Raw())
		if !v.spend(ctx, st, CheckMerkle, int64(size>>10), fmt.Sprintf("proof[%d]", i)) {
			return
		}
		st.leaves, st.leavesErr = batchproof.Leaves(st.cred, idx)
	}
	if st.leavesErr != nil {
		fail(fmt.Errorf("%w: %w", ErrMalformed, st.leavesErr), "%v", st.leavesErr)
		return
	}
	leaf := st.leaves[i]
	if leaf != mp.TargetHash {
		fail(ErrHashMismatch, "the badge's hash is %x, the proof's targetHash is %x: the badge was changed after issuance", leaf, mp.TargetHash)
		return
	}
	if err := merkle.VerifyPath(leaf, mp.Path, mp.MerkleRoot); err != nil {
		fail(fmt.Errorf("%w: %w", ErrRootMismatch, err), "%v", err)
		return
	}
	st.report.set(Check{ID: CheckMerkle, Status: StatusPassed,
		Message: fmt.Sprintf("proof[%d]: badge hash %x reaches Merkle root %x in %d steps", i, leaf[:8], mp.MerkleRoot, len(mp.Path))})
	v.checkAnchors(ctx, st, i, mp.MerkleRoot[:], mp.Anchors)
}

// checkAnchors looks each anchor up and compares the root and the sender.
func (v *Verifier) checkAnchors(ctx context.Context, st *credState, i int, root []byte, refs []anchor.Ref) {
	set := func(s Status, err error, format string, args ...any) {
		st.report.set(Check{ID: CheckAnchor, Status: s, Err: err, Message: fmt.Sprintf("proof[%d]: ", i) + fmt.Sprintf(format, args...)})
	}
	if len(refs) == 0 {
		set(StatusFailed, ErrNotAnchored, "the batch proof names no anchor")
		return
	}
	for _, ref := range refs {
		uri := ref.String()
		switch {
		case ref.Chain == anchor.ChainMock && v.cfg.allowTestAnchors:
			st.report.set(Check{ID: CheckAnchor, Status: StatusSkipped, Reason: ReasonTestAnchor,
				Message: fmt.Sprintf("proof[%d]: %s is a test anchor: the badge is not anchored on any chain", i, uri)})
			continue
		case ref.Chain == anchor.ChainMock:
			set(StatusFailed, ErrNotAnchored, "%s is a test anchor, not a chain; accept it only for testing (--allow-test-anchors)", uri)
			continue
		case v.cfg.offline:
			set(StatusIndeterminate, ErrAnchorUnavailable, "%s not looked up: offline", uri)
			st.anchorUnknown = true
			continue
		case v.anchors == nil:
			set(StatusIndeterminate, ErrAnchorUnavailable, "%s not looked up: no resolver configured for chain %s", uri, ref.Chain)
			st.anchorUnknown = true
			continue
		}
		rec, err := v.anchors.Resolve(ctx, ref)
		if err != nil {
			switch {
			case errors.Is(err, anchor.ErrNotFound), errors.Is(err, anchor.ErrCorrupt), errors.Is(err, anchor.ErrChainMismatch), errors.Is(err, anchor.ErrInvalidRef):
				set(StatusFailed, fmt.Errorf("%w: %w", ErrAnchorMismatch, err), "%s: %v", uri, err)
			default:
				set(StatusIndeterminate, fmt.Errorf("%w: %w", ErrAnchorUnavailable, err), "%s: %v", uri, err)
				st.anchorUnknown = true
			}
			continue
		}
		if !bytes.Equal(rec.Root, root) {
			set(StatusFailed, ErrAnchorMismatch, "%s holds root %x, the badge's Merkle root is %x", uri, rec.Root, root)
			continue
		}
		if ok, want := v.senderMatches(st, rec.Sender); !ok {
			set(StatusFailed, ErrWrongSender, "%s was written by %s, which is not the issuer's (%s)", uri, rec.Sender, want)
			continue
		}
		st.records = append(st.records, rec)
		if st.anchorTime == nil || rec.Time.Before(*st.anchorTime) {
			t := rec.Time
			st.anchorTime = &t
		}
		sum := AnchorSummary{URI: uri, Root: hex.EncodeToString(rec.Root), Confirmations: rec.Confirmations, Sender: rec.Sender}
		if !rec.Time.IsZero() {
			sum.Time = rec.Time.UTC().Format("2006-01-02T15:04:05Z")
		}
		st.report.Anchors = append(st.report.Anchors, sum)
		set(StatusPassed, nil, "%s holds the root, written by %s at %s", uri, rec.Sender, sum.Time)
	}
}

// senderMatches reports whether an anchor's sender belongs to the issuer:
// one of its anchoring addresses in the trust list, its id (ledger
// anchors), or the Ethereum address of one of its secp256k1 keys.
func (v *Verifier) senderMatches(st *credState, sender string) (bool, string) {
	issuerID := st.cred.Issuer.ID
	// The candidates from the cheapest to the dearest; all of them only
	// to name them when none matches.
	sources := []func() []string{
		func() []string { return []string{issuerID} },
		func() []string { return v.blockcertsAddresses(issuerID) },
		func() []string {
			is := v.trust.issuer(issuerID)
			if is == nil {
				return nil
			}
			out := slices.Clone(is.AnchoringAddresses)
			for _, k := range is.keys {
				out = append(out, ethAddress(k.pub)...)
			}
			return out
		},
		func() []string {
			var out []string
			for _, k := range st.signers {
				out = append(out, ethAddress(k.Public)...)
			}
			return out
		},
		func() []string {
			if pk, err := keys.ParsePublicKey(issuerID); err == nil {
				return ethAddress(pk)
			}
			return nil
		},
	}
	var allowed []string
	for _, src := range sources {
		for _, a := range src() {
			if strings.EqualFold(a, sender) {
				return true, ""
			}
			allowed = append(allowed, a)
		}
	}
	// Name each allowed sender once (an address can follow from several keys).
	slices.Sort(allowed)
	return false, strings.Join(slices.Compact(allowed), ", ")
}
