package openid4vp

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/badgeproof/badgeproof/internal/sdjwt"
	"github.com/badgeproof/badgeproof/verify"
)

// sdJWTVC verifies dc+sd-jwt presentations (an SD-JWT VC with a key binding
// JWT whose nonce is the request's and whose aud is the client identifier)
// with the Verifier; DCQL matches the vct and the disclosed claims.
type sdJWTVC struct{ v *verify.Verifier }

func (sdJWTVC) Format() string { return FormatSDJWTVC }

func (h sdJWTVC) Verify(ctx context.Context, pres json.RawMessage, b PresentationBinding) (*verify.Report, []Credential, error) {
	var s string
	if err := json.Unmarshal(pres, &s); err != nil {
		return nil, nil, fmt.Errorf("%w: a dc+sd-jwt presentation is a JSON string", ErrMalformedResponse)
	}
	sd, err := sdjwt.Parse(s)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrMalformedResponse, err)
	}
	if sd.KB == nil {
		return nil, nil, fmt.Errorf("%w: the SD-JWT VC carries no key binding JWT, so nothing binds it to the nonce", ErrNonceMismatch)
	}
	var kb struct {
		Nonce string `json:"nonce"`
		Aud   any    `json:"aud"`
	}
	if err := json.Unmarshal(sd.KB.Payload, &kb); err != nil {
		return nil, nil, fmt.Errorf("%w: key binding JWT: %v", ErrMalformedResponse, err)
	}
	if kb.Nonce != b.Nonce {
		return nil, nil, fmt.Errorf("%w: the key binding's nonce is %q, the request's %q", ErrNonceMismatch, kb.Nonce, b.Nonce)
	}
	if aud, ok := kb.Aud.(string); !ok || aud != b.Audience {
		return nil, nil, fmt.Errorf("%w: the key binding's aud is %v, the client identifier %q", ErrAudienceMismatch, kb.Aud, b.Audience)
	}
	var head struct {
		Iss string `json:"iss"`
		Vct string `json:"vct"`
	}
	if err := json.Unmarshal(sd.JWT.Payload, &head); err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrMalformedResponse, err)
	}
	rep := h.v.Verify(ctx, []byte(s), verify.Binding{Challenge: b.Nonce, Domain: b.Audience})
	claims, err := sd.Claims()
	if err != nil {
		// The report says why (the Verifier checks the disclosures too);
		// nothing is matched against claims that do not check out.
		return rep, nil, nil
	}
	raw, err := json.Marshal(claims)
	if err != nil {
		return nil, nil, err
	}
	return rep, []Credential{{Format: FormatSDJWTVC, Types: []string{head.Vct}, Issuer: head.Iss, Claims: raw}}, nil
}
