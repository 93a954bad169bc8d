package dataintegrity

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"math/big"

	"github.com/badgeproof/badgeproof/internal/canon"
	"github.com/badgeproof/badgeproof/internal/disuite"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	k1ecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/multiformats/go-multibase"
)

// Cryptosuite names.
const (
	EdDSAJCS2022 = "eddsa-jcs-2022"
	ECDSAJCS2019 = "ecdsa-jcs-2019"
	ProofType    = "DataIntegrityProof"
)

// Errors for errors.Is.
var (
	ErrBadSignature = disuite.ErrBadSignature
	ErrKeyMismatch  = errors.New("key type does not match cryptosuite")
	ErrUnsupported  = errors.New("unsupported cryptosuite")
	ErrMalformed    = errors.New("malformed proof")
)

// SuiteFor returns the cryptosuite that signs with keys of type t.
func SuiteFor(t keys.Type) string {
	if t == keys.Ed25519 {
		return EdDSAJCS2022
	}
	return ECDSAJCS2019
}

// CheckKey reports whether a key of type t may be used with suite: no
// algorithm confusion between curves and suites.
func CheckKey(suite string, t keys.Type) error {
	switch suite {
	case EdDSAJCS2022:
		if t == keys.Ed25519 {
			return nil
		}
	case ECDSAJCS2019:
		if t == keys.P256 || t == keys.P384 || t == keys.Secp256k1 {
			return nil
		}
	default:
		return fmt.Errorf("%w: %q", ErrUnsupported, suite)
	}
	return fmt.Errorf("%w: %s cannot be used with %s", ErrKeyMismatch, t, suite)
}

func hasher(t keys.Type) func() hash.Hash {
	if t == keys.P384 {
		return sha512.New384
	}
	return sha256.New
}

// Intermediates are the values hashed and signed, exposed for tests against
// published vectors and for diagnostics.
type Intermediates struct {
	CanonDocument []byte
	CanonProof    []byte
	DocHash       []byte
	ProofHash     []byte
	HashData      []byte // ProofHash || DocHash
}

// Compute canonicalizes and hashes the document (without proof) and the proof
// configuration (without proofValue) for a key of type t.
func Compute(t keys.Type, document, proofConfig map[string]json.RawMessage) (*Intermediates, error) {
	doc, err := canon.JCSMembers(document)
	if err != nil {
		return nil, fmt.Errorf("%w: document: %v", ErrMalformed, err)
	}
	return compute(t, doc, proofConfig)
}

// compute is Compute for a document already in canonical form.
func compute(t keys.Type, canonDocument []byte, proofConfig map[string]json.RawMessage) (*Intermediates, error) {
	canonProof, err := canon.JCSMembers(proofConfig)
	if err != nil {
		return nil, fmt.Errorf("%w: proof: %v", ErrMalformed, err)
	}
	return hashCanonical(t, canonDocument, canonProof), nil
}

// hashCanonical hashes the JCS forms of a document and of a proof
// configuration into the data that is signed.
func hashCanonical(t keys.Type, canonDocument, canonProof []byte) *Intermediates {
	in := Intermediates{CanonDocument: canonDocument, CanonProof: canonProof}
	// ProofHash || DocHash, in one buffer the two hashes are slices of.
	if t == keys.P384 {
		p, d := sha512.Sum384(canonProof), sha512.Sum384(canonDocument)
		in.HashData = append(append(make([]byte, 0, 2*sha512.Size384), p[:]...), d[:]...)
	} else {
		p, d := sha256.Sum256(canonProof), sha256.Sum256(canonDocument)
		in.HashData = append(append(make([]byte, 0, 2*sha256.Size), p[:]...), d[:]...)
	}
	half := len(in.HashData) / 2
	in.ProofHash, in.DocHash = in.HashData[:half:half], in.HashData[half:]
	return &in
}

// SignHashData signs hashData as the suite for keys of type t prescribes,
// with any crypto.Signer of that type (a keys.PrivateKey, or a key in a KMS
// or HSM), and returns the raw signature: Ed25519 signs hashData itself (64
// bytes); ECDSA signs its SHA-256 (P-384: SHA-384) digest, and the DER
// signature the signer returns becomes r||s.
func SignHashData(signer crypto.Signer, t keys.Type, hashData []byte) ([]byte, error) {
	if t == keys.Ed25519 {
		sig, err := signer.Sign(rand.Reader, hashData, crypto.Hash(0))
		if err != nil {
			return nil, err
		}
		if len(sig) != ed25519.SignatureSize {
			return nil, fmt.Errorf("%w: the signer returned %d bytes for an Ed25519 signature", ErrBadSignature, len(sig))
		}
		return sig, nil
	}
	opts, size := crypto.SHA256, 32
	if t == keys.P384 {
		opts, size = crypto.SHA384, 48
	}
	h := hasher(t)()
	h.Write(hashData)
	der, err := signer.Sign(rand.Reader, h.Sum(nil), opts)
	if err != nil {
		return nil, err
	}
	r, s, err := parseDER(der)
	if err != nil {
		return nil, fmt.Errorf("%w: the signer's ECDSA signature: %v", ErrBadSignature, err)
	}
	if r.Sign() <= 0 || s.Sign() <= 0 || r.BitLen() > 8*size || s.BitLen() > 8*size {
		return nil, fmt.Errorf("%w: the signer's ECDSA signature is out of range", ErrBadSignature)
	}
	out := make([]byte, 2*size)
	r.FillBytes(out[:size])
	s.FillBytes(out[size:])
	return out, nil
}

// VerifyHashData checks a raw signature over hashData.
func VerifyHashData(pk *keys.PublicKey, hashData, sig []byte) error {
	switch pk.Type() {
	case keys.Ed25519:
		if len(sig) != ed25519.SignatureSize {
			return fmt.Errorf("%w: Ed25519 signature is %d bytes, want 64", ErrBadSignature, len(sig))
		}
		if !ed25519.Verify(pk.Ed25519(), hashData, sig) {
			return ErrBadSignature
		}
		return nil
	case keys.Secp256k1:
		if len(sig) != 64 {
			return fmt.Errorf("%w: secp256k1 signature is %d bytes, want 64", ErrBadSignature, len(sig))
		}
		var r, s secp256k1.ModNScalar
		if r.SetByteSlice(sig[:32]) || s.SetByteSlice(sig[32:]) || r.IsZero() || s.IsZero() {
			return fmt.Errorf("%w: r or s out of range", ErrBadSignature)
		}
		digest := sha256.Sum256(hashData)
		if !k1ecdsa.NewSignature(&r, &s).Verify(digest[:], pk.Secp256k1()) {
			return ErrBadSignature
		}
		return nil
	case keys.P256, keys.P384:
		size := (pk.ECDSA().Curve.Params().BitSize + 7) / 8
		if len(sig) != 2*size {
			return fmt.Errorf("%w: %s signature is %d bytes, want %d", ErrBadSignature, pk.Type(), len(sig), 2*size)
		}
		h := hasher(pk.Type())()
		h.Write(hashData)
		r := new(big.Int).SetBytes(sig[:size])
		s := new(big.Int).SetBytes(sig[size:])
		if !ecdsa.Verify(pk.ECDSA(), h.Sum(nil), r, s) {
			return ErrBadSignature
		}
		return nil
	}
	return fmt.Errorf("%w: key type %s", ErrUnsupported, pk.Type())
}

// EncodeProofValue is multibase base58btc.
func EncodeProofValue(sig []byte) string {
	s, err := multibase.Encode(multibase.Base58BTC, sig)
	if err != nil {
		panic(err) // base58btc is a known encoding: Encode cannot fail
	}
	return s
}

// maxProofValueLen bounds the encoded signature before base58 decoding.
const maxProofValueLen = 512

// DecodeProofValue parses a multibase base58btc proofValue.
func DecodeProofValue(s string) ([]byte, error) {
	if len(s) > maxProofValueLen {
		return nil, fmt.Errorf("%w: proofValue is %d characters", ErrMalformed, len(s))
	}
	if len(s) < 2 || s[0] != 'z' {
		return nil, fmt.Errorf("%w: proofValue must be multibase base58btc ('z' prefix)", ErrMalformed)
	}
	_, b, err := multibase.Decode(s)
	if err != nil {
		return nil, fmt.Errorf("%w: proofValue: %v", ErrMalformed, err)
	}
	return b, nil
}
