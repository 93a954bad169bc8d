// Package disuite is the one small interface every proof suite the SDK
// checks implements (Data Integrity cryptosuites and the legacy Linked Data
// signature types), and the Data Integrity rules shared by all of them:
// the proof configuration, and the document a proof of a set or a chain
// covers (previousProof).
package disuite

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/badgeproof/badgeproof/internal/budget"
	"github.com/badgeproof/badgeproof/internal/rdfc"
	"github.com/badgeproof/badgeproof/keys"
)

// Errors for errors.Is. Each suite wraps one of them.
var (
	// ErrBadSignature: the signature does not verify over the document.
	ErrBadSignature = errors.New("signature does not verify")
	// ErrKeyMismatch: the key's type cannot be used with the suite.
	ErrKeyMismatch = errors.New("key type does not match cryptosuite")
	// ErrMalformed: the proof or document is not what the suite reads.
	ErrMalformed = errors.New("malformed proof")
	// ErrPreviousProof: previousProof names a proof the set does not hold.
	ErrPreviousProof = errors.New("previousProof names a missing proof")
)

// Env is what a suite may use beyond the document and the key: the
// caller's context, JSON-LD contexts and the verification's work budget.
type Env struct {
	Contexts *rdfc.Contexts
	Budget   *budget.Budget
}

// Canon returns the canonicalization options of env: strict (an undefined
// term is an error, never silently dropped).
func (e Env) Canon() rdfc.Options {
	return rdfc.Options{Strict: true, Contexts: e.Contexts, Budget: e.Budget}
}

// Suite checks proofs of one kind.
type Suite interface {
	// Name is the cryptosuite of a DataIntegrityProof, or the proof type
	// of a legacy proof.
	Name() string
	// CheckKey fails with ErrKeyMismatch unless a key of type t may be
	// used with the suite.
	CheckKey(t keys.Type) error
	// Verify checks proof (its members, proofValue included) over
	// document (its members, without "proof" unless the proof is chained:
	// then "proof" holds the proofs it names) with pk.
	Verify(ctx context.Context, env Env, pk *keys.PublicKey, document, proof map[string]json.RawMessage) error
}

// Signer is a Suite that also signs.
type Signer interface {
	Suite
	// Sign adds proofValue to config (the proof without it: type,
	// cryptosuite, verificationMethod, proofPurpose, ...) over document
	// with signer, whose public key is pub, and returns the whole proof.
	Sign(ctx context.Context, env Env, signer crypto.Signer, pub *keys.PublicKey, document, config map[string]json.RawMessage) (map[string]json.RawMessage, error)
}

// ProofConfig returns the proof configuration of a proof: its members but
// proofValue, with the document's @context when the proof has none (a
// proof's own @context must be a prefix of the document's).
func ProofConfig(document, proof map[string]json.RawMessage) (map[string]json.RawMessage, error) {
	config := make(map[string]json.RawMessage, len(proof)+1)
	for k, v := range proof {
		if k != "proofValue" {
			config[k] = v
		}
	}
	if pc, ok := config["@context"]; ok {
		if err := ContextPrefix(pc, document["@context"]); err != nil {
			return nil, err
		}
	} else if dc, ok := document["@context"]; ok {
		config["@context"] = dc
	}
	return config, nil
}

// ContextPrefix checks that the document's @context starts with the proof's.
func ContextPrefix(proofCtx, docCtx json.RawMessage) error {
	p, err := asList(proofCtx)
	if err != nil {
		return fmt.Errorf("%w: proof @context: %v", ErrMalformed, err)
	}
	if docCtx == nil {
		return fmt.Errorf("%w: the proof has an @context and the document has none", ErrBadSignature)
	}
	d, err := asList(docCtx)
	if err != nil {
		return fmt.Errorf("%w: document @context: %v", ErrMalformed, err)
	}
	if len(p) > len(d) {
		return fmt.Errorf("%w: the proof's @context is longer than the document's", ErrBadSignature)
	}
	for i := range p {
		if !bytes.Equal(p[i], d[i]) {
			return fmt.Errorf("%w: the proof's @context entry %d differs from the document's", ErrBadSignature, i)
		}
	}
	return nil
}

// asList decodes a JSON value or array into compacted JSON values.
func asList(raw json.RawMessage) ([][]byte, error) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	out := make([][]byte, len(list))
	for i, x := range list {
		b, err := json.Marshal(x)
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

// PreviousProofs returns the ids a proof names in previousProof (a string
// or an array of strings), nil when it names none.
func PreviousProofs(proof map[string]json.RawMessage) ([]string, error) {
	raw, ok := proof["previousProof"]
	if !ok {
		return nil, nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		if one == "" {
			return nil, fmt.Errorf("%w: previousProof is empty", ErrMalformed)
		}
		return []string{one}, nil
	}
	var many []string
	if err := json.Unmarshal(raw, &many); err != nil || len(many) == 0 {
		return nil, fmt.Errorf("%w: previousProof must be a proof id or a non-empty array of them", ErrMalformed)
	}
	for _, id := range many {
		if id == "" {
			return nil, fmt.Errorf("%w: previousProof names an empty id", ErrMalformed)
		}
	}
	return many, nil
}

// CoveredDocument returns the document proof i of proofs covers, as the
// Data Integrity verify-proof-set-or-chain algorithm builds it: the
// unsecured document alone, or, when proof i names previousProof, the
// unsecured document with "proof" set to the array of the proofs it names
// (each found by its id elsewhere in the set; a missing one is
// ErrPreviousProof). unsecured is not modified.
func CoveredDocument(unsecured map[string]json.RawMessage, proofs []map[string]json.RawMessage, i int) (map[string]json.RawMessage, error) {
	prev, err := PreviousProofs(proofs[i])
	if err != nil || prev == nil {
		return unsecured, err
	}
	matching := make([]json.RawMessage, 0, len(prev))
	for _, id := range prev {
		found := -1
		for j, p := range proofs {
			if j == i {
				continue
			}
			var pid string
			if raw, ok := p["id"]; ok && json.Unmarshal(raw, &pid) == nil && pid == id {
				found = j
				break
			}
		}
		if found < 0 {
			return nil, fmt.Errorf("%w: %q", ErrPreviousProof, id)
		}
		b, err := json.Marshal(proofs[found])
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		matching = append(matching, b)
	}
	doc := make(map[string]json.RawMessage, len(unsecured)+1)
	for k, v := range unsecured {
		doc[k] = v
	}
	b, err := json.Marshal(matching)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	doc["proof"] = b
	return doc, nil
}

// String decodes a string member ("" when absent).
func String(m map[string]json.RawMessage, name string) (string, error) {
	raw, ok := m[name]
	if !ok {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("%w: %s is not a string", ErrMalformed, name)
	}
	return s, nil
}

// JSON encodes v for a proof member.
func JSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // strings and times always marshal
	}
	return b
}

// Config builds the members of a new proof without proofValue.
func Config(typ, cryptosuite, vm, purpose string, created time.Time, challenge, domain string) map[string]json.RawMessage {
	c := map[string]json.RawMessage{
		"type":               JSON(typ),
		"verificationMethod": JSON(vm),
		"proofPurpose":       JSON(purpose),
	}
	if cryptosuite != "" {
		c["cryptosuite"] = JSON(cryptosuite)
	}
	if !created.IsZero() {
		c["created"] = JSON(created.UTC().Format(time.RFC3339))
	}
	if challenge != "" {
		c["challenge"] = JSON(challenge)
	}
	if domain != "" {
		c["domain"] = JSON(domain)
	}
	return c
}
