package ethereum

import (
	"encoding/hex"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
)

func mustKey(t testing.TB) *secp256k1.PrivateKey {
	k, err := secp256k1.GeneratePrivateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestAddressFromPublicKey(t *testing.T) {
	for _, tc := range []struct{ priv, addr string }{
		// The key and address used in the Web3 Secret Storage and
		// eth-account documentation.
		{"4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318", "0x2c7536e3605d9c16a7a3d7b1898e529396a65c23"},
		// Private key 1: the generator point.
		{"0000000000000000000000000000000000000000000000000000000000000001", "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf"},
	} {
		b, _ := hex.DecodeString(tc.priv)
		key := secp256k1.PrivKeyFromBytes(b)
		if got := AddressFromPublicKey(key.PubKey()); got != tc.addr {
			t.Errorf("key %s: address %s, want %s", tc.priv, got, tc.addr)
		}
	}
}

func TestKeccak256(t *testing.T) {
	// Keccak-256 of the empty string, as used for Ethereum's empty code hash.
	if got := hex.EncodeToString(keccak256(nil)); got != "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470" {
		t.Fatalf("keccak256(\"\") = %s", got)
	}
}
