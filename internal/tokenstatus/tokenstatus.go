// Package tokenstatus implements the IETF Token Status List
// (draft-ietf-oauth-status-list), the status mechanism of SD-JWT VCs: a list
// of 1, 2, 4 or 8-bit statuses, packed from the least significant bit of
// byte 0 up, ZLIB-compressed and base64url-encoded as "lst", published in a
// signed status list token (typ statuslist+jwt).
package tokenstatus

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/badgeproof/badgeproof/internal/jsonx"
)

// TokenType is the typ of a status list token.
const TokenType = "statuslist+jwt"

// MediaType is what a status list token is served as.
const MediaType = "application/statuslist+jwt"

// Status values (§7.1).
const (
	Valid     = 0x00
	Invalid   = 0x01 // revoked
	Suspended = 0x02
)

// MaxBytes bounds a decompressed list: 16 MiB, 134 million 1-bit statuses.
// A ZLIB bomb stops here.
const MaxBytes = 16 << 20

// Errors, for errors.Is.
var (
	ErrMalformed  = errors.New("status list: malformed")
	ErrOutOfRange = errors.New("status list: index out of range")
)

// List is a decoded status list.
type List struct {
	Bits int
	data []byte
}

// New makes an all-VALID list with room for size statuses of bits bits.
func New(bits, size int) (*List, error) {
	if !validBits(bits) {
		return nil, fmt.Errorf("%w: bits must be 1, 2, 4 or 8, got %d", ErrMalformed, bits)
	}
	// size is compared before it is multiplied, so that it cannot overflow.
	if size <= 0 || size > MaxBytes*8/bits {
		return nil, fmt.Errorf("%w: size %d (1 to %d statuses of %d bits)", ErrMalformed, size, MaxBytes*8/bits, bits)
	}
	n := (size*bits + 7) / 8
	return &List{Bits: bits, data: make([]byte, n)}, nil
}

func validBits(b int) bool { return b == 1 || b == 2 || b == 4 || b == 8 }

// Len is how many statuses the list holds.
func (l *List) Len() int { return len(l.data) * 8 / l.Bits }

// Get returns the status at idx.
func (l *List) Get(idx int) (int, error) {
	if idx < 0 || idx >= l.Len() {
		return 0, fmt.Errorf("%w: index %d, the list holds %d", ErrOutOfRange, idx, l.Len())
	}
	bit := idx * l.Bits
	mask := byte(1<<l.Bits - 1)
	return int(l.data[bit/8] >> (bit % 8) & mask), nil
}

// Set sets the status at idx.
func (l *List) Set(idx, status int) error {
	if idx < 0 || idx >= l.Len() {
		return fmt.Errorf("%w: index %d, the list holds %d", ErrOutOfRange, idx, l.Len())
	}
	if status < 0 || status >= 1<<l.Bits {
		return fmt.Errorf("%w: status %d does not fit in %d bits", ErrMalformed, status, l.Bits)
	}
	bit := idx * l.Bits
	mask := byte(1<<l.Bits-1) << (bit % 8)
	l.data[bit/8] = l.data[bit/8]&^mask | byte(status)<<(bit%8)
	return nil
}

// Bytes returns the packed statuses.
func (l *List) Bytes() []byte { return append([]byte(nil), l.data...) }

// wire is the JSON form.
type wire struct {
	Bits           int    `json:"bits"`
	Lst            string `json:"lst"`
	AggregationURI string `json:"aggregation_uri,omitempty"`
}

// MarshalJSON writes {"bits":..,"lst":..}.
func (l *List) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	zw, err := zlib.NewWriterLevel(&buf, zlib.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(l.data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return json.Marshal(wire{Bits: l.Bits, Lst: base64.RawURLEncoding.EncodeToString(buf.Bytes())})
}

// maxCompressed bounds the base64url lst before it is decoded: a list
// compresses well, and a status list token is itself bounded by the JWS
// size limit.
const maxCompressed = 4 << 20

// strict is how a status list and a status list token's claims are
// checked before they are decoded (no duplicate keys, bounded nesting).
func strict() jsonx.Limits { return jsonx.Limits{MaxBytes: maxCompressed + 64<<10, MaxDepth: 16} }

// Decode reads the JSON status_list object, decompressing at most MaxBytes.
func Decode(raw []byte) (*List, error) {
	if err := jsonx.Check(raw, strict()); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	var w wire
	if err := json.Unmarshal(raw, &w); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if !validBits(w.Bits) {
		return nil, fmt.Errorf("%w: bits must be 1, 2, 4 or 8, got %d", ErrMalformed, w.Bits)
	}
	if len(w.Lst) > maxCompressed {
		return nil, fmt.Errorf("%w: lst of %d characters, at most %d", ErrMalformed, len(w.Lst), maxCompressed)
	}
	comp, err := base64.RawURLEncoding.Strict().DecodeString(w.Lst)
	if err != nil {
		return nil, fmt.Errorf("%w: lst is not base64url: %v", ErrMalformed, err)
	}
	zr, err := zlib.NewReader(bytes.NewReader(comp))
	if err != nil {
		return nil, fmt.Errorf("%w: lst is not ZLIB: %v", ErrMalformed, err)
	}
	defer zr.Close()
	data, err := io.ReadAll(io.LimitReader(zr, MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: lst: %v", ErrMalformed, err)
	}
	if len(data) > MaxBytes {
		return nil, fmt.Errorf("%w: lst decompresses to more than %d bytes", ErrMalformed, MaxBytes)
	}
	if len(data) == 0 {
		return nil, fmt.Errorf("%w: empty list", ErrMalformed)
	}
	return &List{Bits: w.Bits, data: data}, nil
}

// Reference is the status claim of a referenced token:
// {"status_list":{"idx":N,"uri":"..."}}.
type Reference struct {
	Idx int    `json:"idx"`
	URI string `json:"uri"`
}

// ParseReference reads a referenced token's status claim. ok is false when
// it has no status_list member (another mechanism, or none).
func ParseReference(status json.RawMessage) (ref Reference, ok bool, err error) {
	if err := jsonx.Check(status, jsonx.Limits{MaxBytes: 64 << 10, MaxDepth: 16}); err != nil {
		return ref, false, fmt.Errorf("%w: status: %v", ErrMalformed, err)
	}
	var s struct {
		StatusList *struct {
			Idx *int   `json:"idx"`
			URI string `json:"uri"`
		} `json:"status_list"`
	}
	if err := json.Unmarshal(status, &s); err != nil {
		return ref, false, fmt.Errorf("%w: status: %v", ErrMalformed, err)
	}
	if s.StatusList == nil {
		return ref, false, nil
	}
	if s.StatusList.Idx == nil || *s.StatusList.Idx < 0 || s.StatusList.URI == "" {
		return ref, false, fmt.Errorf("%w: status_list needs a non-negative idx and a uri", ErrMalformed)
	}
	return Reference{Idx: *s.StatusList.Idx, URI: s.StatusList.URI}, true, nil
}

// Claims are a status list token's claims.
type Claims struct {
	Sub        string          `json:"sub"`
	IAT        int64           `json:"iat"`
	Exp        int64           `json:"exp,omitempty"`
	TTL        int64           `json:"ttl,omitempty"`
	StatusList json.RawMessage `json:"status_list"`
}

// ParseClaims reads a status list token's payload and its list.
func ParseClaims(payload []byte) (*Claims, *List, error) {
	if err := jsonx.Check(payload, strict()); err != nil {
		return nil, nil, fmt.Errorf("%w: claims: %v", ErrMalformed, err)
	}
	var c Claims
	if err := json.Unmarshal(payload, &c); err != nil {
		return nil, nil, fmt.Errorf("%w: claims: %v", ErrMalformed, err)
	}
	switch {
	case c.Sub == "":
		return nil, nil, fmt.Errorf("%w: no sub", ErrMalformed)
	case c.IAT == 0:
		return nil, nil, fmt.Errorf("%w: no iat", ErrMalformed)
	case len(c.StatusList) == 0:
		return nil, nil, fmt.Errorf("%w: no status_list", ErrMalformed)
	case c.TTL < 0:
		return nil, nil, fmt.Errorf("%w: negative ttl", ErrMalformed)
	}
	l, err := Decode(c.StatusList)
	if err != nil {
		return nil, nil, err
	}
	return &c, l, nil
}
