// Package ldjws implements the legacy Linked Data signature type
// EcdsaSecp256k1Signature2019, the signature Blockcerts v3 certificates
// carry beside their Merkle proof: a detached, unencoded-payload JWS
// (RFC 7797: header {"alg":"ES256K","b64":false,"crit":["b64"]}) over
// verifyData = SHA-256(RDFC(proof options)) || SHA-256(RDFC(document)),
// where the proof options are the proof without jws under the document's
// @context. ES256K signs SHA-256(base64url(header) + "." + verifyData).
// It verifies only; the SDK signs with Data Integrity suites.
package ldjws

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/badgeproof/badgeproof/internal/disuite"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	k1ecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
)

// EcdsaSecp256k1Signature2019 is the proof type.
const EcdsaSecp256k1Signature2019 = "EcdsaSecp256k1Signature2019"

// maxJWSLen bounds the jws member before any decoding.
const maxJWSLen = 1024

// Secp256k1 is the EcdsaSecp256k1Signature2019 suite.
type Secp256k1 struct{}

var _ disuite.Suite = Secp256k1{}

// Name returns the proof type.
func (Secp256k1) Name() string { return EcdsaSecp256k1Signature2019 }

// CheckKey accepts only secp256k1 keys.
func (Secp256k1) CheckKey(t keys.Type) error {
	if t == keys.Secp256k1 {
		return nil
	}
	return fmt.Errorf("%w: %s cannot be used with %s", disuite.ErrKeyMismatch, t, EcdsaSecp256k1Signature2019)
}

// header is the only protected header this suite accepts.
type header struct {
	Alg  string   `json:"alg"`
	B64  *bool    `json:"b64"`
	Crit []string `json:"crit"`
}

// VerifyData returns the bytes the JWS signs for proof over document.
func VerifyData(ctx context.Context, env disuite.Env, document, proof map[string]json.RawMessage) ([]byte, error) {
	opts := make(map[string]json.RawMessage, len(proof))
	for k, v := range proof {
		if k != "jws" && k != "signatureValue" && k != "proofValue" {
			opts[k] = v
		}
	}
	if _, ok := opts["@context"]; !ok {
		if dc, ok := document["@context"]; ok {
			opts["@context"] = dc
		}
	}
	canon := env.Canon()
	var out []byte
	for _, m := range []map[string]json.RawMessage{opts, document} {
		b, err := json.Marshal(m)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", disuite.ErrMalformed, err)
		}
		nq, err := canon.CanonicalizeContext(ctx, b)
		if err != nil {
			return nil, err
		}
		h := sha256.Sum256(nq)
		out = append(out, h[:]...)
	}
	return out, nil
}

// Verify checks proof over document with pk.
func (s Secp256k1) Verify(ctx context.Context, env disuite.Env, pk *keys.PublicKey, document, proof map[string]json.RawMessage) error {
	if typ, err := disuite.String(proof, "type"); err != nil || typ != EcdsaSecp256k1Signature2019 {
		return fmt.Errorf("%w: proof type %q, want %s", disuite.ErrMalformed, typ, EcdsaSecp256k1Signature2019)
	}
	if err := s.CheckKey(pk.Type()); err != nil {
		return err
	}
	jws, err := disuite.String(proof, "jws")
	if err != nil {
		return err
	}
	if len(jws) > maxJWSLen {
		return fmt.Errorf("%w: jws is %d characters", disuite.ErrMalformed, len(jws))
	}
	h64, sig64, ok := strings.Cut(jws, "..")
	if !ok || strings.Contains(sig64, ".") {
		return fmt.Errorf("%w: jws is not a detached JWS (header..signature)", disuite.ErrMalformed)
	}
	hb, err := base64.RawURLEncoding.DecodeString(h64)
	if err != nil {
		return fmt.Errorf("%w: jws header: %v", disuite.ErrMalformed, err)
	}
	var h header
	if err := json.Unmarshal(hb, &h); err != nil {
		return fmt.Errorf("%w: jws header: %v", disuite.ErrMalformed, err)
	}
	if h.Alg != "ES256K" || h.B64 == nil || *h.B64 || len(h.Crit) != 1 || h.Crit[0] != "b64" {
		return fmt.Errorf("%w: jws header %s, want alg ES256K with an unencoded payload (b64 false, crit [b64])", disuite.ErrMalformed, hb)
	}
	sig, err := base64.RawURLEncoding.DecodeString(sig64)
	if err != nil || len(sig) != 64 {
		return fmt.Errorf("%w: jws signature is not 64 bytes of base64url", disuite.ErrMalformed)
	}
	data, err := VerifyData(ctx, env, document, proof)
	if err != nil {
		return err
	}
	digest := sha256.Sum256(append([]byte(h64+"."), data...))
	var r, sc secp256k1.ModNScalar
	if r.SetByteSlice(sig[:32]) || sc.SetByteSlice(sig[32:]) || r.IsZero() || sc.IsZero() {
		return fmt.Errorf("%w: r or s out of range", disuite.ErrBadSignature)
	}
	if !k1ecdsa.NewSignature(&r, &sc).Verify(digest[:], pk.Secp256k1()) {
		return disuite.ErrBadSignature
	}
	return nil
}
