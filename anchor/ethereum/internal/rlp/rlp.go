// Package rlp encodes values in Ethereum's Recursive Length Prefix format
// (Ethereum Yellow Paper, appendix B). It covers what a transaction needs:
// byte strings, unsigned integers and lists. It has no decoder: the SDK only
// writes RLP, it never parses it from untrusted input.
package rlp

import "math/big"

// Bytes encodes a byte string.
func Bytes(b []byte) []byte {
	if len(b) == 1 && b[0] < 0x80 {
		return []byte{b[0]}
	}
	return append(header(0x80, len(b)), b...)
}

// String encodes the bytes of s as a byte string.
func String(s string) []byte { return Bytes([]byte(s)) }

// Uint encodes an unsigned integer as its big-endian bytes without leading
// zeros; zero is the empty string.
func Uint(u uint64) []byte {
	var buf [8]byte
	n := 0
	for i := 7; i >= 0; i-- {
		buf[i] = byte(u)
		u >>= 8
	}
	for n < 8 && buf[n] == 0 {
		n++
	}
	return Bytes(buf[n:])
}

// Big encodes a non-negative integer like Uint. A nil value encodes as zero.
// It panics on a negative value, which has no RLP form: callers check signs
// when they read values from outside.
func Big(x *big.Int) []byte {
	if x == nil {
		return Bytes(nil)
	}
	if x.Sign() < 0 {
		panic("rlp: negative integer")
	}
	return Bytes(x.Bytes())
}

// List encodes a list whose items are already RLP-encoded.
func List(items ...[]byte) []byte {
	n := 0
	for _, it := range items {
		n += len(it)
	}
	out := header(0xc0, n)
	for _, it := range items {
		out = append(out, it...)
	}
	return out
}

// header returns the prefix for a payload of n bytes: offset is 0x80 for
// strings and 0xc0 for lists.
func header(offset byte, n int) []byte {
	if n < 56 {
		return []byte{offset + byte(n)}
	}
	var lenBytes []byte
	for v := uint64(n); v > 0; v >>= 8 {
		lenBytes = append([]byte{byte(v)}, lenBytes...)
	}
	return append([]byte{offset + 55 + byte(len(lenBytes))}, lenBytes...)
}
