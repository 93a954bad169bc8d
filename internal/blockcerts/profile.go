package blockcerts

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/badgeproof/badgeproof/internal/jsonx"
)

// MaxProfileSize is the largest issuer profile accepted, in bytes.
const MaxProfileSize = 1 << 20

// ErrKeyNotValid: the anchoring address is not among the issuer's keys, or
// was not valid at the anchor's time.
var ErrKeyNotValid = errors.New("blockcerts: issuer key not valid")

// IssuerProfile is the part of a Blockcerts issuer profile (v2 Profile, v3
// BlockcertsIssuerProfile) that a verifier needs.
type IssuerProfile struct {
	ID             string
	Name           string
	RevocationList string
	// Keys are the issuer's anchoring addresses ("publicKey").
	Keys []IssuerKey
	// VerificationMethods are the v3 keys ("verificationMethod"), kept as
	// raw JSON objects for the caller's key resolution.
	VerificationMethods []json.RawMessage
}

// IssuerKey is one anchoring address with its validity window. Zero times
// mean "not given".
type IssuerKey struct {
	// Address is the id without its "ecdsa-koblitz-pubkey:" prefix: a Bitcoin
	// address, or a 0x-prefixed Ethereum address as written by the issuer.
	Address string
	Created time.Time
	Expires time.Time
	Revoked time.Time
}

// ParseIssuerProfile parses a Blockcerts issuer profile.
func ParseIssuerProfile(b []byte) (*IssuerProfile, error) {
	if err := jsonx.Check(b, jsonx.Limits{MaxBytes: MaxProfileSize}); err != nil {
		return nil, fmt.Errorf("%w: issuer profile: %w", ErrMalformed, err)
	}
	var raw struct {
		ID                  string            `json:"id"`
		Name                string            `json:"name"`
		RevocationList      string            `json:"revocationList"`
		VerificationMethods []json.RawMessage `json:"verificationMethod"`
		PublicKey           []struct {
			ID      string `json:"id"`
			Created string `json:"created"`
			Expires string `json:"expires"`
			Revoked string `json:"revoked"`
		} `json:"publicKey"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%w: issuer profile: %v", ErrMalformed, err)
	}
	if raw.ID == "" {
		return nil, fmt.Errorf("%w: issuer profile has no id", ErrMalformed)
	}
	p := &IssuerProfile{ID: raw.ID, Name: raw.Name, RevocationList: raw.RevocationList, VerificationMethods: raw.VerificationMethods}
	for i, k := range raw.PublicKey {
		addr, ok := strings.CutPrefix(k.ID, "ecdsa-koblitz-pubkey:")
		if !ok || addr == "" {
			return nil, fmt.Errorf("%w: publicKey %d: id %q is not an ecdsa-koblitz-pubkey", ErrMalformed, i, k.ID)
		}
		key := IssuerKey{Address: addr}
		var err error
		for _, f := range []struct {
			name string
			s    string
			t    *time.Time
		}{{"created", k.Created, &key.Created}, {"expires", k.Expires, &key.Expires}, {"revoked", k.Revoked, &key.Revoked}} {
			if f.s == "" {
				continue
			}
			if *f.t, err = time.Parse(time.RFC3339Nano, f.s); err != nil {
				return nil, fmt.Errorf("%w: publicKey %d: %s: %v", ErrMalformed, i, f.name, err)
			}
		}
		p.Keys = append(p.Keys, key)
	}
	return p, nil
}

// KeyAt returns the issuer key with the given anchoring address if it was
// valid at time t: created at or before t, and neither expired nor revoked
// at or before t. Ethereum addresses compare case-insensitively.
func (p *IssuerProfile) KeyAt(address string, t time.Time) (*IssuerKey, error) {
	for i := range p.Keys {
		k := &p.Keys[i]
		if !sameAddress(k.Address, address) {
			continue
		}
		switch {
		case !k.Created.IsZero() && t.Before(k.Created):
			return nil, fmt.Errorf("%w: %s was created at %s, after the anchor time %s", ErrKeyNotValid, address, k.Created.Format(time.RFC3339), t.Format(time.RFC3339))
		case !k.Revoked.IsZero() && !t.Before(k.Revoked):
			return nil, fmt.Errorf("%w: %s was revoked at %s, before the anchor time %s", ErrKeyNotValid, address, k.Revoked.Format(time.RFC3339), t.Format(time.RFC3339))
		case !k.Expires.IsZero() && !t.Before(k.Expires):
			return nil, fmt.Errorf("%w: %s expired at %s, before the anchor time %s", ErrKeyNotValid, address, k.Expires.Format(time.RFC3339), t.Format(time.RFC3339))
		}
		return k, nil
	}
	return nil, fmt.Errorf("%w: %s is not among the %d keys of issuer %s", ErrKeyNotValid, address, len(p.Keys), p.ID)
}

func sameAddress(a, b string) bool {
	if strings.HasPrefix(a, "0x") || strings.HasPrefix(a, "0X") {
		return strings.EqualFold(a, b)
	}
	return a == b
}
