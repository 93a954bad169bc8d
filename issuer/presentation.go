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
	vcs := make([]json.RawMessage, len(creds))
	size := 0
	for i, c := range creds {
		vcs[i] = json.RawMessage(c.Raw())
		size += len(c.Raw())
	}
	members := map[string]any{
		"@context": []string{badge.ContextV2},
		"type":     []string{"VerifiablePresentation"},
		"holder":   holder,
	}
	if len(vcs) > 0 {
		// A presentation of no credential is valid: the holder proves
		// control of its key (a login), and verifiableCredential is absent.
		members["verifiableCredential"] = vcs
	}
	doc, err := json.Marshal(members)
	if err != nil {
		return nil, err
	}
	return badge.ParsePresentation(doc, badge.Limits{MaxBytes: max(badge.DefaultMaxBytes, 2*size+4096)})
}
