package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/bufpool"
	"github.com/badgeproof/badgeproof/internal/canon"
	"github.com/badgeproof/badgeproof/internal/dataintegrity"
	"github.com/badgeproof/badgeproof/internal/decoded"
	"github.com/badgeproof/badgeproof/internal/disuite"
	"github.com/badgeproof/badgeproof/internal/rdfc"
)

// Cryptosuites and proof types of the signature suites the Verifier checks
// beside its own JCS suites.
const (
	// ECDSARDFC2019 is the W3C Data Integrity ECDSA cryptosuite over RDF
	// Dataset Canonicalization (P-256, P-384).
	ECDSARDFC2019 = "ecdsa-rdfc-2019"
	// ECDSASD2023 is the W3C Data Integrity ECDSA selective disclosure
	// cryptosuite (base and derived proofs, P-256).
	ECDSASD2023 = "ecdsa-sd-2023"
	// Ed25519Signature2020 is the legacy Linked Data Ed25519 proof type.
	Ed25519Signature2020 = "Ed25519Signature2020"
	// EcdsaSecp256k1Signature2019 is the legacy Linked Data secp256k1 JWS
	// proof type Blockcerts v3 certificates carry.
	EcdsaSecp256k1Signature2019 = "EcdsaSecp256k1Signature2019"
)

// Roles of the signer of a proof.
const (
	// RoleIssuer: the key belongs to the credential's issuer (or, for a
	// presentation, its holder).
	RoleIssuer = "issuer"
	// RoleOther: the signature is valid but by another party's key (an
	// endorser, a witness, a notary): it does not count as the issuer's.
	RoleOther = "other"
)

// SignerSummary names who made one verified signature proof.
type SignerSummary struct {
	// Proof is the index of the proof in the proof set.
	Proof int `json:"proof"`
	// Suite is the proof's cryptosuite or legacy type.
	Suite              string `json:"suite"`
	VerificationMethod string `json:"verificationMethod"`
	// Controller is the party the key belongs to.
	Controller string `json:"controller"`
	// Role is RoleIssuer or RoleOther.
	Role string `json:"role"`
}

// suiteEnv is what a suite may use beyond the document and key.
func (v *Verifier) suiteEnv(st *credState) disuite.Env {
	return disuite.Env{Contexts: v.cfg.contexts, Budget: st.budget}
}

// coveredDocument is the document proof i of c covers: the credential
// without proofs, or with the proofs its previousProof names.
func coveredDocument(unsigned map[string]json.RawMessage, proofs []badge.Proof, i int) (map[string]json.RawMessage, error) {
	if _, chained := proofs[i].Members()["previousProof"]; !chained {
		return unsigned, nil
	}
	all := make([]map[string]json.RawMessage, len(proofs))
	for j := range proofs {
		all[j] = proofs[j].Members()
	}
	return disuite.CoveredDocument(unsigned, all, i)
}

// signWith returns the handler of proofs of signature suite s.
func signWith(s disuite.Suite) proofHandler {
	return func(v *Verifier, ctx context.Context, st *credState, i int) { v.checkSignatureProof(ctx, st, i, s) }
}

// checkSignatureProof checks proof i of a credential with its entry's
// suite: assertionMethod purpose, the proof's validity window, the key
// resolved for that purpose and of a type the suite allows, the signature
// over the document the proof covers (a chained proof covers the proofs it
// names), then who signed.
func (v *Verifier) checkSignatureProof(ctx context.Context, st *credState, i int, s disuite.Suite) {
	p := &st.cred.Proofs[i]
	name := s.Name()
	fail := func(err error, format string, args ...any) {
		st.report.set(Check{ID: CheckSignature, Status: StatusFailed, Err: err, Message: fmt.Sprintf("proof[%d]: ", i) + fmt.Sprintf(format, args...)})
	}
	if p.ProofPurpose != string(PurposeAssertion) {
		fail(ErrBadSignature, "proofPurpose is %q, want assertionMethod", p.ProofPurpose)
		return
	}
	if err := v.proofWindow(p); err != nil {
		fail(err, "%v", err)
		return
	}
	// The document the proof covers: the credential without its proofs
	// (nil here; verifySuite reads it without copying the members), or
	// with the proofs a chained proof names.
	var doc map[string]json.RawMessage
	if _, chained := decoded.RawMembers(p)["previousProof"]; chained {
		var err error
		if doc, err = coveredDocument(st.cred.Unsigned(), st.cred.Proofs, i); err != nil {
			fail(suiteError(err), "%s proof: %v", name, err)
			return
		}
	}
	key, ok := v.resolveKey(ctx, st.report, CheckSignature, i, p.VerificationMethod, PurposeAssertion)
	if !ok {
		return
	}
	if err := s.CheckKey(key.Public.Type()); err != nil {
		fail(suiteError(err), "%s cannot be checked with %s, a %s key", name, p.VerificationMethod, key.Public.Type())
		return
	}
	if err := verifySuite(ctx, v.suiteEnv(st), s, key, st.cred, i, doc); err != nil {
		if status, e, ok := workFailure(err); ok {
			st.report.set(Check{ID: CheckSignature, Status: status, Err: e, Message: fmt.Sprintf("proof[%d]: %s: stopped: %v", i, name, err)})
			return
		}
		if isCanonError(err) {
			canonFailure(st, CheckSignature, i, "credential", err)
			return
		}
		fail(suiteError(err), "%s signature by %s does not verify%s", name, p.VerificationMethod, signatureDetail(err))
		return
	}
	v.recordSigner(st, i, name, key)
}

// verifySuite checks proof i of c over doc, the document it covers, with
// suite s. A JCS suite is given the JCS forms from the parse's decoding
// (canonicalJCS) when there are any, so the document is not read again.
func verifySuite(ctx context.Context, env disuite.Env, s disuite.Suite, key *Key, c *badge.Credential, i int, doc map[string]json.RawMessage) error {
	if js, ok := s.(dataintegrity.JCS); ok && doc == nil {
		if cj := canonicalJCS(c, i); cj != nil {
			// The members as parsed, read and not changed (VerifyCanonical
			// copies what it changes).
			members, proof := decoded.RawMembers(c), decoded.RawMembers(&c.Proofs[i])
			err := js.VerifyCanonical(key.Public, members["@context"], proof, *cj)
			bufpool.Put(cj.Document) // hashed, not kept
			bufpool.Put(cj.ProofConfig)
			return err
		}
	}
	if doc == nil {
		doc = c.Unsigned()
	}
	return s.Verify(ctx, env, key.Public, doc, c.Proofs[i].Members())
}

// canonicalJCS returns the JCS forms of the document proof i of c covers
// and of the proof's configuration, computed from the decoding of c's
// parse; nil when c has none (a Credential not made by badge's parsers) or
// the proof is chained (it covers earlier proofs too: coveredDocument) or
// the decoding cannot be serialized, and the members are canonicalized as
// they are then.
func canonicalJCS(c *badge.Credential, i int) *dataintegrity.Canonical {
	doc := decoded.Value(c)
	if doc == nil {
		return nil
	}
	proof := nthProof(doc["proof"], i, len(c.Proofs))
	if proof == nil {
		return nil
	}
	if _, chained := proof["previousProof"]; chained {
		return nil
	}
	// The JCS form is about as long as the bytes.
	d, err := canon.AppendJCS(bufpool.Get(len(c.Raw())), doc, "proof")
	if err != nil {
		return nil
	}
	p, err := canon.AppendJCS(bufpool.Get(len(c.Proofs[i].Raw())), proof, "proofValue")
	if err != nil {
		return nil
	}
	return &dataintegrity.Canonical{Document: d, ProofConfig: p}
}

// nthProof is proof i of a decoded proof member holding n proofs (one
// object, or an array of them).
func nthProof(v any, i, n int) map[string]any {
	if a, ok := v.([]any); ok {
		if len(a) != n || i >= n {
			return nil
		}
		v = a[i]
	} else if n != 1 || i != 0 {
		return nil
	}
	m, _ := v.(map[string]any)
	return m
}

// recordSigner records a verified signature and who made it. A key of the
// issuer counts as the issuer's signature; any other key's is reported as
// another party's (an endorser or witness) and decided in decideSigners.
func (v *Verifier) recordSigner(st *credState, i int, suite string, key *Key) {
	vm := st.cred.Proofs[i].VerificationMethod
	sum := SignerSummary{Proof: i, Suite: suite, VerificationMethod: vm, Controller: key.Controller, Role: RoleOther}
	if key.Controller == st.cred.Issuer.ID {
		sum.Role = RoleIssuer
		st.signers = append(st.signers, key)
		st.report.set(Check{ID: CheckSignature, Status: StatusPassed, Message: fmt.Sprintf("proof[%d]: %s signature by the issuer's key %s verifies", i, suite, vm)})
	} else {
		st.report.set(Check{ID: CheckSignature, Status: StatusPassed,
			Message: fmt.Sprintf("proof[%d]: %s signature verifies, by %s, which is not the issuer: an endorser's or witness's signature, not the issuer's", i, suite, key.Controller)})
	}
	st.report.Signers = append(st.report.Signers, sum)
}

// decideSigners runs after every proof was checked: valid signatures by
// other parties stand beside the issuer's, but at least one verified
// signature must be the issuer's. Without one, a DID issuer's badge fails
// (key_not_issuer: the signatures are valid, the keys are not the
// issuer's); for an issuer that is not a DID nothing ties the keys to it
// until a trust list does, so the check is indeterminate.
func (v *Verifier) decideSigners(st *credState) {
	if len(st.report.Signers) == 0 {
		return
	}
	var others []string
	for _, s := range st.report.Signers {
		if s.Role == RoleIssuer {
			return
		}
		others = append(others, fmt.Sprintf("proof[%d] by %s", s.Proof, s.Controller))
	}
	list := strings.Join(others, ", ")
	if strings.HasPrefix(st.cred.Issuer.ID, "did:") {
		st.report.set(Check{ID: CheckSignature, Status: StatusFailed, Err: ErrKeyNotIssuer,
			Message: fmt.Sprintf("the signatures are valid, but none is by a key of the issuer %s (%s)", st.cred.Issuer.ID, list)})
		return
	}
	st.report.set(Check{ID: CheckSignature, Status: StatusIndeterminate, Err: ErrKeyUnavailable,
		Message: fmt.Sprintf("the signatures verify, but nothing ties their keys to the issuer %s (%s); list the issuer's key in the trust list, or let the verifier read the issuer's controller document", st.cred.Issuer.ID, list)})
}

// isCanonError reports whether err is a document the verifier cannot
// canonicalize (an unknown context, an undefined term, bad JSON-LD).
func isCanonError(err error) bool {
	for _, e := range []error{rdfc.ErrUnknownContext, rdfc.ErrUndefinedTerm, rdfc.ErrCanonicalize, rdfc.ErrInvalidJSON, rdfc.ErrTooLarge, rdfc.ErrTooDeep} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// suiteError maps a suite's error to this package's sentinels.
func suiteError(err error) error {
	switch {
	case errors.Is(err, disuite.ErrKeyMismatch), errors.Is(err, dataintegrity.ErrKeyMismatch):
		return fmt.Errorf("%w: %w", ErrKeyMismatch, err)
	case errors.Is(err, disuite.ErrPreviousProof), errors.Is(err, disuite.ErrMalformed), errors.Is(err, dataintegrity.ErrMalformed):
		return fmt.Errorf("%w: %w", ErrBadSignature, err)
	case errors.Is(err, dataintegrity.ErrUnsupported):
		return fmt.Errorf("%w: %w", ErrUnsupportedProof, err)
	}
	return fmt.Errorf("%w: %w", ErrBadSignature, err)
}

// signatureDetail is what err adds to "the signature does not verify":
// empty, or ": " and the detail.
func signatureDetail(err error) string {
	msg := err.Error()
	for strings.HasPrefix(msg, disuite.ErrBadSignature.Error()) {
		msg = strings.TrimPrefix(strings.TrimPrefix(msg, disuite.ErrBadSignature.Error()), ": ")
	}
	if msg == "" {
		return ""
	}
	return ": " + msg
}

// verifyHolderProof checks presentation proof i with suite s and the
// holder's key: over the presentation without proofs, or with the proofs
// a chained proof names.
func (v *Verifier) verifyHolderProof(ctx context.Context, s disuite.Suite, key *Key, p *badge.Presentation, i int) error {
	if err := s.CheckKey(key.Public.Type()); err != nil {
		return err
	}
	doc, err := coveredDocument(p.Unsigned(), p.Proofs, i)
	if err != nil {
		return err
	}
	return s.Verify(ctx, disuite.Env{Contexts: v.cfg.contexts}, key.Public, doc, p.Proofs[i].Members())
}
