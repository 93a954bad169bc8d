package issuer

import (
	"encoding/json"
	"errors"

	"github.com/badgeproof/badgeproof/badge"
)

// NewPresentation bundles credentials, each exactly as it was issued (its
// original bytes), into an unsigned VerifiablePresentation of holder. Sign
// it with the holder's key: [Signer.SignPresentation].
func NewPresentation(holder string, creds ...*badge.Credential) (*badge.Presentation, error) {
	if holder == "" {
		return nil, errors.New("issuer: a presentation needs a holder")
	}
	if len(creds) == 0 {
		return nil, errors.New("issuer: a presentation needs at least one credential")
	}
	vcs := make([]json.RawMessage, len(creds))
	size := 0
	for i, c := range creds {
		vcs[i] = json.RawMessage(c.Raw())
		size += len(c.Raw())
	}
	doc, err := json.Marshal(map[string]any{
		"@context":             []string{badge.ContextV2},
		"type":                 []string{"VerifiablePresentation"},
		"holder":               holder,
		"verifiableCredential": vcs,
	})
	if err != nil {
		return nil, err
	}
	return badge.ParsePresentation(doc, badge.Limits{MaxBytes: max(badge.DefaultMaxBytes, 2*size+4096)})
}
