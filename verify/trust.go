package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
	// or a did:key verification method); empty means the key's did:key
	// verification method.
	ID string `json:"id"`
	// PublicKeyMultibase is the key as a Multikey (keys.PublicKey.Multibase).
	PublicKeyMultibase string     `json:"publicKeyMultibase"`
	Retired            *time.Time `json:"retired,omitempty"`
}

// PublicKey decodes the key.
func (k TrustedKey) PublicKey() (*keys.PublicKey, error) {
	return keys.ParseMultikey(k.PublicKeyMultibase)
}

// NewTrustedKey lists pk under the verification method id (empty: its did:key
// verification method), for trust lists built in code.
func NewTrustedKey(id string, pk *keys.PublicKey) TrustedKey {
	if id == "" {
		id = pk.VerificationMethod()
	}
	return TrustedKey{ID: id, PublicKeyMultibase: pk.Multibase()}
}

// ErrTrustList is wrapped by trust list loading errors.
var ErrTrustList = errors.New("trust list")

// ParseUnsignedTrustList parses a trust list document that no root key
// signs: whoever can change the document decides whom the verifier trusts.
// Use it for a list the service itself holds; a list received from
// elsewhere should be signed and read with ParseSignedTrustList.
func ParseUnsignedTrustList(data []byte) (*TrustList, error) {
	if err := jsonx.Check(data, jsonx.Limits{MaxBytes: trustListMaxBytes}); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTrustList, err)
	}
	if badge.Sniff(data) == badge.KindCredential {
		return nil, fmt.Errorf("%w: this is a signed trust list credential: read it with its root keys (ParseSignedTrustList, LoadTrustList)", ErrTrustList)
	}
	var t TrustList
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrTrustList, err)
	}
	if _, err := newTrustIndex(&t); err != nil {
		return nil, err
	}
	return &t, nil
}

// trustListMaxBytes bounds a trust list document.
const trustListMaxBytes = 8 << 20

// ParseSignedTrustList parses a trust list published as a credential whose
// credentialSubject is the list, signed with one of the root keys
// (did:key identifiers or Multikeys) and valid at now. Anything else,
// an unsigned list included, is an error.
func ParseSignedTrustList(data []byte, roots []string, now time.Time) (*TrustList, error) {
	if len(roots) == 0 {
		return nil, fmt.Errorf("%w: a signed trust list needs a root key to check it", ErrTrustList)
	}
	if len(data) > trustListMaxBytes {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrTrustList, len(data), trustListMaxBytes)
	}
	if badge.Sniff(data) != badge.KindCredential {
		return nil, fmt.Errorf("%w: not signed: root keys were given, so only a trust list credential signed by one of them is accepted (an unsigned list is read with ParseUnsignedTrustList)", ErrTrustList)
	}
	lim := badge.Limits{MaxBytes: trustListMaxBytes}
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
	if _, err := newTrustIndex(&t); err != nil {
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

// LoadTrustList reads a trust list credential from path and accepts it only
// if one of roots (did:key identifiers or Multikeys: the ministry's keys)
// signed it and it is valid at now. An unsigned file is refused; read one
// deliberately with LoadUnsignedTrustList.
func LoadTrustList(path string, roots []string, now time.Time) (*TrustList, error) {
	if len(roots) == 0 {
		return nil, fmt.Errorf("%w: %s: no root key given to check the list with (an unsigned list is read with LoadUnsignedTrustList)", ErrTrustList, path)
	}
	data, err := readTrustFile(path)
	if err != nil {
		return nil, err
	}
	return ParseSignedTrustList(data, roots, now)
}

// LoadUnsignedTrustList reads a trust list that no key signs from path;
// see ParseUnsignedTrustList.
func LoadUnsignedTrustList(path string) (*TrustList, error) {
	data, err := readTrustFile(path)
	if err != nil {
		return nil, err
	}
	return ParseUnsignedTrustList(data)
}

func readTrustFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTrustList, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, trustListMaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrTrustList, path, err)
	}
	if len(data) > trustListMaxBytes {
		return nil, fmt.Errorf("%w: %s is larger than %d bytes", ErrTrustList, path, trustListMaxBytes)
	}
	return data, nil
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

// MarshalIndent writes the list as JSON.
func (t *TrustList) MarshalIndent() ([]byte, error) { return json.MarshalIndent(t, "", "  ") }

// trustIndex is the Verifier's own checked copy of its trust material: a
// caller's later changes to the TrustList it passed do not reach it, and
// every key is decoded once, at New.
type trustIndex struct {
	issuers []trustedIssuer
	byID    map[string]*trustedIssuer
}

type trustedIssuer struct {
	TrustedIssuer // a copy; Keys as given
	keys          []trustedKey
}

type trustedKey struct {
	TrustedKey
	pub *keys.PublicKey
}

// newTrustIndex checks a trust list and copies it: every issuer has an id,
// none is listed twice, every key decodes.
func newTrustIndex(lists ...*TrustList) (*trustIndex, error) {
	idx := &trustIndex{byID: map[string]*trustedIssuer{}}
	for _, t := range lists {
		if t == nil {
			continue
		}
		for i, is := range t.Issuers {
			if is.ID == "" {
				return nil, fmt.Errorf("%w: issuers[%d]: missing id", ErrTrustList, i)
			}
			for _, prev := range idx.issuers {
				if prev.ID == is.ID {
					return nil, fmt.Errorf("%w: issuer %s listed twice", ErrTrustList, is.ID)
				}
			}
			e := trustedIssuer{TrustedIssuer: is}
			e.AnchoringAddresses = make([]string, len(is.AnchoringAddresses))
			for j, a := range is.AnchoringAddresses {
				e.AnchoringAddresses[j] = strings.ToLower(a)
			}
			e.AchievementTypes = append([]string(nil), is.AchievementTypes...)
			e.Keys = append([]TrustedKey(nil), is.Keys...)
			for j, k := range e.Keys {
				pk, err := k.PublicKey()
				if err != nil {
					return nil, fmt.Errorf("%w: issuer %s key %d: %w", ErrTrustList, is.ID, j, err)
				}
				if k.ID == "" {
					k.ID = pk.VerificationMethod()
					e.Keys[j].ID = k.ID
				}
				e.keys = append(e.keys, trustedKey{TrustedKey: k, pub: pk})
			}
			idx.issuers = append(idx.issuers, e)
		}
	}
	for i := range idx.issuers {
		idx.byID[idx.issuers[i].ID] = &idx.issuers[i]
	}
	return idx, nil
}

// addKey trusts pk's did:key controller as an issuer signing with pk
// (WithTrustedKey); a controller already listed gets the key added.
func (idx *trustIndex) addKey(pk *keys.PublicKey) {
	k := trustedKey{TrustedKey: NewTrustedKey("", pk), pub: pk}
	if is := idx.byID[pk.DID()]; is != nil {
		is.Keys = append(is.Keys, k.TrustedKey)
		is.keys = append(is.keys, k)
		return
	}
	idx.issuers = append(idx.issuers, trustedIssuer{TrustedIssuer: TrustedIssuer{ID: pk.DID(), Keys: []TrustedKey{k.TrustedKey}}, keys: []trustedKey{k}})
	clear(idx.byID) // the slice may have moved
	for i := range idx.issuers {
		idx.byID[idx.issuers[i].ID] = &idx.issuers[i]
	}
}

// issuer returns the entry for id, or nil (also on a nil index).
func (idx *trustIndex) issuer(id string) *trustedIssuer {
	if idx == nil {
		return nil
	}
	return idx.byID[id]
}

// keyByID finds the key a verification method names, and its issuer.
func (idx *trustIndex) keyByID(vm string) (*trustedKey, *trustedIssuer) {
	for i := range idx.issuers {
		is := &idx.issuers[i]
		for j := range is.keys {
			if is.keys[j].ID == vm {
				return &is.keys[j], is
			}
		}
	}
	return nil, nil
}

// key finds the trusted key a verification method names, or that equals pk.
func (is *trustedIssuer) key(vm string, pk *keys.PublicKey) *trustedKey {
	for i := range is.keys {
		k := &is.keys[i]
		if k.ID == vm || (pk != nil && k.pub.Equal(pk)) {
			return k
		}
	}
	return nil
}
