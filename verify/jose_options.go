package verify

import (
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/badgeproof/badgeproof/internal/jws"
)

// JOSEAlgorithms lists the JWS algorithms the Verifier checks for JWT,
// SD-JWT and status list tokens, by the names WithJOSEAlgorithms takes.
// "none" and the HMAC algorithms are not among them and can never be
// accepted: a credential is verified with its issuer's public key only.
func JOSEAlgorithms() []string { return jws.Algorithms() }

// WithJOSEAlgorithms restricts the JWS algorithms accepted for JWT-secured
// credentials, SD-JWT VCs, key binding JWTs and status list tokens (e.g.
// "ES256", "EdDSA"). A token signed with another fails the signature check
// with ErrSuiteNotAccepted. Without this option every algorithm
// JOSEAlgorithms lists is accepted. "none" and HMAC are refused here.
func WithJOSEAlgorithms(algs ...string) Option {
	return func(c *config) error {
		if err := c.once("WithJOSEAlgorithms"); err != nil {
			return err
		}
		if len(algs) == 0 {
			return errors.New("verify: WithJOSEAlgorithms needs at least one algorithm")
		}
		for _, a := range algs {
			switch {
			case strings.EqualFold(a, "none"):
				return errors.New("verify: alg none cannot be accepted: such tokens are unsigned")
			case strings.HasPrefix(strings.ToUpper(a), "HS"):
				return fmt.Errorf("verify: %s cannot be accepted: HMAC needs a shared secret, credentials are verified with public keys", a)
			case !jws.Supported(a):
				return fmt.Errorf("verify: unknown JWS algorithm %q (supported: %s)", a, strings.Join(jws.Algorithms(), ", "))
			}
		}
		c.jose.algs = append([]string(nil), algs...)
		return nil
	}
}

// WithIssuerJWKS gives the keys of issuer (its id, as the credentials'
// issuer or iss name it) as a JWK set ({"keys":[...]}), for JWT-secured
// credentials and SD-JWT VCs: RSA keys (RS256, the algorithm of many Open
// Badges 3.0 platforms) and any key the trust list cannot hold. A token
// verified with one of these keys is the issuer's; whether the issuer is
// trusted is still the trust list's decision.
func WithIssuerJWKS(issuer string, jwks []byte) Option {
	return func(c *config) error {
		if issuer == "" {
			return errors.New("verify: WithIssuerJWKS needs the issuer's id")
		}
		set, err := jws.ParseJWKS(jwks)
		if err != nil {
			return fmt.Errorf("verify: issuer %s: %w", issuer, err)
		}
		if len(set) == 0 {
			return fmt.Errorf("verify: issuer %s: the JWK set has no signing key", issuer)
		}
		if c.jose.jwks == nil {
			c.jose.jwks = map[string][]jws.JWK{}
		}
		if c.jose.jwks[issuer] != nil {
			return fmt.Errorf("verify: WithIssuerJWKS given twice for %s", issuer)
		}
		c.jose.jwks[issuer] = set
		return nil
	}
}

// WithX509Roots trusts certificate chains (the x5c header of JWT-secured
// credentials and SD-JWT VCs) that lead to one of roots; the leaf
// certificate must name the issuer (a URI SAN equal to its id, or a DNS SAN
// equal to the host of its https id).
func WithX509Roots(roots *x509.CertPool) Option {
	return func(c *config) error {
		if roots == nil {
			return errors.New("verify: nil X.509 root pool")
		}
		c.jose.roots = roots
		return c.once("WithX509Roots")
	}
}

// DefaultKeyBindingMaxAge is how old an SD-JWT key binding JWT may be.
const DefaultKeyBindingMaxAge = 5 * time.Minute

// WithKeyBindingMaxAge sets how old (by its iat) an SD-JWT key binding JWT
// may be (default DefaultKeyBindingMaxAge).
func WithKeyBindingMaxAge(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("verify: key binding max age must be positive, got %v", d)
		}
		c.jose.kbAge, c.jose.hasKBA = d, true
		return c.once("WithKeyBindingMaxAge")
	}
}
