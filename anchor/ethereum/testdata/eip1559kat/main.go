// Command eip1559kat computed the expected values of TestSignKnownAnswer
// (tx_kat_test.go) with go-ethereum, an implementation independent of this
// package. It is kept for provenance and is not part of the module (go
// ignores testdata). To run it:
//
//	mkdir /tmp/kat && cp main.go /tmp/kat && cd /tmp/kat
//	go mod init kat && go get github.com/ethereum/go-ethereum@v1.17.10 && go mod tidy && go run .

package main

import (
	"encoding/hex"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

func main() {
	type vec struct {
		priv    string
		chainID int64
		nonce   uint64
		tip     *big.Int
		feeCap  *big.Int
		gas     uint64
		data    string
	}
	root := make([]byte, 32)
	for i := range root {
		root[i] = byte(i)
	}
	for _, v := range []vec{
		{"4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318", 11155111, 7, big.NewInt(1_500_000_000), big.NewInt(30_000_000_000), 21512, hex.EncodeToString(root)},
		{"0000000000000000000000000000000000000000000000000000000000000001", 1337, 0, big.NewInt(0), big.NewInt(875_000_000), 21016, "01"},
		{"0000000000000000000000000000000000000000000000000000000000000001", 1337, 1, big.NewInt(0), big.NewInt(875_000_000), 21016, "01"},
		{"0000000000000000000000000000000000000000000000000000000000000001", 1337, 2, big.NewInt(0), big.NewInt(875_000_000), 21016, "01"},
		{"0000000000000000000000000000000000000000000000000000000000000001", 1337, 3, big.NewInt(0), big.NewInt(875_000_000), 21016, "01"},
	} {
		key, err := crypto.HexToECDSA(v.priv)
		if err != nil {
			panic(err)
		}
		from := crypto.PubkeyToAddress(key.PublicKey)
		data, _ := hex.DecodeString(v.data)
		tx := types.NewTx(&types.DynamicFeeTx{
			ChainID:   big.NewInt(v.chainID),
			Nonce:     v.nonce,
			GasTipCap: v.tip,
			GasFeeCap: v.feeCap,
			Gas:       v.gas,
			To:        &from,
			Value:     big.NewInt(0),
			Data:      data,
		})
		signer := types.NewLondonSigner(big.NewInt(v.chainID))
		stx, err := types.SignTx(tx, signer, key)
		if err != nil {
			panic(err)
		}
		raw, err := stx.MarshalBinary()
		if err != nil {
			panic(err)
		}
		sender, err := types.Sender(signer, stx)
		if err != nil {
			panic(err)
		}
		vv, r, s := stx.RawSignatureValues()
		fmt.Printf("key %s chain %d nonce %d tip %s feeCap %s gas %d to %s data %s\n", v.priv, v.chainID, v.nonce, v.tip, v.feeCap, v.gas, common.Address(from).Hex(), v.data)
		fmt.Printf("  sighash %x\n", signer.Hash(tx).Bytes())
		fmt.Printf("  raw     %x\n", raw)
		fmt.Printf("  hash    %s\n", stx.Hash().Hex())
		fmt.Printf("  sender  %s\n", sender.Hex())
		fmt.Printf("  v %s r %064x s %064x\n", vv, r, s)
	}
}
