package jws

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/badgeproof/badgeproof/internal/jsonx"
	"github.com/badgeproof/badgeproof/keys"
)

// ErrBadKey is wrapped when a JWK, JWK set or did:jwk cannot be read.
var ErrBadKey = errors.New("jws: invalid key")

// maxJWKBytes bounds one JWK (a 4096-bit RSA key is under 1 KiB).
const maxJWKBytes = 16 << 10

// maxJWKSKeys bounds a JWK set.
const maxJWKSKeys = 64

// ParsePublicJWK reads a public JWK: OKP Ed25519, EC P-256, P-384 and
// secp256k1 (returned as *keys.PublicKey) or RSA (*rsa.PublicKey, through
// go-jose). A JWK carrying private members is refused.
func ParsePublicJWK(data []byte) (crypto.PublicKey, error) {
	if len(data) > maxJWKBytes {
		return nil, fmt.Errorf("%w: JWK of %d bytes", ErrBadKey, len(data))
	}
	if err := jsonx.Check(data, jsonx.Limits{MaxBytes: maxJWKBytes, MaxDepth: 4}); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadKey, err)
	}
	var head struct {
		Kty string `json:"kty"`
		D   string `json:"d"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadKey, err)
	}
	if head.D != "" {
		return nil, fmt.Errorf("%w: the JWK holds a private key", ErrBadKey)
	}
	if head.Kty != "RSA" {
		pk, err := keys.ParsePublicJWK(data)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrBadKey, err)
		}
		return pk, nil
	}
	var k jose.JSONWebKey
	if err := k.UnmarshalJSON(data); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadKey, err)
	}
	rk, ok := k.Key.(*rsa.PublicKey)
	if !ok || !k.IsPublic() {
		return nil, fmt.Errorf("%w: not a public RSA key", ErrBadKey)
	}
	if rk.N.BitLen() < minRSABits {
		return nil, fmt.Errorf("%w: RSA key of %d bits, at least %d needed", ErrBadKey, rk.N.BitLen(), minRSABits)
	}
	return rk, nil
}

// JWK is one key of a set, with its kid.
type JWK struct {
	Kid string
	Key crypto.PublicKey
	Raw json.RawMessage
}

// ParseJWKS reads a JWK set ({"keys":[...]}) of public keys.
func ParseJWKS(data []byte) ([]JWK, error) {
	if err := jsonx.Check(data, jsonx.Limits{MaxBytes: maxJWKSKeys * maxJWKBytes, MaxDepth: 6}); err != nil {
		return nil, fmt.Errorf("%w: JWK set: %v", ErrBadKey, err)
	}
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(data, &set); err != nil {
		return nil, fmt.Errorf("%w: JWK set: %v", ErrBadKey, err)
	}
	if len(set.Keys) == 0 || len(set.Keys) > maxJWKSKeys {
		return nil, fmt.Errorf("%w: JWK set with %d keys (1 to %d)", ErrBadKey, len(set.Keys), maxJWKSKeys)
	}
	out := make([]JWK, 0, len(set.Keys))
	for i, raw := range set.Keys {
		var m struct {
			Kid string `json:"kid"`
			Use string `json:"use"`
		}
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("%w: keys[%d]: %v", ErrBadKey, i, err)
		}
		if m.Use != "" && m.Use != "sig" {
			continue // an encryption key never verifies a signature
		}
		k, err := ParsePublicJWK(raw)
		if err != nil {
			return nil, fmt.Errorf("keys[%d]: %w", i, err)
		}
		out = append(out, JWK{Kid: m.Kid, Key: k, Raw: raw})
	}
	return out, nil
}

// MarshalPublicJWK writes pub as a public JWK.
func MarshalPublicJWK(pub crypto.PublicKey) ([]byte, error) {
	if rk, ok := pub.(*rsa.PublicKey); ok {
		return jose.JSONWebKey{Key: rk}.MarshalJSON()
	}
	pk, err := toKey(pub)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadKey, err)
	}
	return pk.JWK()
}

// Thumbprint is the RFC 7638 SHA-256 thumbprint of pub, base64url.
func Thumbprint(pub crypto.PublicKey) (string, error) {
	if rk, ok := pub.(*rsa.PublicKey); ok {
		tp, err := (&jose.JSONWebKey{Key: rk}).Thumbprint(crypto.SHA256)
		if err != nil {
			return "", err
		}
		return base64.RawURLEncoding.EncodeToString(tp), nil
	}
	raw, err := MarshalPublicJWK(pub)
	if err != nil {
		return "", err
	}
	var m map[string]string
	if err := json.Unmarshal(raw, &m); err != nil {
		return "", err
	}
	var canon string
	if m["kty"] == "OKP" {
		canon = fmt.Sprintf(`{"crv":%q,"kty":"OKP","x":%q}`, m["crv"], m["x"])
	} else {
		canon = fmt.Sprintf(`{"crv":%q,"kty":"EC","x":%q,"y":%q}`, m["crv"], m["x"], m["y"])
	}
	sum := sha256.Sum256([]byte(canon))
	return base64.RawURLEncoding.EncodeToString(sum[:]), nil
}

// DIDJWKPrefix starts a did:jwk identifier.
const DIDJWKPrefix = "did:jwk:"

// ParseDIDJWK decodes a did:jwk identifier or verification method
// (did:jwk:<base64url JWK>#0).
func ParseDIDJWK(s string) (crypto.PublicKey, string, error) {
	did, frag, _ := strings.Cut(s, "#")
	if !strings.HasPrefix(did, DIDJWKPrefix) {
		return nil, "", fmt.Errorf("%w: %q is not a did:jwk", ErrBadKey, s)
	}
	if frag != "" && frag != "0" {
		return nil, "", fmt.Errorf("%w: a did:jwk has one key, #0, not #%s", ErrBadKey, frag)
	}
	enc := strings.TrimPrefix(did, DIDJWKPrefix)
	if len(enc) > base64.RawURLEncoding.EncodedLen(maxJWKBytes) {
		return nil, "", fmt.Errorf("%w: did:jwk too long", ErrBadKey)
	}
	raw, err := decodeSegment(enc)
	if err != nil {
		return nil, "", fmt.Errorf("%w: did:jwk: %v", ErrBadKey, err)
	}
	pk, err := ParsePublicJWK(raw)
	if err != nil {
		return nil, "", err
	}
	return pk, did, nil
}

// DIDJWK names pub as a did:jwk.
func DIDJWK(pub crypto.PublicKey) (string, error) {
	raw, err := MarshalPublicJWK(pub)
	if err != nil {
		return "", err
	}
	return DIDJWKPrefix + base64.RawURLEncoding.EncodeToString(raw), nil
}
