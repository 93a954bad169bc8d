package issuer

import (
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/badgeproof/badgeproof/internal/baking"
	"github.com/badgeproof/badgeproof/internal/jws"
	"github.com/badgeproof/badgeproof/internal/sdjwt"
	"github.com/badgeproof/badgeproof/internal/tokenstatus"
	"github.com/badgeproof/badgeproof/keys"
)

// JOSESigner signs credentials secured with JOSE: Open Badges 3.0 VC-JWTs,
// VC 2.0 credentials as application/vc+jwt, SD-JWT VCs and status list
// tokens. Its key decides the algorithm: Ed25519 EdDSA, P-256 ES256,
// P-384 ES384, secp256k1 ES256K, RSA RS256. Like NewSigner it takes any
// crypto.Signer, and checks each signature it makes.
type JOSESigner struct {
	key crypto.Signer
	kid string
	x5c []string
	now func() time.Time
}

// header is the protected header of a token of type typ.
func (s *JOSESigner) header(typ, cty string) map[string]any {
	h := map[string]any{"typ": typ, "kid": s.kid}
	if cty != "" {
		h["cty"] = cty
	}
	if len(s.x5c) > 0 {
		h["x5c"] = s.x5c
	}
	return h
}

// WithCertificateChain puts the issuer's X.509 certificate chain (leaf
// first, the leaf certifying the signing key) in every token's x5c
// header, for verifiers that trust a certificate authority rather than a
// DID or a JWK set (verify.WithX509Roots). The leaf should name the
// issuer: a URI SAN equal to its id, or a DNS SAN equal to the host of its
// https id.
func WithCertificateChain(chain ...*x509.Certificate) JOSEOption {
	return func(s *JOSESigner) error {
		if len(chain) == 0 || len(chain) > jws.MaxChainCerts {
			return fmt.Errorf("issuer: a certificate chain of 1 to %d certificates, got %d", jws.MaxChainCerts, len(chain))
		}
		s.x5c = make([]string, len(chain))
		for i, c := range chain {
			if c == nil {
				return errors.New("issuer: nil certificate in the chain")
			}
			s.x5c[i] = base64.StdEncoding.EncodeToString(c.Raw)
		}
		return nil
	}
}

// JOSEOption configures a JOSESigner.
type JOSEOption func(*JOSESigner) error

// WithKeyID names the key in the kid header: a DID URL (did:web:...#key-1)
// or a kid of the issuer's JWK set. The default is the key's did:key
// verification method (did:jwk for RSA keys).
func WithKeyID(kid string) JOSEOption {
	return func(s *JOSESigner) error {
		if kid == "" {
			return errors.New("issuer: empty key id")
		}
		s.kid = kid
		return nil
	}
}

// WithJOSEClock sets the clock for iat claims.
func WithJOSEClock(now func() time.Time) JOSEOption {
	return func(s *JOSESigner) error {
		if now == nil {
			return errors.New("issuer: nil clock")
		}
		s.now = now
		return nil
	}
}

// NewJOSESigner builds a JOSESigner for key.
func NewJOSESigner(key crypto.Signer, opts ...JOSEOption) (*JOSESigner, error) {
	if key == nil {
		return nil, errors.New("issuer: nil key")
	}
	if _, err := jws.KeyAlg(key.Public()); err != nil {
		return nil, fmt.Errorf("issuer: %w", err)
	}
	s := &JOSESigner{key: key, now: time.Now}
	for _, o := range opts {
		if err := o(s); err != nil {
			return nil, err
		}
	}
	if len(s.x5c) > 0 {
		der, _ := base64.StdEncoding.DecodeString(s.x5c[0])
		leaf, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, fmt.Errorf("issuer: certificate chain: %w", err)
		}
		if !sameSignerKey(leaf.PublicKey, key.Public()) {
			return nil, errors.New("issuer: the chain's leaf certificate does not certify the signing key")
		}
	}
	if s.kid == "" {
		if pk, err := keys.PublicKeyFrom(key.Public()); err == nil {
			s.kid = pk.VerificationMethod()
		} else if did, err := jws.DIDJWK(key.Public()); err == nil {
			s.kid = did + "#0"
		} else {
			return nil, fmt.Errorf("issuer: %w", err)
		}
	}
	return s, nil
}

// Alg names the JWS algorithm the signer uses.
func (s *JOSESigner) Alg() string { a, _ := jws.KeyAlg(s.key.Public()); return a }

// KeyID is the kid the signer puts in its headers.
func (s *JOSESigner) KeyID() string { return s.kid }

func decodeObject(credential []byte) (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(credential, &m); err != nil || m == nil {
		return nil, fmt.Errorf("issuer: the credential is not a JSON object: %v", err)
	}
	if _, ok := m["proof"]; ok {
		return nil, errors.New("issuer: the credential already carries a proof; a JWT secures an unsigned credential")
	}
	return m, nil
}

// SignVCJWT signs an unsigned credential as an Open Badges 3.0 VC-JWT (the
// VC Data Model 1.1 JWT encoding): the credential goes in the vc claim,
// and iss, jti, sub, nbf and exp repeat its issuer, id, subject id,
// issuanceDate (or validFrom) and expirationDate (or validUntil).
func (s *JOSESigner) SignVCJWT(credential []byte) (string, error) {
	m, err := decodeObject(credential)
	if err != nil {
		return "", err
	}
	var c struct {
		ID      string          `json:"id"`
		Issuer  json.RawMessage `json:"issuer"`
		Subject json.RawMessage `json:"credentialSubject"`
		Issued  *time.Time      `json:"issuanceDate"`
		From    *time.Time      `json:"validFrom"`
		Expires *time.Time      `json:"expirationDate"`
		Until   *time.Time      `json:"validUntil"`
	}
	if err := json.Unmarshal(credential, &c); err != nil {
		return "", fmt.Errorf("issuer: %w", err)
	}
	claims := map[string]any{"vc": m, "iat": s.now().Unix()}
	var iss struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(c.Issuer, &iss) != nil {
		_ = json.Unmarshal(c.Issuer, &iss.ID)
	}
	if iss.ID == "" {
		return "", errors.New("issuer: the credential has no issuer id")
	}
	claims["iss"] = iss.ID
	if c.ID != "" {
		claims["jti"] = c.ID
	}
	var subj struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(c.Subject, &subj) == nil && subj.ID != "" {
		claims["sub"] = subj.ID
	}
	if from := firstTime(c.Issued, c.From); from != nil {
		claims["nbf"] = from.Unix()
	}
	if until := firstTime(c.Expires, c.Until); until != nil {
		claims["exp"] = until.Unix()
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	return jws.Sign(s.key, s.header("JWT", ""), payload)
}

func firstTime(ts ...*time.Time) *time.Time {
	for _, t := range ts {
		if t != nil {
			return t
		}
	}
	return nil
}

// SignVCJOSE secures an unsigned VC 2.0 credential with JOSE
// (application/vc+jwt, W3C VC-JOSE-COSE): the credential is the payload.
func (s *JOSESigner) SignVCJOSE(credential []byte) (string, error) {
	if _, err := decodeObject(credential); err != nil {
		return "", err
	}
	return jws.Sign(s.key, s.header("vc+jwt", "vc"), credential)
}

// SDJWTOptions are the choices of one SD-JWT VC issuance.
type SDJWTOptions struct {
	// VCT is the credential type (required), e.g. BadgeVCT.
	VCT string
	// Disclosable lists the claims the holder may choose to disclose:
	// "name" or, for a member of an object claim, "achievement/name".
	// Every other claim is always disclosed.
	Disclosable []string
	// Decoys is how many decoy digests to add to each _sd array (0 to 64),
	// so that the number of hidden claims is not told.
	Decoys int
	// Holder is the holder's public key (cnf.jwk): presentations must then
	// carry a key binding JWT by it. Nil issues an unbound credential.
	Holder crypto.PublicKey
	// StatusURI and StatusIndex point at the credential's entry in a
	// status list token (TokenStatusList); empty StatusURI: no status.
	StatusURI   string
	StatusIndex int
	// ValidFor sets exp that long after iat; zero: no expiry.
	ValidFor time.Duration
}

// BadgeVCT is the vct this SDK gives Open Badges achievement credentials
// issued as SD-JWT VCs.
const BadgeVCT = "https://purl.imsglobal.org/spec/ob/v3p0/vct/OpenBadgeCredential"

// IssueSDJWT issues an SD-JWT VC (typ dc+sd-jwt) of claims with iss set to
// issuerID. It returns the SD-JWT with every disclosure, the form the
// holder keeps; the holder presents a subset with PresentSDJWT.
func (s *JOSESigner) IssueSDJWT(issuerID string, claims map[string]any, o SDJWTOptions) (string, error) {
	if issuerID == "" || o.VCT == "" {
		return "", errors.New("issuer: an SD-JWT VC needs an issuer id and a vct")
	}
	c := make(map[string]any, len(claims)+6)
	for k, v := range claims {
		switch k {
		case "iss", "vct", "iat", "cnf", "status", "_sd", "_sd_alg":
			return "", fmt.Errorf("issuer: claim %q is set by the issuer, not given", k)
		}
		c[k] = v
	}
	now := s.now()
	c["iss"], c["vct"], c["iat"] = issuerID, o.VCT, now.Unix()
	if o.ValidFor > 0 {
		c["exp"] = now.Add(o.ValidFor).Unix()
	}
	if o.Holder != nil {
		raw, err := jws.MarshalPublicJWK(o.Holder)
		if err != nil {
			return "", fmt.Errorf("issuer: holder key: %w", err)
		}
		c["cnf"] = map[string]any{"jwk": json.RawMessage(raw)}
	}
	if o.StatusURI != "" {
		if o.StatusIndex < 0 {
			return "", errors.New("issuer: negative status index")
		}
		c["status"] = map[string]any{"status_list": map[string]any{"idx": o.StatusIndex, "uri": o.StatusURI}}
	}
	// Round-trip through JSON so that typed values (structs, text) become
	// plain JSON the disclosures can carry.
	raw, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("issuer: %w", err)
	}
	var plain map[string]any
	if err := json.Unmarshal(raw, &plain); err != nil {
		return "", err
	}
	return sdjwt.Issue(s.key, s.header("dc+sd-jwt", ""), plain, o.Disclosable, o.Decoys)
}

// PresentSDJWT is the holder's side: it keeps only the disclosures of the
// named claims (top-level names, or the last segment of nested ones) and,
// when holder is not nil, appends a key binding JWT signed by holder for
// the verifier's audience and nonce, issued at now.
func PresentSDJWT(sdJWT string, disclose []string, holder crypto.Signer, audience, nonce string, now time.Time) (string, error) {
	keep := map[string]bool{}
	for _, d := range disclose {
		keep[d] = true
	}
	p, err := sdjwt.Present(sdJWT, func(name string) bool { return keep[name] })
	if err != nil {
		return "", fmt.Errorf("issuer: %w", err)
	}
	if holder == nil {
		return p, nil
	}
	if audience == "" || nonce == "" {
		return "", errors.New("issuer: a key binding needs the verifier's audience and nonce")
	}
	return sdjwt.KeyBind(p, holder, audience, nonce, now)
}

// Token status values.
const (
	TokenStatusValid     = tokenstatus.Valid
	TokenStatusInvalid   = tokenstatus.Invalid // revoked
	TokenStatusSuspended = tokenstatus.Suspended
)

// TokenStatusList is an IETF Token Status List held by its issuer: every
// credential gets an index; Set changes its status; Token publishes the
// list as a signed status list token.
type TokenStatusList struct{ l *tokenstatus.List }

// NewTokenStatusList makes an all-valid list of size entries of bits bits
// (1: valid/revoked; 2: also suspended).
func NewTokenStatusList(bits, size int) (*TokenStatusList, error) {
	l, err := tokenstatus.New(bits, size)
	if err != nil {
		return nil, fmt.Errorf("issuer: %w", err)
	}
	return &TokenStatusList{l: l}, nil
}

// Set sets entry idx to status (TokenStatusValid, TokenStatusInvalid,
// TokenStatusSuspended).
func (t *TokenStatusList) Set(idx, status int) error { return t.l.Set(idx, status) }

// Get returns the status of entry idx.
func (t *TokenStatusList) Get(idx int) (int, error) { return t.l.Get(idx) }

// Len is the number of entries.
func (t *TokenStatusList) Len() int { return t.l.Len() }

// Token signs the list as a status list token (typ statuslist+jwt) for
// publication at uri (its sub), valid for validFor after now (exp; zero:
// no exp) and to be cached by verifiers for at most ttl (zero: no ttl).
func (s *JOSESigner) Token(t *TokenStatusList, uri string, validFor, ttl time.Duration) (string, error) {
	if uri == "" {
		return "", errors.New("issuer: a status list token needs its uri")
	}
	lst, err := t.l.MarshalJSON()
	if err != nil {
		return "", err
	}
	now := s.now()
	claims := map[string]any{"sub": uri, "iat": now.Unix(), "status_list": json.RawMessage(lst)}
	if validFor > 0 {
		claims["exp"] = now.Add(validFor).Unix()
	}
	if ttl > 0 {
		claims["ttl"] = int64(ttl / time.Second)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	return jws.Sign(s.key, s.header(tokenstatus.TokenType, ""), payload)
}

// BakePNG returns a copy of a PNG image carrying credential (signed JSON
// or a compact JWT) in an iTXt chunk with the keyword openbadgecredential,
// as Open Badges 3.0 baking prescribes; a credential already baked in is
// replaced.
func BakePNG(image, credential []byte) ([]byte, error) { return baking.BakePNG(image, credential) }

// BakeSVG returns a copy of an SVG image carrying credential in an
// openbadges:credential element (a JWT in its verify attribute, JSON as
// its text). An SVG that already carries a credential is refused.
func BakeSVG(image, credential []byte) ([]byte, error) { return baking.BakeSVG(image, credential) }

// PresentSDJWTKeyBinding appends a key binding JWT by holder to a
// presentation the holder assembled itself (the SD-JWT and the chosen
// disclosures, ending in ~).
func PresentSDJWTKeyBinding(presentation string, holder crypto.Signer, audience, nonce string, now time.Time) (string, error) {
	return sdjwt.KeyBind(presentation, holder, audience, nonce, now)
}

// sameSignerKey compares a certificate's key with a signer's.
func sameSignerKey(cert, signer crypto.PublicKey) bool {
	a, errA := jws.MarshalPublicJWK(cert)
	b, errB := jws.MarshalPublicJWK(signer)
	return errA == nil && errB == nil && string(a) == string(b)
}
