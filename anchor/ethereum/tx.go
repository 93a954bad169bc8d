package ethereum

import (
	"encoding/hex"
	"math/big"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"golang.org/x/crypto/sha3"

	"github.com/badgeproof/badgeproof/anchor/ethereum/internal/rlp"
)

// AddressFromPublicKey returns the Ethereum address of a secp256k1 public
// key: the last 20 bytes of the Keccak-256 hash of the uncompressed point's
// X and Y coordinates, as 0x and 40 lower-case hex digits.
func AddressFromPublicKey(pub *secp256k1.PublicKey) string {
	return "0x" + hex.EncodeToString(addressBytes(pub))
}

func addressBytes(pub *secp256k1.PublicKey) []byte {
	return keccak256(pub.SerializeUncompressed()[1:])[12:]
}

func keccak256(parts ...[]byte) []byte {
	h := sha3.NewLegacyKeccak256()
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

// dynamicFeeTx is an EIP-1559 (type 2) transaction with an empty access
// list.
type dynamicFeeTx struct {
	chainID uint64
	nonce   uint64
	tipCap  *big.Int // maxPriorityFeePerGas
	feeCap  *big.Int // maxFeePerGas
	gas     uint64
	to      []byte // 20 bytes
	value   *big.Int
	data    []byte
}

const dynamicFeeTxType = 0x02

func (tx *dynamicFeeTx) fields() [][]byte {
	return [][]byte{
		rlp.Uint(tx.chainID),
		rlp.Uint(tx.nonce),
		rlp.Big(tx.tipCap),
		rlp.Big(tx.feeCap),
		rlp.Uint(tx.gas),
		rlp.Bytes(tx.to),
		rlp.Big(tx.value),
		rlp.Bytes(tx.data),
		rlp.List(), // access list
	}
}

// signingHash is Keccak-256(0x02 || rlp([chainId, nonce, tip, feeCap, gas,
// to, value, data, accessList])), as EIP-1559 defines.
func (tx *dynamicFeeTx) signingHash() []byte {
	return keccak256([]byte{dynamicFeeTxType}, rlp.List(tx.fields()...))
}

// sign returns the signed transaction's encoding (what
// eth_sendRawTransaction takes) and its hash.
func (tx *dynamicFeeTx) sign(key *secp256k1.PrivateKey) (raw, hash []byte) {
	// SignCompact returns [27 + recovery id][r (32)][s (32)], with s in the
	// lower half of the order as Ethereum requires.
	sig := ecdsa.SignCompact(key, tx.signingHash(), false)
	yParity := uint64(sig[0] - 27)
	r := new(big.Int).SetBytes(sig[1:33])
	s := new(big.Int).SetBytes(sig[33:65])
	fields := append(tx.fields(), rlp.Uint(yParity), rlp.Big(r), rlp.Big(s))
	raw = append([]byte{dynamicFeeTxType}, rlp.List(fields...)...)
	return raw, keccak256(raw)
}
