package jws

import (
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"time"
)

// Errors of an x5c chain, for errors.Is.
var (
	// ErrBadChain: the x5c header cannot be read (base64, DER, size).
	ErrBadChain = errors.New("jws: malformed x5c certificate chain")
	// ErrUntrustedChain: the chain does not lead to one of the roots, or a
	// certificate in it is expired or not yet valid.
	ErrUntrustedChain = errors.New("jws: x5c certificate chain not trusted")
)

// Bounds on an x5c header (RFC 7515 §4.1.6), checked before any
// certificate is parsed: real chains are a leaf and one or two CAs.
const (
	MaxChainCerts = 8
	maxCertBytes  = 16 << 10
)

// VerifyChain decodes an x5c header (standard base64 DER, leaf first) and
// checks that the leaf chains to one of roots at now, the other
// certificates serving as intermediates. It returns the leaf, whose public
// key is the one the token must verify with. roots must not be nil.
func VerifyChain(x5c []string, roots *x509.CertPool, now time.Time) (*x509.Certificate, error) {
	if roots == nil {
		return nil, fmt.Errorf("%w: no roots to check the chain against", ErrUntrustedChain)
	}
	switch {
	case len(x5c) == 0:
		return nil, fmt.Errorf("%w: empty chain", ErrBadChain)
	case len(x5c) > MaxChainCerts:
		return nil, fmt.Errorf("%w: %d certificates, at most %d", ErrBadChain, len(x5c), MaxChainCerts)
	}
	for i, c := range x5c {
		if len(c) > base64.StdEncoding.EncodedLen(maxCertBytes) {
			return nil, fmt.Errorf("%w: x5c[%d] is larger than %d bytes", ErrBadChain, i, maxCertBytes)
		}
	}
	certs := make([]*x509.Certificate, 0, len(x5c))
	for i, c := range x5c {
		// RFC 7515: base64 (not base64url) DER.
		der, err := base64.StdEncoding.Strict().DecodeString(c)
		if err != nil {
			return nil, fmt.Errorf("%w: x5c[%d]: %v", ErrBadChain, i, err)
		}
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, fmt.Errorf("%w: x5c[%d]: %v", ErrBadChain, i, err)
		}
		certs = append(certs, cert)
	}
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	leaf := certs[0]
	_, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: now,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUntrustedChain, err)
	}
	return leaf, nil
}
