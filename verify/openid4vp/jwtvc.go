package openid4vp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/badgeproof/badgeproof/internal/jws"
	"github.com/badgeproof/badgeproof/internal/vcjwt"
	"github.com/badgeproof/badgeproof/verify"
)

// jwtVCJSON verifies jwt_vc_json presentations (OpenID4VP 1.0 appendix
// B.1.3.1): a VC Data Model 1.1 presentation JWT signed by the holder, its
// nonce claim the request's nonce and its aud the client identifier, whose
// vp claim carries VC-JWTs. The Verifier checks the holder's signature and
// binding and each credential (one report each, the holder being its
// subject); DCQL matches each credential's type and the claims of its vc
// object.
type jwtVCJSON struct{ v *verify.Verifier }

func (jwtVCJSON) Format() string { return FormatJWTVCJSON }

func (h jwtVCJSON) Verify(ctx context.Context, pres json.RawMessage, b PresentationBinding) (*verify.Report, []Credential, error) {
	var s string
	if err := json.Unmarshal(pres, &s); err != nil {
		return nil, nil, fmt.Errorf("%w: a jwt_vc_json presentation is a JSON string: a presentation JWT", ErrMalformedResponse)
	}
	s = strings.TrimSpace(s)
	if !jws.LooksCompact([]byte(s)) || strings.Contains(s, "~") {
		return nil, nil, fmt.Errorf("%w: a jwt_vc_json presentation is a compact JWT", ErrMalformedResponse)
	}
	// The presentation is read before it is verified, for the binding's own
	// codes and for what DCQL sees; the Verifier then checks the same bytes
	// (signature, binding again, every credential), and a presentation whose
	// report is not verified is never accepted.
	t, err := jws.Parse(s, len(s))
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrMalformedResponse, err)
	}
	var p struct {
		Nonce string          `json:"nonce"`
		Aud   json.RawMessage `json:"aud"`
		VP    *struct {
			VC json.RawMessage `json:"verifiableCredential"`
		} `json:"vp"`
	}
	if err := json.Unmarshal(t.Payload, &p); err != nil {
		return nil, nil, fmt.Errorf("%w: presentation JWT payload: %v", ErrMalformedResponse, err)
	}
	if p.VP == nil {
		return nil, nil, fmt.Errorf("%w: a jwt_vc_json presentation is a VC 1.1 presentation JWT, with a vp claim", ErrMalformedResponse)
	}
	if p.Nonce != b.Nonce {
		return nil, nil, fmt.Errorf("%w: the presentation's nonce is %q, the request's %q", ErrNonceMismatch, p.Nonce, b.Nonce)
	}
	if !audienceIs(p.Aud, b.Audience) {
		return nil, nil, fmt.Errorf("%w: the presentation's aud is %s, the client identifier %q", ErrAudienceMismatch, truncate(string(p.Aud), 256), b.Audience)
	}
	var items []json.RawMessage
	if raw := bytes.TrimSpace(p.VP.VC); bytes.HasPrefix(raw, []byte("[")) {
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, nil, fmt.Errorf("%w: vp.verifiableCredential: %v", ErrMalformedResponse, err)
		}
	} else if len(raw) > 0 {
		items = []json.RawMessage{raw}
	}
	tokens := make([]string, len(items))
	for i, it := range items {
		if err := json.Unmarshal(it, &tokens[i]); err != nil {
			return nil, nil, fmt.Errorf("%w: vp.verifiableCredential[%d] is not a VC-JWT: a jwt_vc_json presentation carries compact JWTs", ErrMalformedResponse, i)
		}
	}
	rep := h.v.Verify(ctx, []byte(s), verify.Binding{Challenge: b.Nonce, Domain: b.Audience})
	creds := make([]Credential, 0, len(tokens))
	for _, tok := range tokens {
		c, err := vcjwt.Decode(tok, len(tok))
		if err != nil {
			// The report says why (the Verifier read the same token);
			// nothing is matched against a credential that did not parse.
			continue
		}
		creds = append(creds, Credential{Format: FormatJWTVCJSON, Types: c.Types, Issuer: c.Issuer, Claims: c.VC})
	}
	if rep.Verified && len(creds) != len(tokens) {
		return nil, nil, fmt.Errorf("%w: a credential of the presentation could not be read", ErrMalformedResponse)
	}
	return rep, creds, nil
}

// audienceIs: aud is the client identifier, or an array holding it.
func audienceIs(aud json.RawMessage, want string) bool {
	var one string
	if json.Unmarshal(aud, &one) == nil {
		return one == want
	}
	var many []string
	if json.Unmarshal(aud, &many) != nil {
		return false
	}
	for _, a := range many {
		if a == want {
			return true
		}
	}
	return false
}
