package statuslist

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"strconv"
)

// Entry and list types and the status purposes defined by the specification.
const (
	EntryType = "BitstringStatusListEntry"
	ListType  = "BitstringStatusList"

	// EntryType2021 and ListType2021 are the StatusList2021 names
	// (https://w3id.org/vc/status-list/2021/v1) Blockcerts uses: the same
	// entry, list and GZIP bitstring under the draft's names.
	EntryType2021 = "StatusList2021Entry"
	ListType2021  = "StatusList2021"

	PurposeRevocation = "revocation"
	PurposeSuspension = "suspension"
	PurposeRefresh    = "refresh"
	PurposeMessage    = "message"
)

// Entry is a credentialStatus object of type BitstringStatusListEntry or
// StatusList2021Entry.
type Entry struct {
	ID                   string // optional
	Type                 string
	StatusPurpose        string
	StatusListIndex      int // parsed from its decimal string
	StatusListCredential string
	StatusSize           int // 1 when absent; only 1 is supported
}

// entryJSON mirrors the wire form. Pointers tell absent from empty.
type entryJSON struct {
	ID                   *string         `json:"id"`
	Type                 json.RawMessage `json:"type"`
	StatusPurpose        *string         `json:"statusPurpose"`
	StatusListIndex      json.RawMessage `json:"statusListIndex"`
	StatusListCredential *string         `json:"statusListCredential"`
	StatusSize           json.RawMessage `json:"statusSize"`
}

// ParseEntry parses and validates one BitstringStatusListEntry or
// StatusList2021Entry (read by the same rules). It checks the type, that statusPurpose is one the specification defines, that
// statusListIndex is a non-negative decimal string, that
// statusListCredential is an absolute URL, and that statusSize, when given,
// is 1. Properties it does not know are ignored.
func ParseEntry(raw json.RawMessage) (Entry, error) {
	var j entryJSON
	if err := json.Unmarshal(raw, &j); err != nil {
		return Entry{}, fmt.Errorf("%w: credentialStatus is not a JSON object: %v", ErrMalformed, err)
	}
	var e Entry
	if j.ID != nil {
		e.ID = *j.ID
	}

	typ, err := singleType(j.Type)
	if err != nil {
		return Entry{}, err
	}
	if typ != EntryType && typ != EntryType2021 {
		return Entry{}, fmt.Errorf("%w: credentialStatus type is %q, want %q or %q", ErrUnsupported, typ, EntryType, EntryType2021)
	}
	e.Type = typ

	if j.StatusPurpose == nil {
		return Entry{}, fmt.Errorf("%w: credentialStatus has no statusPurpose", ErrMalformed)
	}
	if err := checkPurpose(*j.StatusPurpose); err != nil {
		return Entry{}, err
	}
	e.StatusPurpose = *j.StatusPurpose

	if e.StatusListIndex, err = parseIndex(j.StatusListIndex); err != nil {
		return Entry{}, err
	}

	if j.StatusListCredential == nil || *j.StatusListCredential == "" {
		return Entry{}, fmt.Errorf("%w: credentialStatus has no statusListCredential", ErrMalformed)
	}
	u, err := url.Parse(*j.StatusListCredential)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return Entry{}, fmt.Errorf("%w: statusListCredential %q is not an absolute URL", ErrMalformed, *j.StatusListCredential)
	}
	e.StatusListCredential = *j.StatusListCredential

	e.StatusSize = 1
	if len(j.StatusSize) > 0 && !bytes.Equal(j.StatusSize, []byte("null")) {
		var n json.Number
		if ss := bytes.TrimSpace(j.StatusSize); ss[0] == '"' || json.Unmarshal(ss, &n) != nil {
			return Entry{}, fmt.Errorf("%w: statusSize must be a number, found %s", ErrMalformed, j.StatusSize)
		}
		size, err := strconv.Atoi(n.String())
		if err != nil || size < 1 {
			return Entry{}, fmt.Errorf("%w: statusSize must be a positive integer, found %s", ErrMalformed, n)
		}
		if size != 1 {
			return Entry{}, fmt.Errorf("%w: statusSize %d (only 1-bit statuses are supported)", ErrUnsupported, size)
		}
	}
	return e, nil
}

// singleType accepts "X" or ["X"].
func singleType(raw json.RawMessage) (string, error) {
	if len(raw) == 0 {
		return "", fmt.Errorf("%w: credentialStatus has no type", ErrMalformed)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		return "", fmt.Errorf("%w: credentialStatus type must be a string, found %s", ErrMalformed, raw)
	}
	if len(list) != 1 {
		return "", fmt.Errorf("%w: credentialStatus must have exactly one type, found %d", ErrMalformed, len(list))
	}
	return list[0], nil
}

func checkPurpose(p string) error {
	switch p {
	case PurposeRevocation, PurposeSuspension, PurposeRefresh, PurposeMessage:
		return nil
	case "":
		return fmt.Errorf("%w: empty statusPurpose", ErrMalformed)
	}
	return fmt.Errorf("%w: statusPurpose %q (known: revocation, suspension, refresh, message)", ErrUnsupported, p)
}

// maxIndex is the largest index a list within MaxBytes can hold.
const maxIndex = 8*MaxBytes - 1

// parseIndex reads statusListIndex, which the specification makes a string
// holding a base-10 integer.
func parseIndex(raw json.RawMessage) (int, error) {
	if len(raw) == 0 {
		return 0, fmt.Errorf("%w: credentialStatus has no statusListIndex", ErrMalformed)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return 0, fmt.Errorf("%w: statusListIndex must be a string of decimal digits, found %s", ErrMalformed, raw)
	}
	if s == "" {
		return 0, fmt.Errorf("%w: statusListIndex is empty", ErrMalformed)
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%w: statusListIndex %q is not a non-negative decimal integer", ErrMalformed, s)
		}
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n > math.MaxInt32 || n > maxIndex {
		return 0, fmt.Errorf("%w: statusListIndex %q is beyond the largest supported list (%d entries)", ErrRange, s, maxIndex+1)
	}
	return int(n), nil
}

// ListSubject is the credentialSubject of a BitstringStatusListCredential
// or a StatusList2021Credential.
type ListSubject struct {
	ID             string
	Type           string
	StatusPurposes []string
	EncodedList    string
	TTL            int64 // milliseconds; 0 when absent
}

// HasPurpose reports whether the list serves purpose p.
func (s ListSubject) HasPurpose(p string) bool {
	for _, q := range s.StatusPurposes {
		if q == p {
			return true
		}
	}
	return false
}

// ParseListSubject parses the credentialSubject of a status list credential.
// It checks the type (BitstringStatusList or StatusList2021) and that
// encodedList is present; the list itself is decoded by Decode. A subject
// without statusPurpose parses with no StatusPurposes: the Bitstring Status
// List specification requires one, and the caller decides whether a list
// without it answers an entry (Blockcerts' StatusList2021 lists name none).
func ParseListSubject(raw json.RawMessage) (ListSubject, error) {
	var j struct {
		ID            *string         `json:"id"`
		Type          json.RawMessage `json:"type"`
		StatusPurpose json.RawMessage `json:"statusPurpose"`
		EncodedList   *string         `json:"encodedList"`
		TTL           *int64          `json:"ttl"`
	}
	if err := json.Unmarshal(raw, &j); err != nil {
		return ListSubject{}, fmt.Errorf("%w: status list credentialSubject is not a valid JSON object: %v", ErrMalformed, err)
	}
	var s ListSubject
	if j.ID != nil {
		s.ID = *j.ID
	}
	typ, err := singleType(j.Type)
	if err != nil {
		return ListSubject{}, err
	}
	if typ != ListType && typ != ListType2021 {
		return ListSubject{}, fmt.Errorf("%w: status list credentialSubject type is %q, want %q", ErrMalformed, typ, ListType)
	}
	s.Type = typ
	var one string
	if len(j.StatusPurpose) == 0 {
		// No purpose named: see the doc comment.
	} else if err := json.Unmarshal(j.StatusPurpose, &one); err == nil {
		s.StatusPurposes = []string{one}
	} else if err := json.Unmarshal(j.StatusPurpose, &s.StatusPurposes); err != nil || len(s.StatusPurposes) == 0 {
		return ListSubject{}, fmt.Errorf("%w: statusPurpose must be a string or a non-empty array of strings, found %s", ErrMalformed, j.StatusPurpose)
	}
	for _, p := range s.StatusPurposes {
		if p == "" {
			return ListSubject{}, fmt.Errorf("%w: empty statusPurpose", ErrMalformed)
		}
	}
	if j.EncodedList == nil || *j.EncodedList == "" {
		return ListSubject{}, fmt.Errorf("%w: status list has no encodedList", ErrMalformed)
	}
	s.EncodedList = *j.EncodedList
	if j.TTL != nil {
		if *j.TTL < 0 {
			return ListSubject{}, fmt.Errorf("%w: negative ttl %d", ErrMalformed, *j.TTL)
		}
		s.TTL = *j.TTL
	}
	return s, nil
}
