package dataintegrity

import (
	"context"
	"crypto"
	"encoding/json"
	"fmt"

	"github.com/badgeproof/badgeproof/internal/disuite"
	"github.com/badgeproof/badgeproof/keys"
)

// JCS is one of the JCS cryptosuites as a disuite.Signer.
type JCS struct{ name string }

// The JCS suites.
var (
	EdDSAJCS = JCS{EdDSAJCS2022}
	ECDSAJCS = JCS{ECDSAJCS2019}
)

var _ disuite.Signer = EdDSAJCS

// Name returns the cryptosuite.
func (s JCS) Name() string { return s.name }

// CheckKey reports whether a key of type t may be used with s.
func (s JCS) CheckKey(t keys.Type) error {
	if err := CheckKey(s.name, t); err != nil {
		return fmt.Errorf("%w: %w", disuite.ErrKeyMismatch, err)
	}
	return nil
}

// Verify checks proof over document with pk.
func (s JCS) Verify(_ context.Context, _ disuite.Env, pk *keys.PublicKey, document, proof map[string]json.RawMessage) error {
	if cs, err := stringMember(proof, "cryptosuite"); err != nil || cs != s.name {
		return fmt.Errorf("%w: cryptosuite %q, want %s", disuite.ErrMalformed, cs, s.name)
	}
	return Verify(pk, document, proof)
}

// VerifyCanonical is Verify for a caller that has the document and the
// proof configuration in JCS form already (dataintegrity.VerifyCanonical).
func (s JCS) VerifyCanonical(pk *keys.PublicKey, docContext json.RawMessage, proof map[string]json.RawMessage, c Canonical) error {
	if cs, err := stringMember(proof, "cryptosuite"); err != nil || cs != s.name {
		return fmt.Errorf("%w: cryptosuite %q, want %s", disuite.ErrMalformed, cs, s.name)
	}
	return VerifyCanonical(pk, docContext, proof, c)
}

// Sign signs document under config (the proof without proofValue).
func (s JCS) Sign(_ context.Context, _ disuite.Env, signer crypto.Signer, pub *keys.PublicKey, document, config map[string]json.RawMessage) (map[string]json.RawMessage, error) {
	if err := s.CheckKey(pub.Type()); err != nil {
		return nil, err
	}
	proof := make(map[string]json.RawMessage, len(config)+3)
	for k, v := range config {
		proof[k] = v
	}
	proof["type"] = mustJSON(ProofType)
	proof["cryptosuite"] = mustJSON(s.name)
	if ctx, ok := document["@context"]; ok {
		if _, has := proof["@context"]; !has {
			proof["@context"] = ctx
		}
	}
	in, err := Compute(pub.Type(), document, proof)
	if err != nil {
		return nil, err
	}
	sig, err := SignHashData(signer, pub.Type(), in.HashData)
	if err != nil {
		return nil, err
	}
	proof["proofValue"] = mustJSON(EncodeProofValue(sig))
	return proof, nil
}
