package proofvalue

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/fxamacker/cbor/v2"
	"github.com/multiformats/go-multibase"

	"github.com/badgeproof/badgeproof/anchor"
	"github.com/badgeproof/badgeproof/internal/merkle"
)

// Limits on untrusted input. A proof with a full 64-step path and a few
// anchors is under 6,000 characters; base58 decoding is quadratic in the
// input length, so the cap is kept close to that.
const (
	// MaxLen is the longest proofValue string accepted.
	MaxLen = 16 << 10
	// MaxAnchors is the most anchors one proof may list.
	MaxAnchors = 16
	// maxFieldLen bounds an anchor's network and id text.
	maxFieldLen = 256
)

// ErrMalformed is wrapped by every decoding and encoding error.
var ErrMalformed = errors.New("proofvalue: malformed MerkleProof2019 value")

// MerkleProof is a decoded proofValue.
type MerkleProof struct {
	MerkleRoot [32]byte
	TargetHash [32]byte
	Anchors    []anchor.Ref
	Path       []merkle.Step
}

// Keys of the top-level pairs.
const (
	keyMerkleRoot = 0
	keyTargetHash = 1
	keyAnchors    = 2
	keyPath       = 3
)

// Keys inside an anchor.
const (
	anchorChain   = 0
	anchorNetwork = 1
	anchorID      = 2
)

type chainInfo struct {
	name     string
	id       int64
	networks map[string]int64
}

var chains = []chainInfo{
	{name: anchor.ChainBitcoin, id: 0, networks: map[string]int64{"mainnet": 1, "regtest": 2, "testnet": 3}},
	{name: anchor.ChainEthereum, id: 1, networks: map[string]int64{"mainnet": 1, "ropsten": 3, "rinkeby": 4, "goerli": 5, "sepolia": 11155111}},
	{name: anchor.ChainMock, id: -1},
}

func chainByID(id int64) (chainInfo, bool) {
	for _, c := range chains {
		if c.id == id {
			return c, true
		}
	}
	return chainInfo{}, false
}

func chainByName(name string) (chainInfo, bool) {
	for _, c := range chains {
		if c.name == name {
			return c, true
		}
	}
	return chainInfo{}, false
}

// decMaxNestedLevels is decMode's nesting limit (readCBOR keeps it too).
const decMaxNestedLevels = 8

// decMode bounds what the CBOR decoder will build: the structure nests four
// levels deep, no array needs more than 64 entries, and nothing here uses
// maps, tags or indefinite lengths.
var decMode = func() cbor.DecMode {
	dm, err := cbor.DecOptions{
		MaxNestedLevels:  decMaxNestedLevels,
		MaxArrayElements: merkle.MaxPathLen,
		MaxMapPairs:      16,
		IndefLength:      cbor.IndefLengthForbidden,
		TagsMd:           cbor.TagsForbidden,
		DupMapKey:        cbor.DupMapKeyEnforcedAPF,
		IntDec:           cbor.IntDecConvertSigned,
		UTF8:             cbor.UTF8RejectInvalid,
	}.DecMode()
	if err != nil {
		panic(err)
	}
	return dm
}()

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}

// Decode parses a proofValue string.
func Decode(s string) (*MerkleProof, error) {
	if len(s) > MaxLen {
		return nil, malformed("%d characters, at most %d", len(s), MaxLen)
	}
	if len(s) < 2 || s[0] != multibase.Base58BTC {
		return nil, malformed("not multibase base58btc (want a 'z' prefix)")
	}
	// Only now, with the length bounded and the base known, decode.
	_, raw, err := multibase.Decode(s)
	if err != nil {
		return nil, malformed("base58btc: %v", err)
	}
	top, ok := readCBOR(raw)
	if !ok {
		if err := decMode.Unmarshal(raw, &top); err != nil {
			return nil, malformed("cbor: %v", err)
		}
	}
	pairs, ok := top.([]any)
	if !ok {
		return nil, malformed("top level is %s, want an array of pairs", kind(top))
	}
	var p MerkleProof
	var seen [4]bool
	for i, e := range pairs {
		k, v, err := keyValue(e)
		if err != nil {
			return nil, malformed("pair %d: %v", i, err)
		}
		if k < 0 || k > 3 {
			return nil, malformed("pair %d: unknown key %d", i, k)
		}
		if seen[k] {
			return nil, malformed("pair %d: key %d repeated", i, k)
		}
		seen[k] = true
		switch k {
		case keyMerkleRoot:
			p.MerkleRoot, err = wrappedHash(v)
		case keyTargetHash:
			p.TargetHash, err = wrappedHash(v)
		case keyAnchors:
			p.Anchors, err = decodeAnchors(v)
		case keyPath:
			p.Path, err = decodePath(v)
		}
		if err != nil {
			return nil, malformed("%s: %v", keyName(k), err)
		}
	}
	for k, ok := range seen {
		if !ok {
			return nil, malformed("%s missing", keyName(int64(k)))
		}
	}
	return &p, nil
}

func keyName(k int64) string {
	switch k {
	case keyMerkleRoot:
		return "merkleRoot"
	case keyTargetHash:
		return "targetHash"
	case keyAnchors:
		return "anchors"
	case keyPath:
		return "path"
	}
	return strconv.FormatInt(k, 10)
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case []any:
		return "an array"
	case []byte:
		return "a byte string"
	case string:
		return "a text string"
	case int64, uint64:
		return "an integer"
	}
	return fmt.Sprintf("%T", v)
}

func integer(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case uint64:
		if n <= 1<<62 {
			return int64(n), true
		}
	}
	return 0, false
}

// keyValue splits a [key, value] pair with an integer key.
func keyValue(e any) (int64, any, error) {
	a, ok := e.([]any)
	if !ok || len(a) != 2 {
		return 0, nil, fmt.Errorf("want a [key, value] pair, got %s", kind(e))
	}
	k, ok := integer(a[0])
	if !ok {
		return 0, nil, fmt.Errorf("key is %s, want an integer", kind(a[0]))
	}
	return k, a[1], nil
}

// unwrap decodes the CBOR item held in a byte string.
func unwrap(v any) (any, error) {
	b, ok := v.([]byte)
	if !ok {
		return nil, fmt.Errorf("%s, want a byte string wrapping a CBOR item", kind(v))
	}
	if inner, ok := readCBOR(b); ok {
		return inner, nil
	}
	var inner any
	if err := decMode.Unmarshal(b, &inner); err != nil {
		return nil, fmt.Errorf("wrapped value: %v", err)
	}
	return inner, nil
}

func wrappedHash(v any) ([32]byte, error) {
	var h [32]byte
	if b, ok := v.([]byte); ok && len(b) == 34 && b[0] == 0x58 && b[1] == 32 {
		// The usual wrapping: one CBOR byte string of 32 bytes (major type
		// 2, a one-byte length), which is all the decoder would find.
		copy(h[:], b[2:])
		return h, nil
	}
	inner, err := unwrap(v)
	if err != nil {
		return h, err
	}
	switch x := inner.(type) {
	case []byte:
		if len(x) != 32 {
			return h, fmt.Errorf("hash of %d bytes, want 32", len(x))
		}
		copy(h[:], x)
	case string:
		if len(x) != 64 {
			return h, fmt.Errorf("hex hash of %d characters, want 64", len(x))
		}
		if _, err := hex.Decode(h[:], []byte(x)); err != nil {
			return h, fmt.Errorf("hex hash: %v", err)
		}
	default:
		return h, fmt.Errorf("wrapped hash is %s", kind(inner))
	}
	return h, nil
}

func decodePath(v any) ([]merkle.Step, error) {
	a, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%s, want an array", kind(v))
	}
	if len(a) > merkle.MaxPathLen {
		return nil, fmt.Errorf("%d steps, at most %d", len(a), merkle.MaxPathLen)
	}
	path := make([]merkle.Step, len(a))
	for i, e := range a {
		side, h, err := keyValue(e)
		if err != nil {
			return nil, fmt.Errorf("step %d: %v", i, err)
		}
		if side != 0 && side != 1 {
			return nil, fmt.Errorf("step %d: side %d, want 0 (left) or 1 (right)", i, side)
		}
		path[i].Left = side == 0
		if path[i].Hash, err = wrappedHash(h); err != nil {
			return nil, fmt.Errorf("step %d: %v", i, err)
		}
	}
	return path, nil
}

func decodeAnchors(v any) ([]anchor.Ref, error) {
	a, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%s, want an array", kind(v))
	}
	if len(a) == 0 || len(a) > MaxAnchors {
		return nil, fmt.Errorf("%d anchors, want 1 to %d", len(a), MaxAnchors)
	}
	refs := make([]anchor.Ref, len(a))
	for i, e := range a {
		r, err := decodeAnchor(e)
		if err != nil {
			return nil, fmt.Errorf("anchor %d: %v", i, err)
		}
		refs[i] = r
	}
	return refs, nil
}

func decodeAnchor(e any) (anchor.Ref, error) {
	a, ok := e.([]any)
	if !ok || len(a) < 2 || len(a) > 3 {
		return anchor.Ref{}, fmt.Errorf("%s, want two or three [key, value] pairs", kind(e))
	}
	var vals [3]any
	var seen [3]bool
	for _, f := range a {
		k, v, err := keyValue(f)
		if err != nil {
			return anchor.Ref{}, err
		}
		if k < 0 || k > 2 || seen[k] {
			return anchor.Ref{}, fmt.Errorf("unknown or repeated key %d", k)
		}
		seen[k], vals[k] = true, v
	}
	var c chainInfo
	switch x := vals[anchorChain].(type) {
	case string:
		if x != anchor.ChainLedger {
			return anchor.Ref{}, fmt.Errorf("chain %q: only ledger is written by name", x)
		}
		c.name = x
	default:
		id, ok := integer(x)
		if !ok {
			return anchor.Ref{}, fmt.Errorf("chain is %s", kind(x))
		}
		if c, ok = chainByID(id); !ok {
			return anchor.Ref{}, fmt.Errorf("unknown chain %d", id)
		}
	}
	ref := anchor.Ref{Chain: c.name}
	if n, ok := integer(vals[anchorNetwork]); ok {
		ref.Network = strconv.FormatInt(n, 10)
		for name, id := range c.networks {
			if id == n {
				ref.Network = name
			}
		}
	} else {
		t, err := wrappedText(vals[anchorNetwork], false)
		if err != nil {
			return anchor.Ref{}, fmt.Errorf("network: %v", err)
		}
		ref.Network = t
	}
	if !seen[anchorChain] || !seen[anchorNetwork] {
		return anchor.Ref{}, fmt.Errorf("chain or network missing")
	}
	switch {
	case seen[anchorID]:
		id, err := wrappedText(vals[anchorID], true)
		if err != nil {
			return anchor.Ref{}, fmt.Errorf("id: %v", err)
		}
		ref.ID = id
	case c.name != anchor.ChainMock:
		// Only Blockcerts' mocknet anchors come without a transaction.
		return anchor.Ref{}, fmt.Errorf("id missing")
	}
	parsed, err := anchor.ParseRef(ref.String())
	if err != nil {
		return anchor.Ref{}, err
	}
	return parsed, nil
}

// wrappedText reads a wrapped text string, or with bytesAsHex a wrapped byte
// string as lower-case hex.
func wrappedText(v any, bytesAsHex bool) (string, error) {
	inner, err := unwrap(v)
	if err != nil {
		return "", err
	}
	var s string
	switch x := inner.(type) {
	case string:
		s = x
	case []byte:
		if !bytesAsHex {
			return "", fmt.Errorf("wrapped %s, want text", kind(inner))
		}
		s = hex.EncodeToString(x)
	default:
		return "", fmt.Errorf("wrapped %s, want text", kind(inner))
	}
	if s == "" || len(s) > maxFieldLen || strings.ContainsRune(s, ':') {
		return "", fmt.Errorf("%q: want 1 to %d characters without ':'", s, maxFieldLen)
	}
	return s, nil
}

// Encode writes p as a proofValue string. Hashes are written as wrapped
// 32-byte strings; anchors must pass anchor.ParseRef.
func Encode(p *MerkleProof) (string, error) {
	raw, err := encodeRaw(p)
	if err != nil {
		return "", err
	}
	return encodeMultibase(raw)
}

// encodeMultibase writes a CBOR item as a proofValue: multibase base58btc,
// at most MaxLen characters.
func encodeMultibase(raw []byte) (string, error) {
	s, err := multibase.Encode(multibase.Base58BTC, raw)
	if err != nil {
		return "", malformed("multibase: %v", err)
	}
	if len(s) > MaxLen {
		return "", malformed("encoded value of %d characters exceeds %d", len(s), MaxLen)
	}
	return s, nil
}

// encodeRaw is the CBOR item Encode writes in base58btc.
func encodeRaw(p *MerkleProof) ([]byte, error) {
	if p == nil {
		return nil, malformed("nil proof")
	}
	if len(p.Path) > merkle.MaxPathLen {
		return nil, malformed("path: %d steps, at most %d", len(p.Path), merkle.MaxPathLen)
	}
	if len(p.Anchors) == 0 || len(p.Anchors) > MaxAnchors {
		return nil, malformed("anchors: %d, want 1 to %d", len(p.Anchors), MaxAnchors)
	}
	anchors := make([]any, len(p.Anchors))
	for i, r := range p.Anchors {
		a, err := encodeAnchor(r)
		if err != nil {
			return nil, malformed("anchor %d: %v", i, err)
		}
		anchors[i] = a
	}
	path := make([]any, len(p.Path))
	for i, s := range p.Path {
		side := uint64(1)
		if s.Left {
			side = 0
		}
		path[i] = []any{side, wrap(s.Hash[:])}
	}
	top := []any{
		[]any{uint64(keyMerkleRoot), wrap(p.MerkleRoot[:])},
		[]any{uint64(keyTargetHash), wrap(p.TargetHash[:])},
		[]any{uint64(keyAnchors), anchors},
		[]any{uint64(keyPath), path},
	}
	raw, err := cbor.Marshal(top)
	if err != nil {
		return nil, malformed("cbor: %v", err)
	}
	return raw, nil
}

func wrap(v any) []byte {
	b, err := cbor.Marshal(v)
	if err != nil {
		// Only byte and text strings are wrapped; they always encode.
		panic(err)
	}
	return b
}

func encodeAnchor(r anchor.Ref) ([]any, error) {
	if _, err := anchor.ParseRef(r.String()); err != nil {
		return nil, err
	}
	if len(r.Network) > maxFieldLen || len(r.ID) > maxFieldLen {
		return nil, fmt.Errorf("network or id longer than %d characters", maxFieldLen)
	}
	var chain, network any
	if c, ok := chainByName(r.Chain); ok {
		chain = c.id
		if n, ok := c.networks[r.Network]; ok {
			network = n
		}
	} else {
		chain = r.Chain
	}
	if network == nil {
		if n, err := strconv.ParseInt(r.Network, 10, 64); err == nil && strconv.FormatInt(n, 10) == r.Network && r.Chain != anchor.ChainLedger {
			network = n
		} else {
			network = wrap(r.Network)
		}
	}
	a := []any{
		[]any{uint64(anchorChain), chain},
		[]any{uint64(anchorNetwork), network},
	}
	if r.ID != "" {
		a = append(a, []any{uint64(anchorID), wrap(r.ID)})
	}
	return a, nil
}
