package dataintegrity

import (
	"bytes"
	"crypto"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/badgeproof/badgeproof/internal/canon"
	"github.com/badgeproof/badgeproof/keys"
)

// Options describe a proof to create.
type Options struct {
	VerificationMethod string    // default: the key's did:key verification method
	ProofPurpose       string    // default: assertionMethod
	Created            time.Time // default: none
	Challenge, Domain  string    // presentations
	// CheckSignature verifies the signature the signer returned before the
	// proof is made: for signers outside this process (a KMS, an HSM),
	// whose answers are not taken on trust.
	CheckSignature bool
}

// Sign creates a DataIntegrityProof over document (its members, without any
// proof) with signer, whose public key is pub, and returns the proof's
// members, proofValue included.
func Sign(signer crypto.Signer, pub *keys.PublicKey, document map[string]json.RawMessage, opt Options) (map[string]json.RawMessage, error) {
	doc, err := canon.NewObject(document)
	if err != nil {
		return nil, fmt.Errorf("%w: document: %v", ErrMalformed, err)
	}
	return SignObject(signer, pub, doc, document["@context"], opt)
}

// SignObject is Sign for a document already canonicalized (its @context
// given apart), for callers that go on to hash the document with the proof
// added (a batch proof's leaf) without canonicalizing it twice.
func SignObject(signer crypto.Signer, pub *keys.PublicKey, doc *canon.Object, docContext json.RawMessage, opt Options) (map[string]json.RawMessage, error) {
	suite := SuiteFor(pub.Type())
	if opt.VerificationMethod == "" {
		opt.VerificationMethod = pub.VerificationMethod()
	}
	if opt.ProofPurpose == "" {
		opt.ProofPurpose = "assertionMethod"
	}
	config := map[string]json.RawMessage{
		"type":               mustJSON(ProofType),
		"cryptosuite":        mustJSON(suite),
		"verificationMethod": mustJSON(opt.VerificationMethod),
		"proofPurpose":       mustJSON(opt.ProofPurpose),
	}
	if !opt.Created.IsZero() {
		config["created"] = mustJSON(opt.Created.UTC().Format(time.RFC3339))
	}
	if opt.Challenge != "" {
		config["challenge"] = mustJSON(opt.Challenge)
	}
	if opt.Domain != "" {
		config["domain"] = mustJSON(opt.Domain)
	}
	if docContext != nil {
		config["@context"] = docContext
	}
	in, err := compute(pub.Type(), doc.Bytes(), config)
	if err != nil {
		return nil, err
	}
	sig, err := SignHashData(signer, pub.Type(), in.HashData)
	if err != nil {
		return nil, err
	}
	if opt.CheckSignature {
		if err := VerifyHashData(pub, in.HashData, sig); err != nil {
			return nil, fmt.Errorf("the signing key returned a signature that does not verify with its public key %s: %w", pub.Multibase(), err)
		}
	}
	config["proofValue"] = mustJSON(EncodeProofValue(sig))
	return config, nil
}

// Verify checks one DataIntegrityProof (its members, proofValue included)
// over document (its members, without the proof) with pk. The proof's
// cryptosuite must agree with the key's type.
func Verify(pk *keys.PublicKey, document, proof map[string]json.RawMessage) error {
	return verify(pk, document["@context"], proof, func(config map[string]json.RawMessage) (*Intermediates, error) {
		return Compute(pk.Type(), document, config)
	})
}

// Canonical is a document and a proof configuration in their JCS form, as
// a caller that decoded them once computes them (canon.AppendJCS).
type Canonical struct {
	Document    []byte // the document without the proof
	ProofConfig []byte // the proof without proofValue
}

// VerifyCanonical is Verify for a caller that has the JCS forms already:
// proof's members are checked as Verify checks them (type, cryptosuite,
// proofValue, @context a prefix of docContext, the document's), and c
// must be the JCS form of the same document and of proof without its
// proofValue.
func VerifyCanonical(pk *keys.PublicKey, docContext json.RawMessage, proof map[string]json.RawMessage, c Canonical) error {
	return verify(pk, docContext, proof, func(map[string]json.RawMessage) (*Intermediates, error) {
		return hashCanonical(pk.Type(), c.Document, c.ProofConfig), nil
	})
}

func verify(pk *keys.PublicKey, docContext json.RawMessage, proof map[string]json.RawMessage, compute func(config map[string]json.RawMessage) (*Intermediates, error)) error {
	typ, err := stringMember(proof, "type")
	if err != nil {
		return err
	}
	if typ != ProofType {
		return fmt.Errorf("%w: proof type %q, want %s", ErrUnsupported, typ, ProofType)
	}
	suite, err := stringMember(proof, "cryptosuite")
	if err != nil {
		return err
	}
	if err := CheckKey(suite, pk.Type()); err != nil {
		return err
	}
	pv, err := stringMember(proof, "proofValue")
	if err != nil {
		return err
	}
	sig, err := DecodeProofValue(pv)
	if err != nil {
		return err
	}
	config := make(map[string]json.RawMessage, len(proof))
	for k, v := range proof {
		if k != "proofValue" {
			config[k] = v
		}
	}
	if pc, ok := config["@context"]; ok {
		if err := contextPrefix(pc, docContext); err != nil {
			return err
		}
	}
	in, err := compute(config)
	if err != nil {
		return err
	}
	return VerifyHashData(pk, in.HashData, sig)
}

// contextPrefix checks that the document's @context starts with the proof's.
func contextPrefix(proofCtx, docCtx json.RawMessage) error {
	if sameJSON(proofCtx, docCtx) {
		return nil // the same value: a prefix of itself
	}
	var p, d []json.RawMessage
	if err := json.Unmarshal(asArray(proofCtx), &p); err != nil {
		return fmt.Errorf("%w: proof @context: %v", ErrMalformed, err)
	}
	if docCtx == nil {
		return fmt.Errorf("%w: proof has an @context and the document has none", ErrBadSignature)
	}
	if err := json.Unmarshal(asArray(docCtx), &d); err != nil {
		return fmt.Errorf("%w: document @context: %v", ErrMalformed, err)
	}
	if len(p) > len(d) {
		return fmt.Errorf("%w: proof @context is longer than the document's", ErrBadSignature)
	}
	for i := range p {
		a, err1 := compact(p[i])
		b, err2 := compact(d[i])
		if err1 != nil || err2 != nil || a != b {
			return fmt.Errorf("%w: proof @context entry %d differs from the document's", ErrBadSignature, i)
		}
	}
	return nil
}

// sameJSON reports whether a and b are the same JSON text but for
// insignificant white space (then they decode alike).
func sameJSON(a, b json.RawMessage) bool {
	if bytes.Equal(a, b) {
		return true
	}
	if a == nil || b == nil {
		return false
	}
	// Compare the bytes outside white space; inside strings every byte
	// counts.
	i, j := 0, 0
	inString, escaped := false, false
	for {
		if !inString {
			for i < len(a) && isJSONSpace(a[i]) {
				i++
			}
			for j < len(b) && isJSONSpace(b[j]) {
				j++
			}
		}
		if i == len(a) || j == len(b) {
			return i == len(a) && j == len(b) && !inString
		}
		c := a[i]
		if c != b[j] {
			return false
		}
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		}
		i, j = i+1, j+1
	}
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func asArray(raw json.RawMessage) json.RawMessage {
	for _, c := range raw {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		case '[':
			return raw
		}
		break
	}
	return append(append(json.RawMessage{'['}, raw...), ']')
}

func compact(raw json.RawMessage) (string, error) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", err
	}
	b, err := json.Marshal(v)
	return string(b), err
}

// stringMember decodes one string member of a proof ("" when absent).
func stringMember(m map[string]json.RawMessage, name string) (string, error) {
	raw, ok := m[name]
	if !ok {
		return "", nil
	}
	if v, ok := plainString(raw); ok {
		return v, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("%w: %s: %v", ErrMalformed, name, err)
	}
	return s, nil
}

func mustJSON(s string) json.RawMessage {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err) // a Go string always marshals
	}
	return b
}

// plainString is the value of a JSON string without escapes, control
// characters or invalid UTF-8: its bytes between the quotes. ok is false
// for anything else, which encoding/json decodes.
func plainString(raw []byte) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return "", false
	}
	in := raw[1 : len(raw)-1]
	for _, c := range in {
		if c < 0x20 || c == '"' || c == '\\' {
			return "", false
		}
	}
	if !utf8.Valid(in) {
		return "", false
	}
	return string(in), true
}
