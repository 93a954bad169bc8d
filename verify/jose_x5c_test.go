package verify

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
)

type x5cCert struct {
	cert *x509.Certificate
	key  crypto.Signer
}

// x5cIssue makes a certificate for key (a new P-256 key when nil) signed
// by parent (self-signed when nil), valid from nb to na, naming uris.
func x5cIssue(t *testing.T, name string, parent *x5cCert, key crypto.Signer, ca bool, nb, na time.Time, uris ...string) *x5cCert {
	t.Helper()
	if key == nil {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
		key = k
	}
	pub := key.Public()
	if pk, ok := pub.(*keys.PublicKey); ok {
		pub = pk.CryptoPublicKey()
	}
	sn, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: sn, Subject: pkix.Name{CommonName: name}, NotBefore: nb, NotAfter: na,
		BasicConstraintsValid: true, IsCA: ca, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign}
	for _, u := range uris {
		pu, err := url.Parse(u)
		require.NoError(t, err)
		tmpl.URIs = append(tmpl.URIs, pu)
	}
	signer, parentCert := key, tmpl
	if parent != nil {
		signer, parentCert = parent.key, parent.cert
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parentCert, pub, signer)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return &x5cCert{cert: cert, key: key}
}

// JWT-secured badges whose issuer key comes in an x5c chain: verified when
// the chain leads to a configured root and the leaf names the issuer and
// holds the signing key; otherwise each failure has its code.
func TestX5CChains(t *testing.T) {
	const issuerID = "https://www.q-net.example"
	from, until := fixedNow.Add(-48*time.Hour), fixedNow.Add(365*24*time.Hour)
	root := x5cIssue(t, "Korea Badge Root CA", nil, nil, true, from, until)
	inter := x5cIssue(t, "Korea Badge Issuing CA", root, nil, true, from, until)
	otherRoot := x5cIssue(t, "Someone's CA", nil, nil, true, from, until)
	ik, err := keys.Generate(keys.P256)
	require.NoError(t, err)
	leaf := x5cIssue(t, "HRD Korea", inter, ik, false, from, until, issuerID)
	expired := x5cIssue(t, "HRD Korea (old)", inter, ik, false, from, fixedNow.Add(-time.Hour), issuerID)
	notNaming := x5cIssue(t, "Someone else", inter, ik, false, from, until, "https://other.example")
	strayKey, err := keys.Generate(keys.P256)
	require.NoError(t, err)

	ti := newTestIssuer(t, keys.P256)
	var m map[string]any
	require.NoError(t, json.Unmarshal(ti.qualification(t, "urn:uuid:5a1f0000-0000-4000-8000-00000000x5c0", "did:example:holder").Raw(), &m))
	m["issuer"].(map[string]any)["id"] = issuerID
	cred, err := json.Marshal(m)
	require.NoError(t, err)

	sign := func(key crypto.Signer, chain ...*x5cCert) string {
		certs := make([]*x509.Certificate, len(chain))
		for i, c := range chain {
			certs[i] = c.cert
		}
		s, err := issuer.NewJOSESigner(key, issuer.WithCertificateChain(certs...), issuer.WithKeyID(issuerID+"#cert"))
		require.NoError(t, err)
		tok, err := s.SignVCJOSE(cred)
		require.NoError(t, err)
		return tok
	}
	roots := x509.NewCertPool()
	roots.AddCert(root.cert)
	tl := trustList(t, TrustedIssuer{ID: issuerID, Name: "HRD Korea"})
	v := newVerifier(t, WithTrustList(tl), WithX509Roots(roots), WithOffline())
	ctx := context.Background()

	// A chain that verifies.
	r := v.Verify(ctx, []byte(sign(ik, leaf, inter)), Binding{})
	require.True(t, r.Verified, "%+v", r.Checks)
	require.Contains(t, requireCheck(t, r, CheckSignature, StatusPassed).Message, "x5c")
	requireCheck(t, r, CheckIssuer, StatusPassed)

	// A leaf whose key is not the signing key: refused by the issuer's
	// signer, and, with the header forged, failed by the verifier.
	_, err = issuer.NewJOSESigner(strayKey, issuer.WithCertificateChain(leaf.cert, inter.cert))
	require.Error(t, err)
	good := sign(ik, leaf, inter)
	stray := sign(strayKey, x5cIssue(t, "stray", inter, strayKey, false, from, until, issuerID), inter)
	sp := strings.Split(stray, ".")
	gp := strings.Split(good, ".")
	r = v.Verify(ctx, []byte(gp[0]+"."+sp[1]+"."+sp[2]), Binding{})
	require.Equal(t, "bad_signature", requireCheck(t, r, CheckSignature, StatusFailed).Code)

	for name, c := range map[string]struct {
		token string
		code  string
	}{
		"untrusted root":       {sign(ik, x5cIssue(t, "HRD Korea", otherRoot, ik, false, from, until, issuerID)), "untrusted_issuer"},
		"expired certificate":  {sign(ik, expired, inter), "untrusted_issuer"},
		"missing intermediate": {sign(ik, leaf), "untrusted_issuer"},
		"leaf names another":   {sign(ik, notNaming, inter), "key_not_issuer"},
	} {
		r := v.Verify(ctx, []byte(c.token), Binding{})
		require.False(t, r.Verified, name)
		require.Equal(t, c.code, requireCheck(t, r, CheckSignature, StatusFailed).Code, name)
	}

	// A header whose x5c is not base64 DER.
	hdr := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"ES256","typ":"vc+jwt","x5c":["not DER"]}`))
	r = v.Verify(ctx, []byte(hdr+"."+gp[1]+"."+gp[2]), Binding{})
	require.Equal(t, "malformed", requireCheck(t, r, CheckSignature, StatusFailed).Code)

	// Without configured roots an x5c chain vouches for nothing.
	r = newVerifier(t, WithTrustList(tl), WithOffline()).Verify(ctx, []byte(good), Binding{})
	require.False(t, r.Verified)
	require.Equal(t, "unknown_key", requireCheck(t, r, CheckSignature, StatusFailed).Code)
}
