package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/jsonx"
	"github.com/badgeproof/badgeproof/keys"
)

// TrustList names the issuers a verifier trusts: their keys, the addresses
// they anchor from, what they may issue and when.
type TrustList struct {
	ID      string          `json:"id,omitempty"`
	Name    string          `json:"name,omitempty"`
	NameKo  string          `json:"nameKo,omitempty"`
	Issuers []TrustedIssuer `json:"issuers"`
}

// TrustedIssuer is one issuer of a TrustList.
type TrustedIssuer struct {
	ID     string       `json:"id"`
	Name   string       `json:"name,omitempty"`
	NameKo string       `json:"nameKo,omitempty"`
	Keys   []TrustedKey `json:"keys"`
	// AnchoringAddresses are the senders the issuer anchors from: Ethereum
	// addresses (0x...), or the sender names of a ledger.
	AnchoringAddresses []string `json:"anchoringAddresses,omitempty"`
	// AchievementTypes the issuer may issue (Open Badges achievementType
	// values); empty means any.
	AchievementTypes []string   `json:"achievementTypes,omitempty"`
	ValidFrom        *time.Time `json:"validFrom,omitempty"`
	ValidUntil       *time.Time `json:"validUntil,omitempty"`
}

// TrustedKey is a verification key of an issuer. A key retired at time T
// still validates badges whose anchor proves they existed before T.
type TrustedKey struct {
	// ID is the verification method id proofs name (e.g. did:web:...#key-1
	// or a did:key verification method).
	ID                 string     `json:"id"`
	PublicKeyMultibase string     `json:"publicKeyMultibase"`
	Retired            *time.Time `json:"retired,omitempty"`

	key *keys.PublicKey
}

// Public returns the decoded key.
func (k *TrustedKey) Public() *keys.PublicKey { return k.key }

// ErrTrustList is wrapped by trust list loading errors.
var ErrTrustList = errors.New("trust list")

// ParseTrustList parses an unsigned trust list document.
func ParseTrustList(data []byte) (*TrustList, error) {
	if err := jsonx.Check(data, jsonx.Limits{MaxBytes: 8 << 20}); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTrustList, err)
	}
	var t TrustList
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrTrustList, err)
	}
	if err := t.init(); err != nil {
		return nil, err
	}
	return &t, nil
}

// ParseSignedTrustList parses a trust list published as a credential whose
// credentialSubject is the list, signed with one of the root keys
// (did:key identifiers or Multikeys).
func ParseSignedTrustList(data []byte, roots []string, now time.Time) (*TrustList, error) {
	if len(roots) == 0 {
		return nil, fmt.Errorf("%w: a signed trust list needs a root key to check it", ErrTrustList)
	}
	lim := badge.Limits{MaxBytes: 8 << 20}
	c, err := badge.ParseCredential(data, lim)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTrustList, err)
	}
	// The list is checked like any credential, by a verifier that trusts
	// only the root keys and reaches no network.
	opts := []Option{WithOffline(), WithLimits(lim), WithClock(func() time.Time { return now })}
	for _, r := range roots {
		opts = append(opts, WithTrustedKey(r))
	}
	v, err := New(opts...)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTrustList, err)
	}
	if r := v.VerifyCredential(context.Background(), c); !r.Verified {
		return nil, fmt.Errorf("%w: %s: %w", ErrTrustList, trustListProblem(r, c.Issuer.ID), r.Err())
	}
	subject, ok := c.Members()["credentialSubject"]
	if !ok {
		return nil, fmt.Errorf("%w: no credentialSubject", ErrTrustList)
	}
	var holder struct {
		TrustList
		Type any `json:"type"`
	}
	if err := json.Unmarshal(subject, &holder); err != nil {
		return nil, fmt.Errorf("%w: credentialSubject: %v", ErrTrustList, err)
	}
	t := holder.TrustList
	if t.ID == "" {
		t.ID = c.ID
	}
	if err := t.init(); err != nil {
		return nil, err
	}
	return &t, nil
}

// trustListProblem says, in the words of the first check that stopped it,
// why a signed trust list was not accepted.
func trustListProblem(r *Report, issuer string) string {
	for _, c := range r.Checks {
		if c.Status != StatusFailed && c.Status != StatusIndeterminate {
			continue
		}
		switch c.ID {
		case CheckSignature:
			return "root signature: " + c.Message
		case CheckIssuer:
			return fmt.Sprintf("not signed by a root key (issuer %s): %s", issuer, c.Message)
		}
		return c.Message
	}
	return "not verified"
}

// parseKeyString accepts a did:key, a did:key verification method or a Multikey.
func parseKeyString(s string) (*keys.PublicKey, error) {
	if strings.HasPrefix(s, "did:") {
		return keys.ParseDIDKey(s)
	}
	return keys.ParseMultikey(s)
}

// LoadTrustList reads a trust list file: a plain trust list, or a signed
// trust list credential checked against roots.
func LoadTrustList(path string, roots []string, now time.Time) (*TrustList, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTrustList, err)
	}
	if badge.Sniff(data) == badge.KindCredential {
		return ParseSignedTrustList(data, roots, now)
	}
	return ParseTrustList(data)
}

func (t *TrustList) init() error {
	seen := map[string]bool{}
	for i := range t.Issuers {
		is := &t.Issuers[i]
		if is.ID == "" {
			return fmt.Errorf("%w: issuers[%d]: missing id", ErrTrustList, i)
		}
		if seen[is.ID] {
			return fmt.Errorf("%w: issuer %s listed twice", ErrTrustList, is.ID)
		}
		seen[is.ID] = true
		for j := range is.AnchoringAddresses {
			is.AnchoringAddresses[j] = strings.ToLower(is.AnchoringAddresses[j])
		}
		for j := range is.Keys {
			k := &is.Keys[j]
			pk, err := keys.ParseMultikey(k.PublicKeyMultibase)
			if err != nil {
				return fmt.Errorf("%w: issuer %s key %d: %w", ErrTrustList, is.ID, j, err)
			}
			k.key = pk
			if k.ID == "" {
				k.ID = pk.VerificationMethod()
			}
		}
	}
	return nil
}

// Issuer returns the entry for id, or nil.
func (t *TrustList) Issuer(id string) *TrustedIssuer {
	if t == nil {
		return nil
	}
	for i := range t.Issuers {
		if t.Issuers[i].ID == id {
			return &t.Issuers[i]
		}
	}
	return nil
}

// key finds the trusted key a verification method names.
func (is *TrustedIssuer) key(vm string, pk *keys.PublicKey) *TrustedKey {
	for i := range is.Keys {
		k := &is.Keys[i]
		if k.ID == vm || (pk != nil && k.key.Equal(pk)) {
			return k
		}
	}
	return nil
}

// add adds an issuer entry, or the entry's keys to an existing one (used
// for trusted keys).
func (t *TrustList) add(is TrustedIssuer) {
	if existing := t.Issuer(is.ID); existing != nil {
		// A fresh slice: the entry may share its keys with a caller's list.
		existing.Keys = append(append([]TrustedKey(nil), existing.Keys...), is.Keys...)
		return
	}
	t.Issuers = append(t.Issuers, is)
}

// MarshalIndent writes the list as JSON.
func (t *TrustList) MarshalIndent() ([]byte, error) { return json.MarshalIndent(t, "", "  ") }
