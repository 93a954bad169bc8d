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

// Claims are the registered claims of a VC-JWT that stand for properties
// of the credential its vc claim holds.
type Claims struct {
	Iss string `json:"iss"`
	Sub string `json:"sub"`
	Jti string `json:"jti"`
	Nbf *int64 `json:"nbf"`
	Exp *int64 `json:"exp"`
}

// Map fills vc (the vc claim's members) from c as the VC 1.1 JWT encoding
// says: jti is the id, iss the issuer (or its id), sub the
// credentialSubject's id, nbf and exp issuanceDate and expirationDate (for
// a VC 2.0 credential, validFrom and validUntil). A property the vc object
// already has must agree with its claim; a disagreement is an error
// wrapping jws.ErrMalformed.
func Map(vc map[string]json.RawMessage, c Claims) error {
	set := func(name string, val any) error {
		raw, err := json.Marshal(val)
		if err != nil {
			return err
		}
		if old, ok := vc[name]; ok {
			var o any
			if json.Unmarshal(old, &o) == nil && fmt.Sprint(o) != fmt.Sprint(val) {
				return fmt.Errorf("%w: the JWT says %s is %v, the vc claim says %s", jws.ErrMalformed, name, val, old)
			}
			return nil
		}
		vc[name] = raw
		return nil
	}
	if c.Jti != "" {
		if err := set("id", c.Jti); err != nil {
			return err
		}
	}
	if c.Iss != "" {
		raw, ok := vc["issuer"]
		var id string
		var profile map[string]json.RawMessage
		switch {
		case !ok:
			vc["issuer"], _ = json.Marshal(c.Iss)
		case json.Unmarshal(raw, &id) == nil:
			if id != c.Iss {
				return fmt.Errorf("%w: iss %q is not vc.issuer %q", jws.ErrMalformed, c.Iss, id)
			}
		case json.Unmarshal(raw, &profile) != nil || profile == nil:
			return fmt.Errorf("%w: vc.issuer: not a string or profile", jws.ErrMalformed)
		default:
			if err := claimID(vc, "issuer", profile, "iss", c.Iss); err != nil {
				return err
			}
		}
	}
	if c.Sub != "" {
		var subj map[string]json.RawMessage
		if err := json.Unmarshal(vc["credentialSubject"], &subj); err == nil && subj != nil {
			if err := claimID(vc, "credentialSubject", subj, "sub", c.Sub); err != nil {
				return err
			}
		}
	}
	// A VC 2.0 credential in a vc claim (as Open Badges 3.0 issuers make
	// them) has validFrom and validUntil instead.
	from, until := "issuanceDate", "expirationDate"
	if bytes.Contains(vc["@context"], []byte(contextV2)) {
		from, until = "validFrom", "validUntil"
	}
	if c.Nbf != nil {
		if _, ok := vc[from]; !ok {
			vc[from], _ = json.Marshal(time.Unix(*c.Nbf, 0).UTC().Format(time.RFC3339))
		}
	}
	if c.Exp != nil {
		if _, ok := vc[until]; !ok {
			vc[until], _ = json.Marshal(time.Unix(*c.Exp, 0).UTC().Format(time.RFC3339))
		}
	}
	return nil
}

// Decode reads token, a compact VC-JWT whose payload is at most maxPayload
// bytes, and maps its claims onto the credential (Map). Nothing is
// verified.
func Decode(token string, maxPayload int) (*Credential, error) {
	t, err := jws.Parse(strings.TrimSpace(token), maxPayload)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotVCJWT, err)
	}
	var p struct {
		Claims
		VC json.RawMessage `json:"vc"`
	}
	if err := json.Unmarshal(t.Payload, &p); err != nil {
		return nil, fmt.Errorf("%w: payload: %v", ErrNotVCJWT, err)
	}
	var vc map[string]json.RawMessage
	if err := json.Unmarshal(p.VC, &vc); err != nil || vc == nil {
		return nil, fmt.Errorf("%w: no vc object", ErrNotVCJWT)
	}
	if err := Map(vc, p.Claims); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotVCJWT, err)
	}
	c := &Credential{Issuer: p.Iss, Subject: p.Sub}
	if c.Subject == "" {
		var subj struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(vc["credentialSubject"], &subj)
		c.Subject = subj.ID
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

// claimID reconciles the id of obj, vc's member member, with the JWT claim
// named claim: an object without an id takes the claim's value (written
// back into vc), and one with another id is an error.
func claimID(vc map[string]json.RawMessage, member string, obj map[string]json.RawMessage, claim, value string) error {
	var id string
	_ = json.Unmarshal(obj["id"], &id)
	switch {
	case id == "":
		obj["id"], _ = json.Marshal(value)
		vc[member], _ = json.Marshal(obj)
	case id != value:
		return fmt.Errorf("%w: %s %q is not %s.id %q", jws.ErrMalformed, claim, value, member, id)
	}
	return nil
}
