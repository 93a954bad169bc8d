package jws

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/keys"
)

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// compact assembles a token from raw parts, without signing.
func compact(header, payload string, sig []byte) string {
	return b64(header) + "." + b64(payload) + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func genKey(t testing.TB, typ keys.Type) *keys.PrivateKey {
	t.Helper()
	k, err := keys.Generate(typ)
	require.NoError(t, err)
	return k
}

var (
	rsaOnce *rsa.PrivateKey
)

func rsaKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	if rsaOnce == nil {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		require.NoError(t, err)
		rsaOnce = k
	}
	return rsaOnce
}

// Every key type signs with its algorithm, and the token verifies with
// the public key and no other.
func TestSignVerifyEachAlgorithm(t *testing.T) {
	cases := []struct {
		signer crypto.Signer
		alg    string
	}{
		{genKey(t, keys.Ed25519), EdDSA},
		{genKey(t, keys.P256), ES256},
		{genKey(t, keys.P384), ES384},
		{genKey(t, keys.Secp256k1), ES256K},
		{rsaKey(t), RS256},
	}
	for _, c := range cases {
		t.Run(c.alg, func(t *testing.T) {
			tok, err := Sign(c.signer, map[string]any{"typ": "JWT", "kid": "k1"}, []byte(`{"a":1}`))
			require.NoError(t, err)
			p, err := Parse(tok, 0)
			require.NoError(t, err)
			require.Equal(t, c.alg, p.Header.Alg)
			require.Equal(t, "k1", p.Header.Kid)
			require.Equal(t, `{"a":1}`, string(p.Payload))
			require.NoError(t, p.Verify(c.signer.Public(), Algorithms()))

			// A changed payload keeps the signature and fails it.
			parts := strings.Split(tok, ".")
			forged, err := Parse(parts[0]+"."+b64(`{"a":2}`)+"."+parts[2], 0)
			require.NoError(t, err)
			require.ErrorIs(t, forged.Verify(c.signer.Public(), Algorithms()), ErrBadSignature)

			// The caller's allowlist is applied before anything else.
			other := EdDSA
			if c.alg == EdDSA {
				other = ES256
			}
			require.ErrorIs(t, p.Verify(c.signer.Public(), []string{other}), ErrAlgNotAllowed)
			require.ErrorIs(t, p.Verify(c.signer.Public(), nil), ErrAlgNotAllowed)
		})
	}
}

// PS256 (RSA-PSS) tokens made by go-jose verify here.
func TestVerifyPS256FromGoJose(t *testing.T) {
	k := rsaKey(t)
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.PS256, Key: k}, nil)
	require.NoError(t, err)
	obj, err := s.Sign([]byte(`{"x":"y"}`))
	require.NoError(t, err)
	tok, err := obj.CompactSerialize()
	require.NoError(t, err)
	p, err := Parse(tok, 0)
	require.NoError(t, err)
	require.Equal(t, PS256, p.Header.Alg)
	require.NoError(t, p.Verify(&k.PublicKey, Algorithms()))
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	require.ErrorIs(t, p.Verify(&other.PublicKey, Algorithms()), ErrBadSignature)
}

// A key whose type disagrees with alg is refused before any signature
// arithmetic, whatever the signature bytes.
func TestVerifyKeyTypeMustMatchAlg(t *testing.T) {
	ed := genKey(t, keys.Ed25519)
	p256 := genKey(t, keys.P256)
	p384 := genKey(t, keys.P384)
	sig := make([]byte, 64)
	for _, c := range []struct {
		alg string
		key crypto.PublicKey
	}{
		{ES256, ed.Public()},
		{ES256, p384.Public()},
		{ES384, p256.Public()},
		{ES256K, p256.Public()},
		{EdDSA, p256.Public()},
		{RS256, p256.Public()},
		{PS256, ed.Public()},
		{ES256, &rsaKey(t).PublicKey},
	} {
		tok, err := Parse(compact(`{"alg":"`+c.alg+`"}`, `{}`, sig), 0)
		require.NoError(t, err)
		err = tok.Verify(c.key, Algorithms())
		require.ErrorIs(t, err, ErrKeyMismatch, "%s with %T", c.alg, c.key)
		require.NotErrorIs(t, err, ErrBadSignature)
	}
	// An RSA key too short to mean anything.
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	tok, err := Parse(compact(`{"alg":"RS256"}`, `{}`, sig), 0)
	require.NoError(t, err)
	require.ErrorIs(t, tok.Verify(&small.PublicKey, Algorithms()), ErrKeyMismatch)
	// An alg the caller lists but this package does not know.
	tok, err = Parse(compact(`{"alg":"ES512"}`, `{}`, sig), 0)
	require.NoError(t, err)
	require.ErrorIs(t, tok.Verify(p256.Public(), []string{"ES512"}), ErrAlgNotAllowed)
	// A nil key.
	tok, err = Parse(compact(`{"alg":"ES256"}`, `{}`, sig), 0)
	require.NoError(t, err)
	require.ErrorIs(t, tok.Verify((*keys.PublicKey)(nil), Algorithms()), ErrKeyMismatch)
}

// Every refusal of Parse, each with its error.
func TestParseRefusals(t *testing.T) {
	sig := []byte{1, 2, 3}
	hdr := `{"alg":"ES256"}`
	deep := `{"alg":"ES256","x":` + strings.Repeat(`[`, 20) + strings.Repeat(`]`, 20) + `}`
	cases := []struct {
		name  string
		token string
		want  error
	}{
		{"two parts", b64(hdr) + "." + b64("{}"), ErrMalformed},
		{"four parts", compact(hdr, "{}", sig) + ".x", ErrMalformed},
		{"JWE-like five parts", "a.b.c.d.e", ErrMalformed},
		{"padded header", b64(hdr) + "=." + b64("{}") + ".AQID", ErrMalformed},
		{"standard base64 header", strings.ReplaceAll(b64(`{"alg":"ES256","k":"??>"}`), "_", "/") + "." + b64("{}") + ".AQID", ErrMalformed},
		{"header not JSON", compact(`alg=ES256`, "{}", sig), ErrMalformed},
		{"header an array", compact(`["alg"]`, "{}", sig), ErrMalformed},
		{"header with duplicate keys", compact(`{"alg":"ES256","alg":"none"}`, "{}", sig), ErrMalformed},
		{"header nested too deep", compact(deep, "{}", sig), ErrMalformed},
		{"header invalid UTF-8", compact("{\"alg\":\"ES256\",\"x\":\"\xff\"}", "{}", sig), ErrMalformed},
		{"no alg", compact(`{"typ":"JWT"}`, "{}", sig), ErrMalformed},
		{"alg none", compact(`{"alg":"none"}`, "{}", sig), ErrAlgNone},
		{"alg NONE", compact(`{"alg":"NONE"}`, "{}", sig), ErrAlgNone},
		{"alg none with empty signature", b64(`{"alg":"none"}`) + "." + b64("{}") + ".", ErrAlgNone},
		{"HS256", compact(`{"alg":"HS256"}`, "{}", sig), ErrAlgHMAC},
		{"hs512", compact(`{"alg":"hs512"}`, "{}", sig), ErrAlgHMAC},
		{"crit", compact(`{"alg":"ES256","crit":["exp"],"exp":1}`, "{}", sig), ErrMalformed},
		{"b64 false", compact(`{"alg":"ES256","b64":false}`, "{}", sig), ErrMalformed},
		{"payload not base64url", b64(hdr) + ".e30=.AQID", ErrMalformed},
		{"signature not base64url", b64(hdr) + "." + b64("{}") + ".AQ+D", ErrMalformed},
		{"empty signature", b64(hdr) + "." + b64("{}") + ".", ErrMalformed},
		{"whitespace inside", b64(hdr) + " ." + b64("{}") + ".AQID", ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(c.token, 0)
			require.ErrorIs(t, err, c.want)
		})
	}
}

// The size limits are checked before anything is decoded: a token over a
// limit is ErrTooLarge even when its bytes are not base64url at all.
func TestParseLimitsBeforeDecoding(t *testing.T) {
	junk := strings.Repeat("!", MaxTokenBytes+1)
	_, err := Parse(junk, 0)
	require.ErrorIs(t, err, ErrTooLarge)
	require.NotErrorIs(t, err, ErrMalformed)

	bigHeader := strings.Repeat("!", base64.RawURLEncoding.EncodedLen(maxHeaderBytes)+1) + ".e30.AQID"
	_, err = Parse(bigHeader, 0)
	require.ErrorIs(t, err, ErrTooLarge)

	// The caller's payload limit: at the limit it parses, one over it is refused.
	payload := `{"p":"` + strings.Repeat("a", 1000) + `"}`
	tok := compact(`{"alg":"ES256"}`, payload, []byte{1})
	_, err = Parse(tok, len(payload))
	require.NoError(t, err)
	_, err = Parse(tok, len(payload)-3) // base64 length of 3 fewer bytes is 4 fewer characters
	require.ErrorIs(t, err, ErrTooLarge)
	bad := b64(`{"alg":"ES256"}`) + "." + strings.Repeat("!", 2000) + ".AQID"
	_, err = Parse(bad, 100)
	require.ErrorIs(t, err, ErrTooLarge, "the payload limit comes before decoding")
}

func TestHeaderKeepsRawMembers(t *testing.T) {
	tok, err := Parse(compact(`{"alg":"ES256","typ":"vc+jwt","x-extra":{"a":[1]}}`, "{}", []byte{1}), 0)
	require.NoError(t, err)
	require.Equal(t, "vc+jwt", tok.Header.Typ)
	require.JSONEq(t, `{"a":[1]}`, string(tok.Header.Raw["x-extra"]))
	require.Equal(t, b64(`{"alg":"ES256","typ":"vc+jwt","x-extra":{"a":[1]}}`)+"."+b64("{}"), tok.SigningInput())
}

func TestKeyAlg(t *testing.T) {
	for typ, alg := range map[keys.Type]string{keys.Ed25519: EdDSA, keys.P256: ES256, keys.P384: ES384, keys.Secp256k1: ES256K} {
		got, err := KeyAlg(genKey(t, typ).Public())
		require.NoError(t, err)
		require.Equal(t, alg, got)
	}
	got, err := KeyAlg(&rsaKey(t).PublicKey)
	require.NoError(t, err)
	require.Equal(t, RS256, got)
	_, err = KeyAlg("not a key")
	require.ErrorIs(t, err, ErrKeyMismatch)
}

// A signer whose signatures do not verify with its public key (a
// misconfigured KMS) makes no token.
type lyingSigner struct {
	crypto.Signer
	pub crypto.PublicKey
}

func (l lyingSigner) Public() crypto.PublicKey { return l.pub }

func TestSignRefusesASignerThatLies(t *testing.T) {
	a, b := genKey(t, keys.P256), genKey(t, keys.P256)
	_, err := Sign(lyingSigner{Signer: a, pub: b.Public()}, nil, []byte(`{}`))
	require.ErrorIs(t, err, ErrBadSignature)
}

func TestSupported(t *testing.T) {
	for _, a := range Algorithms() {
		require.True(t, Supported(a))
	}
	for _, a := range []string{"none", "HS256", "ES512", "", "es256"} {
		require.False(t, Supported(a), a)
	}
}

func TestLooksCompact(t *testing.T) {
	tok, err := Sign(genKey(t, keys.Ed25519), nil, []byte(`{}`))
	require.NoError(t, err)
	for _, s := range []string{tok, " " + tok + "\n", tok + "~", tok + "~WyJhIiwiYiIsMV0~"} {
		require.True(t, LooksCompact([]byte(s)), s)
	}
	for _, s := range []string{"", "{}", `{"alg":"x"}`, "eyJ", "eyJhbGciOi.x", tok + " x", "\x89PNG\r\n", "<svg/>", "eyJhbGciOiJFUzI1NiJ9+.e30.AQID"} {
		require.False(t, LooksCompact([]byte(s)), s)
	}
}

// jwkOf marshals pub and checks the JSON has the members a JWK has.
func jwkOf(t *testing.T, pub crypto.PublicKey) []byte {
	t.Helper()
	raw, err := MarshalPublicJWK(pub)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m))
	require.NotEmpty(t, m["kty"])
	require.NotContains(t, m, "d")
	return raw
}

func TestPublicJWKRoundTrip(t *testing.T) {
	for _, typ := range []keys.Type{keys.Ed25519, keys.P256, keys.P384, keys.Secp256k1} {
		k := genKey(t, typ)
		back, err := ParsePublicJWK(jwkOf(t, k.Public()))
		require.NoError(t, err)
		require.True(t, back.(*keys.PublicKey).Equal(k.PublicKey()), typ)
	}
	rk := rsaKey(t)
	back, err := ParsePublicJWK(jwkOf(t, &rk.PublicKey))
	require.NoError(t, err)
	require.True(t, rk.PublicKey.Equal(back))
}

func TestParsePublicJWKRefusals(t *testing.T) {
	p256 := genKey(t, keys.P256)
	priv, err := p256.JWK()
	require.NoError(t, err)
	rsaPriv, err := jose.JSONWebKey{Key: rsaKey(t)}.MarshalJSON()
	require.NoError(t, err)
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	smallJWK, err := jose.JSONWebKey{Key: &small.PublicKey}.MarshalJSON()
	require.NoError(t, err)
	pub := string(jwkOf(t, p256.Public()))
	for name, data := range map[string]string{
		"private EC key":    string(priv),
		"private RSA key":   string(rsaPriv),
		"short RSA key":     string(smallJWK),
		"not JSON":          `kty=EC`,
		"duplicate member":  strings.Replace(pub, `{`, `{"kty":"OKP",`, 1),
		"unknown kty":       `{"kty":"oct","k":"AAAA"}`,
		"unknown curve":     `{"kty":"EC","crv":"P-521","x":"AA","y":"AA"}`,
		"point off curve":   `{"kty":"EC","crv":"P-256","x":"` + b64(strings.Repeat("a", 32)) + `","y":"` + b64(strings.Repeat("b", 32)) + `"}`,
		"too large":         `{"kty":"EC","pad":"` + strings.Repeat("a", maxJWKBytes) + `"}`,
		"nested too deep":   `{"kty":"EC","x":` + strings.Repeat("[", 10) + strings.Repeat("]", 10) + `}`,
		"RSA missing e":     `{"kty":"RSA","n":"AQAB"}`,
		"array not object":  `[1]`,
		"empty":             ``,
		"invalid UTF-8 key": "{\"kty\":\"EC\",\"crv\":\"\xff\"}",
	} {
		_, err := ParsePublicJWK([]byte(data))
		require.ErrorIs(t, err, ErrBadKey, name)
	}
}

func TestParseJWKS(t *testing.T) {
	ed := genKey(t, keys.Ed25519)
	p := genKey(t, keys.P256)
	withKid := func(raw []byte, kid, use string) json.RawMessage {
		var m map[string]any
		require.NoError(t, json.Unmarshal(raw, &m))
		m["kid"] = kid
		if use != "" {
			m["use"] = use
		}
		b, _ := json.Marshal(m)
		return b
	}
	set := func(ks ...json.RawMessage) []byte { b, _ := json.Marshal(map[string]any{"keys": ks}); return b }

	got, err := ParseJWKS(set(withKid(jwkOf(t, ed.Public()), "a", ""), withKid(jwkOf(t, p.Public()), "b", "enc"), withKid(jwkOf(t, &rsaKey(t).PublicKey), "c", "sig")))
	require.NoError(t, err)
	require.Len(t, got, 2, "the encryption key is left out")
	require.Equal(t, "a", got[0].Kid)
	require.Equal(t, "c", got[1].Kid)
	require.True(t, got[0].Key.(*keys.PublicKey).Equal(ed.PublicKey()))

	_, err = ParseJWKS(set())
	require.ErrorIs(t, err, ErrBadKey, "no keys")
	many := make([]json.RawMessage, maxJWKSKeys+1)
	for i := range many {
		many[i] = jwkOf(t, ed.Public())
	}
	_, err = ParseJWKS(set(many...))
	require.ErrorIs(t, err, ErrBadKey, "too many keys")
	_, err = ParseJWKS(set(json.RawMessage(`{"kty":"EC","d":"AA"}`)))
	require.ErrorIs(t, err, ErrBadKey, "a private key in the set")
	_, err = ParseJWKS([]byte(`{"keys":[],"keys":[]}`))
	require.ErrorIs(t, err, ErrBadKey, "duplicate member")
	_, err = ParseJWKS([]byte(`{"keys":{"kty":"EC"}}`))
	require.ErrorIs(t, err, ErrBadKey, "keys not an array")
	_, err = ParseJWKS([]byte(`{"keys":[` + strings.Repeat(`"x",`, 100000) + `"x"]}`))
	require.ErrorIs(t, err, ErrBadKey)
}

// RFC 7638 thumbprints agree with go-jose's, for every key type.
func TestThumbprintAgreesWithGoJose(t *testing.T) {
	for _, typ := range []keys.Type{keys.Ed25519, keys.P256, keys.P384} {
		k := genKey(t, typ)
		var pub crypto.PublicKey
		switch typ {
		case keys.Ed25519:
			pub = k.PublicKey().Ed25519()
		default:
			pub = k.PublicKey().ECDSA()
		}
		want, err := (&jose.JSONWebKey{Key: pub}).Thumbprint(crypto.SHA256)
		require.NoError(t, err)
		got, err := Thumbprint(k.Public())
		require.NoError(t, err)
		require.Equal(t, base64.RawURLEncoding.EncodeToString(want), got, typ)
	}
	rk := rsaKey(t)
	want, err := (&jose.JSONWebKey{Key: &rk.PublicKey}).Thumbprint(crypto.SHA256)
	require.NoError(t, err)
	got, err := Thumbprint(&rk.PublicKey)
	require.NoError(t, err)
	require.Equal(t, base64.RawURLEncoding.EncodeToString(want), got)
}

func TestDIDJWK(t *testing.T) {
	k := genKey(t, keys.P256)
	did, err := DIDJWK(k.Public())
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(did, DIDJWKPrefix))
	for _, s := range []string{did, did + "#0"} {
		pub, gotDID, err := ParseDIDJWK(s)
		require.NoError(t, err)
		require.Equal(t, did, gotDID)
		require.True(t, pub.(*keys.PublicKey).Equal(k.PublicKey()))
	}
	for name, s := range map[string]string{
		"other fragment": did + "#1",
		"not did:jwk":    "did:key:z6Mk",
		"not base64url":  DIDJWKPrefix + "eyJ+",
		"too long":       DIDJWKPrefix + strings.Repeat("A", base64.RawURLEncoding.EncodedLen(maxJWKBytes)+1),
		"private key":    DIDJWKPrefix + b64(`{"kty":"EC","crv":"P-256","x":"AA","y":"AA","d":"AA"}`),
		"not a key":      DIDJWKPrefix + b64(`{"kty":"EC"}`),
	} {
		_, _, err := ParseDIDJWK(s)
		require.ErrorIs(t, err, ErrBadKey, name)
	}
	_, err = DIDJWK("not a key")
	require.Error(t, err)
	require.True(t, errors.Is(err, ErrBadKey) || errors.Is(err, ErrKeyMismatch))
}

// Nil keys of every kind are a mismatch, never a panic.
func TestVerifyNilKeys(t *testing.T) {
	sig := make([]byte, 64)
	for _, alg := range []string{ES256, EdDSA, RS256, PS512} {
		tok, err := Parse(compact(`{"alg":"`+alg+`"}`, `{}`, sig), 0)
		require.NoError(t, err)
		for _, k := range []crypto.PublicKey{nil, (*keys.PublicKey)(nil), (*rsa.PublicKey)(nil), (*ecdsa.PublicKey)(nil), &rsa.PublicKey{}} {
			require.ErrorIs(t, tok.Verify(k, Algorithms()), ErrKeyMismatch, "%s %T", alg, k)
		}
	}
}
