package proofvalue_test

import (
	"crypto/sha256"
	"fmt"

	"github.com/badgeproof/badgeproof/anchor"
	"github.com/badgeproof/badgeproof/internal/merkle"
	"github.com/badgeproof/badgeproof/internal/proofvalue"
)

func Example() {
	leaves := [][32]byte{sha256.Sum256([]byte("badge-1")), sha256.Sum256([]byte("badge-2"))}
	tree, _ := merkle.Build(leaves)
	path, _ := tree.Path(1)

	s, err := proofvalue.Encode(&proofvalue.MerkleProof{
		MerkleRoot: tree.Root(),
		TargetHash: leaves[1],
		Path:       path,
		Anchors:    []anchor.Ref{{Chain: anchor.ChainLedger, Network: "4f1c0a9e2b7d44d1a0b2c3d4e5f60718", ID: "7"}},
	})
	if err != nil {
		panic(err)
	}

	p, err := proofvalue.Decode(s)
	if err != nil {
		panic(err)
	}
	fmt.Println(s[:1], p.Anchors[0])
	fmt.Println(merkle.VerifyPath(p.TargetHash, p.Path, p.MerkleRoot))
	// Output:
	// z blink:ledger:4f1c0a9e2b7d44d1a0b2c3d4e5f60718:7
	// <nil>
}
