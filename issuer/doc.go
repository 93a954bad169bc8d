// Package issuer holds everything that signs: credentials with Data Integrity
// proofs ([Signer]), Merkle batches anchored on a chain, revocation status
// lists, and holders' presentations.
//
// A [Signer] signs with one key — Ed25519 (eddsa-jcs-2022), P-256 or P-384
// (ecdsa-jcs-2019), or secp256k1 (ecdsa-jcs-2019 with a secp256k1 Multikey,
// this SDK's documented extension). ECDSA signatures are deterministic
// (RFC 6979). Signing a credential that already has a proof adds to it,
// making a proof set.
package issuer
