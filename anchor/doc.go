// Package anchor names and reads back the chain transactions that anchor
// badge batches.
//
// A [Ref] is a blink URI: blink:eth:<network>:0x<txhash>,
// blink:btc:<mainnet|testnet|regtest>:<txid>, blink:ledger:<ledger-id>:<seq>,
// or Blockcerts' blink:mocknet test anchors. A [Record] is what the chain
// holds for it: the anchored root, the block time, the confirmations and the
// sender, which a verifier compares with the issuer.
//
// [Resolver] reads records and [Publisher] writes roots; both are
// one-method interfaces with a context. Implementations: anchor/ledger (the
// embedded append-only ledger) and anchor/ethereum (any EVM chain over
// JSON-RPC). [Mux] dispatches by chain and network, and [Cache] sits in
// front of any Resolver so that a thousand badges of one batch ask the chain
// once. Resolvers wrap [ErrNotFound], [ErrCorrupt] and [ErrChainMismatch]
// (the anchor is wrong: a verifier fails the badge) or [ErrUnavailable] and
// [ErrUnsupported] (the anchor could not be checked: indeterminate).
package anchor
