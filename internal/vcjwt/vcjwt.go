// Package vcjwt reads the credential a VC Data Model 1.1 JWT (a VC-JWT,
// OpenID4VP's jwt_vc_json) secures, without verifying it: what a wallet
// files and what DCQL claim paths are matched against. The relying party
// verifies the same token with the Verifier, which maps the claims the same
// way.
package vcjwt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/badgeproof/badgeproof/internal/jws"
)

// contextV2 is the VC 2.0 context (badge.ContextV2; badge is not imported
// here so that it may use this package).
const contextV2 = "https://www.w3.org/ns/credentials/v2"

// ErrNotVCJWT: the token is not a compact JWS whose payload has a vc
// object.
var ErrNotVCJWT = errors.New("vcjwt: not a VC-JWT")

// Credential is what a VC-JWT says.
type Credential struct {
	// VC is the vc claim with iss, jti, sub, nbf and exp filled in where it
	// lacks them (issuer, id, credentialSubject.id, issuanceDate and
	// expirationDate, or validFrom and validUntil for VC 2.0), as the
	// Verifier maps them: the root DCQL claim paths start from.
	VC json.RawMessage
	// Types is vc.type; Issuer is iss, or vc.issuer's id.
	Types  []string
	Issuer string
	// Subject is sub, or the credentialSubject's id.
	Subject string
}

// Decode reads token, a compact VC-JWT whose payload is at most maxPayload
// bytes. Nothing is verified.
func Decode(token string, maxPayload int) (*Credential, error) {
	t, err := jws.Parse(strings.TrimSpace(token), maxPayload)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotVCJWT, err)
	}
	var p struct {
		Iss string          `json:"iss"`
		Sub string          `json:"sub"`
		Jti string          `json:"jti"`
		Nbf *int64          `json:"nbf"`
		Exp *int64          `json:"exp"`
		VC  json.RawMessage `json:"vc"`
	}
	if err := json.Unmarshal(t.Payload, &p); err != nil {
		return nil, fmt.Errorf("%w: payload: %v", ErrNotVCJWT, err)
	}
	var vc map[string]json.RawMessage
	if err := json.Unmarshal(p.VC, &vc); err != nil || vc == nil {
		return nil, fmt.Errorf("%w: no vc object", ErrNotVCJWT)
	}
	fill := func(name string, val any) {
		if _, ok := vc[name]; !ok {
			vc[name], _ = json.Marshal(val)
		}
	}
	if p.Jti != "" {
		fill("id", p.Jti)
	}
	if p.Iss != "" {
		fill("issuer", p.Iss)
	}
	// A VC 2.0 credential in a vc claim (as Open Badges 3.0 issuers make
	// them) has validFrom and validUntil instead.
	from, until := "issuanceDate", "expirationDate"
	if bytes.Contains(vc["@context"], []byte(contextV2)) {
		from, until = "validFrom", "validUntil"
	}
	if p.Nbf != nil {
		fill(from, time.Unix(*p.Nbf, 0).UTC().Format(time.RFC3339))
	}
	if p.Exp != nil {
		fill(until, time.Unix(*p.Exp, 0).UTC().Format(time.RFC3339))
	}
	c := &Credential{Issuer: p.Iss, Subject: p.Sub}
	var subj map[string]json.RawMessage
	if json.Unmarshal(vc["credentialSubject"], &subj) == nil && subj != nil {
		var id string
		_ = json.Unmarshal(subj["id"], &id)
		if id == "" && p.Sub != "" {
			subj["id"], _ = json.Marshal(p.Sub)
			vc["credentialSubject"], _ = json.Marshal(subj)
		} else if c.Subject == "" {
			c.Subject = id
		}
	}
	if c.Issuer == "" {
		var iss struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(vc["issuer"], &iss) != nil {
			_ = json.Unmarshal(vc["issuer"], &iss.ID)
		}
		c.Issuer = iss.ID
	}
	var one string
	if json.Unmarshal(vc["type"], &one) == nil {
		c.Types = []string{one}
	} else {
		_ = json.Unmarshal(vc["type"], &c.Types)
	}
	if c.VC, err = json.Marshal(vc); err != nil {
		return nil, err
	}
	return c, nil
}
