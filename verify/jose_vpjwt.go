package verify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// hasVPClaim: a vp claim that is there and not null.
func hasVPClaim(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && !bytes.Equal(raw, []byte("null"))
}

// liftVP reads a VC Data Model 1.1 presentation JWT (VC 1.1 section 6.3.1):
// the presentation is the vp claim; iss stands for its holder, and nonce
// and aud, beside it, bind it as a Data Integrity presentation's challenge
// and domain do. The presentation's members are lifted to where a vp+jwt
// has them; a payload carrying both forms is refused, since the two could
// say different things.
func (p *jwtPresentation) liftVP() error {
	if len(p.Context) > 0 || len(p.Type) > 0 || len(p.Holder) > 0 || len(p.VC) > 0 {
		return errors.New("a vp claim beside top-level presentation members: a VC 1.1 presentation JWT puts the presentation in vp only")
	}
	var vp struct {
		Context []json.RawMessage `json:"@context"`
		Type    json.RawMessage   `json:"type"`
		Holder  json.RawMessage   `json:"holder"`
		VC      json.RawMessage   `json:"verifiableCredential"`
	}
	if err := json.Unmarshal(p.VP, &vp); err != nil || !bytes.HasPrefix(bytes.TrimSpace(p.VP), []byte("{")) {
		return fmt.Errorf("the vp claim is not a presentation object")
	}
	if len(vp.Type) > 0 {
		if err := json.Unmarshal(vp.Type, &p.Type); err != nil {
			return fmt.Errorf("vp.type: %v", err)
		}
	}
	p.Context, p.Holder, p.VC = vp.Context, vp.Holder, vp.VC
	return nil
}
