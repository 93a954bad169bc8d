// Package proofvalue encodes and decodes the proofValue of a Blockcerts
// MerkleProof2019 proof, which this SDK's DataIntegrityProof
// merkle-jcs-2026 uses unchanged.
//
// # Wire format
//
// A proofValue is multibase base58btc ('z' prefix) of one CBOR array of
// [key, value] pairs:
//
//	0 merkleRoot   wrapped hash
//	1 targetHash   wrapped hash
//	2 anchors      array of anchors
//	3 path         array of [0 (left) | 1 (right), wrapped hash]
//
// A "wrapped" value is a CBOR byte string holding one more encoded CBOR
// item. A wrapped hash holds either a 32-byte byte string or a 64-character
// hex text string; both occur in published Blockcerts certificates and
// both are accepted. [Encode] writes the byte-string form.
//
// An anchor is an array [[0, chain], [1, network], [2, id]]:
//
//   - chain: 0 btc, 1 eth, -1 mocknet (Blockcerts' numbers). Chains without
//     a Blockcerts number, such as this SDK's "ledger", are written as a
//     plain text string with their blink name.
//   - network: an integer (btc: 1 mainnet, 2 regtest, 3 testnet; eth:
//     1 mainnet, 3 ropsten, 4 rinkeby, 5 goerli, 11155111 sepolia, any
//     other number is an EVM chain id and is kept as its decimal string) or
//     a wrapped text string (a ledger id, or the free text Blockcerts
//     writes for mocknet).
//   - id: a wrapped text string (a transaction hash, with "0x" for eth, or
//     a ledger sequence), or a wrapped byte string (turned into lower-case
//     hex). Blockcerts leaves it out of mocknet anchors; the Ref's ID is then
//     empty, and an empty mocknet ID is left out when encoding.
//
// Decoded anchors are [anchor.Ref] values that pass [anchor.ParseRef].
//
// # Strictness
//
// [Decode] checks the shape before anyone hashes anything: at most
// [MaxLen] characters of input, no trailing bytes, no CBOR tags or
// indefinite lengths, every key present exactly once, unknown keys rejected
// (a field this package does not understand could change the meaning of
// the proof, so it is refused rather than ignored), hashes exactly 32
// bytes, a path of at most [merkle.MaxPathLen] steps, one to [MaxAnchors]
// anchors. Every error wraps [ErrMalformed].
package proofvalue
