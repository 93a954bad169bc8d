package ecdsasd

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/fxamacker/cbor/v2"
	"github.com/multiformats/go-multibase"
)

// Headers of the two proof values (CBOR tag-like prefixes of the spec).
var (
	baseHeader    = []byte{0xd9, 0x5d, 0x00}
	derivedHeader = []byte{0xd9, 0x5d, 0x01}
)

// maxProofValueLen bounds a proof value before decoding: a derived proof
// carries one 64-byte signature per disclosed statement.
const maxProofValueLen = 1 << 20

// BaseProof is the decoded proofValue of a base proof (the issuer's).
type BaseProof struct {
	BaseSignature     []byte   // the issuer's signature over proofHash || PublicKey || mandatoryHash
	PublicKey         []byte   // the ephemeral P-256 key, as Multikey bytes
	HMACKey           []byte   // 32 bytes
	Signatures        [][]byte // one per non-mandatory statement, in order
	MandatoryPointers []string // JSON pointers
}

// DerivedProof is the decoded proofValue of a derived proof (the holder's
// disclosure).
type DerivedProof struct {
	BaseSignature []byte
	PublicKey     []byte
	Signatures    [][]byte // one per disclosed non-mandatory statement, in order
	// LabelMap maps the verifier's canonical blank node labels (c14nN) to
	// the issuer's HMAC labels (u + base64url of the HMAC).
	LabelMap         map[string]string
	MandatoryIndexes []int
}

var decMode = func() cbor.DecMode {
	m, err := cbor.DecOptions{
		MaxNestedLevels:  8,
		MaxArrayElements: 1 << 16,
		MaxMapPairs:      1 << 16,
		DupMapKey:        cbor.DupMapKeyEnforcedAPF,
		IndefLength:      cbor.IndefLengthForbidden,
	}.DecMode()
	if err != nil {
		panic(err) // constant options
	}
	return m
}()

var encMode = func() cbor.EncMode {
	m, err := cbor.CoreDetEncOptions().EncMode()
	if err != nil {
		panic(err)
	}
	return m
}()

func decodeValue(s string, header []byte) ([]byte, error) {
	if len(s) > maxProofValueLen {
		return nil, fmt.Errorf("%w: proofValue is %d characters", ErrMalformed, len(s))
	}
	if !strings.HasPrefix(s, "u") {
		return nil, fmt.Errorf("%w: proofValue must be multibase base64url ('u' prefix)", ErrMalformed)
	}
	_, b, err := multibase.Decode(s)
	if err != nil {
		return nil, fmt.Errorf("%w: proofValue: %v", ErrMalformed, err)
	}
	if !bytes.HasPrefix(b, header) {
		return nil, fmt.Errorf("%w: proofValue header is %x, want %x", ErrMalformed, b[:min(3, len(b))], header)
	}
	return b[len(header):], nil
}

func encodeValue(header []byte, v any) (string, error) {
	b, err := encMode.Marshal(v)
	if err != nil {
		return "", err
	}
	return multibase.Encode(multibase.Base64url, append(append([]byte{}, header...), b...))
}

// IsDerived reports whether a proofValue is a derived proof's.
func IsDerived(proofValue string) bool {
	_, err := decodeValue(proofValue, derivedHeader)
	return err == nil
}

// ParseBaseProof decodes a base proof's proofValue.
func ParseBaseProof(s string) (*BaseProof, error) {
	b, err := decodeValue(s, baseHeader)
	if err != nil {
		return nil, err
	}
	var raw []cbor.RawMessage
	if err := decMode.Unmarshal(b, &raw); err != nil || len(raw) != 5 {
		return nil, fmt.Errorf("%w: base proofValue is not a CBOR array of five values", ErrMalformed)
	}
	var p BaseProof
	for i, dst := range []any{&p.BaseSignature, &p.PublicKey, &p.HMACKey, &p.Signatures, &p.MandatoryPointers} {
		if err := decMode.Unmarshal(raw[i], dst); err != nil {
			return nil, fmt.Errorf("%w: base proofValue member %d: %v", ErrMalformed, i, err)
		}
	}
	if len(p.HMACKey) != 32 {
		return nil, fmt.Errorf("%w: HMAC key is %d bytes, want 32", ErrMalformed, len(p.HMACKey))
	}
	return &p, nil
}

// Encode writes the base proof's proofValue.
func (p *BaseProof) Encode() (string, error) {
	sigs := p.Signatures
	if sigs == nil {
		sigs = [][]byte{}
	}
	ptrs := p.MandatoryPointers
	if ptrs == nil {
		ptrs = []string{}
	}
	return encodeValue(baseHeader, []any{p.BaseSignature, p.PublicKey, p.HMACKey, sigs, ptrs})
}

// ParseDerivedProof decodes a derived proof's proofValue.
func ParseDerivedProof(s string) (*DerivedProof, error) {
	b, err := decodeValue(s, derivedHeader)
	if err != nil {
		return nil, err
	}
	var raw []cbor.RawMessage
	if err := decMode.Unmarshal(b, &raw); err != nil || len(raw) != 5 {
		return nil, fmt.Errorf("%w: derived proofValue is not a CBOR array of five values", ErrMalformed)
	}
	var p DerivedProof
	var compressed map[uint64][]byte
	for i, dst := range []any{&p.BaseSignature, &p.PublicKey, &p.Signatures, &compressed, &p.MandatoryIndexes} {
		if err := decMode.Unmarshal(raw[i], dst); err != nil {
			return nil, fmt.Errorf("%w: derived proofValue member %d: %v", ErrMalformed, i, err)
		}
	}
	p.LabelMap = make(map[string]string, len(compressed))
	for k, v := range compressed {
		if len(v) != 32 {
			return nil, fmt.Errorf("%w: label map value for c14n%d is %d bytes, want 32", ErrMalformed, k, len(v))
		}
		p.LabelMap["c14n"+strconv.FormatUint(k, 10)] = "u" + base64.RawURLEncoding.EncodeToString(v)
	}
	return &p, nil
}

// Encode writes the derived proof's proofValue.
func (p *DerivedProof) Encode() (string, error) {
	compressed := make(map[uint64][]byte, len(p.LabelMap))
	keys := make([]string, 0, len(p.LabelMap))
	for k := range p.LabelMap {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		n, err := strconv.ParseUint(strings.TrimPrefix(k, "c14n"), 10, 64)
		if err != nil || !strings.HasPrefix(k, "c14n") {
			return "", fmt.Errorf("%w: label %q is not a canonical label", ErrMalformed, k)
		}
		v, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(p.LabelMap[k], "u"))
		if err != nil || !strings.HasPrefix(p.LabelMap[k], "u") {
			return "", fmt.Errorf("%w: label %q is not an HMAC label", ErrMalformed, p.LabelMap[k])
		}
		compressed[n] = v
	}
	sigs := p.Signatures
	if sigs == nil {
		sigs = [][]byte{}
	}
	idx := p.MandatoryIndexes
	if idx == nil {
		idx = []int{}
	}
	return encodeValue(derivedHeader, []any{p.BaseSignature, p.PublicKey, sigs, compressed, idx})
}
