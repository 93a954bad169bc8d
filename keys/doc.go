// Package keys holds the keys badges are signed and verified with: Ed25519,
// P-256, P-384 and secp256k1.
//
// # Making and keeping keys
//
// [Generate] makes a new [PrivateKey]; [WriteFile] and [ReadFile] keep it in
// the key file the command-line tools use (JSON with the key type, its
// did:key and its public and secret Multikeys, readable by the owner only).
// A key also reads and writes as a Multikey ([PrivateKey.Multibase],
// [ParseSecretMultikey]) and as a JWK ([PrivateKey.JWK], [ParsePrivateJWK]).
//
// # Naming public keys
//
// A [PublicKey] is named by a did:key ([PublicKey.DID],
// [PublicKey.VerificationMethod], [ParseDIDKey]), a Multikey
// publicKeyMultibase value ([PublicKey.Multibase], [ParseMultikey]), or a
// public JWK ([PublicKey.JWK], [ParsePublicJWK]). [ParsePublicKey] accepts a
// did:key or a Multikey, the forms used on command lines and in trust lists.
// A secp256k1 key also has an Ethereum address ([PublicKey.EthereumAddress]),
// the sender of the anchoring transactions it signs.
//
// # Signing
//
// A PrivateKey is a [crypto.Signer]: Ed25519 signs the message, ECDSA keys
// sign a digest and return an ASN.1 DER signature, deterministically (RFC
// 6979). Package issuer signs badges with any crypto.Signer whose public key
// [PublicKeyFrom] accepts, so a key held in a KMS or an HSM signs the same
// way as a PrivateKey.
//
// Multicodec codes used in Multikeys: ed25519-pub 0xed, p256-pub 0x1200,
// p384-pub 0x1201, secp256k1-pub 0xe7; ed25519-priv 0x1300, p256-priv
// 0x1306, p384-priv 0x1307, secp256k1-priv 0x1301.
package keys
