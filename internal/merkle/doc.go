// Package merkle builds Merkle trees and checks inclusion paths with the
// Blockcerts tree rules, which this SDK's merkle-jcs-2026 batch proof shares
// with MerkleProof2019.
//
// # Tree rules
//
//   - A leaf is the 32-byte SHA-256 of the canonical document. The caller
//     computes it; this package adds no prefix.
//   - An inner node is SHA-256(left || right).
//   - A node left without a partner at the end of a level is promoted to the
//     next level unchanged (it is not hashed with itself).
//
// # Paths
//
// An inclusion path lists the sibling hashes from the leaf up to the root.
// A [Step] with Left set means the sibling sits on the left, so the parent is
// SHA-256(sibling || current); otherwise it is SHA-256(current || sibling).
// Levels where the node was promoted contribute no step. Paths longer than
// [MaxPathLen] are rejected before any hashing: no tree this SDK accepts is
// deeper than 64 levels.
//
// # Use
//
// An issuer calls [Build] with the leaf hashes of a batch, anchors
// [Tree.Root] and stores [Tree.Path] for each leaf in the leaf's proof. A
// batch too large to hold its leaves in memory goes through a [Builder]:
// leaves are added in order as they are computed, the tree keeps only the
// levels above them (32 bytes per leaf in all), and [Tree.Paths] walks the
// paths in order given each leaf's sibling leaf, which the caller keeps
// (a batch issuer reads them back from its spool). A verifier calls
// [VerifyPath] (or [RootFromPath] and compares itself); a mismatch is a
// [*RootMismatchError], which matches [ErrRootMismatch] with errors.Is.
package merkle
