package issuer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

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
