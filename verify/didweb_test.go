package verify

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/fetch"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
)

// webHost is a did:web host on loopback over TLS. Its DIDs name
// "localhost:PORT"; the client checks the test certificate against the name
// it carries (example.com).
type webHost struct {
	did    string // did:web:localhost%3APORT
	client *http.Client
	hits   atomic.Int64
	doc    atomic.Pointer[[]byte]
	// handle, when set, answers instead of serving doc.
	handle func(w http.ResponseWriter, r *http.Request) bool
}

func newWebHost(t *testing.T) *webHost {
	t.Helper()
	h := &webHost{}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.hits.Add(1)
		if h.handle != nil && h.handle(w, r) {
			return
		}
		if r.URL.Path != "/.well-known/did.json" || h.doc.Load() == nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/did+json")
		w.Write(*h.doc.Load())
	}))
	t.Cleanup(srv.Close)
	tr := srv.Client().Transport.(*http.Transport).Clone()
	tr.TLSClientConfig = tr.TLSClientConfig.Clone()
	tr.TLSClientConfig.ServerName = "example.com"
	tr.TLSClientConfig.MinVersion = tls.VersionTLS12
	h.client = &http.Client{Transport: tr}
	h.did = "did:web:localhost%3A" + srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	return h
}

// webKey is one key of the host's DID document.
type webKey struct {
	frag       string
	key        *keys.PrivateKey
	jwk        bool
	assertion  bool
	authentics bool
}

func (h *webHost) publish(t *testing.T, keys ...webKey) {
	t.Helper()
	var vms []map[string]any
	assertion, auth := []string{}, []string{}
	for _, k := range keys {
		vm := map[string]any{"id": h.did + "#" + k.frag, "controller": h.did}
		pk := k.key.PublicKey()
		if k.jwk {
			vm["type"] = "JsonWebKey2020"
			vm["publicKeyJwk"] = jwkOf(t, pk)
		} else {
			vm["type"] = "Multikey"
			vm["publicKeyMultibase"] = pk.Multibase()
		}
		vms = append(vms, vm)
		if k.assertion {
			assertion = append(assertion, "#"+k.frag)
		}
		if k.authentics {
			auth = append(auth, h.did+"#"+k.frag)
		}
	}
	doc, err := json.Marshal(map[string]any{"@context": []string{"https://www.w3.org/ns/did/v1"}, "id": h.did,
		"verificationMethod": vms, "assertionMethod": assertion, "authentication": auth})
	require.NoError(t, err)
	h.doc.Store(&doc)
}

func jwkOf(t *testing.T, pk *keys.PublicKey) map[string]string {
	enc := base64.RawURLEncoding.EncodeToString
	switch pk.Type() {
	case keys.Ed25519:
		return map[string]string{"kty": "OKP", "crv": "Ed25519", "x": enc(pk.Ed25519())}
	case keys.P256, keys.P384:
		ec := pk.ECDSA()
		size := (ec.Curve.Params().BitSize + 7) / 8
		x, y := make([]byte, size), make([]byte, size)
		ec.X.FillBytes(x)
		ec.Y.FillBytes(y)
		return map[string]string{"kty": "EC", "crv": ec.Curve.Params().Name, "x": enc(x), "y": enc(y)}
	case keys.Secp256k1:
		u := pk.Secp256k1().SerializeUncompressed()
		return map[string]string{"kty": "EC", "crv": "secp256k1", "x": enc(u[1:33]), "y": enc(u[33:])}
	}
	t.Fatalf("no JWK for %s", pk.Type())
	return nil
}

// webBadge signs a badge issued by the host's DID with key frag.
func (h *webHost) webBadge(t *testing.T, key *keys.PrivateKey, frag, id, holder string) []byte {
	t.Helper()
	s, err := issuer.NewSigner(key, issuer.WithVerificationMethod(h.did+"#"+frag), issuer.WithClock(clock))
	require.NoError(t, err)
	c, err := badge.NationalQualification{
		Common: badge.Common{ID: id, Issuer: badge.Profile{ID: h.did, Name: badge.AgencyHRDKorea()}, HolderID: holder,
			ValidFrom: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)},
		ItemCode: "1320", ItemName: "정보처리", ItemNameEn: "Information Processing", Grade: "기사", GradeEn: "Engineer",
		LicenceNumber: "25201001234A", PassDate: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC),
	}.Credential()
	require.NoError(t, err)
	b, err := s.SignCredential(c)
	require.NoError(t, err)
	return b
}

func (h *webHost) verifier(t *testing.T, opts ...Option) *Verifier {
	return newVerifier(t, append([]Option{WithoutIssuerTrustUnsafe(), WithHTTPClient(h.client), WithAllowLoopback()}, opts...)...)
}

func genKey(t *testing.T, typ keys.Type) *keys.PrivateKey {
	k, err := keys.Generate(typ)
	require.NoError(t, err)
	return k
}

func TestDIDWebKeys(t *testing.T) {
	for _, tc := range []struct {
		typ keys.Type
		jwk bool
	}{{keys.Ed25519, false}, {keys.Ed25519, true}, {keys.P256, true}, {keys.P384, true}, {keys.Secp256k1, true}, {keys.P256, false}} {
		t.Run(fmt.Sprintf("%s jwk=%v", tc.typ, tc.jwk), func(t *testing.T) {
			h := newWebHost(t)
			k := genKey(t, tc.typ)
			h.publish(t, webKey{frag: "key-1", key: k, jwk: tc.jwk, assertion: true})
			r := h.verifier(t).Verify(context.Background(), h.webBadge(t, k, "key-1", "urn:uuid:web", "did:key:z6Mkh"), Binding{})
			require.Equal(t, StatusVerified, r.Status, "%+v", r.Checks)
			require.Contains(t, requireCheck(t, r, CheckSignature, StatusPassed).Message, h.did+"#key-1")
			require.EqualValues(t, 1, h.hits.Load())

			// A key the document does not have fails.
			r = h.verifier(t).Verify(context.Background(), h.webBadge(t, genKey(t, tc.typ), "key-1", "urn:uuid:web2", "did:key:z6Mkh"), Binding{})
			require.Equal(t, StatusFailed, r.Status)
			require.ErrorIs(t, requireCheck(t, r, CheckSignature, StatusFailed).Err, ErrBadSignature)
		})
	}
}

// TestDIDWebTrustListByKey: a trust list naming a did:web issuer and its key
// accepts badges whose key the DID document publishes.
func TestDIDWebTrustListByKey(t *testing.T) {
	h := newWebHost(t)
	k := genKey(t, keys.Ed25519)
	h.publish(t, webKey{frag: "key-1", key: k, assertion: true})
	tl := trustList(t, TrustedIssuer{ID: h.did, Name: "HRD Korea", Keys: []TrustedKey{{PublicKeyMultibase: k.PublicKey().Multibase()}}})
	v := newVerifier(t, WithTrustList(tl), WithHTTPClient(h.client), WithAllowLoopback())
	badges := make([][]byte, 20)
	for i := range badges {
		badges[i] = h.webBadge(t, k, "key-1", fmt.Sprintf("urn:uuid:web-%d", i), "did:key:z6Mkh")
	}
	for _, r := range v.VerifyBatch(context.Background(), badges) {
		require.Equal(t, StatusVerified, r.Status, "%+v", r.Checks)
	}
	require.EqualValues(t, 1, h.hits.Load(), "the DID document is cached and fetched once")
}

func TestDIDWebVerificationRelationships(t *testing.T) {
	h := newWebHost(t)
	issuing := genKey(t, keys.Ed25519)
	authOnly := genKey(t, keys.Ed25519)
	h.publish(t,
		webKey{frag: "assert", key: issuing, assertion: true},
		webKey{frag: "auth", key: authOnly, authentics: true})
	ctx := context.Background()

	// A credential signed with a key listed only under authentication fails.
	r := h.verifier(t).Verify(ctx, h.webBadge(t, authOnly, "auth", "urn:uuid:rel", "did:key:z6Mkh"), Binding{})
	require.Equal(t, StatusFailed, r.Status)
	c := requireCheck(t, r, CheckSignature, StatusFailed)
	require.ErrorIs(t, c.Err, ErrUnknownKey)
	require.Contains(t, c.Message, "assertionMethod")

	// The same host as a holder: the authentication key proves it.
	ti := newTestIssuer(t, keys.Ed25519)
	b := ti.sign(t, ti.qualification(t, "urn:uuid:held-by-web", h.did))
	creds := []*badge.Credential{mustParse(t, b)}
	p, err := issuer.NewPresentation(h.did, creds...)
	require.NoError(t, err)
	for _, tc := range []struct {
		frag string
		key  *keys.PrivateKey
		ok   bool
	}{{"auth", authOnly, true}, {"assert", issuing, false}} {
		s, err := issuer.NewSigner(tc.key, issuer.WithVerificationMethod(h.did+"#"+tc.frag), issuer.WithClock(clock))
		require.NoError(t, err)
		vp, err := s.SignPresentation(p, testChallenge, testDomain)
		require.NoError(t, err)
		v := newVerifier(t, WithTrustedKey(ti.did()), WithHTTPClient(h.client), WithAllowLoopback())
		r := v.Verify(ctx, vp, Binding{Challenge: testChallenge, Domain: testDomain})
		if tc.ok {
			require.Equal(t, StatusVerified, r.Status, "%+v", r.Checks)
			continue
		}
		require.Equal(t, StatusFailed, r.Status)
		require.Contains(t, requireCheck(t, r, CheckSignature, StatusFailed).Message, "authentication")
	}
}

func mustParse(t *testing.T, b []byte) *badge.Credential {
	c, err := badge.ParseCredential(b, badge.Limits{})
	require.NoError(t, err)
	return c
}

// TestDIDWebRefused: did:web documents at addresses the verifier will not
// reach fail the signature check; no packet leaves for a non-loopback address.
func TestDIDWebRefused(t *testing.T) {
	k := genKey(t, keys.Ed25519)
	ctx := context.Background()

	t.Run("loopback not allowed", func(t *testing.T) {
		h := newWebHost(t)
		h.publish(t, webKey{frag: "key-1", key: k, assertion: true})
		v := newVerifier(t, WithoutIssuerTrustUnsafe(), WithHTTPClient(h.client))
		r := v.Verify(ctx, h.webBadge(t, k, "key-1", "urn:uuid:r", "did:key:z6Mkh"), Binding{})
		require.Equal(t, StatusFailed, r.Status)
		require.ErrorIs(t, requireCheck(t, r, CheckSignature, StatusFailed).Err, ErrFetchRefused)
		require.Zero(t, h.hits.Load())
	})

	// did:web forbids IP addresses: such a DID is refused before any fetch.
	for _, host := range []string{"127.0.0.1", "10.0.0.1", "169.254.169.254"} {
		t.Run("did:web:"+host, func(t *testing.T) {
			h := newWebHost(t)
			h.did = "did:web:" + host
			r := newVerifier(t, WithoutIssuerTrustUnsafe(), WithAllowLoopback()).Verify(ctx, h.webBadge(t, k, "key-1", "urn:uuid:ip", "did:key:z6Mkh"), Binding{})
			require.Equal(t, StatusFailed, r.Status)
			require.ErrorIs(t, requireCheck(t, r, CheckSignature, StatusFailed).Err, ErrMalformed)
		})
	}

	// A host that redirects to a private, metadata or file address.
	for _, target := range []string{"https://10.0.0.1/.well-known/did.json", "http://10.0.0.1/did.json",
		"https://169.254.169.254/latest/meta-data/", "file:///etc/passwd", "https://[::ffff:169.254.169.254]/did.json"} {
		t.Run("redirect to "+target, func(t *testing.T) {
			h := newWebHost(t)
			h.handle = func(w http.ResponseWriter, r *http.Request) bool {
				http.Redirect(w, r, target, http.StatusFound)
				return true
			}
			r := h.verifier(t).Verify(ctx, h.webBadge(t, k, "key-1", "urn:uuid:redir", "did:key:z6Mkh"), Binding{})
			require.Equal(t, StatusFailed, r.Status)
			c := requireCheck(t, r, CheckSignature, StatusFailed)
			require.ErrorIs(t, c.Err, ErrFetchRefused, c.Message)
			require.EqualValues(t, 1, h.hits.Load())
		})
	}
}

func TestDIDWebUnavailable(t *testing.T) {
	k := genKey(t, keys.Ed25519)
	ctx := context.Background()

	t.Run("stalls", func(t *testing.T) {
		h := newWebHost(t)
		h.handle = func(w http.ResponseWriter, r *http.Request) bool {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			panic(http.ErrAbortHandler) // a stall sends nothing, not even an empty answer
		}
		r := h.verifier(t, WithFetchLimits(200*time.Millisecond, 1<<20)).Verify(ctx, h.webBadge(t, k, "key-1", "urn:uuid:s", "did:key:z6Mkh"), Binding{})
		require.Equal(t, StatusIndeterminate, r.Status)
		require.ErrorIs(t, requireCheck(t, r, CheckSignature, StatusIndeterminate).Err, fetch.ErrTimeout)
	})
	t.Run("server error", func(t *testing.T) {
		h := newWebHost(t)
		h.handle = func(w http.ResponseWriter, r *http.Request) bool {
			http.Error(w, "down", http.StatusBadGateway)
			return true
		}
		r := h.verifier(t).Verify(ctx, h.webBadge(t, k, "key-1", "urn:uuid:s", "did:key:z6Mkh"), Binding{})
		require.Equal(t, StatusIndeterminate, r.Status)
		requireCheck(t, r, CheckSignature, StatusIndeterminate)
	})
	t.Run("100 MB document", func(t *testing.T) {
		h := newWebHost(t)
		chunk := []byte(strings.Repeat(" ", 1<<20))
		h.handle = func(w http.ResponseWriter, r *http.Request) bool {
			for i := 0; i < 100; i++ {
				if _, err := w.Write(chunk); err != nil {
					break
				}
			}
			return true
		}
		r := h.verifier(t, WithFetchLimits(5*time.Second, 64<<10)).Verify(ctx, h.webBadge(t, k, "key-1", "urn:uuid:s", "did:key:z6Mkh"), Binding{})
		require.Equal(t, StatusFailed, r.Status)
		require.ErrorIs(t, requireCheck(t, r, CheckSignature, StatusFailed).Err, fetch.ErrTooLarge)
	})
	t.Run("offline", func(t *testing.T) {
		h := newWebHost(t)
		r := newVerifier(t, WithoutIssuerTrustUnsafe(), WithOffline()).Verify(ctx, h.webBadge(t, k, "key-1", "urn:uuid:s", "did:key:z6Mkh"), Binding{})
		require.Equal(t, StatusIndeterminate, r.Status)
		require.Contains(t, requireCheck(t, r, CheckSignature, StatusIndeterminate).Message, "offline")
		require.Zero(t, h.hits.Load())
	})
}
