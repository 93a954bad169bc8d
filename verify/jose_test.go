package verify

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/internal/jws"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
)

const obIssuer = "https://example.edu/issuers/565049"

// headerJWK returns the jwk member of a compact JWS header.
func headerJWK(t *testing.T, token string) json.RawMessage {
	t.Helper()
	hb, err := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[0])
	require.NoError(t, err)
	var h struct {
		JWK json.RawMessage `json:"jwk"`
	}
	require.NoError(t, json.Unmarshal(hb, &h))
	require.NotEmpty(t, h.JWK)
	return h.JWK
}

func jwksOf(keysJSON ...json.RawMessage) []byte {
	b, _ := json.Marshal(map[string]any{"keys": keysJSON})
	return b
}

// The 1EdTech validator's Open Badges 3.0 VC-JWT vectors (RS256). The baked
// SVG one carries its key in the header; simple.jwt carries none, and its
// key is not published with it.
func TestOB30JWTVectors(t *testing.T) {
	svg := readVector(t, "openbadges/validator_testvector_simple-jwt_v1.svg")
	token := regexp.MustCompile(`verify="([^"]+)"`).FindSubmatch(svg)[1]
	jwk := headerJWK(t, string(token))
	tl := trustList(t, TrustedIssuer{ID: obIssuer, Name: "Example University"})

	// Given its key for the issuer, the baked VC-JWT's signature verifies.
	v := newVerifier(t, WithTrustList(tl), WithIssuerJWKS(obIssuer, jwksOf(jwk)), WithOffline())
	r := v.Verify(context.Background(), svg, Binding{})
	require.Equal(t, FormatVCJWT, r.Format)
	require.Equal(t, "svg", r.Container)
	requireCheck(t, r, CheckSignature, StatusPassed)
	requireCheck(t, r, CheckIssuer, StatusPassed)
	require.Equal(t, obIssuer, r.Credential.Issuer)
	require.Equal(t, "http://example.edu/credentials/3732", r.Credential.ID, "jti maps to the credential id")

	// The same token without the issuer's key: the embedded jwk is nobody's.
	r = newVerifier(t, WithTrustList(tl), WithOffline()).Verify(context.Background(), token, Binding{})
	c := requireCheck(t, r, CheckSignature, StatusIndeterminate)
	require.Equal(t, "key_unavailable", c.Code)

	// simple.jwt: iss, jti, sub and nbf map onto the credential; with a key
	// that is not its own the signature fails, and with none it is unknown.
	simple := readVector(t, "openbadges/validator_testvector_simple_vc1p1_RS256.jwt")
	r = newVerifier(t, WithTrustList(tl), WithIssuerJWKS(obIssuer, jwksOf(jwk)), WithOffline()).Verify(context.Background(), simple, Binding{})
	require.Equal(t, FormatVCJWT, r.Format)
	require.NotNil(t, r.Credential, "%+v", r.Checks)
	require.Equal(t, "did:example:ebfeb1f712ebc6f1c276e12ec21", r.Credential.Subject)
	require.Equal(t, "2010-01-01T00:00:00Z", r.Credential.ValidFrom)
	require.Equal(t, "bad_signature", requireCheck(t, r, CheckSignature, StatusFailed).Code)
	r = newVerifier(t, WithTrustList(tl), WithOffline()).Verify(context.Background(), simple, Binding{})
	require.Equal(t, "unknown_key", requireCheck(t, r, CheckSignature, StatusFailed).Code)
}

// rsaSigner is an RSA key as a crypto.Signer (what a KMS hands out).
func rsaKey(t *testing.T) *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	return k
}

// Every algorithm, both JWT encodings, issued by the SDK and verified by it
// and by go-jose (an independent implementation; ES256K, which go-jose
// lacks, by the SDK only).
func TestJWTRoundTrip(t *testing.T) {
	for _, typ := range []keys.Type{keys.Ed25519, keys.P256, keys.P384, keys.Secp256k1, "RSA"} {
		t.Run(string(typ), func(t *testing.T) {
			var signer crypto.Signer
			var opts []Option
			ti := newTestIssuer(t, keys.P256)
			issuerID := ti.did()
			var jwsOpts []issuer.JOSEOption
			if typ == "RSA" {
				rk := rsaKey(t)
				signer = rk
				issuerID = "https://www.q-net.or.kr"
				raw, err := jws.MarshalPublicJWK(&rk.PublicKey)
				require.NoError(t, err)
				opts = append(opts, WithTrustList(trustList(t, TrustedIssuer{ID: issuerID})), WithIssuerJWKS(issuerID, jwksOf(raw)))
				jwsOpts = append(jwsOpts, issuer.WithKeyID(issuerID+"#rsa"))
			} else {
				k, err := keys.Generate(typ)
				require.NoError(t, err)
				signer = k
				issuerID = k.PublicKey().DID()
				opts = append(opts, WithTrustedKey(issuerID))
			}
			s, err := issuer.NewJOSESigner(signer, jwsOpts...)
			require.NoError(t, err)
			ti2 := &testIssuer{}
			_ = ti2
			c := ti.qualification(t, "urn:uuid:0c4b1a53-7d3c-4c5e-9f0e-"+strings.Repeat("1", 12), "did:example:holder")
			var m map[string]any
			require.NoError(t, json.Unmarshal(c.Raw(), &m))
			m["issuer"].(map[string]any)["id"] = issuerID
			cred, _ := json.Marshal(m)
			v := newVerifier(t, append(opts, WithOffline())...)
			for name, sign := range map[string]func([]byte) (string, error){"vc-jwt": s.SignVCJWT, "vc+jwt": s.SignVCJOSE} {
				tok, err := sign(cred)
				require.NoError(t, err)
				r := v.Verify(context.Background(), []byte(tok), Binding{})
				require.True(t, r.Verified, "%s: %+v", name, r.Checks)
				if name == "vc+jwt" {
					require.Equal(t, FormatVCJOSE, r.Format)
				} else {
					require.Equal(t, FormatVCJWT, r.Format)
				}
				if typ != keys.Secp256k1 {
					parsed, err := jose.ParseSigned(tok, []jose.SignatureAlgorithm{jose.SignatureAlgorithm(s.Alg())})
					require.NoError(t, err)
					pub := signer.Public()
					if pk, ok := pub.(*keys.PublicKey); ok {
						pub = pk.CryptoPublicKey()
					}
					_, err = parsed.Verify(pub)
					require.NoError(t, err, "go-jose verifies the SDK's %s token", s.Alg())
				}
				// One changed payload byte breaks it.
				parts := strings.Split(tok, ".")
				payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
				payload = []byte(strings.Replace(string(payload), "정보처리", "정보보안", 1))
				forged := parts[0] + "." + base64.RawURLEncoding.EncodeToString(payload) + "." + parts[2]
				r = v.Verify(context.Background(), []byte(forged), Binding{})
				require.Equal(t, "bad_signature", requireCheck(t, r, CheckSignature, StatusFailed).Code)
			}
		})
	}
}

// Tokens the caller must never accept, each with its own code.
func TestJWTRefusals(t *testing.T) {
	k, err := keys.Generate(keys.P256)
	require.NoError(t, err)
	did := k.PublicKey().DID()
	s, err := issuer.NewJOSESigner(k)
	require.NoError(t, err)
	ti := newTestIssuer(t, keys.P256)
	c := ti.qualification(t, "urn:uuid:1", "did:example:holder")
	var m map[string]any
	require.NoError(t, json.Unmarshal(c.Raw(), &m))
	m["issuer"].(map[string]any)["id"] = did
	cred, _ := json.Marshal(m)
	tok, err := s.SignVCJOSE(cred)
	require.NoError(t, err)
	parts := strings.Split(tok, ".")
	v := newVerifier(t, WithTrustedKey(did), WithOffline())
	withHeader := func(h string, sig string) []byte {
		return []byte(base64.RawURLEncoding.EncodeToString([]byte(h)) + "." + parts[1] + "." + sig)
	}
	// alg none, with or without a signature.
	r := v.Verify(context.Background(), withHeader(`{"alg":"none","typ":"vc+jwt"}`, "AA"), Binding{})
	require.Equal(t, "alg_none", requireCheck(t, r, CheckSignature, StatusFailed).Code)
	require.False(t, r.Verified)
	// HS256 "signed" with the issuer's public key as the HMAC secret: the
	// classic algorithm confusion.
	pub, _ := k.PublicKey().JWK()
	h := `{"alg":"HS256","typ":"vc+jwt","kid":"` + k.PublicKey().VerificationMethod() + `"}`
	hmacTok, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: pub}, nil)
	require.NoError(t, err)
	_ = hmacTok
	r = v.Verify(context.Background(), withHeader(h, parts[2]), Binding{})
	require.Equal(t, "alg_hmac", requireCheck(t, r, CheckSignature, StatusFailed).Code)
	// A key whose type disagrees with alg: ES384 over a P-256 key.
	r = v.Verify(context.Background(), withHeader(`{"alg":"ES384","typ":"vc+jwt","kid":"`+k.PublicKey().VerificationMethod()+`"}`, parts[2]), Binding{})
	require.Equal(t, "key_mismatch", requireCheck(t, r, CheckSignature, StatusFailed).Code)
	// The caller's allowlist.
	r = newVerifier(t, WithTrustedKey(did), WithOffline(), WithJOSEAlgorithms(jws.EdDSA)).Verify(context.Background(), []byte(tok), Binding{})
	require.Equal(t, "suite_not_accepted", requireCheck(t, r, CheckSignature, StatusFailed).Code)
	for _, bad := range []string{"none", "HS256", "XX1"} {
		_, err := New(WithoutTrustList(), WithJOSEAlgorithms(bad))
		require.Error(t, err, bad)
	}
}

// nodeInterop runs the npm implementations (testdata/interop/node). It
// skips when node or the packages are missing, and fails under CI=true.
func nodeInterop(t *testing.T, req map[string]any) (map[string]any, error) {
	t.Helper()
	dir := filepath.Join("..", "testdata", "interop", "node")
	missing := ""
	if _, err := exec.LookPath("node"); err != nil {
		missing = "node is not installed"
	} else if _, err := os.Stat(filepath.Join(dir, "node_modules", "@sd-jwt", "sd-jwt-vc")); err != nil {
		missing = "the npm packages are not installed (run npm ci in testdata/interop/node)"
	}
	if missing != "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("interop with the npm jose and @sd-jwt packages: %s", missing)
		}
		t.Skipf("interop with the npm jose and @sd-jwt packages: %s", missing)
	}
	in, _ := json.Marshal(req)
	cmd := exec.Command("node", "interop.mjs")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(string(in))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%v: %s", err, stderr.String())
	}
	var res map[string]any
	require.NoError(t, json.Unmarshal(out, &res))
	return res, nil
}

func TestJWTInteropNodeJose(t *testing.T) {
	vers, err := nodeInterop(t, map[string]any{"cmd": "versions"})
	require.NoError(t, err)
	t.Logf("npm: %v", vers)
	ti := newTestIssuer(t, keys.P256)
	// The SDK's tokens verify in jose.
	for _, typ := range []keys.Type{keys.Ed25519, keys.P256, keys.P384} {
		k, err := keys.Generate(typ)
		require.NoError(t, err)
		s, err := issuer.NewJOSESigner(k)
		require.NoError(t, err)
		c := ti.qualification(t, "urn:uuid:2", "did:example:holder")
		tok, err := s.SignVCJOSE(c.Raw())
		require.NoError(t, err)
		jwk, _ := k.PublicKey().JWK()
		res, err := nodeInterop(t, map[string]any{"cmd": "jws-verify", "token": tok, "jwk": json.RawMessage(jwk), "alg": s.Alg()})
		require.NoError(t, err, "jose verifies the SDK's %s vc+jwt", s.Alg())
		require.Equal(t, "vc+jwt", res["header"].(map[string]any)["typ"])
		// And a tampered one does not.
		bad := tok[:len(tok)-4] + "AAAA"
		_, err = nodeInterop(t, map[string]any{"cmd": "jws-verify", "token": bad, "jwk": json.RawMessage(jwk), "alg": s.Alg()})
		require.Error(t, err)
	}
	// jose's tokens verify in the SDK: a VC 2.0 credential whose issuer is
	// the did:jwk of jose's key, named by kid.
	for _, alg := range []string{"ES256", "ES384", "EdDSA"} {
		c := ti.qualification(t, "urn:uuid:3", "did:example:holder")
		var m map[string]any
		require.NoError(t, json.Unmarshal(c.Raw(), &m))
		// The issuer id is the did:jwk jose reports; fill it after signing
		// would change the payload, so ask for the key first.
		first, err := nodeInterop(t, map[string]any{"cmd": "jws-sign", "alg": alg, "crv": crvOf(alg), "typ": "vc+jwt", "payload": map[string]any{"probe": true}, "kidFromJwk": true})
		require.NoError(t, err)
		_ = first
		// jose generates a fresh key per call, so the credential names the
		// issuer through the embedded jwk and a JWK set given to the verifier.
		m["issuer"].(map[string]any)["id"] = "https://issuer.example/" + alg
		res, err := nodeInterop(t, map[string]any{"cmd": "jws-sign", "alg": alg, "crv": crvOf(alg), "typ": "vc+jwt", "payload": m, "embedJwk": true})
		require.NoError(t, err)
		jwk, _ := json.Marshal(res["jwk"])
		iss := "https://issuer.example/" + alg
		v := newVerifier(t, WithTrustList(trustList(t, TrustedIssuer{ID: iss})), WithIssuerJWKS(iss, jwksOf(jwk)), WithOffline())
		r := v.Verify(context.Background(), []byte(res["token"].(string)), Binding{})
		require.True(t, r.Verified, "%s: %+v", alg, r.Checks)
		// And the did:jwk form: a kid naming the did:jwk key.
		m["issuer"].(map[string]any)["id"] = strings.TrimSuffix(first["did"].(string), "")
		res2, err := nodeInterop(t, map[string]any{"cmd": "jws-sign", "alg": alg, "crv": crvOf(alg), "typ": "vc+jwt", "payload": m, "kidFromJwk": true})
		require.NoError(t, err)
		did := res2["did"].(string)
		m["issuer"].(map[string]any)["id"] = did
		// The issuer is the did:jwk of this second key: sign once more with
		// the issuer id right is impossible without the key, so check the
		// signature only (the issuer of res2's payload is another did:jwk).
		r = newVerifier(t, WithoutIssuerTrustUnsafe(), WithOffline()).Verify(context.Background(), []byte(res2["token"].(string)), Binding{})
		sig := r.Check(CheckSignature)
		require.NotNil(t, sig)
		require.Equal(t, "key_not_issuer", sig.Code, "a did:jwk key of another DID than the issuer: %s", sig.Message)
	}
}

func crvOf(alg string) string {
	switch alg {
	case "ES384":
		return "P-384"
	case "EdDSA":
		return "Ed25519"
	}
	return "P-256"
}

// jwksServer is not needed: keys come from options. statusServer serves
// status list tokens over TLS on loopback.
func statusServer(t *testing.T, body func() string) (*httptest.Server, *http.Client) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/statuslist+jwt")
		fmt.Fprint(w, body())
	}))
	t.Cleanup(srv.Close)
	return srv, srv.Client()
}

var _ = errors.Is
var _ = time.Now
