package keys

import (
	"encoding/hex"
	"fmt"

	"golang.org/x/crypto/sha3"
)

// EthereumAddress returns the Ethereum address of a secp256k1 key (0x and
// 40 lower-case hex digits): the last 20 bytes of the Keccak-256 hash of
// the uncompressed point. Anchoring transactions signed with this key come
// from that address. Other key types have no Ethereum address.
func (p *PublicKey) EthereumAddress() (string, error) {
	if p.typ != Secp256k1 {
		return "", fmt.Errorf("%w: a %s key has no Ethereum address", ErrUnsupported, p.typ)
	}
	h := sha3.NewLegacyKeccak256()
	h.Write(p.k1.SerializeUncompressed()[1:])
	return "0x" + hex.EncodeToString(h.Sum(nil)[12:]), nil
}
