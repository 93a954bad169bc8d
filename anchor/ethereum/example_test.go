package ethereum_test

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"

	"github.com/badgeproof/badgeproof/anchor"
	"github.com/badgeproof/badgeproof/anchor/ethereum"
)

func ExampleAddressFromPublicKey() {
	b, _ := hex.DecodeString("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")
	key := secp256k1.PrivKeyFromBytes(b)
	fmt.Println(ethereum.AddressFromPublicKey(key.PubKey()))
	// Output: 0x2c7536e3605d9c16a7a3d7b1898e529396a65c23
}

func ExampleNetwork() {
	fmt.Println(ethereum.Network(1), ethereum.Network(11155111), ethereum.Network(1337))
	id, _ := ethereum.ChainID("sepolia")
	fmt.Println(id)
	// Output:
	// mainnet sepolia 1337
	// 11155111
}

func ExampleResolver_Resolve() {
	r, err := ethereum.NewResolver("mainnet", []string{"https://node.example.org"},
		ethereum.WithMinConfirmations(12))
	if err != nil {
		fmt.Println(err)
		return
	}
	ref, err := anchor.ParseRef("blink:eth:mainnet:0x" +
		"5a5b0a1f7c3c7dbb1b5ff6f6e2cba2a14e4bba14e2c8e1cc62e77fe3b9d36f5a")
	if err != nil {
		fmt.Println(err)
		return
	}
	rec, err := r.Resolve(context.Background(), ref)
	switch {
	case errors.Is(err, anchor.ErrNotFound):
		fmt.Println("not anchored:", err)
	case err != nil:
		fmt.Println("cannot tell now:", err)
	default:
		fmt.Printf("root %x sent by %s at %v, %d confirmations\n", rec.Root, rec.Sender, rec.Time, rec.Confirmations)
	}
}
