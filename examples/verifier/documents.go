package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/badgeproof/badgeproof/verify"
)

// documentOptions turns --issuer-profile, --revocation-list and --context
// into verifier options: documents the verifier would otherwise fetch (or,
// for contexts, not know), read from files, so that a certificate can be
// decided offline.
func (f *verifierFlags) documentOptions() ([]verify.Option, error) {
	var opts []verify.Option
	var profiles, controllers [][]byte
	for _, path := range f.issuerProfiles {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("--issuer-profile: %w", err)
		}
		var head struct {
			PublicKey          json.RawMessage `json:"publicKey"`
			VerificationMethod json.RawMessage `json:"verificationMethod"`
			DIDDocument        json.RawMessage `json:"didDocument"`
		}
		if err := json.Unmarshal(b, &head); err != nil {
			return nil, fmt.Errorf("--issuer-profile %s: %w", path, err)
		}
		used := false
		if len(head.PublicKey) > 0 && string(head.PublicKey) != "[]" {
			// A Blockcerts profile's anchoring addresses.
			profiles = append(profiles, b)
			used = true
		}
		if len(head.VerificationMethod) > 0 || len(head.DIDDocument) > 0 {
			controllers = append(controllers, b)
			used = true
		}
		if !used {
			return nil, fmt.Errorf("--issuer-profile %s: neither a Blockcerts profile (publicKey) nor a controller document (verificationMethod)", path)
		}
	}
	if len(profiles) > 0 {
		opts = append(opts, verify.WithBlockcertsIssuerProfiles(profiles...))
	}
	if len(controllers) > 0 {
		opts = append(opts, verify.WithControllerDocuments(controllers...))
	}
	for _, kv := range f.revocationLists {
		url, path, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, fmt.Errorf("--revocation-list wants URL=FILE, got %q", kv)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("--revocation-list: %w", err)
		}
		opts = append(opts, verify.WithBlockcertsRevocationList(url, b))
	}
	if len(f.contexts) > 0 {
		docs := map[string][]byte{}
		for _, kv := range f.contexts {
			url, path, ok := strings.Cut(kv, "=")
			if !ok {
				return nil, fmt.Errorf("--context wants URL=FILE, got %q", kv)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return nil, fmt.Errorf("--context: %w", err)
			}
			docs[url] = b
		}
		opts = append(opts, verify.WithContexts(docs))
	}
	return opts, nil
}
