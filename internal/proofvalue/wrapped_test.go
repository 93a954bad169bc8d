package proofvalue

import (
	"bytes"
	"testing"

	"github.com/fxamacker/cbor/v2"
)

// wrappedHash reads a byte string of 32 bytes without the decoder exactly
// as the decoder reads it, and leaves every other wrapping to it.
func TestWrappedHashShortcut(t *testing.T) {
	h := bytes.Repeat([]byte{0xab}, 32)
	wrapped, err := cbor.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	if len(wrapped) != 34 || wrapped[0] != 0x58 || wrapped[1] != 32 {
		t.Fatalf("a 32-byte string encodes as %x", wrapped)
	}
	got, err := wrappedHash(wrapped)
	if err != nil || !bytes.Equal(got[:], h) {
		t.Fatalf("wrappedHash = %x, %v", got, err)
	}
	inner, err := unwrap(wrapped)
	if b, ok := inner.([]byte); err != nil || !ok || !bytes.Equal(b, h) {
		t.Fatalf("the decoder reads %v, %v", inner, err)
	}
	// Near misses go to the decoder.
	for _, bad := range [][]byte{
		append(append([]byte{0x58, 32}, h...), 0x00), // trailing data
		append([]byte{0x58, 31}, h[:31]...),          // 31 bytes
		append([]byte{0x78, 32}, h...),               // a text string of 32 bytes (not 64 hex digits)
	} {
		if _, err := wrappedHash(bad); err == nil {
			t.Errorf("wrappedHash(%x) accepted", bad)
		}
	}
	// A longer length field than needed is the decoder's to read as it does.
	long := append([]byte{0x59, 0, 32}, h...)
	got, err = wrappedHash(long)
	if inner, derr := unwrap(long); (err == nil) != (derr == nil) || err == nil && !bytes.Equal(inner.([]byte), got[:]) {
		t.Errorf("wrappedHash(%x) = %x, %v; the decoder: %v, %v", long, got, err, inner, derr)
	}
}
