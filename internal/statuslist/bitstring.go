package statuslist

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"

	"github.com/multiformats/go-multibase"
)

const (
	// MinBits is the specification's minimum list length: 16 KiB of bits.
	MinBits = 131072
	// MaxBytes caps the decompressed bitstring (134,217,728 entries).
	MaxBytes = 16 << 20
)

var (
	// ErrMalformed: the encodedList is not multibase base64url of a GZIP
	// stream, or an entry is not a valid BitstringStatusListEntry.
	ErrMalformed = errors.New("statuslist: malformed")
	// ErrTooShort: the list is shorter than MinBits.
	ErrTooShort = errors.New("statuslist: list shorter than the 131072-bit minimum")
	// ErrTooLarge: the list decompresses to more than MaxBytes.
	ErrTooLarge = errors.New("statuslist: list too large")
	// ErrRange: an index lies outside the list.
	ErrRange = errors.New("statuslist: index out of range")
	// ErrUnsupported: a valid feature this package does not implement, such
	// as a statusSize other than 1.
	ErrUnsupported = errors.New("statuslist: unsupported")
)

// Bitstring is a status list: one bit per entry, index 0 being the most
// significant bit of the first byte. The zero value is an empty list.
// A Bitstring is not safe for concurrent modification.
type Bitstring struct {
	b []byte
}

// New returns an all-zero list of bits entries. bits must be a multiple of 8,
// at least MinBits and at most 8*MaxBytes.
func New(bits int) (*Bitstring, error) {
	switch {
	case bits < MinBits:
		return nil, fmt.Errorf("%w: %d bits requested", ErrTooShort, bits)
	case bits%8 != 0:
		return nil, fmt.Errorf("statuslist: %d bits is not a whole number of bytes", bits)
	case bits/8 > MaxBytes:
		return nil, fmt.Errorf("%w: %d bits requested, at most %d", ErrTooLarge, bits, 8*MaxBytes)
	}
	return &Bitstring{b: make([]byte, bits/8)}, nil
}

// Len returns the number of entries in the list.
func (s *Bitstring) Len() int { return 8 * len(s.b) }

// Get reports whether bit i is set.
func (s *Bitstring) Get(i int) (bool, error) {
	if i < 0 || i >= s.Len() {
		return false, fmt.Errorf("%w: index %d, list has %d entries", ErrRange, i, s.Len())
	}
	return s.b[i/8]&(0x80>>(i%8)) != 0, nil
}

// Set sets or clears bit i.
func (s *Bitstring) Set(i int, v bool) error {
	if i < 0 || i >= s.Len() {
		return fmt.Errorf("%w: index %d, list has %d entries", ErrRange, i, s.Len())
	}
	mask := byte(0x80 >> (i % 8))
	if v {
		s.b[i/8] |= mask
	} else {
		s.b[i/8] &^= mask
	}
	return nil
}

// Encode returns the encodedList form: 'u' followed by the unpadded base64url
// of the GZIP-compressed bits.
func (s *Bitstring) Encode() (string, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(s.b); err != nil {
		return "", fmt.Errorf("statuslist: compress: %w", err)
	}
	if err := zw.Close(); err != nil {
		return "", fmt.Errorf("statuslist: compress: %w", err)
	}
	enc, err := multibase.Encode(multibase.Base64url, buf.Bytes())
	if err != nil {
		return "", fmt.Errorf("statuslist: encode: %w", err)
	}
	return enc, nil
}

// Decode parses an encodedList and rejects lists shorter than MinBits with
// ErrTooShort.
func Decode(encodedList string) (*Bitstring, error) {
	s, err := DecodeAnyLength(encodedList)
	if err != nil {
		return nil, err
	}
	if s.Len() < MinBits {
		return nil, fmt.Errorf("%w: the list has %d bits", ErrTooShort, s.Len())
	}
	return s, nil
}

// DecodeAnyLength parses an encodedList like Decode but accepts any non-empty
// length, for lists made before the minimum was specified. Verifiers should
// use Decode.
func DecodeAnyLength(encodedList string) (*Bitstring, error) {
	if encodedList == "" {
		return nil, fmt.Errorf("%w: empty encodedList", ErrMalformed)
	}
	if encodedList[0] != multibase.Base64url {
		return nil, fmt.Errorf("%w: encodedList must start with the multibase prefix 'u' (base64url, no padding), found %q",
			ErrMalformed, encodedList[0])
	}
	// Compressed data is never larger than the decompressed cap allows; this
	// bounds the base64 buffer before gzip sees it.
	if len(encodedList) > MaxBytes {
		return nil, fmt.Errorf("%w: encodedList is %d characters", ErrTooLarge, len(encodedList))
	}
	_, gz, err := multibase.Decode(encodedList)
	if err != nil {
		return nil, fmt.Errorf("%w: encodedList is not unpadded base64url: %v", ErrMalformed, err)
	}
	// The decoder accepts non-zero trailing bits and skips line breaks, so
	// several strings would decode to one list; accept only the one that
	// encodes it.
	if canon, _ := multibase.Encode(multibase.Base64url, gz); canon != encodedList {
		return nil, fmt.Errorf("%w: encodedList is not canonical unpadded base64url (line breaks, or non-zero bits after the last byte)", ErrMalformed)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("%w: encodedList is not GZIP: %v", ErrMalformed, err)
	}
	defer zr.Close()
	raw, err := io.ReadAll(io.LimitReader(zr, MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: decompress: %v", ErrMalformed, err)
	}
	if len(raw) > MaxBytes {
		return nil, fmt.Errorf("%w: decompresses to more than %d bytes", ErrTooLarge, MaxBytes)
	}
	if len(raw) == 0 {
		return nil, fmt.Errorf("%w: the list is empty", ErrMalformed)
	}
	return &Bitstring{b: raw}, nil
}

// Decode2021 parses the encodedList of a StatusList2021 list: the same GZIP
// bitstring in unpadded base64url, written without the multibase prefix
// 'u' that Bitstring Status List adds (a list written with it is read too).
// The rules of Decode apply otherwise.
func Decode2021(encodedList string) (*Bitstring, error) {
	if encodedList != "" && encodedList[0] != multibase.Base64url {
		encodedList = string(multibase.Base64url) + encodedList
	}
	return Decode(encodedList)
}
