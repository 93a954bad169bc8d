package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/badgeproof/badgeproof/verify"
)

// documentOptions turns --issuer-profile, --revocation-list, --context and
// --related-resource into verifier options: documents the verifier would
// otherwise fetch (or, for contexts and related resources, not know), read
// from files, so that a certificate can be decided offline.
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
	lists, err := readURLFiles("--revocation-list", f.revocationLists)
	if err != nil {
		return nil, err
	}
	for url, b := range lists {
		opts = append(opts, verify.WithBlockcertsRevocationList(url, b))
	}
	for _, files := range []struct {
		flag   string
		values []string
		option func(map[string][]byte) verify.Option
	}{
		{"--context", f.contexts, verify.WithContexts},
		{"--related-resource", f.relatedResources, verify.WithRelatedResources},
	} {
		docs, err := readURLFiles(files.flag, files.values)
		if err != nil {
			return nil, err
		}
		if len(docs) > 0 {
			opts = append(opts, files.option(docs))
		}
	}
	return opts, nil
}

// readURLFiles reads the files of a repeatable URL=FILE flag, by URL.
func readURLFiles(flag string, values []string) (map[string][]byte, error) {
	docs := map[string][]byte{}
	for _, kv := range values {
		url, path, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, fmt.Errorf("%s wants URL=FILE, got %q", flag, kv)
		}
		if _, dup := docs[url]; dup {
			return nil, fmt.Errorf("%s: %s given twice", flag, url)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", flag, err)
		}
		docs[url] = b
	}
	return docs, nil
}
