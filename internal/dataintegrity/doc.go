// Package dataintegrity implements the W3C Data Integrity cryptosuites this
// SDK signs and verifies with, over JCS:
//
//   - eddsa-jcs-2022: Ed25519 over SHA-256(JCS(proof config)) || SHA-256(JCS(document)).
//   - ecdsa-jcs-2019: ECDSA over the same construction with SHA-256 (P-256) or
//     SHA-384 (P-384); the signature is raw r||s. With a secp256k1 Multikey
//     (SHA-256) it is this SDK's documented secp256k1 profile of the suite.
//
// The proof configuration is the proof without proofValue; when the document
// has an @context the proof carries the same @context. The document hashed is
// the credential without its proof member. ECDSA signing is deterministic
// (RFC 6979); verification accepts high-S signatures, as the W3C vectors
// require.
package dataintegrity
