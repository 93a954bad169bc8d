// Package rdfcsuite implements the proof suites that sign RDF Dataset
// Canonicalization (RDFC-1.0) of a JSON-LD document: the W3C Data
// Integrity cryptosuites eddsa-rdfc-2022 (Ed25519) and ecdsa-rdfc-2019
// (P-256 with SHA-256, P-384 with SHA-384), and the legacy
// Ed25519Signature2020 proof type.
//
// All three sign hashData = H(RDFC(proof configuration)) ||
// H(RDFC(document)), where the proof configuration is the proof without
// proofValue under the document's @context; Ed25519 signs hashData itself,
// ECDSA its digest. proofValue is multibase base58btc of the raw signature
// (r||s for ECDSA). Canonicalization is strict: a property no context
// defines fails, so nothing signed can be silently dropped.
package rdfcsuite

import (
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/json"
	"fmt"
	"hash"

	"github.com/badgeproof/badgeproof/internal/dataintegrity"
	"github.com/badgeproof/badgeproof/internal/disuite"
	"github.com/badgeproof/badgeproof/internal/rdfc"
	"github.com/badgeproof/badgeproof/keys"
)

// Suite names.
const (
	EdDSARDFC2022        = "eddsa-rdfc-2022"
	ECDSARDFC2019        = "ecdsa-rdfc-2019"
	Ed25519Signature2020 = "Ed25519Signature2020"
)

// Suite is one of this package's suites.
type Suite struct {
	name  string
	typ   string // proof type
	ecdsa bool
}

// The suites.
var (
	EdDSA   = Suite{name: EdDSARDFC2022, typ: dataintegrity.ProofType}
	ECDSA   = Suite{name: ECDSARDFC2019, typ: dataintegrity.ProofType, ecdsa: true}
	Ed25519 = Suite{name: Ed25519Signature2020, typ: Ed25519Signature2020}
)

var _ disuite.Signer = EdDSA

// Name returns the cryptosuite (or the legacy proof type).
func (s Suite) Name() string { return s.name }

// ProofType is the proof's "type".
func (s Suite) ProofType() string { return s.typ }

// CheckKey reports whether a key of type t may be used with s.
func (s Suite) CheckKey(t keys.Type) error {
	if s.ecdsa && (t == keys.P256 || t == keys.P384) || !s.ecdsa && t == keys.Ed25519 {
		return nil
	}
	return fmt.Errorf("%w: %s cannot be used with %s", disuite.ErrKeyMismatch, t, s.name)
}

// Intermediates are the values hashed and signed.
type Intermediates struct {
	CanonDocument, CanonProof []byte
	DocHash, ProofHash        []byte
	HashData                  []byte // ProofHash || DocHash
}

func hasher(t keys.Type) hash.Hash {
	if t == keys.P384 {
		return sha512.New384()
	}
	return sha256.New()
}

// Compute canonicalizes and hashes the document and the proof
// configuration config (already without proofValue, with its @context) for
// a key of type t.
func Compute(ctx context.Context, env disuite.Env, t keys.Type, document, config map[string]json.RawMessage) (*Intermediates, error) {
	var in Intermediates
	var err error
	canon := env.Canon()
	if in.CanonProof, err = canonMembers(ctx, canon, config); err != nil {
		return nil, err
	}
	if err := CheckTypes(ctx, canon, document); err != nil {
		return nil, err
	}
	if in.CanonDocument, err = canonMembers(ctx, canon, document); err != nil {
		return nil, err
	}
	h := hasher(t)
	h.Write(in.CanonDocument)
	in.DocHash = h.Sum(nil)
	h = hasher(t)
	h.Write(in.CanonProof)
	in.ProofHash = h.Sum(nil)
	in.HashData = append(append([]byte{}, in.ProofHash...), in.DocHash...)
	return &in, nil
}

// CheckTypes fails with rdfc.ErrUndefinedTerm when a type of a document
// whose context is not VC 2.0 expands to no absolute IRI. The canonical
// form would hold it as a relative IRI, which is not RDF: other JSON-LD
// processors drop it or refuse the document, so Data Integrity requires
// an error (DATA_LOSS_DETECTION_ERROR). In a VC 2.0 document the data
// model check already requires every type to be defined. Every suite that
// canonicalizes with RDFC-1.0 applies it, to the document it signs and to
// the document it verifies.
func CheckTypes(ctx context.Context, o rdfc.Options, document map[string]json.RawMessage) error {
	first := document["@context"]
	var entries []json.RawMessage
	if json.Unmarshal(first, &entries) == nil && len(entries) > 0 {
		first = entries[0]
	}
	var url string
	if json.Unmarshal(first, &url) == nil && url == rdfc.ContextV2 {
		return nil
	}
	b, err := json.Marshal(document)
	if err != nil {
		return fmt.Errorf("%w: %v", disuite.ErrMalformed, err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("%w: %v", disuite.ErrMalformed, err)
	}
	if err := o.CheckTerms(ctx, m, true); err != nil {
		return fmt.Errorf("%w: %v", rdfc.ErrUndefinedTerm, err)
	}
	return nil
}

type canonOptions interface {
	CanonicalizeContext(ctx context.Context, doc []byte) ([]byte, error)
}

func canonMembers(ctx context.Context, o canonOptions, m map[string]json.RawMessage) ([]byte, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", disuite.ErrMalformed, err)
	}
	return o.CanonicalizeContext(ctx, b)
}

// checkProof checks the proof's type and cryptosuite.
func (s Suite) checkProof(proof map[string]json.RawMessage) error {
	typ, err := disuite.String(proof, "type")
	if err != nil {
		return err
	}
	if typ != s.typ {
		return fmt.Errorf("%w: proof type %q, want %s", disuite.ErrMalformed, typ, s.typ)
	}
	if s.typ == dataintegrity.ProofType {
		cs, err := disuite.String(proof, "cryptosuite")
		if err != nil {
			return err
		}
		if cs != s.name {
			return fmt.Errorf("%w: cryptosuite %q, want %s", disuite.ErrMalformed, cs, s.name)
		}
	}
	return nil
}

// Verify checks proof over document with pk.
func (s Suite) Verify(ctx context.Context, env disuite.Env, pk *keys.PublicKey, document, proof map[string]json.RawMessage) error {
	if err := s.checkProof(proof); err != nil {
		return err
	}
	if err := s.CheckKey(pk.Type()); err != nil {
		return err
	}
	pv, err := disuite.String(proof, "proofValue")
	if err != nil {
		return err
	}
	sig, err := dataintegrity.DecodeProofValue(pv)
	if err != nil {
		return fmt.Errorf("%w: %v", disuite.ErrMalformed, err)
	}
	config, err := disuite.ProofConfig(document, proof)
	if err != nil {
		return err
	}
	in, err := Compute(ctx, env, pk.Type(), document, config)
	if err != nil {
		return err
	}
	// dataintegrity.ErrBadSignature is disuite.ErrBadSignature.
	return dataintegrity.VerifyHashData(pk, in.HashData, sig)
}

// Sign signs document with signer (public key pub) under config, the
// proof's members without proofValue (type and cryptosuite are set here),
// and returns the whole proof.
func (s Suite) Sign(ctx context.Context, env disuite.Env, signer crypto.Signer, pub *keys.PublicKey, document, config map[string]json.RawMessage) (map[string]json.RawMessage, error) {
	if err := s.CheckKey(pub.Type()); err != nil {
		return nil, err
	}
	proof := make(map[string]json.RawMessage, len(config)+3)
	for k, v := range config {
		proof[k] = v
	}
	proof["type"] = disuite.JSON(s.typ)
	if s.typ == dataintegrity.ProofType {
		proof["cryptosuite"] = disuite.JSON(s.name)
	} else {
		delete(proof, "cryptosuite")
	}
	full, err := disuite.ProofConfig(document, proof)
	if err != nil {
		return nil, err
	}
	in, err := Compute(ctx, env, pub.Type(), document, full)
	if err != nil {
		return nil, err
	}
	sig, err := dataintegrity.SignHashData(signer, pub.Type(), in.HashData)
	if err != nil {
		return nil, err
	}
	proof["proofValue"] = disuite.JSON(dataintegrity.EncodeProofValue(sig))
	return proof, nil
}
