package ethereum

import (
	"context"
	"math/big"
	"testing"
)

func BenchmarkSignTransaction(b *testing.B) {
	key := mustKey(b)
	tx := &dynamicFeeTx{
		chainID: 1, nonce: 7, tipCap: big.NewInt(1e9), feeCap: big.NewInt(3e10), gas: 22280,
		to: make([]byte, 20), value: new(big.Int), data: make([]byte, 32),
	}
	for b.Loop() {
		tx.sign(key)
	}
}

// BenchmarkResolve measures one resolution against a canned local
// JSON-RPC server: six requests over loopback HTTP.
func BenchmarkResolve(b *testing.B) {
	f := newFakeNode()
	r, err := NewResolver("1337", []string{f.serve(b)})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for b.Loop() {
		if _, err := r.Resolve(ctx, cannedRef); err != nil {
			b.Fatal(err)
		}
	}
}
