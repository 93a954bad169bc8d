// Package multikey encodes and decodes the public and secret keys this SDK
// signs and verifies with — Ed25519, P-256, P-384 and secp256k1 — as
// Multikey strings (multibase base58btc of a multicodec-prefixed key, public
// points compressed) and as did:key identifiers.
//
// Codes (multicodec table): ed25519-pub 0xed, p256-pub 0x1200, p384-pub
// 0x1201, secp256k1-pub 0xe7; ed25519-priv 0x1300, p256-priv 0x1306,
// p384-priv 0x1307, secp256k1-priv 0x1301.
package keys
