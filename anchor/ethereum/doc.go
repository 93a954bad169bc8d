// Package ethereum reads and writes badge anchors on Ethereum and other
// EVM chains (Besu, Kaia, any chain with the standard JSON-RPC API) over
// HTTP JSON-RPC.
//
// An anchor is a transaction of zero ether whose input data is the anchored
// root (normally a 32-byte Merkle root) and whose sender is the issuer's
// anchoring address. It is named by a blink URI,
// blink:eth:<network>:0x<transaction hash>, where network is "mainnet",
// "sepolia" or a decimal chain id such as "1337".
//
// # Resolving
//
// [NewResolver] builds an [anchor.Resolver] for one chain and one or more
// endpoints. [Resolver.Resolve] checks that each endpoint serves the chain
// the URI names (eth_chainId) and is not syncing, reads the transaction,
// its receipt (a failed transaction anchors nothing), its block's time and
// the head block, and returns the root, time, sender and confirmations.
// Every doubt is an error wrapping anchor.ErrUnavailable, never a record:
// an endpoint down or slow, a pending transaction, a malformed or oversized
// reply, fewer confirmations than [WithMinConfirmations] asks, or two
// endpoints that disagree ([ErrEndpointsDisagree]). A synced node that has
// no such transaction gives anchor.ErrNotFound.
//
// With several endpoints (for example a node of your own and a provider's),
// all are asked at once and every one that answers must agree. By default
// every endpoint must answer; [WithQuorum] allows some to be unreachable.
//
// # Publishing
//
// [NewPublisher] builds an [anchor.Publisher]. With [WithKey] the SDK signs
// an EIP-1559 transaction itself with a secp256k1 key and sends it with
// eth_sendRawTransaction; the key never leaves the process. Without it the
// node signs with one of its own unlocked accounts (eth_sendTransaction;
// [WithFrom] names which). Publish waits until the transaction is mined.
// The address of a key is [AddressFromPublicKey]; list it in the trust list
// as the issuer's anchoring address. [Publisher.Find] looks for a root the
// publisher's sender anchored among the latest [FindDepth] blocks: a
// resumed issuance (issuer.Stream) asks it before anchoring a batch again.
//
// # Pointing it at a real chain
//
// Use a node you run (geth, Nethermind, Besu, Erigon, fully synced) or a
// provider's HTTPS endpoint for the network the badges name:
//
//	r, err := ethereum.NewResolver("mainnet",
//		[]string{"https://node.example.org", "https://provider.example.com/v3/KEY"},
//		ethereum.WithMinConfirmations(12))
//
// For Sepolia use "sepolia"; for another EVM chain its decimal chain id
// (Kaia mainnet: "8217"). Ask several independent endpoints when a single
// provider should not decide a verdict alone. Twelve or more confirmations
// protect against reorganisations on proof-of-stake Ethereum; a private
// Besu network with immediate finality can use 1. To publish, fund the
// anchoring key's address with enough ether for a few hundred thousand gas
// and pass the network name so that a transaction is never sent to the
// wrong chain:
//
//	p, err := ethereum.NewPublisher("sepolia", "https://node.example.org", ethereum.WithKey(key))
//	rec, err := p.Publish(ctx, merkleRoot)
//
// Endpoint URLs often carry an API key; errors name only their scheme and
// host.
//
// # Limits
//
// Each request has a timeout ([WithTimeout]), replies are capped in size
// ([WithMaxResponseBytes]), and only transport failures (no reply, HTTP
// 429, 502, 503, 504) are retried, by resty with exponential backoff
// ([WithRetries]). eth_sendTransaction and eth_sendRawTransaction are sent
// exactly once: a send whose reply was lost may still have reached the
// node. The caller's context bounds every call.
//
// # Testing
//
// Package gethtest starts a geth development node for tests; see its
// documentation for installing geth.
package ethereum
