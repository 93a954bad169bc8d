package proofvalue

import (
	"math/rand/v2"
	"testing"

	"github.com/badgeproof/badgeproof/anchor"
	"github.com/badgeproof/badgeproof/internal/merkle"
)

// A BatchEncoder writes exactly what Encode writes, for paths of every
// length and several kinds of anchor.
func TestBatchEncoderMatchesEncode(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	hash := func() (h [32]byte) {
		for i := range h {
			h[i] = byte(rng.IntN(256))
		}
		return h
	}
	var anchorSets [][]anchor.Ref
	for _, uris := range [][]string{
		{"blink:ledger:0f3a:17"},
		{"blink:eth:sepolia:0x" + "ab12000000000000000000000000000000000000000000000000000000000000"},
		{"blink:eth:1337:0x" + "cd34000000000000000000000000000000000000000000000000000000000000", "blink:ledger:abc:1"},
		{"blink:btc:testnet:" + "ef56000000000000000000000000000000000000000000000000000000000000"},
	} {
		var refs []anchor.Ref
		for _, u := range uris {
			r, err := anchor.ParseRef(u)
			if err != nil {
				t.Fatal(err)
			}
			refs = append(refs, r)
		}
		anchorSets = append(anchorSets, refs)
	}
	for _, anchors := range anchorSets {
		root := hash()
		e, err := NewBatchEncoder(root, anchors)
		if err != nil {
			t.Fatal(err)
		}
		for n := 0; n <= merkle.MaxPathLen; n++ {
			for range 3 {
				target := hash()
				path := make([]merkle.Step, n)
				for i := range path {
					path[i] = merkle.Step{Left: rng.IntN(2) == 0, Hash: hash()}
				}
				want, err := Encode(&MerkleProof{MerkleRoot: root, TargetHash: target, Anchors: anchors, Path: path})
				if err != nil {
					t.Fatal(err)
				}
				got, err := e.Encode(target, path)
				if err != nil {
					t.Fatal(err)
				}
				if got != want {
					t.Fatalf("%v, %d steps: BatchEncoder and Encode differ", anchors, n)
				}
			}
		}
	}
	e, err := NewBatchEncoder([32]byte{}, anchorSets[0])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Encode([32]byte{}, make([]merkle.Step, merkle.MaxPathLen+1)); err == nil {
		t.Fatal("a path longer than MaxPathLen was encoded")
	}
	if _, err := NewBatchEncoder([32]byte{}, nil); err == nil {
		t.Fatal("a batch without anchors was accepted")
	}
}

// BenchmarkBatchEncoder compares a batch proof of a 20-step path (a batch
// of a million badges) written by Encode and by a BatchEncoder.
func BenchmarkBatchEncoder(b *testing.B) {
	ref, err := anchor.ParseRef("blink:ledger:0f3a:17")
	if err != nil {
		b.Fatal(err)
	}
	var root, target [32]byte
	root[0], target[0] = 1, 2
	path := make([]merkle.Step, 20)
	for i := range path {
		path[i].Hash[0], path[i].Left = byte(i), i%2 == 0
	}
	b.Run("Encode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Encode(&MerkleProof{MerkleRoot: root, TargetHash: target, Anchors: []anchor.Ref{ref}, Path: path}); err != nil {
				b.Fatal(err)
			}
		}
	})
	e, err := NewBatchEncoder(root, []anchor.Ref{ref})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("BatchEncoder", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := e.Encode(target, path); err != nil {
				b.Fatal(err)
			}
		}
	})
}
