package issuer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/dataintegrity"
	"github.com/badgeproof/badgeproof/internal/statuslist"
)

// Files of a status directory.
const (
	// StatusListFile is the signed BitstringStatusListCredential, the file to
	// serve at the list's URL.
	StatusListFile = "status-list.json"
	// StatusStateFile holds the list's bits, allocated indexes and the
	// badge id of each index. It is private to the issuer.
	StatusStateFile = "status-state.json"
	statusLockFile  = ".lock"
)

// ErrStatusDirBusy: another process holds the status directory.
var ErrStatusDirBusy = errors.New("issuer: status directory is in use by another process")

// StatusListConfig describes a status list when it is created.
type StatusListConfig struct {
	// URL is where the signed list credential (StatusListFile) will be
	// served; it becomes the credential's id and every entry's
	// statusListCredential. Required when creating; when opening an existing
	// directory it must be empty or equal to the stored URL.
	URL string
	// Purpose is statuslist.PurposeRevocation (default) or
	// statuslist.PurposeSuspension.
	Purpose string
	// Size is the number of entries (default and minimum statuslist.MinBits).
	Size int
	// ValidFor, when positive, gives each published list a validUntil that
	// far after publication, so verifiers notice a list that stopped being
	// refreshed.
	ValidFor time.Duration
}

// StatusList keeps one W3C Bitstring Status List in a directory: the state
// (bits, allocated indexes, which badge holds which index) in
// StatusStateFile and the signed list credential in StatusListFile. Indexes
// are allocated at random among the free ones, so a badge's position does
// not reveal when it was issued.
//
// While open, the directory is locked against other processes. Changes are
// written by Publish, which saves the state and re-signs the list; Close
// without Publish discards them. A StatusList is not safe for concurrent use.
type StatusList struct {
	dir      string
	signer   *Signer
	state    statusState
	bits     *statuslist.Bitstring
	alloc    *statuslist.Allocator
	unlock   func() error
	validFor time.Duration
}

// statusState is StatusStateFile's form.
type statusState struct {
	Version     int            `json:"version"`
	URL         string         `json:"url"`
	Purpose     string         `json:"purpose"`
	Issuer      string         `json:"issuer"`
	Size        int            `json:"size"`
	EncodedList string         `json:"encodedList"`
	Used        []int          `json:"used"`
	Badges      map[string]int `json:"badges"`
	ValidForSec int64          `json:"validForSeconds,omitempty"`
}

// OpenStatusList opens the status list kept in dir, creating dir and the
// list if there is none. The list belongs to signer's DID: an existing list
// of another issuer is refused.
func OpenStatusList(dir string, signer *Signer, cfg StatusListConfig) (*StatusList, error) {
	if signer == nil {
		return nil, errors.New("issuer: nil signer")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	unlock, err := lockDir(filepath.Join(dir, statusLockFile))
	if err != nil {
		return nil, err
	}
	l := &StatusList{dir: dir, signer: signer, unlock: unlock}
	if err := l.load(cfg); err != nil {
		unlock()
		return nil, err
	}
	return l, nil
}

func (l *StatusList) load(cfg StatusListConfig) error {
	data, err := os.ReadFile(filepath.Join(l.dir, StatusStateFile))
	switch {
	case errors.Is(err, os.ErrNotExist):
		return l.create(cfg)
	case err != nil:
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l.state); err != nil {
		return fmt.Errorf("issuer: %s: %w", StatusStateFile, err)
	}
	st := &l.state
	switch {
	case st.Version != 1:
		return fmt.Errorf("issuer: %s: unknown version %d", StatusStateFile, st.Version)
	case st.Issuer != l.signer.DID():
		return fmt.Errorf("issuer: the status list in %s belongs to %s, the key is %s's", l.dir, st.Issuer, l.signer.DID())
	case cfg.URL != "" && cfg.URL != st.URL:
		return fmt.Errorf("issuer: the status list in %s is published at %s, not %s", l.dir, st.URL, cfg.URL)
	case cfg.Purpose != "" && cfg.Purpose != st.Purpose:
		return fmt.Errorf("issuer: the status list in %s is a %s list, not %s", l.dir, st.Purpose, cfg.Purpose)
	}
	if l.bits, err = statuslist.Decode(st.EncodedList); err != nil {
		return fmt.Errorf("issuer: %s: %w", StatusStateFile, err)
	}
	if l.bits.Len() != st.Size {
		return fmt.Errorf("issuer: %s: list has %d bits, state says %d", StatusStateFile, l.bits.Len(), st.Size)
	}
	if l.alloc, err = statuslist.NewAllocator(st.Size, st.Used, nil); err != nil {
		return fmt.Errorf("issuer: %s: %w", StatusStateFile, err)
	}
	if st.Badges == nil {
		st.Badges = map[string]int{}
	}
	for id, i := range st.Badges {
		if i < 0 || i >= st.Size {
			return fmt.Errorf("issuer: %s: badge %s has index %d outside the list", StatusStateFile, id, i)
		}
	}
	l.validFor = time.Duration(st.ValidForSec) * time.Second
	if cfg.ValidFor > 0 {
		l.validFor = cfg.ValidFor
		st.ValidForSec = int64(cfg.ValidFor / time.Second)
	}
	return nil
}

func (l *StatusList) create(cfg StatusListConfig) error {
	u, err := url.Parse(cfg.URL)
	if cfg.URL == "" || err != nil || !u.IsAbs() || u.Host == "" {
		return fmt.Errorf("issuer: a new status list needs the absolute URL it will be served at, got %q", cfg.URL)
	}
	purpose := cfg.Purpose
	switch purpose {
	case "":
		purpose = statuslist.PurposeRevocation
	case statuslist.PurposeRevocation, statuslist.PurposeSuspension:
	default:
		return fmt.Errorf("issuer: status purpose %q (want revocation or suspension)", purpose)
	}
	size := cfg.Size
	if size == 0 {
		size = statuslist.MinBits
	}
	if l.bits, err = statuslist.New(size); err != nil {
		return fmt.Errorf("issuer: %w", err)
	}
	if l.alloc, err = statuslist.NewAllocator(size, nil, nil); err != nil {
		return fmt.Errorf("issuer: %w", err)
	}
	l.validFor = cfg.ValidFor
	l.state = statusState{Version: 1, URL: cfg.URL, Purpose: purpose, Issuer: l.signer.DID(), Size: size,
		Badges: map[string]int{}, ValidForSec: int64(cfg.ValidFor / time.Second)}
	return nil
}

// URL is where the list credential is served.
func (l *StatusList) URL() string { return l.state.URL }

// Purpose is the list's status purpose.
func (l *StatusList) Purpose() string { return l.state.Purpose }

// Dir is the status directory.
func (l *StatusList) Dir() string { return l.dir }

// Index returns the index allocated to badgeID.
func (l *StatusList) Index(badgeID string) (int, bool) {
	i, ok := l.state.Badges[badgeID]
	return i, ok
}

// Status reports whether the bit at index i is set.
func (l *StatusList) Status(i int) (bool, error) { return l.bits.Get(i) }

// Allocate reserves a random free index for badgeID (which may be empty
// for a badge without an id; such an index can only be set by number) and
// returns the BitstringStatusListEntry naming it.
func (l *StatusList) Allocate(badgeID string) (map[string]string, error) {
	if badgeID != "" {
		if i, ok := l.state.Badges[badgeID]; ok {
			return nil, fmt.Errorf("issuer: badge %s already has status index %d", badgeID, i)
		}
	}
	i, err := l.alloc.Allocate()
	if err != nil {
		return nil, fmt.Errorf("issuer: %w", err)
	}
	if badgeID != "" {
		l.state.Badges[badgeID] = i
	}
	idx := strconv.Itoa(i)
	return map[string]string{
		"id":                   l.state.URL + "#" + idx,
		"type":                 statuslist.EntryType,
		"statusPurpose":        l.state.Purpose,
		"statusListIndex":      idx,
		"statusListCredential": l.state.URL,
	}, nil
}

// AddEntry allocates an index for c and returns c with the entry added to
// its credentialStatus (kept alongside any entries it already has). Add the
// entry before signing: the signature then covers it.
func (l *StatusList) AddEntry(c *badge.Credential) (*badge.Credential, error) {
	if len(c.Proofs) > 0 {
		return nil, fmt.Errorf("issuer: credential %s is already signed; add its status entry before signing", c.ID)
	}
	entry, err := l.Allocate(c.ID)
	if err != nil {
		return nil, err
	}
	eb, err := json.Marshal(entry)
	if err != nil {
		return nil, err
	}
	m := c.Members()
	switch existing := bytes.TrimSpace(m["credentialStatus"]); {
	case len(existing) == 0:
		m["credentialStatus"] = eb
	case existing[0] == '[':
		var list []json.RawMessage
		if err := json.Unmarshal(existing, &list); err != nil {
			return nil, fmt.Errorf("issuer: credentialStatus: %w", err)
		}
		m["credentialStatus"], _ = json.Marshal(append(list, eb))
	default:
		m["credentialStatus"], _ = json.Marshal([]json.RawMessage{existing, eb})
	}
	b, err := MarshalDocument(m)
	if err != nil {
		return nil, err
	}
	return badge.ParseCredential(b, badge.Limits{MaxBytes: max(badge.DefaultMaxBytes, len(b))})
}

// Set sets (v true: revoked or suspended) or clears the bit of badgeID and
// returns its index.
func (l *StatusList) Set(badgeID string, v bool) (int, error) {
	i, ok := l.state.Badges[badgeID]
	if !ok {
		return 0, fmt.Errorf("issuer: no status index was allocated to badge %s in %s", badgeID, l.dir)
	}
	return i, l.SetIndex(i, v)
}

// SetIndex sets or clears bit i. Only allocated indexes may be set: an
// unallocated one belongs to no badge.
func (l *StatusList) SetIndex(i int, v bool) error {
	if i < 0 || i >= l.state.Size {
		return fmt.Errorf("issuer: index %d outside the list of %d entries", i, l.state.Size)
	}
	if !l.alloc.Allocated(i) {
		return fmt.Errorf("issuer: index %d was never allocated to a badge", i)
	}
	return l.bits.Set(i, v)
}

// Credential returns the signed BitstringStatusListCredential of the
// current bits, valid from now.
func (l *StatusList) Credential() ([]byte, error) {
	enc, err := l.bits.Encode()
	if err != nil {
		return nil, err
	}
	return l.credential(enc)
}

// credential signs the list credential for the encoded bits enc.
func (l *StatusList) credential(enc string) ([]byte, error) {
	now := l.signer.now().UTC().Truncate(time.Second)
	doc := map[string]any{
		"@context":  []string{badge.ContextV2},
		"id":        l.state.URL,
		"type":      []string{"VerifiableCredential", "BitstringStatusListCredential"},
		"issuer":    l.state.Issuer,
		"validFrom": now.Format(time.RFC3339),
		"credentialSubject": map[string]any{
			"id":            l.state.URL + "#list",
			"type":          statuslist.ListType,
			"statusPurpose": l.state.Purpose,
			"encodedList":   enc,
		},
	}
	if l.validFor > 0 {
		doc["validUntil"] = now.Add(l.validFor).Format(time.RFC3339)
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return nil, err
	}
	return l.signer.sign(members, dataintegrity.Options{})
}

// Publish saves the state and writes the freshly signed list credential to
// StatusListFile, each atomically (write, sync, rename), and returns the
// credential's bytes. Serve the file at URL.
func (l *StatusList) Publish() ([]byte, error) {
	enc, err := l.bits.Encode()
	if err != nil {
		return nil, err
	}
	l.state.EncodedList = enc
	l.state.Used = l.alloc.Used()
	state, err := json.MarshalIndent(l.state, "", "  ")
	if err != nil {
		return nil, err
	}
	cred, err := l.credential(enc)
	if err != nil {
		return nil, err
	}
	if err := writeAtomic(filepath.Join(l.dir, StatusStateFile), append(state, '\n'), 0o600); err != nil {
		return nil, err
	}
	if err := writeAtomic(filepath.Join(l.dir, StatusListFile), cred, 0o644); err != nil {
		return nil, err
	}
	return cred, nil
}

// Close releases the directory lock. Unpublished changes are discarded.
func (l *StatusList) Close() error {
	if l.unlock == nil {
		return nil
	}
	err := l.unlock()
	l.unlock = nil
	return err
}

// writeAtomic replaces path with data so that a crash leaves either the old
// or the new file, never a torn one.
func writeAtomic(path string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
