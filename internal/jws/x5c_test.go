package jws

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var x5cNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	der  []byte
}

var serial int64

// newCert makes a certificate for key signed by parent (self-signed when
// parent is nil), valid from notBefore to notAfter.
func newCert(t testing.TB, name string, parent *testCA, isCA bool, notBefore, notAfter time.Time, uris ...string) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	serial++
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(serial),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		BasicConstraintsValid: true,
		IsCA:                  isCA,
		KeyUsage:              x509.KeyUsageDigitalSignature,
	}
	if isCA {
		tmpl.KeyUsage |= x509.KeyUsageCertSign
	}
	for _, u := range uris {
		pu, err := url.Parse(u)
		require.NoError(t, err)
		tmpl.URIs = append(tmpl.URIs, pu)
	}
	signer, signerCert := crypto.Signer(key), tmpl
	if parent != nil {
		signer, signerCert = parent.key, parent.cert
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signerCert, &key.PublicKey, signer)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return &testCA{cert: cert, key: key, der: der}
}

func chainOf(cs ...*testCA) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = base64.StdEncoding.EncodeToString(c.der)
	}
	return out
}

func poolOf(cs ...*testCA) *x509.CertPool {
	p := x509.NewCertPool()
	for _, c := range cs {
		p.AddCert(c.cert)
	}
	return p
}

func TestVerifyChain(t *testing.T) {
	from, until := x5cNow.Add(-24*time.Hour), x5cNow.Add(365*24*time.Hour)
	root := newCert(t, "Root", nil, true, from, until)
	inter := newCert(t, "Intermediate", root, true, from, until)
	leaf := newCert(t, "Issuer", inter, false, from, until, "https://issuer.example")
	otherRoot := newCert(t, "Other Root", nil, true, from, until)
	expired := newCert(t, "Old Issuer", inter, false, from, x5cNow.Add(-time.Hour), "https://issuer.example")
	future := newCert(t, "Future Issuer", inter, false, x5cNow.Add(time.Hour), until)

	// A chain that verifies: the leaf, whose key then verifies the token.
	got, err := VerifyChain(chainOf(leaf, inter), poolOf(root), x5cNow)
	require.NoError(t, err)
	require.Equal(t, "Issuer", got.Subject.CommonName)
	tok, err := Sign(leaf.key, map[string]any{"x5c": chainOf(leaf, inter)}, []byte(`{"iss":"https://issuer.example"}`))
	require.NoError(t, err)
	p, err := Parse(tok, 0)
	require.NoError(t, err)
	got, err = VerifyChain(p.Header.X5C, poolOf(root), x5cNow)
	require.NoError(t, err)
	require.NoError(t, p.Verify(got.PublicKey, Algorithms()))

	// A leaf whose key is not the one that signed: the chain is fine, the
	// signature is not.
	other, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tok, err = Sign(other, map[string]any{"x5c": chainOf(leaf, inter)}, []byte(`{}`))
	require.NoError(t, err)
	p, err = Parse(tok, 0)
	require.NoError(t, err)
	got, err = VerifyChain(p.Header.X5C, poolOf(root), x5cNow)
	require.NoError(t, err)
	require.ErrorIs(t, p.Verify(got.PublicKey, Algorithms()), ErrBadSignature)

	// An untrusted root, a missing intermediate, an expired and a not yet
	// valid leaf, a root given as the only certificate of another pool.
	for name, c := range map[string]struct {
		chain []string
		roots *x509.CertPool
	}{
		"untrusted root":       {chainOf(leaf, inter), poolOf(otherRoot)},
		"self-signed leaf":     {chainOf(otherRoot), poolOf(root)},
		"missing intermediate": {chainOf(leaf), poolOf(root)},
		"expired leaf":         {chainOf(expired, inter), poolOf(root)},
		"leaf not yet valid":   {chainOf(future, inter), poolOf(root)},
		"intermediate as leaf": {chainOf(inter), poolOf(otherRoot)},
	} {
		_, err := VerifyChain(c.chain, c.roots, x5cNow)
		require.ErrorIs(t, err, ErrUntrustedChain, name)
	}
	_, err = VerifyChain(chainOf(leaf, inter), nil, x5cNow)
	require.ErrorIs(t, err, ErrUntrustedChain, "no roots")
	// The same chain after the leaf expires.
	_, err = VerifyChain(chainOf(leaf, inter), poolOf(root), until.Add(time.Hour))
	require.ErrorIs(t, err, ErrUntrustedChain)

	// Malformed chains, refused before verification.
	for name, chain := range map[string][]string{
		"empty":           {},
		"base64url":       {strings.NewReplacer("+", "-", "/", "_").Replace(chainOf(leaf)[0]) + "-_"},
		"not DER":         {base64.StdEncoding.EncodeToString([]byte("not a certificate"))},
		"too many":        chainOf(leaf, inter, inter, inter, inter, inter, inter, inter, inter),
		"oversized entry": {strings.Repeat("A", base64.StdEncoding.EncodedLen(maxCertBytes)+4)},
	} {
		_, err := VerifyChain(chain, poolOf(root), x5cNow)
		require.ErrorIs(t, err, ErrBadChain, name)
	}
}
