package blockcerts

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/badgeproof/badgeproof/anchor"
	"github.com/badgeproof/badgeproof/internal/budget"
	"github.com/badgeproof/badgeproof/internal/jsonx"
	"github.com/badgeproof/badgeproof/internal/merkle"
	"github.com/badgeproof/badgeproof/internal/proofvalue"
	"github.com/badgeproof/badgeproof/internal/rdfc"
)

// MaxDocumentSize is the largest certificate accepted, in bytes. Blockcerts
// certificates embed their images as data URLs: real ones exceed 2 MB.
const MaxDocumentSize = 8 << 20

// Errors returned by this package, for errors.Is. Root mismatches are
// reported with merkle.ErrRootMismatch; undefined terms with
// rdfc.ErrFallbackVocab; unknown contexts with rdfc.ErrUnknownContext.
var (
	// ErrHashMismatch: the recomputed target hash differs from the one in
	// the proof: the certificate was changed after it was anchored. The
	// error is a *HashMismatchError.
	ErrHashMismatch = errors.New("blockcerts: target hash mismatch")
	// ErrMalformed: the certificate or its proof is not of the expected shape.
	ErrMalformed = errors.New("blockcerts: malformed certificate")
	// ErrNotMerkleProof: the selected proof is not a Blockcerts Merkle proof.
	ErrNotMerkleProof = errors.New("blockcerts: not a Blockcerts Merkle proof")
)

// HashMismatchError carries the target hash in the proof and the one
// computed from the document.
type HashMismatchError struct {
	Expected, Computed [32]byte
}

func (e *HashMismatchError) Error() string {
	return fmt.Sprintf("blockcerts: target hash mismatch: proof has %x, document hashes to %x", e.Expected, e.Computed)
}

// Is makes errors.Is(err, ErrHashMismatch) true.
func (e *HashMismatchError) Is(target error) bool { return target == ErrHashMismatch }

// Result is what a successful chain-free check establishes: the document
// hashes to TargetHash and its path leads to MerkleRoot. The caller still
// has to find MerkleRoot in one of Anchors and check who wrote it, when.
type Result struct {
	TargetHash [32]byte
	MerkleRoot [32]byte
	// Anchors lists where MerkleRoot was written. A v2 Bitcoin anchor without
	// a "chain" has an empty Network; see BitcoinNetwork.
	Anchors []anchor.Ref
}

// MockOnly reports whether every anchor is a Blockcerts mocknet anchor,
// that is, the proof was never written to a chain.
func (r *Result) MockOnly() bool {
	for _, a := range r.Anchors {
		if a.Chain != anchor.ChainMock {
			return false
		}
	}
	return len(r.Anchors) > 0
}

// MerkleProofIndexes returns the positions in doc's proof set (0 for a
// single proof object) of the proofs that VerifyV3 checks: MerkleProof2019,
// DataIntegrityProof with cryptosuite merkle-proof-2019, and
// ChainedProof2021 with chainedProofType MerkleProof2019.
func MerkleProofIndexes(doc []byte) ([]int, error) {
	d, _, err := decode(doc)
	if err != nil {
		return nil, err
	}
	proofs, err := proofSet(d)
	if err != nil {
		return nil, err
	}
	var idx []int
	for i, p := range proofs {
		if isMerkleProof(p) {
			idx = append(idx, i)
		}
	}
	return idx, nil
}

// VerifyV3 checks proof number index of a Blockcerts v3 certificate (0 for
// a single proof object): it decodes its proofValue, recomputes the target
// hash, compares it and walks the Merkle path to the root in the proof.
// To check several proofs of one certificate, Decode it once and call
// Doc.VerifyV3 for each.
func VerifyV3(doc []byte, index int) (*Result, error) {
	d, err := Decode(doc)
	if err != nil {
		return nil, err
	}
	return d.VerifyV3(context.Background(), nil, index)
}

// Doc is a Blockcerts v3 certificate decoded once.
type Doc struct {
	d      map[string]any
	proofs []map[string]any
}

// Decode parses a Blockcerts v3 certificate and its proof set.
func Decode(doc []byte) (*Doc, error) {
	d, _, err := decode(doc)
	if err != nil {
		return nil, err
	}
	proofs, err := proofSet(d)
	if err != nil {
		return nil, err
	}
	return &Doc{d: d, proofs: proofs}, nil
}

// VerifyV3 is the package's VerifyV3 on a decoded certificate, with the
// canonicalization charged to b (nil: rdfc's default per call) and
// stopped when ctx ends.
func (doc *Doc) VerifyV3(ctx context.Context, b *budget.Budget, index int) (*Result, error) {
	d, proofs := doc.d, doc.proofs
	if index < 0 || index >= len(proofs) {
		return nil, fmt.Errorf("%w: proof %d of %d", ErrMalformed, index, len(proofs))
	}
	p := proofs[index]
	if !isMerkleProof(p) {
		return nil, fmt.Errorf("%w: proof %d has type %v", ErrNotMerkleProof, index, p["type"])
	}
	pv, ok := p["proofValue"].(string)
	if !ok {
		return nil, fmt.Errorf("%w: proof %d has no proofValue string", ErrMalformed, index)
	}
	mp, err := proofvalue.Decode(pv)
	if err != nil {
		return nil, err
	}
	hashed := make(map[string]any, len(d))
	for k, v := range d {
		if k != "proof" {
			hashed[k] = v
		}
	}
	switch index {
	case 0:
	case 1:
		hashed["proof"] = proofs[0]
	default:
		prev := make([]any, index)
		for i := range prev {
			prev[i] = proofs[i]
		}
		hashed["proof"] = prev
	}
	return check(ctx, b, hashed, mp.TargetHash, mp.Path, mp.MerkleRoot, mp.Anchors)
}

// V3TargetHash returns the target hash of proof number index without
// comparing it: SHA-256 of the canonical document with the proofs that
// precede index.
func V3TargetHash(doc []byte, index int) ([32]byte, error) {
	r, err := VerifyV3(doc, index)
	var hm *HashMismatchError
	switch {
	case err == nil:
		return r.TargetHash, nil
	case errors.As(err, &hm):
		return hm.Computed, nil
	}
	return [32]byte{}, err
}

func check(ctx context.Context, b *budget.Budget, hashed map[string]any, target [32]byte, path []merkle.Step, root [32]byte, anchors []anchor.Ref) (*Result, error) {
	h := sha256.New()
	if err := (rdfc.Options{DetectUnmapped: true, Budget: b}).CanonicalizeObjectTo(ctx, h, hashed); err != nil {
		return nil, fmt.Errorf("blockcerts: canonicalizing the certificate: %w", err)
	}
	var computed [32]byte
	h.Sum(computed[:0])
	if computed != target {
		return nil, &HashMismatchError{Expected: target, Computed: computed}
	}
	if err := merkle.VerifyPath(computed, path, root); err != nil {
		return nil, err
	}
	return &Result{TargetHash: computed, MerkleRoot: root, Anchors: anchors}, nil
}

// receipt is a Blockcerts v2 MerkleProof2017 "signature".
type receipt struct {
	Type       any                 `json:"type"`
	TargetHash string              `json:"targetHash"`
	MerkleRoot string              `json:"merkleRoot"`
	Proof      []map[string]string `json:"proof"`
	Anchors    []struct {
		SourceID string `json:"sourceId"`
		Type     string `json:"type"`
		Chain    string `json:"chain"`
	} `json:"anchors"`
}

// VerifyV2 checks the MerkleProof2017 receipt of a Blockcerts v2
// certificate: the target hash of the document without "signature", and
// the path from it to merkleRoot.
func VerifyV2(doc []byte) (*Result, error) {
	return VerifyV2Context(context.Background(), nil, doc)
}

// VerifyV2Context is VerifyV2 with the canonicalization charged to b (nil:
// rdfc's default per call) and stopped when ctx ends.
func VerifyV2Context(ctx context.Context, b *budget.Budget, doc []byte) (*Result, error) {
	d, members, err := decode(doc)
	if err != nil {
		return nil, err
	}
	return verifyV2(ctx, b, d, members)
}

// VerifyV2Decoded is VerifyV2Context on a certificate the caller has
// already checked and decoded with jsonx.Decode, under limits no looser
// than this package's (MaxDocumentSize bytes, jsonx.DefaultMaxDepth
// levels), so that the certificate is read once. It prepares dec.Value for
// hashing in place: the caller reads what it needs of it first.
func VerifyV2Decoded(ctx context.Context, b *budget.Budget, dec *jsonx.Decoded) (*Result, error) {
	d, members, err := decoded(dec)
	if err != nil {
		return nil, err
	}
	return verifyV2(ctx, b, d, members)
}

func verifyV2(ctx context.Context, b *budget.Budget, d map[string]any, members map[string]json.RawMessage) (*Result, error) {
	rb, ok := members["signature"]
	if !ok {
		return nil, fmt.Errorf("%w: no signature receipt", ErrNotMerkleProof)
	}
	var r receipt
	if err := json.Unmarshal(rb, &r); err != nil {
		return nil, fmt.Errorf("%w: signature: %v", ErrMalformed, err)
	}
	if !hasType(r.Type, "MerkleProof2017") {
		return nil, fmt.Errorf("%w: signature type %v", ErrNotMerkleProof, r.Type)
	}
	target, err := hash32("targetHash", r.TargetHash)
	if err != nil {
		return nil, err
	}
	root, err := hash32("merkleRoot", r.MerkleRoot)
	if err != nil {
		return nil, err
	}
	if len(r.Proof) > merkle.MaxPathLen {
		return nil, fmt.Errorf("%w: %d path steps", merkle.ErrPathTooLong, len(r.Proof))
	}
	path := make([]merkle.Step, len(r.Proof))
	for i, s := range r.Proof {
		if len(s) != 1 {
			return nil, fmt.Errorf("%w: path step %d: want one of left or right", ErrMalformed, i)
		}
		for side, h := range s {
			if side != "left" && side != "right" {
				return nil, fmt.Errorf("%w: path step %d: unknown side %q", ErrMalformed, i, side)
			}
			v, err := hash32(fmt.Sprintf("path step %d", i), h)
			if err != nil {
				return nil, err
			}
			path[i] = merkle.Step{Left: side == "left", Hash: v}
		}
	}
	if len(r.Anchors) == 0 {
		return nil, fmt.Errorf("%w: no anchors", ErrMalformed)
	}
	anchors := make([]anchor.Ref, len(r.Anchors))
	for i, a := range r.Anchors {
		ref, err := v2Anchor(a.Type, a.Chain, a.SourceID)
		if err != nil {
			return nil, fmt.Errorf("anchor %d: %w", i, err)
		}
		anchors[i] = ref
	}
	hashed := make(map[string]any, len(d))
	for k, v := range d {
		if k != "signature" {
			hashed[k] = v
		}
	}
	return check(ctx, b, hashed, target, path, root, anchors)
}

// v2Chains maps the chain names Blockcerts v2 writes (other than
// "mockchain") to a Ref's chain and network, and the anchor type that chain
// must carry.
var v2Chains = map[string]struct{ chain, network, anchorType string }{
	"bitcoinMainnet":  {anchor.ChainBitcoin, "mainnet", "BTCOpReturn"},
	"bitcoinTestnet":  {anchor.ChainBitcoin, "testnet", "BTCOpReturn"},
	"bitcoinRegtest":  {anchor.ChainBitcoin, "regtest", "BTCOpReturn"},
	"ethereumMainnet": {anchor.ChainEthereum, "mainnet", "ETHData"},
	"ethereumRopsten": {anchor.ChainEthereum, "ropsten", "ETHData"},
	"ethereumGoerli":  {anchor.ChainEthereum, "goerli", "ETHData"},
	"ethereumSepolia": {anchor.ChainEthereum, "sepolia", "ETHData"},
}

// v2Anchor maps a Chainpoint-style anchor to a Ref.
func v2Anchor(typ, chain, source string) (anchor.Ref, error) {
	switch chain {
	case "mockchain":
		return anchor.Ref{Chain: anchor.ChainMock, Network: "mockchain"}, nil
	case "":
		// Early v2 receipts name no chain: Bitcoin, network unknown.
		if typ != "BTCOpReturn" {
			return anchor.Ref{}, fmt.Errorf("%w: anchor type %q without chain", ErrMalformed, typ)
		}
		id := strings.ToLower(source)
		if len(id) != 64 || !isHex(id) {
			return anchor.Ref{}, fmt.Errorf("%w: bitcoin txid %q", ErrMalformed, source)
		}
		return anchor.Ref{Chain: anchor.ChainBitcoin, ID: id}, nil
	}
	c, ok := v2Chains[chain]
	if !ok {
		return anchor.Ref{}, fmt.Errorf("%w: unknown chain %q", ErrMalformed, chain)
	}
	if typ != c.anchorType {
		return anchor.Ref{}, fmt.Errorf("%w: anchor type %q on chain %q", ErrMalformed, typ, chain)
	}
	ref, err := anchor.ParseRef(anchor.Ref{Chain: c.chain, Network: c.network, ID: source}.String())
	if err != nil {
		return anchor.Ref{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return ref, nil
}

// BitcoinNetwork infers the Bitcoin network from an issuing address, for v2
// anchors that name no chain: "testnet" for m, n, 2 and tb1 addresses,
// "mainnet" for 1, 3 and bc1, "" otherwise.
func BitcoinNetwork(address string) string {
	switch {
	case strings.HasPrefix(address, "bc1"), strings.HasPrefix(address, "1"), strings.HasPrefix(address, "3"):
		return "mainnet"
	case strings.HasPrefix(address, "tb1"), strings.HasPrefix(address, "m"), strings.HasPrefix(address, "n"), strings.HasPrefix(address, "2"):
		return "testnet"
	}
	return ""
}

// decode checks and decodes a certificate in one pass (jsonx.Decode) and
// prepares it for hashing. members holds the top-level members' bytes.
func decode(doc []byte) (d map[string]any, members map[string]json.RawMessage, err error) {
	dec, err := jsonx.Decode(doc, jsonx.Limits{MaxBytes: MaxDocumentSize})
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return decoded(dec)
}

// decoded is decode's second half, on a document jsonx.Decode accepted.
func decoded(dec *jsonx.Decoded) (d map[string]any, members map[string]json.RawMessage, err error) {
	d, ok := dec.Value.(map[string]any)
	if !ok {
		return nil, nil, fmt.Errorf("%w: want a JSON object", ErrMalformed)
	}
	if _, ok := d["@context"].([]any); !ok {
		return nil, nil, fmt.Errorf("%w: @context must be an array", ErrMalformed)
	}
	prepare(d, false)
	return d, dec.Members, nil
}

func proofSet(d map[string]any) ([]map[string]any, error) {
	switch p := d["proof"].(type) {
	case map[string]any:
		return []map[string]any{p}, nil
	case []any:
		out := make([]map[string]any, len(p))
		for i, x := range p {
			m, ok := x.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("%w: proof %d is not an object", ErrMalformed, i)
			}
			out[i] = m
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("%w: empty proof set", ErrMalformed)
		}
		return out, nil
	case nil:
		return nil, fmt.Errorf("%w: no proof", ErrNotMerkleProof)
	default:
		return nil, fmt.Errorf("%w: proof is %T", ErrMalformed, p)
	}
}

func isMerkleProof(p map[string]any) bool {
	switch {
	case hasType(p["type"], "MerkleProof2019"):
		return true
	case hasType(p["type"], "DataIntegrityProof"):
		return p["cryptosuite"] == "merkle-proof-2019"
	case hasType(p["type"], "ChainedProof2021"):
		return p["chainedProofType"] == "MerkleProof2019"
	}
	return false
}

func hasType(t any, want string) bool {
	switch v := t.(type) {
	case string:
		return v == want
	case []any:
		for _, x := range v {
			if x == want {
				return true
			}
		}
	}
	return false
}

func hash32(what, s string) ([32]byte, error) {
	var h [32]byte
	if len(s) != 64 {
		return h, fmt.Errorf("%w: %s: want 64 hex digits, got %d characters", ErrMalformed, what, len(s))
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return h, fmt.Errorf("%w: %s: %v", ErrMalformed, what, err)
	}
	return h, nil
}

func isHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil
}
