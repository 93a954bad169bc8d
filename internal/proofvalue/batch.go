package proofvalue

import (
	"bytes"

	"github.com/fxamacker/cbor/v2"

	"github.com/badgeproof/badgeproof/anchor"
	"github.com/badgeproof/badgeproof/internal/bufpool"
	"github.com/badgeproof/badgeproof/internal/merkle"
)

// BatchEncoder writes the proofValues of one batch, whose badges share the
// Merkle root and the anchors: it gives the bytes Encode gives, but the
// parts of the CBOR item every badge shares are encoded once, by the CBOR
// library, and each badge's item is those parts with its target hash and
// path steps set in. It is safe for concurrent use.
type BatchEncoder struct {
	head   []byte    // the item up to the target hash's 32 bytes
	middle []byte    // from after the target hash to the path's array header
	array  [][]byte  // the array header of a path of n steps, by n
	step   [2][]byte // a step up to its hash's 32 bytes, by side (0: left)
}

// NewBatchEncoder prepares the proofValues of a batch with root and
// anchors.
func NewBatchEncoder(root [32]byte, anchors []anchor.Ref) (*BatchEncoder, error) {
	// A template with a target hash and a one-step path that occur
	// nowhere else in the item, cut where they are.
	var target, hash [32]byte
	for i := range target {
		target[i], hash[i] = 0xa5, 0x5a
	}
	if target == root || hash == root {
		target[0], hash[0] = 0x3c, 0xc3
	}
	raw, err := encodeRaw(&MerkleProof{MerkleRoot: root, TargetHash: target, Anchors: anchors, Path: []merkle.Step{{Left: true, Hash: hash}}})
	if err != nil {
		return nil, err
	}
	t := bytes.Index(raw, target[:])
	if t < 0 || bytes.Count(raw, target[:]) != 1 {
		return nil, malformed("batch template: target hash not found once")
	}
	e := &BatchEncoder{head: raw[:t:t]}
	step0 := wrapStep(true, hash)
	s := bytes.LastIndex(raw, step0)
	if s < 0 || !bytes.HasSuffix(raw, step0) {
		return nil, malformed("batch template: path step not found at the end")
	}
	header, err := arrayHeader(1)
	if err != nil {
		return nil, err
	}
	m := s - len(header)
	if m < t+32 || !bytes.Equal(raw[m:s], header) {
		return nil, malformed("batch template: path array header not found")
	}
	e.middle = raw[t+32 : m : m]
	for side, left := range []bool{true, false} {
		w := wrapStep(left, hash)
		e.step[side] = w[: len(w)-32 : len(w)-32]
	}
	e.array = make([][]byte, merkle.MaxPathLen+1)
	for n := range e.array {
		if e.array[n], err = arrayHeader(n); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// wrapStep is the CBOR encoding of one path step, as Encode writes it.
func wrapStep(left bool, h [32]byte) []byte {
	side := uint64(1)
	if left {
		side = 0
	}
	b, err := cbor.Marshal([]any{side, wrap(h[:])})
	if err != nil {
		panic(err) // an unsigned integer and a byte string always encode
	}
	return b
}

// arrayHeader is the CBOR header of an array of n items.
func arrayHeader(n int) ([]byte, error) {
	b, err := cbor.Marshal(make([]struct{}, n))
	if err != nil {
		return nil, malformed("cbor: %v", err)
	}
	// Each empty struct encodes as an empty map: one byte.
	return b[: len(b)-n : len(b)-n], nil
}

// Encode writes the proofValue of the badge whose leaf is target and
// whose inclusion path is path: Encode(&MerkleProof{root, target,
// anchors, path}) for the batch's root and anchors.
func (e *BatchEncoder) Encode(target [32]byte, path []merkle.Step) (string, error) {
	if len(path) > merkle.MaxPathLen {
		return "", malformed("path: %d steps, at most %d", len(path), merkle.MaxPathLen)
	}
	size := len(e.head) + 32 + len(e.middle) + len(e.array[len(path)]) + len(path)*(len(e.step[0])+32)
	raw := append(bufpool.Get(size), e.head...)
	raw = append(raw, target[:]...)
	raw = append(raw, e.middle...)
	raw = append(raw, e.array[len(path)]...)
	for _, s := range path {
		if s.Left {
			raw = append(raw, e.step[0]...)
		} else {
			raw = append(raw, e.step[1]...)
		}
		raw = append(raw, s.Hash[:]...)
	}
	defer bufpool.Put(raw) // encoded, not kept
	return encodeMultibase(raw)
}
