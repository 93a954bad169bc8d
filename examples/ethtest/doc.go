// Package ethtest runs the reference command-line tools end to end against
// a real Ethereum node: examples/issuer issues and anchors a batch of badges
// on a go-ethereum development node (geth --dev) and examples/verifier
// verifies them with --eth-rpc.
//
// It holds tests only. They build both commands, start geth through
// package gethtest, and are skipped when geth is not installed (they fail
// instead when CI=true). Install geth with
//
//	go install github.com/ethereum/go-ethereum/cmd/geth@v1.17.10
package ethtest
