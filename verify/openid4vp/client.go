package openid4vp

import (
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/badgeproof/badgeproof/keys"
)

// Client identifier prefixes (OpenID4VP 1.0 section 5.9).
const (
	// PrefixRedirectURI: the client identifier is the response URI; the
	// request cannot be signed, so a wallet cannot tell who asks. For
	// development.
	PrefixRedirectURI = "redirect_uri"
	// PrefixX509SANDNS: the request object is signed by the key of an X.509
	// certificate whose DNS subject alternative name is the identifier.
	PrefixX509SANDNS = "x509_san_dns"
	// PrefixX509Hash: the identifier is the base64url SHA-256 hash of the
	// DER leaf certificate that signs the request object.
	PrefixX509Hash = "x509_hash"
)

// ClientIdentity says how the relying party identifies itself to wallets.
// Make one with RedirectURIIdentity, X509SANDNSIdentity or X509HashIdentity.
type ClientIdentity struct {
	prefix string
	dns    string
	chain  []*x509.Certificate
	key    crypto.Signer
}

// RedirectURIIdentity identifies the relying party by its response URI
// alone: the request object is unsigned (alg none). For development only.
func RedirectURIIdentity() ClientIdentity { return ClientIdentity{prefix: PrefixRedirectURI} }

// X509SANDNSIdentity signs request objects with key, whose certificate is
// chain[0]; chain goes into the x5c header (leaf first, root optional). The
// client identifier is x509_san_dns:dnsName, a DNS name of the leaf
// certificate, and the response URI must be on that host.
func X509SANDNSIdentity(dnsName string, chain []*x509.Certificate, key crypto.Signer) (ClientIdentity, error) {
	id := ClientIdentity{prefix: PrefixX509SANDNS, dns: dnsName, chain: chain, key: key}
	if err := id.checkKey(); err != nil {
		return ClientIdentity{}, err
	}
	if !slices.Contains(chain[0].DNSNames, dnsName) {
		return ClientIdentity{}, fmt.Errorf("openid4vp: the certificate's DNS names %v do not include %q", chain[0].DNSNames, dnsName)
	}
	return id, nil
}

// X509HashIdentity signs request objects with key, whose certificate is
// chain[0]; the client identifier is x509_hash: and the leaf's hash.
func X509HashIdentity(chain []*x509.Certificate, key crypto.Signer) (ClientIdentity, error) {
	id := ClientIdentity{prefix: PrefixX509Hash, chain: chain, key: key}
	return id, id.checkKey()
}

func (c *ClientIdentity) checkKey() error {
	if len(c.chain) == 0 || c.chain[0] == nil || c.key == nil {
		return errors.New("openid4vp: a certificate chain and its leaf's key are needed")
	}
	if len(c.chain) > 8 {
		return fmt.Errorf("openid4vp: a chain of %d certificates, at most 8", len(c.chain))
	}
	// A keys.PrivateKey's public key is a *keys.PublicKey: give JOSE the
	// standard library's key.
	if pk, ok := c.key.(*keys.PrivateKey); ok {
		c.key = stdSigner{pk, pk.PublicKey().CryptoPublicKey()}
	}
	type equaler interface{ Equal(crypto.PublicKey) bool }
	e, ok := c.chain[0].PublicKey.(equaler)
	if !ok || !e.Equal(c.key.Public()) {
		return errors.New("openid4vp: the key is not the leaf certificate's")
	}
	return nil
}

type stdSigner struct {
	crypto.Signer
	pub crypto.PublicKey
}

func (s stdSigner) Public() crypto.PublicKey { return s.pub }

// ID returns the client identifier for a response URI.
func (c ClientIdentity) ID(responseURI string) string {
	switch c.prefix {
	case PrefixX509SANDNS:
		return PrefixX509SANDNS + ":" + c.dns
	case PrefixX509Hash:
		return PrefixX509Hash + ":" + X509Hash(c.chain[0])
	}
	return PrefixRedirectURI + ":" + responseURI
}

// X509Hash is the x509_hash value of a certificate: base64url (no padding)
// of the SHA-256 of its DER encoding.
func X509Hash(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.Raw)
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// SplitClientID splits a client identifier into its prefix and value; an
// identifier without a known prefix returns "" and itself.
func SplitClientID(id string) (prefix, value string) {
	p, v, ok := strings.Cut(id, ":")
	if ok {
		switch p {
		case PrefixRedirectURI, PrefixX509SANDNS, PrefixX509Hash, "decentralized_identifier", "verifier_attestation", "openid_federation", "origin":
			return p, v
		}
	}
	return "", id
}
