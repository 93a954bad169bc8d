package ecdsasd

import "github.com/multiformats/go-multibase"

func base58(b []byte) string {
	s, err := multibase.Encode(multibase.Base58BTC, b)
	if err != nil {
		panic(err) // a known encoding
	}
	return s[1:]
}

func unbase58(s string) ([]byte, error) {
	_, b, err := multibase.Decode("z" + s)
	return b, err
}
