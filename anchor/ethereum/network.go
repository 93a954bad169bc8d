package ethereum

import (
	"fmt"
	"strconv"
)

// Chain ids of the networks that have names in blink URIs.
const (
	ChainIDMainnet uint64 = 1
	ChainIDSepolia uint64 = 11155111
)

// Network names a chain id the way a blink URI does: "mainnet" for 1,
// "sepolia" for 11155111, and the decimal chain id for any other chain
// (for example "1337" for a geth development node).
func Network(chainID uint64) string {
	switch chainID {
	case ChainIDMainnet:
		return "mainnet"
	case ChainIDSepolia:
		return "sepolia"
	}
	return strconv.FormatUint(chainID, 10)
}

// ChainID returns the chain id a blink URI network names: 1 for "mainnet",
// 11155111 for "sepolia", or the value of a decimal chain id. The decimal
// form of a named network ("1") is accepted too; zero, signs and leading
// zeros are not.
func ChainID(network string) (uint64, error) {
	switch network {
	case "mainnet":
		return ChainIDMainnet, nil
	case "sepolia":
		return ChainIDSepolia, nil
	}
	if network == "" || network[0] < '1' || network[0] > '9' {
		return 0, fmt.Errorf("ethereum: network %q: want mainnet, sepolia or a decimal chain id", network)
	}
	id, err := strconv.ParseUint(network, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("ethereum: network %q: want mainnet, sepolia or a decimal chain id", network)
	}
	return id, nil
}
