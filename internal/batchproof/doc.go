// Package batchproof defines what a merkle-jcs-2026 batch proof commits to,
// so that the issuer that builds the proof and the verifier that checks it
// hash exactly the same bytes.
//
// A merkle-jcs-2026 proof at index i of a credential's proof set commits to
// the credential without its proof member, plus — when i > 0 — a proof
// member holding the proofs before it, as an array, in order. So a badge
// signed first and then anchored commits to its signature too, as in
// Blockcerts. The leaf of the Merkle tree is SHA-256 of the RFC 8785 (JCS)
// form of that document ([Leaf]).
package batchproof
