package batchproof

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/canon"
)

// Cryptosuite is the cryptosuite name of this SDK's batch proof, used with
// proof type DataIntegrityProof.
const Cryptosuite = "merkle-jcs-2026"

// Document returns the members a merkle-jcs-2026 proof at index i of c's
// proof set commits to: c without its proof member, and with the proofs
// before index i (as an array) when i > 0. i may equal len(c.Proofs): that
// is the document a proof about to be appended commits to.
func Document(c *badge.Credential, i int) (map[string]json.RawMessage, error) {
	if i < 0 || i > len(c.Proofs) {
		return nil, fmt.Errorf("batchproof: proof index %d out of range 0..%d", i, len(c.Proofs))
	}
	doc := c.Unsigned()
	if i > 0 {
		prev := make([]json.RawMessage, i)
		for j := range prev {
			prev[j] = c.Proofs[j].Raw()
		}
		b, err := json.Marshal(prev)
		if err != nil {
			return nil, fmt.Errorf("batchproof: proofs before index %d: %w", i, err)
		}
		doc["proof"] = b
	}
	return doc, nil
}

// LeafHash is SHA-256 of the JCS form of members.
func LeafHash(members map[string]json.RawMessage) ([32]byte, error) {
	b, err := canon.JCSMembers(members)
	if err != nil {
		return [32]byte{}, fmt.Errorf("batchproof: %w", err)
	}
	return sha256.Sum256(b), nil
}

// Leaf is the Merkle leaf of a merkle-jcs-2026 proof at index i of c's
// proof set: LeafHash(Document(c, i)).
func Leaf(c *badge.Credential, i int) ([32]byte, error) {
	doc, err := Document(c, i)
	if err != nil {
		return [32]byte{}, err
	}
	return LeafHash(doc)
}
