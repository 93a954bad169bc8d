package anchor_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/badgeproof/badgeproof/anchor"
)

// A blink URI names the transaction that anchors a batch.
func ExampleParseRef() {
	ref, err := anchor.ParseRef("blink:eth:sepolia:0xD6F1F0F3A9B1E6D1C1C0F2E5B9A8C7D6E5F4A3B2C1D0E9F8A7B6C5D4E3F2A1B0")
	if err != nil {
		panic(err)
	}
	fmt.Println(ref.Chain, ref.Network)
	fmt.Println(ref)
	_, err = anchor.ParseRef("blink:eth:sepolia:0x1234")
	fmt.Println(errors.Is(err, anchor.ErrInvalidRef))
	// Output:
	// eth sepolia
	// blink:eth:sepolia:0xd6f1f0f3a9b1e6d1c1c0f2e5b9a8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0
	// true
}

// A Mux sends each anchor to the resolver of its chain; an anchor on a chain
// nobody configured cannot be checked.
func ExampleMux() {
	mux := &anchor.Mux{}
	ref, _ := anchor.ParseRef("blink:btc:mainnet:" + "4b0f3a9c2d1e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a")
	_, err := mux.Resolve(context.Background(), ref)
	fmt.Println(errors.Is(err, anchor.ErrUnsupported))
	// Output:
	// true
}
