package openid4vp

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"fmt"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/cryptosigner"
)

// requestAlgs are the request object signature algorithms accepted: the
// caller-names-the-algorithms rule, never "none" for a signed prefix.
var requestAlgs = []jose.SignatureAlgorithm{jose.ES256, jose.ES384, jose.EdDSA}

func signatureAlg(pub crypto.PublicKey) (jose.SignatureAlgorithm, error) {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return jose.EdDSA, nil
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256():
			return jose.ES256, nil
		case elliptic.P384():
			return jose.ES384, nil
		}
	}
	return "", fmt.Errorf("openid4vp: request objects are signed with Ed25519, P-256 or P-384 keys, not %T", pub)
}

func opaque(s crypto.Signer) jose.OpaqueSigner { return cryptosigner.Opaque(s) }
