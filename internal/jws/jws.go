// Package jws reads and writes compact JSON Web Signatures (RFC 7515) for
// the JOSE family of credentials: Open Badges 3.0 VC-JWT, VC 2.0 secured
// with JOSE, SD-JWT VCs and their key binding JWTs, and status list tokens.
//
// Only asymmetric algorithms exist here: EdDSA (Ed25519), ES256, ES384,
// ES256K (secp256k1, RFC 8812), RS256/384/512 and PS256/384/512. "none" and
// the HMAC algorithms are refused by name with their own errors, and every
// verification takes the caller's list of accepted algorithms; a key whose
// type disagrees with the header's alg is an error before any signature
// arithmetic (no algorithm confusion).
//
// Parsing is bounded: the whole token, the header and the payload have size
// limits, and the header is checked as strict JSON (duplicate keys, nesting)
// before it is decoded.
package jws

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/badgeproof/badgeproof/internal/dataintegrity"
	"github.com/badgeproof/badgeproof/internal/jsonx"
	"github.com/badgeproof/badgeproof/keys"
)

// Algorithm names.
const (
	EdDSA  = "EdDSA"
	ES256  = "ES256"
	ES384  = "ES384"
	ES256K = "ES256K"
	RS256  = "RS256"
	RS384  = "RS384"
	RS512  = "RS512"
	PS256  = "PS256"
	PS384  = "PS384"
	PS512  = "PS512"
)

// Algorithms lists every algorithm this package verifies.
func Algorithms() []string {
	return []string{EdDSA, ES256, ES384, ES256K, PS256, PS384, PS512, RS256, RS384, RS512}
}

// Supported reports whether alg is one of Algorithms.
func Supported(alg string) bool {
	for _, a := range Algorithms() {
		if a == alg {
			return true
		}
	}
	return false
}

// Errors, for errors.Is.
var (
	ErrMalformed     = errors.New("jws: malformed token")
	ErrTooLarge      = errors.New("jws: token too large")
	ErrAlgNone       = errors.New("jws: unsecured token (alg none)")
	ErrAlgHMAC       = errors.New("jws: symmetric (HMAC) algorithm")
	ErrAlgNotAllowed = errors.New("jws: algorithm not accepted")
	ErrKeyMismatch   = errors.New("jws: key type does not match alg")
	ErrBadSignature  = errors.New("jws: bad signature")
)

// MaxTokenBytes bounds a compact token (header, payload, signature and
// dots). Badges are a few kilobytes; a status list token for millions of
// entries is compressed to well under a megabyte.
const MaxTokenBytes = 4 << 20

// maxHeaderBytes bounds the decoded protected header: an x5c chain of a few
// certificates fits many times over.
const maxHeaderBytes = 64 << 10

// Header is the decoded protected header.
type Header struct {
	Alg  string          `json:"alg"`
	Typ  string          `json:"typ,omitempty"`
	Cty  string          `json:"cty,omitempty"`
	Kid  string          `json:"kid,omitempty"`
	JWK  json.RawMessage `json:"jwk,omitempty"`
	X5C  []string        `json:"x5c,omitempty"`
	Crit []string        `json:"crit,omitempty"`
	// Raw holds every member as given.
	Raw map[string]json.RawMessage `json:"-"`
}

// Token is a parsed, not yet verified compact JWS.
type Token struct {
	Header    Header
	Payload   []byte // decoded
	signing   string // base64url(header) "." base64url(payload)
	signature []byte
}

// SigningInput returns the bytes the signature covers.
func (t *Token) SigningInput() string { return t.signing }

// Parse splits and decodes a compact JWS without verifying it. It refuses
// tokens over MaxTokenBytes (or maxPayload when positive), anything but
// three base64url parts, a header that is not strict JSON, unknown critical
// extensions, and alg none or HMAC (which no caller may accept).
func Parse(token string, maxPayload int) (*Token, error) {
	if len(token) > MaxTokenBytes {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(token), MaxTokenBytes)
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("%w: %d parts, a compact JWS has 3", ErrMalformed, len(parts))
	}
	if len(parts[0]) > base64.RawURLEncoding.EncodedLen(maxHeaderBytes) {
		return nil, fmt.Errorf("%w: header larger than %d bytes", ErrTooLarge, maxHeaderBytes)
	}
	if maxPayload > 0 && len(parts[1]) > base64.RawURLEncoding.EncodedLen(maxPayload) {
		return nil, fmt.Errorf("%w: payload larger than %d bytes", ErrTooLarge, maxPayload)
	}
	hb, err := decodeSegment(parts[0])
	if err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrMalformed, err)
	}
	if err := jsonx.Check(hb, jsonx.Limits{MaxBytes: maxHeaderBytes, MaxDepth: 8}); err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrMalformed, err)
	}
	var h Header
	if err := json.Unmarshal(hb, &h); err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrMalformed, err)
	}
	if err := json.Unmarshal(hb, &h.Raw); err != nil {
		return nil, fmt.Errorf("%w: header is not an object: %v", ErrMalformed, err)
	}
	if err := checkAlg(h.Alg); err != nil {
		return nil, err
	}
	for _, c := range h.Crit {
		// No extension is understood: RFC 7515 §4.1.11 says reject.
		return nil, fmt.Errorf("%w: critical header extension %q is not understood", ErrMalformed, c)
	}
	if raw, ok := h.Raw["b64"]; ok && string(raw) != "true" {
		return nil, fmt.Errorf("%w: unencoded payloads (b64) are not accepted", ErrMalformed)
	}
	payload, err := decodeSegment(parts[1])
	if err != nil {
		return nil, fmt.Errorf("%w: payload: %v", ErrMalformed, err)
	}
	sig, err := decodeSegment(parts[2])
	if err != nil {
		return nil, fmt.Errorf("%w: signature: %v", ErrMalformed, err)
	}
	if len(sig) == 0 {
		return nil, fmt.Errorf("%w: empty signature", ErrMalformed)
	}
	return &Token{Header: h, Payload: payload, signing: parts[0] + "." + parts[1], signature: sig}, nil
}

// checkAlg refuses none and HMAC by name; any other unknown alg is not
// accepted.
func checkAlg(alg string) error {
	switch {
	case alg == "":
		return fmt.Errorf("%w: header has no alg", ErrMalformed)
	case strings.EqualFold(alg, "none"):
		return fmt.Errorf("%w: the token is not signed", ErrAlgNone)
	case strings.HasPrefix(strings.ToUpper(alg), "HS"):
		return fmt.Errorf("%w: %s needs a shared secret; credentials are verified with the issuer's public key only", ErrAlgHMAC, alg)
	}
	return nil
}

// decodeSegment is strict base64url without padding.
func decodeSegment(s string) ([]byte, error) {
	if strings.ContainsAny(s, "=+/ \t\r\n") {
		return nil, errors.New("not unpadded base64url")
	}
	return base64.RawURLEncoding.Strict().DecodeString(s)
}

// Verify checks the signature with pub (a *keys.PublicKey, an
// *rsa.PublicKey, or any key keys.PublicKeyFrom accepts) after checking
// that the header's alg is in accepted and that pub's type fits it.
func (t *Token) Verify(pub crypto.PublicKey, accepted []string) error {
	alg := t.Header.Alg
	if !contains(accepted, alg) {
		return fmt.Errorf("%w: %s (accepted: %s)", ErrAlgNotAllowed, alg, strings.Join(accepted, ", "))
	}
	return verifyAlg(alg, pub, []byte(t.signing), t.signature)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// KeyAlg names the algorithm a key of this type signs with (RSA: RS256).
func KeyAlg(pub crypto.PublicKey) (string, error) {
	if _, ok := pub.(*rsa.PublicKey); ok {
		return RS256, nil
	}
	pk, err := keys.PublicKeyFrom(pub)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrKeyMismatch, err)
	}
	switch pk.Type() {
	case keys.Ed25519:
		return EdDSA, nil
	case keys.P256:
		return ES256, nil
	case keys.P384:
		return ES384, nil
	case keys.Secp256k1:
		return ES256K, nil
	}
	return "", fmt.Errorf("%w: key type %s", ErrKeyMismatch, pk.Type())
}

// algKeyType is the key type each non-RSA alg needs.
var algKeyType = map[string]keys.Type{EdDSA: keys.Ed25519, ES256: keys.P256, ES384: keys.P384, ES256K: keys.Secp256k1}

func rsaHash(alg string) (crypto.Hash, bool, bool) {
	switch alg {
	case RS256:
		return crypto.SHA256, false, true
	case RS384:
		return crypto.SHA384, false, true
	case RS512:
		return crypto.SHA512, false, true
	case PS256:
		return crypto.SHA256, true, true
	case PS384:
		return crypto.SHA384, true, true
	case PS512:
		return crypto.SHA512, true, true
	}
	return 0, false, false
}

// minRSABits refuses RSA keys too short to mean anything (RFC 7518 §3.3).
const minRSABits = 2048

func verifyAlg(alg string, pub crypto.PublicKey, input, sig []byte) error {
	if h, pss, ok := rsaHash(alg); ok {
		rk, ok := pub.(*rsa.PublicKey)
		if !ok || rk == nil || rk.N == nil {
			return fmt.Errorf("%w: %s needs an RSA key, got %s", ErrKeyMismatch, alg, describe(pub))
		}
		if rk.N.BitLen() < minRSABits {
			return fmt.Errorf("%w: RSA key of %d bits, at least %d needed", ErrKeyMismatch, rk.N.BitLen(), minRSABits)
		}
		d := h.New()
		d.Write(input)
		var err error
		if pss {
			err = rsa.VerifyPSS(rk, h, d.Sum(nil), sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
		} else {
			err = rsa.VerifyPKCS1v15(rk, h, d.Sum(nil), sig)
		}
		if err != nil {
			return fmt.Errorf("%w: %s: %v", ErrBadSignature, alg, err)
		}
		return nil
	}
	want, ok := algKeyType[alg]
	if !ok {
		return fmt.Errorf("%w: %s is not a supported algorithm", ErrAlgNotAllowed, alg)
	}
	pk, err := toKey(pub)
	if err != nil {
		return fmt.Errorf("%w: %s needs a %s key, got %s", ErrKeyMismatch, alg, want, describe(pub))
	}
	if pk.Type() != want {
		return fmt.Errorf("%w: %s needs a %s key, got %s", ErrKeyMismatch, alg, want, pk.Type())
	}
	if err := dataintegrity.VerifyHashData(pk, input, sig); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrBadSignature, alg, err)
	}
	return nil
}

func toKey(pub crypto.PublicKey) (*keys.PublicKey, error) {
	if pk, ok := pub.(*keys.PublicKey); ok {
		if pk == nil {
			return nil, errors.New("nil key")
		}
		return pk, nil
	}
	return keys.PublicKeyFrom(pub)
}

func describe(pub crypto.PublicKey) string {
	switch k := pub.(type) {
	case nil:
		return "no key"
	case *rsa.PublicKey:
		return "an RSA key"
	case *keys.PublicKey:
		if k == nil {
			return "no key"
		}
		return "a " + string(k.Type()) + " key"
	case *ecdsa.PublicKey:
		if k == nil || k.Curve == nil {
			return "no key"
		}
		return "an ECDSA " + k.Curve.Params().Name + " key"
	case ed25519.PublicKey:
		return "an Ed25519 key"
	}
	return fmt.Sprintf("a %T", pub)
}

// Sign makes a compact JWS of payload with signer, whose public key decides
// alg (RSA keys sign RS256). header holds the other protected header
// members (typ, kid, ...); alg is set here.
func Sign(signer crypto.Signer, header map[string]any, payload []byte) (string, error) {
	alg, err := KeyAlg(signer.Public())
	if err != nil {
		return "", err
	}
	h := map[string]any{}
	for k, v := range header {
		h[k] = v
	}
	h["alg"] = alg
	hb, err := json.Marshal(h)
	if err != nil {
		return "", err
	}
	input := base64.RawURLEncoding.EncodeToString(hb) + "." + base64.RawURLEncoding.EncodeToString(payload)
	var sig []byte
	if alg == RS256 {
		d := crypto.SHA256.New()
		d.Write([]byte(input))
		if sig, err = signer.Sign(rand.Reader, d.Sum(nil), crypto.SHA256); err != nil {
			return "", err
		}
	} else {
		pk, err := keys.PublicKeyFrom(signer.Public())
		if err != nil {
			return "", err
		}
		if sig, err = dataintegrity.SignHashData(signer, pk.Type(), []byte(input)); err != nil {
			return "", err
		}
	}
	// A misconfigured external signer must not produce tokens that do not verify.
	if err := verifyAlg(alg, signer.Public(), []byte(input), sig); err != nil {
		return "", fmt.Errorf("jws: the signer's signature does not verify with its public key: %w", err)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// LooksCompact reports whether data looks like a compact JWS or SD-JWT: a
// base64url JSON header ("eyJ") and dots, nothing else.
func LooksCompact(data []byte) bool {
	d := bytes.TrimSpace(data)
	if len(d) < 10 || !bytes.HasPrefix(d, []byte("eyJ")) || bytes.Count(d, []byte(".")) < 2 {
		return false
	}
	for _, c := range d {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.', c == '~':
		default:
			return false
		}
	}
	return true
}
