// Package issuer holds everything that signs: credentials with Data Integrity
// proofs ([Signer]), Merkle batches anchored on a chain, revocation status
// lists, and holders' presentations.
//
// A [Signer] signs with one key — Ed25519 (eddsa-jcs-2022), P-256 or P-384
// (ecdsa-jcs-2019), or secp256k1 (ecdsa-jcs-2019 with a secp256k1 Multikey,
// this SDK's documented extension). Signing a credential that already has a
// proof adds to it, making a proof set.
//
// # Keys in memory, in a KMS or in an HSM
//
// [NewSigner] takes any [crypto.Signer]. A [keys.PrivateKey] (made with
// keys.Generate, kept with keys.WriteFile) signs in memory, deterministically
// (RFC 6979 for ECDSA). The standard library's ed25519.PrivateKey and
// *ecdsa.PrivateKey (P-256, P-384) work as they are. A key held in a cloud
// KMS or an HSM is used through a small crypto.Signer of your own:
//
//   - Public returns the key's public key as an ed25519.PublicKey, an
//     *ecdsa.PublicKey (P-256, P-384; secp256k1 on decred's curve) or a
//     *keys.PublicKey (keys.ParseMultikey, keys.ParsePublicJWK and
//     keys.PublicKeyFrom read the forms a KMS hands out);
//   - Sign is called with the SHA-256 digest (SHA-384 for P-384) and that
//     hash in opts for ECDSA keys, and must return the ASN.1 DER signature
//     (what AWS KMS, Google Cloud KMS, Azure Key Vault's DER mode and PKCS#11
//     ECDSA mechanisms with a DER wrapper return); for Ed25519 it is called
//     with the message itself and crypto.Hash(0), and returns the 64-byte
//     signature.
//
// Each signature an external signer returns is verified with its public key
// before it goes into a badge, so a misconfigured key cannot produce badges
// that do not verify. Name the key in proofs with [WithVerificationMethod]
// when the issuer is a did:web or the key is listed in a trust list.
package issuer
