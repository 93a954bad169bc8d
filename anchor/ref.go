package anchor

import (
	"fmt"
	"strings"
)

// Chains named in blink URIs.
const (
	ChainEthereum = "eth"
	ChainBitcoin  = "btc"
	ChainLedger   = "ledger"
	// ChainMock is Blockcerts' "mocknet": a test anchor that was never
	// written to any chain. A verifier reports it as not anchored.
	ChainMock = "mocknet"
)

// Ref names one anchor: a blink URI such as
// blink:eth:sepolia:0x<txhash>, blink:btc:testnet:<txid> or
// blink:ledger:<ledger-id>:<sequence>.
type Ref struct {
	Chain   string // "eth", "btc", "ledger", "mocknet"
	Network string // "mainnet", "sepolia", a chain id such as "1337", "testnet", "regtest", or a ledger id
	ID      string // transaction hash (eth: 0x-prefixed lower-case hex), txid, or ledger sequence number
}

// String formats the Ref as a blink URI.
func (r Ref) String() string {
	return "blink:" + r.Chain + ":" + r.Network + ":" + r.ID
}

// ParseRef parses a blink URI. It accepts the chains eth, btc, ledger and
// mocknet and checks the shape of the identifier for each (mocknet: any
// non-empty network, any identifier, possibly empty).
func ParseRef(s string) (Ref, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 4 || parts[0] != "blink" {
		return Ref{}, fmt.Errorf("%w: %q: want blink:<chain>:<network>:<id>", ErrInvalidRef, s)
	}
	r := Ref{Chain: parts[1], Network: parts[2], ID: parts[3]}
	if r.Chain == ChainMock && r.Network != "" {
		// Blockcerts writes free text for a mocknet network and identifier
		// and may leave the identifier out; they carry no meaning and are
		// kept as written.
		return r, nil
	}
	if r.Network == "" || r.ID == "" {
		return Ref{}, fmt.Errorf("%w: %q: empty network or id", ErrInvalidRef, s)
	}
	switch r.Chain {
	case ChainEthereum:
		id := strings.ToLower(r.ID)
		if !strings.HasPrefix(id, "0x") || len(id) != 66 || !isHex(id[2:]) {
			return Ref{}, fmt.Errorf("%w: %q: ethereum id must be 0x and 64 hex digits", ErrInvalidRef, s)
		}
		r.ID = id
	case ChainBitcoin:
		switch r.Network {
		case "mainnet", "testnet", "regtest":
		default:
			return Ref{}, fmt.Errorf("%w: %q: bitcoin network must be mainnet, testnet or regtest", ErrInvalidRef, s)
		}
		id := strings.ToLower(r.ID)
		if len(id) != 64 || !isHex(id) {
			return Ref{}, fmt.Errorf("%w: %q: bitcoin txid must be 64 hex digits", ErrInvalidRef, s)
		}
		r.ID = id
	case ChainLedger:
		for _, c := range r.ID {
			if c < '0' || c > '9' {
				return Ref{}, fmt.Errorf("%w: %q: ledger sequence must be a decimal number", ErrInvalidRef, s)
			}
		}
		if len(r.ID) > 1 && r.ID[0] == '0' {
			return Ref{}, fmt.Errorf("%w: %q: ledger sequence has leading zeros", ErrInvalidRef, s)
		}
	default:
		return Ref{}, fmt.Errorf("%w: %q: unknown chain %q", ErrInvalidRef, s, r.Chain)
	}
	return r, nil
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
