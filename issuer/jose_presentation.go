package issuer

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/jws"
)

// VPJOSEType is the typ of a presentation secured with JOSE.
const VPJOSEType = "vp+jwt"

// SignVPJOSE is the holder's side of a VC 2.0 presentation secured with
// JOSE (application/vp+jwt, W3C VC-JOSE-COSE): the signer holds the
// holder's key, holder is the holder's id (empty: the DID of the signer's
// key id), and the presentation is bound to the verifier's audience (the
// aud claim, checked as a Data Integrity presentation's domain) and nonce
// (the nonce claim, checked as its challenge). Each credential is a
// JWT-secured credential (SignVCJOSE, SignVCJWT), carried as an
// EnvelopedVerifiableCredential, or a credential with embedded proofs
// (JSON), carried as it is.
func (s *JOSESigner) SignVPJOSE(holder, audience, nonce string, credentials ...[]byte) (string, error) {
	if audience == "" || nonce == "" {
		return "", errors.New("issuer: a presentation is bound to the verifier's audience and nonce; both are needed")
	}
	if len(credentials) == 0 {
		return "", errors.New("issuer: a presentation needs at least one credential")
	}
	if holder == "" {
		holder, _, _ = strings.Cut(s.kid, "#")
	}
	if !strings.HasPrefix(holder, "did:") && !strings.Contains(holder, ":") {
		return "", fmt.Errorf("issuer: holder %q is not a URI", holder)
	}
	vcs := make([]any, len(credentials))
	for i, c := range credentials {
		c = bytes.TrimSpace(c)
		switch {
		case jws.LooksCompact(c) && !bytes.Contains(c, []byte("~")):
			vcs[i] = map[string]any{
				"@context": badge.ContextV2,
				"id":       "data:application/vc+jwt," + string(c),
				"type":     "EnvelopedVerifiableCredential",
			}
		case json.Valid(c) && bytes.HasPrefix(c, []byte("{")):
			vcs[i] = json.RawMessage(c)
		default:
			return "", fmt.Errorf("issuer: credential %d is neither a JWT-secured credential nor a JSON credential (an SD-JWT VC is presented on its own, with PresentSDJWT)", i)
		}
	}
	payload, err := json.Marshal(map[string]any{
		"@context":             []string{badge.ContextV2},
		"type":                 []string{"VerifiablePresentation"},
		"holder":               holder,
		"verifiableCredential": vcs,
		"iss":                  holder,
		"aud":                  audience,
		"nonce":                nonce,
		"iat":                  s.now().Unix(),
	})
	if err != nil {
		return "", err
	}
	return jws.Sign(s.key, s.header(VPJOSEType, "vp"), payload)
}

// JOSESigner returns a JOSESigner for the signer's key whose kid is the
// signer's verification method: the holder who signs Data Integrity
// presentations (SignPresentation) signs JWT presentations (SignVPJWT,
// SignVPJOSE) with the same key and identifier.
func (s *Signer) JOSESigner() (*JOSESigner, error) {
	return NewJOSESigner(s.key, WithKeyID(s.vm), WithJOSEClock(s.now))
}

// VPJWTLifetime is how long a presentation SignVPJWT makes is valid (its
// exp): long enough for a wallet to post it, short enough that it is of no
// use later.
const VPJWTLifetime = 5 * time.Minute

// SignVPJWT is the holder's side of a VC Data Model 1.1 presentation JWT,
// the presentation of OpenID4VP's jwt_vc_json format: the signer holds the
// holder's key, holder is the holder's id (empty: the DID of the signer's
// key id) and goes in iss, the presentation (the vp claim: the VC 1.1
// context, type VerifiablePresentation, the credentials) is bound to the
// verifier's audience (aud: the OpenID4VP client identifier) and nonce,
// and expires after VPJWTLifetime. Each credential is a compact VC-JWT
// (SignVCJWT); a credential the holder is not the subject of fails
// verification, so present only the holder's own.
func (s *JOSESigner) SignVPJWT(holder, audience, nonce string, credentials ...string) (string, error) {
	if audience == "" || nonce == "" {
		return "", errors.New("issuer: a presentation is bound to the verifier's audience and nonce; both are needed")
	}
	if len(credentials) == 0 {
		return "", errors.New("issuer: a presentation needs at least one credential")
	}
	if holder == "" {
		holder, _, _ = strings.Cut(s.kid, "#")
	}
	if !strings.Contains(holder, ":") {
		return "", fmt.Errorf("issuer: holder %q is not a URI", holder)
	}
	for i, c := range credentials {
		if !jws.LooksCompact([]byte(c)) || strings.Contains(c, "~") {
			return "", fmt.Errorf("issuer: credential %d is not a compact VC-JWT", i)
		}
	}
	jti := make([]byte, 16)
	if _, err := rand.Read(jti); err != nil {
		return "", err
	}
	now := s.now()
	payload, err := json.Marshal(map[string]any{
		"iss":   holder,
		"jti":   "urn:uuid:" + uuidString(jti),
		"aud":   audience,
		"nonce": nonce,
		"iat":   now.Unix(),
		"nbf":   now.Unix(),
		"exp":   now.Add(VPJWTLifetime).Unix(),
		"vp": map[string]any{
			"@context":             []string{badge.ContextV1},
			"type":                 []string{"VerifiablePresentation"},
			"verifiableCredential": credentials,
		},
	})
	if err != nil {
		return "", err
	}
	return jws.Sign(s.key, s.header("JWT", ""), payload)
}

// uuidString formats 16 random bytes as a version 4 UUID.
func uuidString(b []byte) string {
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
