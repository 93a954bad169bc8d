package keys

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
)

// jwk is the subset of a JSON Web Key (RFC 7517, RFC 8037) these key types
// use: OKP Ed25519 and EC P-256, P-384, secp256k1.
type jwk struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y,omitempty"`
	D   string `json:"d,omitempty"`
}

// maxJWKLen bounds a JWK before it is decoded; the largest supported key
// (a private P-384 JWK) is under 300 bytes.
const maxJWKLen = 4096

var b64 = base64.RawURLEncoding

func (t Type) jwkCurve() (kty, crv string, size int) {
	switch t {
	case Ed25519:
		return "OKP", "Ed25519", 32
	case P256:
		return "EC", "P-256", 32
	case P384:
		return "EC", "P-384", 48
	}
	return "EC", "secp256k1", 32
}

// JWK returns the key as a public JSON Web Key.
func (p *PublicKey) JWK() ([]byte, error) {
	return json.Marshal(p.jwk())
}

func (p *PublicKey) jwk() jwk {
	kty, crv, size := p.typ.jwkCurve()
	if p.typ == Ed25519 {
		return jwk{Kty: kty, Crv: crv, X: b64.EncodeToString(p.raw)}
	}
	u := p.uncompressed()
	return jwk{Kty: kty, Crv: crv, X: b64.EncodeToString(u[1 : 1+size]), Y: b64.EncodeToString(u[1+size:])}
}

func (p *PublicKey) uncompressed() []byte {
	if p.typ == Secp256k1 {
		return p.k1.SerializeUncompressed()
	}
	b, _ := p.ec.Bytes() // a parsed key always encodes
	return b
}

// JWK returns the key as a private JSON Web Key (with "d"). Keep it secret.
func (s *PrivateKey) JWK() ([]byte, error) {
	j := s.pub.jwk()
	j.D = b64.EncodeToString(s.raw)
	return json.Marshal(j)
}

// ParsePublicJWK parses a public JSON Web Key: OKP Ed25519 or EC P-256,
// P-384, secp256k1. A JWK holding a private key is refused, so that a
// secret published by mistake is not silently accepted as a public key.
func ParsePublicJWK(data []byte) (*PublicKey, error) {
	j, err := decodeJWK(data)
	if err != nil {
		return nil, err
	}
	if j.D != "" {
		return nil, fmt.Errorf("%w: JWK holds a private key (\"d\")", ErrInvalid)
	}
	return j.public()
}

// ParsePrivateJWK parses a private JSON Web Key and checks that its public
// part matches the private key.
func ParsePrivateJWK(data []byte) (*PrivateKey, error) {
	j, err := decodeJWK(data)
	if err != nil {
		return nil, err
	}
	if j.D == "" {
		return nil, fmt.Errorf("%w: JWK has no private key (\"d\")", ErrInvalid)
	}
	pub, err := j.public()
	if err != nil {
		return nil, err
	}
	d, err := b64.DecodeString(j.D)
	if err != nil {
		return nil, fmt.Errorf("%w: JWK d: %v", ErrInvalid, err)
	}
	k, err := NewPrivateKey(pub.typ, d)
	if err != nil {
		return nil, err
	}
	if !k.pub.Equal(pub) {
		return nil, fmt.Errorf("%w: JWK public key does not match its private key", ErrInvalid)
	}
	return k, nil
}

func decodeJWK(data []byte) (*jwk, error) {
	if len(data) > maxJWKLen {
		return nil, fmt.Errorf("%w: JWK is %d bytes, larger than any supported key", ErrInvalid, len(data))
	}
	var j jwk
	if err := json.Unmarshal(data, &j); err != nil {
		return nil, fmt.Errorf("%w: JWK: %v", ErrInvalid, err)
	}
	return &j, nil
}

func (j *jwk) public() (*PublicKey, error) {
	x, err := b64.DecodeString(j.X)
	if err != nil {
		return nil, fmt.Errorf("%w: JWK x: %v", ErrInvalid, err)
	}
	for _, t := range []Type{Ed25519, P256, P384, Secp256k1} {
		kty, crv, size := t.jwkCurve()
		if j.Kty != kty || j.Crv != crv {
			continue
		}
		if t == Ed25519 {
			if j.Y != "" {
				return nil, fmt.Errorf("%w: an OKP JWK has no y", ErrInvalid)
			}
			return NewPublicKey(t, x)
		}
		y, err := b64.DecodeString(j.Y)
		if err != nil {
			return nil, fmt.Errorf("%w: JWK y: %v", ErrInvalid, err)
		}
		if len(x) != size || len(y) != size {
			return nil, fmt.Errorf("%w: %s JWK coordinates must be %d bytes", ErrInvalid, crv, size)
		}
		return NewPublicKey(t, append(append([]byte{4}, x...), y...))
	}
	if j.Kty == "" {
		return nil, errors.Join(ErrInvalid, errors.New("JWK has no kty"))
	}
	return nil, fmt.Errorf("%w: JWK %s/%s", ErrUnsupported, j.Kty, j.Crv)
}
