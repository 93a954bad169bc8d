package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/badgeproof/badgeproof/anchor"
	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/blockcerts"
	"github.com/badgeproof/badgeproof/internal/budget"
	"github.com/badgeproof/badgeproof/internal/jsonx"
	"github.com/badgeproof/badgeproof/internal/merkle"
	"github.com/badgeproof/badgeproof/internal/rdfc"
)

// Proof types and cryptosuites of other ecosystems the Verifier checks.
const (
	// EdDSARDFC2022 is the W3C Data Integrity EdDSA cryptosuite over RDF
	// Dataset Canonicalization, the one Open Badges 3.0 conformance uses.
	EdDSARDFC2022 = "eddsa-rdfc-2022"
	// MerkleProof2019 is the Blockcerts v3 batch proof type; as a
	// DataIntegrityProof cryptosuite it is spelled "merkle-proof-2019".
	MerkleProof2019      = "MerkleProof2019"
	MerkleProof2019Suite = "merkle-proof-2019"
	// ChainedProof2021 wraps a Blockcerts proof in a proof chain.
	ChainedProof2021 = "ChainedProof2021"
	// MerkleProof2017 is the Blockcerts v2 receipt type, found in a
	// certificate's "signature" member.
	MerkleProof2017 = "MerkleProof2017"
)

// blockcertsMaxBytes is the default size limit of a Blockcerts certificate:
// they embed their images as data URLs, and real ones exceed 2 MB.
const blockcertsMaxBytes = blockcerts.MaxDocumentSize

// interopConfig holds the settings of the Blockcerts and Open Badges checks.
type interopConfig struct {
	// profiles are Blockcerts issuer profiles by issuer id.
	profiles map[string]*blockcerts.IssuerProfile
	// revocationLists are Blockcerts v2 revocation lists by URL.
	revocationLists map[string]*blockcertsRevocationList
}

// WithBlockcertsIssuerProfiles gives the Verifier Blockcerts issuer
// profiles (v2 Profile or v3 BlockcertsIssuerProfile documents, as JSON).
// The anchoring addresses they list ("publicKey", ecdsa-koblitz-pubkey) are
// accepted as senders of their issuer's Blockcerts anchors, and each
// address's validity window (created, expires, revoked) is checked against
// the anchor's time in the issuer check. Without the profile of a Blockcerts
// issuer, nothing says which addresses are its own, and the issuer check
// cannot pass on the anchor alone.
//
// Profiles are not fetched: pass the documents the issuer publishes at its
// id. A profile that does not parse, or two profiles of one issuer, fail New.
func WithBlockcertsIssuerProfiles(profiles ...[]byte) Option {
	return func(c *config) error {
		if len(profiles) == 0 {
			return errors.New("verify: no Blockcerts issuer profile given")
		}
		if c.interop.profiles == nil {
			c.interop.profiles = map[string]*blockcerts.IssuerProfile{}
		}
		for i, b := range profiles {
			p, err := blockcerts.ParseIssuerProfile(b)
			if err != nil {
				return fmt.Errorf("verify: Blockcerts issuer profile %d: %w", i, err)
			}
			if _, dup := c.interop.profiles[p.ID]; dup {
				return fmt.Errorf("verify: two Blockcerts issuer profiles for %s", p.ID)
			}
			c.interop.profiles[p.ID] = p
		}
		return nil
	}
}

// blockcertsAddresses lists the anchoring addresses of the issuer's
// Blockcerts profile, if the Verifier has it.
func (v *Verifier) blockcertsAddresses(issuerID string) []string {
	p := v.cfg.interop.profiles[issuerID]
	if p == nil {
		return nil
	}
	out := make([]string, len(p.Keys))
	for i, k := range p.Keys {
		out[i] = k.Address
	}
	return out
}

// limitsFor returns the parsing limits for data: the configured ones, or,
// when none are set, the default size limit, raised to the Blockcerts limit
// for a larger document whose @context is a Blockcerts one (they embed
// their images as data URLs). The raw size is checked against the largest
// limit before anything reads the bytes, and the context is read only from
// a document between the two limits.
func (v *Verifier) limitsFor(data []byte) (badge.Limits, error) {
	return v.limitsForDoc(data, nil)
}

// limitsForDoc is limitsFor for data that may be a Blockcerts v2
// certificate (v2 non-nil), whose @context is read from its decoding.
func (v *Verifier) limitsForDoc(data []byte, v2 *blockcertsV2Doc) (badge.Limits, error) {
	l := v.cfg.limits
	if l.MaxBytes > 0 {
		if len(data) > l.MaxBytes {
			return l, fmt.Errorf("%w: %d bytes, more than the limit of %d", jsonx.ErrTooLarge, len(data), l.MaxBytes)
		}
		return l, nil
	}
	switch {
	case len(data) <= badge.DefaultMaxBytes:
		return l, nil
	case len(data) > blockcertsMaxBytes:
		return l, fmt.Errorf("%w: %d bytes, more than the limit of %d", jsonx.ErrTooLarge, len(data), blockcertsMaxBytes)
	case !v2.hasBlockcertsContext(data):
		return l, fmt.Errorf("%w: %d bytes, more than the limit of %d (only Blockcerts certificates may be up to %d)", jsonx.ErrTooLarge, len(data), badge.DefaultMaxBytes, blockcertsMaxBytes)
	}
	l.MaxBytes = blockcertsMaxBytes
	return l, nil
}

// hasBlockcertsContext reports whether data is a JSON object whose @context
// names a Blockcerts context.
func hasBlockcertsContext(data []byte) bool {
	if !mayNameBlockcertsContext(data) {
		return false
	}
	var head struct {
		Context []json.RawMessage `json:"@context"`
	}
	if json.Unmarshal(data, &head) != nil {
		return false
	}
	for _, raw := range head.Context {
		var c string
		if json.Unmarshal(raw, &c) != nil {
			continue // an embedded context object
		}
		if isBlockcertsContext(c) {
			return true
		}
	}
	return false
}

// mayNameBlockcertsContext is false when data cannot name a Blockcerts
// context: without an escape, a Blockcerts context URL appears in the bytes
// as written, so a document naming neither host needs no decoding.
func mayNameBlockcertsContext(data []byte) bool {
	return bytes.IndexByte(data, '\\') >= 0 || bytes.Contains(data, []byte("w3id.org/blockcerts/")) || bytes.Contains(data, []byte("www.blockcerts.org/schema/"))
}

// isBlockcertsContext reports whether the context URL c is a Blockcerts one.
func isBlockcertsContext(c string) bool {
	return strings.HasPrefix(c, "https://w3id.org/blockcerts/") || strings.HasPrefix(c, "https://www.blockcerts.org/schema/")
}

// canonFailure reports a document that cannot be canonicalized: an unknown
// JSON-LD context or a property no context defines is a format failure;
// the check that needed the canonical form (signature or merkle) is then
// indeterminate, since nothing was compared.
func canonFailure(st *credState, id CheckID, i int, what string, err error) {
	var uc *rdfc.UnknownContextError
	msg := ""
	switch {
	case errors.As(err, &uc):
		msg = fmt.Sprintf("unknown JSON-LD context %s: the verifier serves only its embedded contexts (never fetched), so this %s cannot be canonicalized", uc.URL, what)
	case errors.Is(err, rdfc.ErrUndefinedTerm):
		msg = fmt.Sprintf("the %s has a property its JSON-LD contexts do not define, which a proof over the canonical form cannot protect: %v", what, err)
	default:
		msg = fmt.Sprintf("the %s is not JSON-LD this verifier can canonicalize: %v", what, err)
	}
	st.report.set(Check{ID: CheckFormat, Status: StatusFailed, Err: fmt.Errorf("%w: %w", ErrMalformed, err), Message: msg})
	st.report.set(Check{ID: id, Status: StatusIndeterminate, Err: fmt.Errorf("%w: %w", ErrMalformed, err),
		Message: fmt.Sprintf("proof[%d]: not checked: the %s cannot be canonicalized (see format)", i, what)})
}

// checkBlockcertsMerkle checks a Blockcerts v3 Merkle proof (MerkleProof2019,
// DataIntegrityProof/merkle-proof-2019, or a ChainedProof2021 over one): the
// target hash of the certificate as anchored, the path to the root, then
// the anchors and the issuer's anchoring key.
func (v *Verifier) checkBlockcertsMerkle(ctx context.Context, st *credState, i int) {
	v.checkBlockcertsMethod(ctx, st, i)
	if st.blockcerts == nil && st.blockcertsErr == nil {
		// Decoded once for all the proofs of the set.
		st.blockcerts, st.blockcertsErr = blockcerts.Decode(st.cred.Raw())
	}
	if st.blockcertsErr != nil {
		v.blockcertsMerkleFailure(st, i, st.blockcertsErr)
		return
	}
	res, err := st.blockcerts.VerifyV3(ctx, st.budget, i)
	if err != nil {
		v.blockcertsMerkleFailure(st, i, err)
		return
	}
	v.blockcertsAnchored(ctx, st, i, res)
}

// blockcertsMerkleFailure reports a failed chain-free Blockcerts check.
func (v *Verifier) blockcertsMerkleFailure(st *credState, i int, err error) {
	fail := func(e error, format string, args ...any) {
		st.report.set(Check{ID: CheckMerkle, Status: StatusFailed, Err: e, Message: fmt.Sprintf("proof[%d]: ", i) + fmt.Sprintf(format, args...)})
	}
	var hm *blockcerts.HashMismatchError
	if s, e, ok := workFailure(err); ok {
		st.report.set(Check{ID: CheckMerkle, Status: s, Err: e, Message: fmt.Sprintf("proof[%d]: canonicalization stopped: %v", i, err)})
		if st.report.Check(CheckAnchor) == nil {
			st.report.set(Check{ID: CheckAnchor, Status: StatusSkipped, Reason: ReasonNotLookedUp, Message: fmt.Sprintf("proof[%d]: not looked up: the Merkle proof was not established", i)})
		}
		return
	}
	switch {
	case errors.As(err, &hm):
		fail(fmt.Errorf("%w: %w", ErrHashMismatch, err), "the certificate hashes to %x, the proof's targetHash is %x: the certificate was changed after it was anchored", hm.Computed, hm.Expected)
	case errors.Is(err, merkle.ErrRootMismatch):
		fail(fmt.Errorf("%w: %w", ErrRootMismatch, err), "the Merkle path does not lead to the root: %v", err)
	case errors.Is(err, rdfc.ErrFallbackVocab):
		fail(fmt.Errorf("%w: %w", ErrHashMismatch, err), "the certificate has properties its JSON-LD contexts do not define, so the anchored hash does not cover them (%v)", err)
	case errors.Is(err, rdfc.ErrUnknownContext), errors.Is(err, rdfc.ErrUndefinedTerm), errors.Is(err, rdfc.ErrCanonicalize):
		canonFailure(st, CheckMerkle, i, "certificate", err)
	default:
		fail(fmt.Errorf("%w: %w", ErrMalformed, err), "%v", err)
	}
	if st.report.Check(CheckAnchor) == nil {
		st.report.set(Check{ID: CheckAnchor, Status: StatusSkipped, Reason: ReasonNotLookedUp, Message: fmt.Sprintf("proof[%d]: not looked up: the Merkle proof was not established", i)})
	}
}

// blockcertsAnchored reports a Merkle proof that reaches its root, then
// looks up the anchors and checks the issuer's anchoring keys.
func (v *Verifier) blockcertsAnchored(ctx context.Context, st *credState, i int, res *blockcerts.Result) {
	st.report.set(Check{ID: CheckMerkle, Status: StatusPassed,
		Message: fmt.Sprintf("proof[%d]: certificate hash %x (RDFC-1.0) equals the targetHash and reaches Merkle root %x", i, res.TargetHash[:8], res.MerkleRoot)})
	before := len(st.records)
	v.checkAnchors(ctx, st, i, res.MerkleRoot[:], res.Anchors)
	if c := st.report.Check(CheckAnchor); c != nil && c.Status == StatusIndeterminate {
		// The anchor was not looked up (offline, no resolver, node down):
		// what rests on it is undecided, not failed.
		st.anchorUnknown = true
	}
	v.checkBlockcertsKeys(st, st.records[before:])
}

// checkBlockcertsKeys checks that each anchor was written with an address
// of the issuer's Blockcerts profile that was valid at the anchor's time.
func (v *Verifier) checkBlockcertsKeys(st *credState, recs []anchor.Record) {
	issuerID := st.cred.Issuer.ID
	p := v.cfg.interop.profiles[issuerID]
	if p == nil {
		if len(recs) == 0 && !v.cfg.skipIssuerTrust {
			st.report.set(Check{ID: CheckIssuer, Status: StatusIndeterminate, Err: ErrUntrustedIssuer,
				Message: fmt.Sprintf("no Blockcerts issuer profile for %s: its anchoring addresses and their validity are unknown (WithBlockcertsIssuerProfiles)", issuerID)})
		}
		return
	}
	if c := st.report.Check(CheckAnchor); len(recs) == 0 && v.cfg.allowTestAnchors && c != nil && c.Status == StatusSkipped {
		// Only test anchors, accepted for testing: no chain says which key
		// anchored it, so the profile is all there is.
		st.report.set(Check{ID: CheckIssuer, Status: StatusPassed,
			Message: fmt.Sprintf("test anchor (accepted for testing): the Blockcerts profile of %s is given; no chain shows which of its keys anchored the certificate", issuerID)})
		return
	}
	if len(recs) == 0 {
		st.report.set(Check{ID: CheckIssuer, Status: StatusIndeterminate, Err: ErrAnchorUnavailable,
			Message: fmt.Sprintf("the anchoring key of %s cannot be checked: no anchor was read from a chain", issuerID)})
		return
	}
	for _, rec := range recs {
		k, err := p.KeyAt(rec.Sender, rec.Time)
		if err != nil {
			st.report.set(Check{ID: CheckIssuer, Status: StatusFailed, Err: fmt.Errorf("%w: %w", ErrKeyRetired, err),
				Message: fmt.Sprintf("%s: anchored by %s at %s, not a valid key of issuer %s then: %v", rec.Ref, rec.Sender, rec.Time.UTC().Format(time.RFC3339), issuerID, err)})
			continue
		}
		st.report.set(Check{ID: CheckIssuer, Status: StatusPassed,
			Message: fmt.Sprintf("%s: anchored by %s, a key of issuer %s valid at %s", rec.Ref, k.Address, issuerID, rec.Time.UTC().Format(time.RFC3339))})
	}
}

// isBlockcertsV2 reports whether data is a Blockcerts v2 certificate: an
// object whose "signature" is a MerkleProof2017 receipt, as json.Unmarshal
// reads it.
func isBlockcertsV2(data []byte) bool {
	if !bytes.Contains(data, []byte(MerkleProof2017)) {
		return false
	}
	var head struct {
		Signature *struct {
			Type badge.Strings `json:"type"`
		} `json:"signature"`
	}
	if json.Unmarshal(data, &head) != nil || head.Signature == nil {
		return false
	}
	return head.Signature.Type.Has(MerkleProof2017)
}

// blockcertsV2Doc is a document that may be a Blockcerts v2 certificate
// (its bytes name MerkleProof2017). It is checked and decoded at most once
// (jsonx.Decode, under the limits of a v2 certificate), and that decoding
// serves the size limit's look at its @context, the dispatch, the reading
// of its fields and the check of its receipt.
type blockcertsV2Doc struct {
	data []byte
	// lim are the limits a v2 certificate is checked under: the
	// configured ones, the size limit defaulting to blockcertsMaxBytes.
	lim     badge.Limits
	decoded bool
	dec     *jsonx.Decoded
	err     error
}

// blockcertsV2Candidate returns data as a possible Blockcerts v2
// certificate, or nil when its bytes do not name MerkleProof2017 (then it
// is not one). Nothing is decoded yet.
func (v *Verifier) blockcertsV2Candidate(data []byte) *blockcertsV2Doc {
	if !bytes.Contains(data, []byte(MerkleProof2017)) {
		return nil
	}
	lim := v.cfg.limits
	if lim.MaxBytes == 0 {
		lim.MaxBytes = blockcertsMaxBytes
	}
	return &blockcertsV2Doc{data: data, lim: lim}
}

// decode checks and decodes the document, once.
func (d *blockcertsV2Doc) decode() (*jsonx.Decoded, error) {
	if !d.decoded {
		d.decoded = true
		d.dec, d.err = jsonx.Decode(d.data, jsonx.Limits(d.lim))
	}
	return d.dec, d.err
}

// hasBlockcertsContext is hasBlockcertsContext(data), read from the
// decoding when d has one (d may be nil). A document the strict checks
// refuse is read as hasBlockcertsContext reads it.
func (d *blockcertsV2Doc) hasBlockcertsContext(data []byte) bool {
	if d == nil || !mayNameBlockcertsContext(data) {
		return hasBlockcertsContext(data)
	}
	dec, err := d.decode()
	if err != nil {
		return hasBlockcertsContext(data)
	}
	// As json.Unmarshal into a struct with an @context []json.RawMessage:
	// anything but an object with an array @context has none (null, or
	// an error); the array's strings are the context URLs.
	m, _ := dec.Value.(map[string]any)
	c, _ := decodedMember(m, "@context")
	list, _ := c.([]any)
	for _, x := range list {
		if u, ok := x.(string); ok && isBlockcertsContext(u) {
			return true
		}
	}
	return false
}

// isV2 is isBlockcertsV2(d.data) (d may be nil), read from the decoding;
// a document the strict checks refuse is read as isBlockcertsV2 reads it.
func (d *blockcertsV2Doc) isV2() bool {
	if d == nil {
		return false
	}
	dec, err := d.decode()
	if err != nil {
		return isBlockcertsV2(d.data)
	}
	// As json.Unmarshal into isBlockcertsV2's head: a signature that is
	// missing, null or not an object is none; its type is a
	// badge.Strings, which an array of anything but strings and nulls,
	// or a value other than a string, array or null, fails.
	m, _ := dec.Value.(map[string]any)
	sig, _ := decodedMember(m, "signature")
	sm, ok := sig.(map[string]any)
	if !ok {
		return false
	}
	t, _ := decodedMember(sm, "type")
	switch t := t.(type) {
	case string:
		return t == MerkleProof2017
	case []any:
		found := false
		for _, x := range t {
			switch x {
			case nil:
			case MerkleProof2017:
				found = true
			default:
				if _, ok := x.(string); !ok {
					return false
				}
			}
		}
		return found
	}
	return false
}

// decodedMember returns the member of the decoded object m that
// json.Unmarshal matches to the struct field name: the one so named, or
// else one whose name equals it under Unicode case folding. In a document
// jsonx accepted no two names of one object are equal under case folding
// (outside @context), so there is at most one.
func decodedMember(m map[string]any, name string) (any, bool) {
	if x, ok := m[name]; ok {
		return x, true
	}
	for k, x := range m {
		if strings.EqualFold(k, name) {
			return x, true
		}
	}
	return nil, false
}

// blockcertsV2 is the part of a Blockcerts v2 certificate (an Open Badges
// 2.0 Assertion with a MerkleProof2017 receipt) the checks read.
type blockcertsV2 struct {
	ID       string        `json:"id"`
	Type     badge.Strings `json:"type"`
	IssuedOn string        `json:"issuedOn"`
	Expires  string        `json:"expires"`
	Badge    struct {
		Name   string `json:"name"`
		Issuer struct {
			ID             string `json:"id"`
			Name           string `json:"name"`
			RevocationList string `json:"revocationList"`
		} `json:"issuer"`
	} `json:"badge"`
	Recipient struct {
		Identity string `json:"identity"`
	} `json:"recipient"`
	RecipientProfile struct {
		Name string `json:"name"`
	} `json:"recipientProfile"`
	Verification struct {
		PublicKey string `json:"publicKey"`
	} `json:"verification"`
}

// readBlockcertsV2 reads a certificate that passed the strict checks
// into a Credential carrying what the issuer, validity and anchor checks
// need: from its decoding dec when its fields have the usual shapes
// (strings, objects, a type that is a string or an array of strings, or
// null), else with json.Unmarshal of data, which then decides.
func readBlockcertsV2(data []byte, dec *jsonx.Decoded) (*badge.Credential, *blockcertsV2, error) {
	var b blockcertsV2
	if dec == nil || !b.fromDecoded(dec.Value) {
		b = blockcertsV2{}
		if err := json.Unmarshal(data, &b); err != nil {
			return nil, nil, fmt.Errorf("Blockcerts v2 certificate: %v", err)
		}
	}
	switch {
	case !b.Type.Has("Assertion"):
		return nil, nil, fmt.Errorf("Blockcerts v2 certificate: type is %v, want Assertion", []string(b.Type))
	case b.Badge.Issuer.ID == "":
		return nil, nil, errors.New("Blockcerts v2 certificate: badge.issuer.id missing")
	}
	c := &badge.Credential{ID: b.ID, Type: b.Type, Issuer: badge.Profile{ID: b.Badge.Issuer.ID, Name: badge.NewText(b.Badge.Issuer.Name, "")}}
	if b.Badge.Name != "" {
		c.Name = badge.NewText(b.Badge.Name, "")
	}
	for _, d := range []struct {
		dst  **time.Time
		name string
		s    string
	}{{&c.ValidFrom, "issuedOn", b.IssuedOn}, {&c.ValidUntil, "expires", b.Expires}} {
		if d.s == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, d.s)
		if err != nil {
			return nil, nil, fmt.Errorf("Blockcerts v2 certificate: %s %q is not an RFC 3339 date-time", d.name, d.s)
		}
		*d.dst = &t
	}
	if c.ValidFrom == nil {
		return nil, nil, errors.New("Blockcerts v2 certificate: issuedOn missing")
	}
	return c, &b, nil
}

// fromDecoded fills b from a decoded certificate as json.Unmarshal would
// (matching names as it does, null leaving a field as it is), with copies
// of the strings, so that what b keeps does not keep the decoding alive.
// It reports false, b half filled, when a field has another shape.
func (b *blockcertsV2) fromDecoded(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	str := func(m map[string]any, name string, dst *string) bool {
		switch x, _ := decodedMember(m, name); x := x.(type) {
		case nil:
			return true
		case string:
			*dst = strings.Clone(x)
			return true
		}
		return false
	}
	obj := func(m map[string]any, name string) (map[string]any, bool) {
		x, _ := decodedMember(m, name)
		if x == nil {
			return nil, true
		}
		o, ok := x.(map[string]any)
		return o, ok
	}
	switch t, _ := decodedMember(m, "type"); t := t.(type) {
	case nil:
		// Absent: left nil. A null type is read by badge.Strings.
		if _, present := decodedMember(m, "type"); present {
			return false
		}
	case string:
		b.Type = badge.Strings{strings.Clone(t)}
	case []any:
		b.Type = make(badge.Strings, len(t))
		for i, x := range t {
			s, ok := x.(string)
			if !ok {
				return false
			}
			b.Type[i] = strings.Clone(s)
		}
	default:
		return false
	}
	if !str(m, "id", &b.ID) || !str(m, "issuedOn", &b.IssuedOn) || !str(m, "expires", &b.Expires) {
		return false
	}
	bd, ok := obj(m, "badge")
	if !ok || !str(bd, "name", &b.Badge.Name) {
		return false
	}
	is, ok := obj(bd, "issuer")
	if !ok || !str(is, "id", &b.Badge.Issuer.ID) || !str(is, "name", &b.Badge.Issuer.Name) || !str(is, "revocationList", &b.Badge.Issuer.RevocationList) {
		return false
	}
	rc, ok := obj(m, "recipient")
	if !ok || !str(rc, "identity", &b.Recipient.Identity) {
		return false
	}
	rp, ok := obj(m, "recipientProfile")
	if !ok || !str(rp, "name", &b.RecipientProfile.Name) {
		return false
	}
	vf, ok := obj(m, "verification")
	return ok && str(vf, "publicKey", &b.Verification.PublicKey)
}

// verifyBlockcertsV2 checks a Blockcerts v2 certificate: there is no
// signature, its integrity rests on the MerkleProof2017 receipt and its
// anchor.
func (v *Verifier) verifyBlockcertsV2(ctx context.Context, bud *budget.Budget, d *blockcertsV2Doc) *Report {
	dec, err := d.decode()
	if err != nil {
		return formatFailure(err)
	}
	c, b, err := readBlockcertsV2(d.data, dec)
	if err != nil {
		return formatFailure(err)
	}
	r := &Report{Credential: summarize(c)}
	if b.RecipientProfile.Name != "" {
		r.Credential.Subject = b.RecipientProfile.Name
	} else {
		r.Credential.Subject = b.Recipient.Identity
	}
	st := &credState{cred: c, report: r, budget: bud}
	r.set(Check{ID: CheckFormat, Status: StatusPassed, Message: fmt.Sprintf("well-formed Blockcerts v2 certificate (Open Badges 2.0 %s with a %s receipt)", strings.Join(b.Type, ", "), MerkleProof2017)})
	r.set(Check{ID: CheckSignature, Status: StatusSkipped, Reason: ReasonNoSignatureProof, Message: "no signature proof: a Blockcerts v2 certificate's integrity and origin rest on its Merkle receipt and its anchor"})
	var res *blockcerts.Result
	if depth := d.lim.MaxDepth; len(d.data) <= blockcerts.MaxDocumentSize && depth <= jsonx.DefaultMaxDepth {
		// The decoding passed limits no looser than the receipt check's:
		// it is handed on (and prepared for hashing there in place).
		res, err = blockcerts.VerifyV2Decoded(ctx, bud, dec)
	} else {
		// Looser limits than the receipt check's: it applies its own.
		res, err = blockcerts.VerifyV2Context(ctx, bud, d.data)
	}
	if err != nil {
		v.blockcertsMerkleFailure(st, 0, err)
	} else {
		addr, _ := strings.CutPrefix(b.Verification.PublicKey, "ecdsa-koblitz-pubkey:")
		for j, a := range res.Anchors {
			if a.Chain == anchor.ChainBitcoin && a.Network == "" {
				// Early receipts name no chain; the issuing address tells
				// the network.
				res.Anchors[j].Network = blockcerts.BitcoinNetwork(addr)
			}
		}
		v.blockcertsAnchored(ctx, st, 0, res)
	}
	v.checkIssuer(st)
	if rl := b.Badge.Issuer.RevocationList; rl != "" {
		v.checkBlockcertsRevocation(ctx, r, rl, b.ID)
	} else {
		r.set(Check{ID: CheckStatus, Status: StatusSkipped, Reason: ReasonNoStatus, Message: "no revocation list: the issuer publishes no revocation for this certificate"})
	}
	v.checkValidity(st)
	r.set(Check{ID: CheckHolder, Status: StatusSkipped, Reason: ReasonNotPresented, Message: "not presented: no holder to check"})
	r.finish()
	return r
}
