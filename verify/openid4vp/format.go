package openid4vp

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/verify"
)

// PresentationBinding is what a presentation must be bound to: the
// request's nonce and the audience (the client identifier, or origin:<o>
// for an unsigned Digital Credentials API request).
type PresentationBinding struct {
	Nonce    string
	Audience string
}

// FormatHandler verifies the presentations of one credential format. The
// relying party has one for each of ldp_vc, jwt_vc_json and dc+sd-jwt; a
// handler for another format, or one replacing them, is added with
// WithFormatHandler.
type FormatHandler interface {
	// Format is the DCQL format name the handler serves.
	Format() string
	// Verify checks one presentation of a vp_token (a JSON string or
	// object as the wallet sent it) against b. It returns the Report of the
	// presentation, with one report per credential, and what DCQL matching
	// sees of each credential it holds. An error wrapping ErrNonceMismatch,
	// ErrAudienceMismatch or ErrMalformedResponse says the binding or the
	// shape is wrong; a Report that is not verified is not an error.
	Verify(ctx context.Context, presentation json.RawMessage, b PresentationBinding) (*verify.Report, []Credential, error)
}

// ldpVC verifies Data Integrity presentations with the Verifier.
type ldpVC struct{ v *verify.Verifier }

func (ldpVC) Format() string { return FormatLDPVC }

func (f ldpVC) Verify(ctx context.Context, pres json.RawMessage, b PresentationBinding) (*verify.Report, []Credential, error) {
	var probe struct {
		Type  any             `json:"type"`
		Proof json.RawMessage `json:"proof"`
		VC    json.RawMessage `json:"verifiableCredential"`
	}
	if err := json.Unmarshal(pres, &probe); err != nil {
		return nil, nil, fmt.Errorf("%w: an ldp_vc presentation must be a JSON object: %v", ErrMalformedResponse, err)
	}
	p, err := badge.ParsePresentation(pres, badge.Limits{MaxBytes: len(pres) + 1})
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrMalformedResponse, err)
	}
	// The binding, checked here for its own codes; the Verifier checks it
	// again (challenge_mismatch) after the holder's signature.
	for _, pr := range p.Proofs {
		if pr.Challenge != b.Nonce {
			return nil, nil, fmt.Errorf("%w: the presentation's challenge is %q, the request's nonce %q", ErrNonceMismatch, pr.Challenge, b.Nonce)
		}
		if pr.Domain != b.Audience {
			return nil, nil, fmt.Errorf("%w: the presentation's domain is %q, the client identifier %q", ErrAudienceMismatch, pr.Domain, b.Audience)
		}
	}
	rep := f.v.VerifyPresentation(ctx, p, verify.Binding{Challenge: b.Nonce, Domain: b.Audience})
	creds := make([]Credential, len(p.Credentials))
	for i, c := range p.Credentials {
		creds[i] = Credential{Format: FormatLDPVC, Types: slices.Clone(c.Type), Issuer: c.Issuer.ID, Claims: json.RawMessage(c.Raw())}
	}
	return rep, creds, nil
}
