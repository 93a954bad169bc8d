package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"fmt"
	"io"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	k1ecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
)

// Compile-time check: a PrivateKey is a crypto.Signer.
var _ crypto.Signer = (*PrivateKey)(nil)

// Public returns the key's [*PublicKey], as [crypto.Signer] requires.
func (s *PrivateKey) Public() crypto.PublicKey { return s.pub }

// Sign implements [crypto.Signer]. An Ed25519 key signs message (opts must
// not name a hash, or be [ed25519.Options]); a P-256, P-384 or secp256k1 key
// signs digest, which must be the hash opts names, and returns an ASN.1 DER
// signature. Signatures are deterministic (RFC 6979 for ECDSA): rand is not
// used.
func (s *PrivateKey) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	switch s.typ {
	case Ed25519:
		if opts == nil {
			opts = crypto.Hash(0)
		}
		return s.ed.Sign(nil, digest, opts)
	case Secp256k1:
		if err := checkDigest(digest, opts); err != nil {
			return nil, err
		}
		return k1ecdsa.Sign(s.k1, digest).Serialize(), nil
	default:
		if err := checkDigest(digest, opts); err != nil {
			return nil, err
		}
		return s.ec.Sign(nil, digest, opts) // nil random: RFC 6979
	}
}

func checkDigest(digest []byte, opts crypto.SignerOpts) error {
	if opts == nil || opts.HashFunc() == 0 {
		return fmt.Errorf("%w: an ECDSA key signs a digest: name its hash in opts", ErrUnsupported)
	}
	if len(digest) != opts.HashFunc().Size() {
		return fmt.Errorf("%w: digest is %d bytes, %v digests are %d", ErrInvalid, len(digest), opts.HashFunc(), opts.HashFunc().Size())
	}
	return nil
}

// PublicKeyFrom converts the public key of a [crypto.Signer] (or any Go
// public key) to a PublicKey: a *PublicKey, an [ed25519.PublicKey], an
// [*ecdsa.PublicKey] on P-256, P-384 or secp256k1, or a decred
// [*secp256k1.PublicKey].
func PublicKeyFrom(pub crypto.PublicKey) (*PublicKey, error) {
	switch k := pub.(type) {
	case *PublicKey:
		if k == nil {
			return nil, fmt.Errorf("%w: nil public key", ErrInvalid)
		}
		return k, nil
	case ed25519.PublicKey:
		return NewPublicKey(Ed25519, k)
	case *secp256k1.PublicKey:
		if k == nil {
			return nil, fmt.Errorf("%w: nil public key", ErrInvalid)
		}
		return NewPublicKey(Secp256k1, k.SerializeCompressed())
	case *ecdsa.PublicKey:
		if k == nil || k.Curve == nil {
			return nil, fmt.Errorf("%w: nil public key", ErrInvalid)
		}
		switch {
		case k.Curve == elliptic.P256():
			b, err := k.Bytes()
			if err != nil {
				return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
			}
			return NewPublicKey(P256, b)
		case k.Curve == elliptic.P384():
			b, err := k.Bytes()
			if err != nil {
				return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
			}
			return NewPublicKey(P384, b)
		case k.Curve.Params().Name == "secp256k1":
			size := 32
			if k.X == nil || k.Y == nil || k.X.BitLen() > 8*size || k.Y.BitLen() > 8*size {
				return nil, fmt.Errorf("%w: secp256k1 point out of range", ErrInvalid)
			}
			b := make([]byte, 1+2*size)
			b[0] = 4
			k.X.FillBytes(b[1 : 1+size])
			k.Y.FillBytes(b[1+size:])
			return NewPublicKey(Secp256k1, b)
		}
		return nil, fmt.Errorf("%w: ECDSA curve %s", ErrUnsupported, k.Curve.Params().Name)
	}
	return nil, fmt.Errorf("%w: public key of Go type %T", ErrUnsupported, pub)
}

// CryptoPublicKey returns the key as the Go type its curve's library uses:
// an [ed25519.PublicKey], an [*ecdsa.PublicKey] (P-256, P-384) or a decred
// [*secp256k1.PublicKey].
func (p *PublicKey) CryptoPublicKey() crypto.PublicKey {
	switch p.typ {
	case Ed25519:
		return p.ed
	case Secp256k1:
		return p.k1
	}
	return p.ec
}
