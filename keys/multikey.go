package keys

import (
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/multiformats/go-multibase"
)

// Type names a curve.
type Type string

// The supported key types.
const (
	Ed25519   Type = "Ed25519"
	P256      Type = "P-256"
	P384      Type = "P-384"
	Secp256k1 Type = "secp256k1"
)

// ParseType accepts the names used on the command line and in trust lists.
func ParseType(s string) (Type, error) {
	switch strings.ToLower(strings.ReplaceAll(s, "-", "")) {
	case "ed25519":
		return Ed25519, nil
	case "p256":
		return P256, nil
	case "p384":
		return P384, nil
	case "secp256k1":
		return Secp256k1, nil
	}
	return "", fmt.Errorf("%w: unknown key type %q (want ed25519, p256, p384 or secp256k1)", ErrUnsupported, s)
}

// Errors for errors.Is.
var (
	ErrInvalid     = errors.New("keys: invalid key")
	ErrUnsupported = errors.New("keys: unsupported key type")
)

// maxEncodedLen bounds the input before base58 decoding (whose cost grows
// quadratically with length).
const maxEncodedLen = 256

type codec struct {
	typ       Type
	pubCode   uint64
	secCode   uint64
	pubLen    int
	secLen    int
	didPrefix string
}

var codecs = []codec{
	{Ed25519, 0xed, 0x1300, 32, 32, "z6Mk"},
	{P256, 0x1200, 0x1306, 33, 32, "zDn"},
	{P384, 0x1201, 0x1307, 49, 48, "z82"},
	{Secp256k1, 0xe7, 0x1301, 33, 32, "zQ3s"},
}

func codecOf(t Type) (codec, error) {
	for _, c := range codecs {
		if c.typ == t {
			return c, nil
		}
	}
	return codec{}, fmt.Errorf("%w: %q", ErrUnsupported, t)
}

// PublicKey is a verification key of one of the supported types. It is
// immutable and safe for concurrent use.
type PublicKey struct {
	typ Type
	raw []byte // ed25519: 32 bytes; EC: compressed point
	ed  ed25519.PublicKey
	ec  *ecdsa.PublicKey
	k1  *secp256k1.PublicKey
}

// Type reports the curve.
func (p *PublicKey) Type() Type { return p.typ }

// Ed25519 returns the key if it is an Ed25519 key.
func (p *PublicKey) Ed25519() ed25519.PublicKey { return p.ed }

// ECDSA returns the key if it is a P-256 or P-384 key.
func (p *PublicKey) ECDSA() *ecdsa.PublicKey { return p.ec }

// Secp256k1 returns the key if it is a secp256k1 key.
func (p *PublicKey) Secp256k1() *secp256k1.PublicKey { return p.k1 }

// Bytes returns the raw key: 32 bytes for Ed25519, a compressed point otherwise.
func (p *PublicKey) Bytes() []byte { return append([]byte(nil), p.raw...) }

// Equal reports whether two keys are the same.
func (p *PublicKey) Equal(q *PublicKey) bool {
	return p != nil && q != nil && p.typ == q.typ && string(p.raw) == string(q.raw)
}

// Multibase returns the Multikey publicKeyMultibase form ("z..." base58btc).
func (p *PublicKey) Multibase() string {
	c, _ := codecOf(p.typ)
	return encode(c.pubCode, p.raw)
}

// DID returns the key's did:key identifier.
func (p *PublicKey) DID() string { return "did:key:" + p.Multibase() }

// VerificationMethod returns the did:key verification method id
// (did:key:z...#z...).
func (p *PublicKey) VerificationMethod() string {
	mb := p.Multibase()
	return "did:key:" + mb + "#" + mb
}

// NewPublicKey builds a PublicKey from raw bytes: 32 bytes for Ed25519, a
// compressed (or, for EC curves, uncompressed) point otherwise.
func NewPublicKey(t Type, b []byte) (*PublicKey, error) {
	c, err := codecOf(t)
	if err != nil {
		return nil, err
	}
	switch t {
	case Ed25519:
		if len(b) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("%w: Ed25519 public key is %d bytes, want 32", ErrInvalid, len(b))
		}
		k := ed25519.PublicKey(append([]byte(nil), b...))
		return &PublicKey{typ: t, raw: k, ed: k}, nil
	case Secp256k1:
		k, err := secp256k1.ParsePubKey(b)
		if err != nil {
			return nil, fmt.Errorf("%w: secp256k1 point: %v", ErrInvalid, err)
		}
		return &PublicKey{typ: t, raw: k.SerializeCompressed(), k1: k}, nil
	default:
		curve := ellipticCurve(t)
		var uncompressed []byte
		switch {
		case len(b) == c.pubLen && (b[0] == 2 || b[0] == 3):
			x, y := elliptic.UnmarshalCompressed(curve, b)
			if x == nil {
				return nil, fmt.Errorf("%w: %s point not on curve", ErrInvalid, t)
			}
			size := (curve.Params().BitSize + 7) / 8
			uncompressed = make([]byte, 1+2*size)
			uncompressed[0] = 4
			x.FillBytes(uncompressed[1 : 1+size])
			y.FillBytes(uncompressed[1+size:])
		case len(b) == 2*c.pubLen-1 && b[0] == 4:
			uncompressed = b
		default:
			return nil, fmt.Errorf("%w: %s public key is %d bytes, want a %d-byte compressed point", ErrInvalid, t, len(b), c.pubLen)
		}
		k, err := ecdsa.ParseUncompressedPublicKey(curve, uncompressed)
		if err != nil {
			return nil, fmt.Errorf("%w: %s point: %v", ErrInvalid, t, err)
		}
		return &PublicKey{typ: t, raw: compress(uncompressed), ec: k}, nil
	}
}

func compress(uncompressed []byte) []byte {
	size := (len(uncompressed) - 1) / 2
	out := make([]byte, 1+size)
	out[0] = 2 | uncompressed[len(uncompressed)-1]&1
	copy(out[1:], uncompressed[1:1+size])
	return out
}

func ellipticCurve(t Type) elliptic.Curve {
	if t == P384 {
		return elliptic.P384()
	}
	return elliptic.P256()
}

// ParseMultikey parses a Multikey publicKeyMultibase value.
func ParseMultikey(mb string) (*PublicKey, error) {
	code, key, err := decode(mb)
	if err != nil {
		return nil, err
	}
	for _, c := range codecs {
		if c.pubCode == code {
			return NewPublicKey(c.typ, key)
		}
		if c.secCode == code {
			return nil, fmt.Errorf("%w: %s is a secret key, not a public key", ErrInvalid, c.typ)
		}
	}
	return nil, fmt.Errorf("%w: multicodec 0x%x", ErrUnsupported, code)
}

// ParsePublicKey accepts the forms a key is named by on the command line and
// in configuration: a did:key identifier, a did:key verification method or a
// Multikey publicKeyMultibase value.
func ParsePublicKey(s string) (*PublicKey, error) {
	if strings.HasPrefix(s, "did:") {
		return ParseDIDKey(s)
	}
	return ParseMultikey(s)
}

// ParseDIDKey parses a did:key identifier or a did:key verification method
// (did:key:z...#z...; the fragment must name the same key).
func ParseDIDKey(did string) (*PublicKey, error) {
	rest, ok := strings.CutPrefix(did, "did:key:")
	if !ok {
		return nil, fmt.Errorf("%w: %q is not a did:key", ErrInvalid, did)
	}
	mb, frag, hasFrag := strings.Cut(rest, "#")
	if hasFrag && frag != mb {
		return nil, fmt.Errorf("%w: did:key fragment %q does not name the key %q", ErrInvalid, frag, mb)
	}
	return ParseMultikey(mb)
}

// PrivateKey is a signing key of one of the supported types.
type PrivateKey struct {
	typ Type
	raw []byte
	ed  ed25519.PrivateKey
	ec  *ecdsa.PrivateKey
	k1  *secp256k1.PrivateKey
	pub *PublicKey
}

// Type reports the curve.
func (s *PrivateKey) Type() Type { return s.typ }

// PublicKey returns the matching public key.
func (s *PrivateKey) PublicKey() *PublicKey { return s.pub }

// Ed25519 returns the key if it is an Ed25519 key.
func (s *PrivateKey) Ed25519() ed25519.PrivateKey { return s.ed }

// ECDSA returns the key if it is a P-256 or P-384 key.
func (s *PrivateKey) ECDSA() *ecdsa.PrivateKey { return s.ec }

// Secp256k1 returns the key if it is a secp256k1 key.
func (s *PrivateKey) Secp256k1() *secp256k1.PrivateKey { return s.k1 }

// Multibase returns the Multikey secretKeyMultibase form.
func (s *PrivateKey) Multibase() string {
	c, _ := codecOf(s.typ)
	return encode(c.secCode, s.raw)
}

// NewPrivateKey builds a PrivateKey from its raw scalar (the 32-byte seed for Ed25519).
func NewPrivateKey(t Type, b []byte) (*PrivateKey, error) {
	c, err := codecOf(t)
	if err != nil {
		return nil, err
	}
	if len(b) != c.secLen {
		return nil, fmt.Errorf("%w: %s secret key is %d bytes, want %d", ErrInvalid, t, len(b), c.secLen)
	}
	raw := append([]byte(nil), b...)
	s := &PrivateKey{typ: t, raw: raw}
	switch t {
	case Ed25519:
		s.ed = ed25519.NewKeyFromSeed(raw)
		s.pub, err = NewPublicKey(t, s.ed.Public().(ed25519.PublicKey))
	case Secp256k1:
		var scalar secp256k1.ModNScalar
		if overflow := scalar.SetByteSlice(raw); overflow || scalar.IsZero() {
			return nil, fmt.Errorf("%w: secp256k1 secret key out of range", ErrInvalid)
		}
		s.k1 = secp256k1.NewPrivateKey(&scalar)
		s.pub, err = NewPublicKey(t, s.k1.PubKey().SerializeCompressed())
	default:
		s.ec, err = ecdsa.ParseRawPrivateKey(ellipticCurve(t), raw)
		if err != nil {
			return nil, fmt.Errorf("%w: %s secret key: %v", ErrInvalid, t, err)
		}
		var pub []byte
		pub, err = s.ec.PublicKey.Bytes()
		if err == nil {
			s.pub, err = NewPublicKey(t, pub)
		}
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

// ParseSecretMultikey parses a Multikey secretKeyMultibase value.
func ParseSecretMultikey(mb string) (*PrivateKey, error) {
	code, key, err := decode(mb)
	if err != nil {
		return nil, err
	}
	for _, c := range codecs {
		if c.secCode == code {
			return NewPrivateKey(c.typ, key)
		}
		if c.pubCode == code {
			return nil, fmt.Errorf("%w: %s public key given where a secret key is needed", ErrInvalid, c.typ)
		}
	}
	return nil, fmt.Errorf("%w: multicodec 0x%x", ErrUnsupported, code)
}

// Generate makes a new random key of the given type.
func Generate(t Type) (*PrivateKey, error) {
	switch t {
	case Ed25519:
		_, k, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		return NewPrivateKey(t, k.Seed())
	case Secp256k1:
		k, err := secp256k1.GeneratePrivateKey()
		if err != nil {
			return nil, err
		}
		b := k.Serialize()
		return NewPrivateKey(t, b)
	case P256, P384:
		curve := ecdh.P256()
		if t == P384 {
			curve = ecdh.P384()
		}
		k, err := curve.GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		return NewPrivateKey(t, k.Bytes())
	}
	return nil, fmt.Errorf("%w: %q", ErrUnsupported, t)
}

func encode(code uint64, key []byte) string {
	buf := binary.AppendUvarint(nil, code)
	s, err := multibase.Encode(multibase.Base58BTC, append(buf, key...))
	if err != nil {
		panic(err) // base58btc is a known encoding: Encode cannot fail
	}
	return s
}

func decode(mb string) (uint64, []byte, error) {
	if len(mb) > maxEncodedLen {
		return 0, nil, fmt.Errorf("%w: %d characters, longer than any supported key", ErrInvalid, len(mb))
	}
	if len(mb) < 2 || mb[0] != 'z' {
		return 0, nil, fmt.Errorf("%w: %q: want multibase base58btc ('z' prefix)", ErrInvalid, mb)
	}
	_, b, err := multibase.Decode(mb)
	if err != nil {
		return 0, nil, fmt.Errorf("%w: base58btc: %v", ErrInvalid, err)
	}
	code, n := binary.Uvarint(b)
	if n <= 0 {
		return 0, nil, fmt.Errorf("%w: bad multicodec prefix", ErrInvalid)
	}
	return code, b[n:], nil
}
