// Package blockcerts checks the parts of a Blockcerts certificate that need
// no blockchain: it recomputes the target hash of a v3 MerkleProof2019 (or
// DataIntegrityProof / merkle-proof-2019, or ChainedProof2021 over
// MerkleProof2019) proof or a v2 MerkleProof2017 receipt, walks the Merkle
// path to the root, and returns the anchors the caller must look up on a
// chain. It also parses Blockcerts issuer profiles so that the caller can
// check an anchor's sender and time against the issuer's key windows.
//
// # Target hash
//
// The target hash is SHA-256 of the RDFC-1.0 (URDNA2015) canonical N-Quads
// of the certificate as it was anchored:
//
//   - v3: without the proof under test; the proofs that precede it in the
//     proof set stay (a MerkleProof2019 anchored after an issuer signature
//     commits to that signature), those after it are removed.
//   - v2: without the "signature" receipt.
//
// {"@vocab": "http://fallback.org/"} is appended to @context unless the
// document already declares a top-level @vocab, and any quad that uses the
// fallback vocabulary fails the check ([rdfc.ErrFallbackVocab]): a property
// that no context defines would otherwise vanish from the hash unprotected.
//
// # Test anchors
//
// Blockcerts "mocknet" (v2 "mockchain") anchors are returned as anchor.Refs
// with Chain [anchor.ChainMock]; [Result.MockOnly] reports a proof anchored
// nowhere else. Whether to accept them is the caller's policy.
package blockcerts
