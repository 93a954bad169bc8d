package ethereum

import (
	"bytes"
	"encoding/hex"
	"math/big"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
)

// TestSignKnownAnswer checks the EIP-1559 signer offline against
// transactions signed by an independent implementation. Every expected
// value (signing hash, raw signed transaction, transaction hash, signature
// and sender) was computed with go-ethereum v1.17.10:
//
//	signer := types.NewLondonSigner(big.NewInt(chainID))
//	stx, _ := types.SignTx(types.NewTx(&types.DynamicFeeTx{...}), signer, key)
//	raw, _ := stx.MarshalBinary(); stx.Hash(); types.Sender(signer, stx)
//
// by the program in testdata/eip1559kat. Both implementations sign with
// RFC 6979 deterministic nonces, so the bytes are exactly reproducible.
// Every transaction is sent to its own sender with no value, as Publish
// sends them.
func TestSignKnownAnswer(t *testing.T) {
	root := make([]byte, 32)
	for i := range root {
		root[i] = byte(i)
	}
	for _, tc := range []struct {
		name                string
		priv                string
		chainID, nonce, gas uint64
		tip, feeCap         int64
		data                []byte

		sigHash, raw, hash string
		yParity            byte
		r, s, sender       string
	}{
		{
			name: "sepolia, 32-byte root", priv: "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318",
			chainID: 11155111, nonce: 7, gas: 21512, tip: 1_500_000_000, feeCap: 30_000_000_000, data: root,
			sigHash: "a028d0a85571f3a09418dd529243c7827649028dd32464af707fced300312b76",
			raw:     "02f88e83aa36a7078459682f008506fc23ac00825408942c7536e3605d9c16a7a3d7b1898e529396a65c2380a0000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1fc080a0fa43bddb34e04e39c4d1db02f9a11869886f67476ff3b2ab7353385e62e0bcb6a04c324933bb2af3f774ef26aa090292e00b4adc03c15be5328bd2f4a0c83aef4d",
			hash:    "5ed72ce00ecb4081e17dda774a4890b5193764609c30152bcf315775612a41e2",
			yParity: 0,
			r:       "fa43bddb34e04e39c4d1db02f9a11869886f67476ff3b2ab7353385e62e0bcb6",
			s:       "4c324933bb2af3f774ef26aa090292e00b4adc03c15be5328bd2f4a0c83aef4d",
			sender:  "0x2c7536e3605d9c16a7a3d7b1898e529396a65c23",
		},
		{
			name: "dev chain, zero nonce and tip, one-byte data", priv: "0000000000000000000000000000000000000000000000000000000000000001",
			chainID: 1337, nonce: 0, gas: 21016, tip: 0, feeCap: 875_000_000, data: []byte{1},
			sigHash: "3511c941f329402eeca48e0ced51e978a7d6f0019aeab29907cede5696edcf49",
			raw:     "02f868820539808084342770c0825218947e5f4552091a69125d5dfcb7b8c2659029395bdf8001c080a09913c5c89d71b781ab7acc7573d36df41a4b7d4da7123c8d10ba34d8fbdcd77aa03c22c1e5686631f8e0b8b5636046a05518370978b0414fc1c46b22f0c0ed2715",
			hash:    "9ce271e22068f5f0ef53e2f58856a229ab5d5f72e7645a98e364bf0f640dc511",
			yParity: 0,
			r:       "9913c5c89d71b781ab7acc7573d36df41a4b7d4da7123c8d10ba34d8fbdcd77a",
			s:       "3c22c1e5686631f8e0b8b5636046a05518370978b0414fc1c46b22f0c0ed2715",
			sender:  "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf",
		},
		{
			name: "dev chain, y parity 1", priv: "0000000000000000000000000000000000000000000000000000000000000001",
			chainID: 1337, nonce: 1, gas: 21016, tip: 0, feeCap: 875_000_000, data: []byte{1},
			sigHash: "ddc9969b452fb0131e60bea38774a81fe641e19e1f9342c467ce76f1cf7fd698",
			raw:     "02f868820539018084342770c0825218947e5f4552091a69125d5dfcb7b8c2659029395bdf8001c001a01c37c51f24ea171a3a6fcdbc838055f7a1e3520cf20bf0bcf34b8c261789377ca07905d613dcb70f4b89d20892dbb10b15784bba185cf9a74450feefcfba952a7f",
			hash:    "63a5dba4ce7e78a9077cc5f46c66dd2557fa49bcbe41641e4d43fc477220231c",
			yParity: 1,
			r:       "1c37c51f24ea171a3a6fcdbc838055f7a1e3520cf20bf0bcf34b8c261789377c",
			s:       "7905d613dcb70f4b89d20892dbb10b15784bba185cf9a74450feefcfba952a7f",
			sender:  "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kb, _ := hex.DecodeString(tc.priv)
			key := secp256k1.PrivKeyFromBytes(kb)
			from := AddressFromPublicKey(key.PubKey())
			if from != tc.sender {
				t.Fatalf("address %s, want %s", from, tc.sender)
			}
			to, _ := hex.DecodeString(from[2:])
			tx := &dynamicFeeTx{
				chainID: tc.chainID,
				nonce:   tc.nonce,
				tipCap:  big.NewInt(tc.tip),
				feeCap:  big.NewInt(tc.feeCap),
				gas:     tc.gas,
				to:      to,
				value:   new(big.Int),
				data:    tc.data,
			}
			if got := hex.EncodeToString(tx.signingHash()); got != tc.sigHash {
				t.Errorf("signing hash\n got %s\nwant %s", got, tc.sigHash)
			}
			raw, hash := tx.sign(key)
			if got := hex.EncodeToString(raw); got != tc.raw {
				t.Errorf("raw transaction\n got %s\nwant %s", got, tc.raw)
			}
			if got := hex.EncodeToString(hash); got != tc.hash {
				t.Errorf("transaction hash\n got %s\nwant %s", got, tc.hash)
			}

			// The sender recovered from go-ethereum's signature over our
			// signing hash is the key's address: the hash commits to the
			// same fields, and the signature is one a node accepts.
			r, _ := hex.DecodeString(tc.r)
			s, _ := hex.DecodeString(tc.s)
			compact := append(append([]byte{27 + tc.yParity}, r...), s...)
			sigHash, _ := hex.DecodeString(tc.sigHash)
			pub, compressed, err := ecdsa.RecoverCompact(compact, sigHash)
			if err != nil || compressed {
				t.Fatalf("recovering the sender: %v (compressed %v)", err, compressed)
			}
			if got := AddressFromPublicKey(pub); got != tc.sender {
				t.Errorf("recovered sender %s, want %s", got, tc.sender)
			}
			// And the signature inside our raw transaction is that one: y
			// parity, r and s are its last 67 bytes here (RLP: 0x80 for a
			// zero parity, 0x01 for one, then 0xa0 and 32 bytes each).
			parity := byte(0x80)
			if tc.yParity == 1 {
				parity = 0x01
			}
			if want := append(append([]byte{parity, 0xa0}, r...), append([]byte{0xa0}, s...)...); !bytes.HasSuffix(raw, want) {
				t.Errorf("raw transaction does not end with y parity %d, r %s, s %s", tc.yParity, tc.r, tc.s)
			}
		})
	}
}
