package rlp

import (
	"bytes"
	"encoding/hex"
	"math/big"
	"strings"
	"testing"
)

// Examples from the RLP section of the Ethereum documentation and the
// Yellow Paper.
func TestSpecExamples(t *testing.T) {
	lorem := "Lorem ipsum dolor sit amet, consectetur adipisicing elit"
	set3 := List(
		List(),
		List(List()),
		List(List(), List(List())),
	)
	tests := []struct {
		name string
		got  []byte
		want string
	}{
		{"dog", String("dog"), "83646f67"},
		{"cat dog list", List(String("cat"), String("dog")), "c88363617483646f67"},
		{"empty string", String(""), "80"},
		{"empty list", List(), "c0"},
		{"integer 0", Uint(0), "80"},
		{"byte 0x00", Bytes([]byte{0}), "00"},
		{"byte 0x0f", Bytes([]byte{0x0f}), "0f"},
		{"bytes 0x0400", Bytes([]byte{0x04, 0x00}), "820400"},
		{"integer 15", Uint(15), "0f"},
		{"integer 1024", Uint(1024), "820400"},
		{"set theoretical three", set3, "c7c0c1c0c3c0c1c0"},
		{"56-byte string", String(lorem), "b838" + hex.EncodeToString([]byte(lorem))},
		{"big 1024", Big(big.NewInt(1024)), "820400"},
		{"big nil", Big(nil), "80"},
		{"uint max", Uint(^uint64(0)), "88ffffffffffffffff"},
	}
	for _, tc := range tests {
		if got := hex.EncodeToString(tc.got); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestLongList(t *testing.T) {
	// 60 one-byte items: payload 60 bytes, so a long-list header f8 3c.
	items := make([][]byte, 60)
	for i := range items {
		items[i] = Uint(1)
	}
	got := List(items...)
	want := append([]byte{0xf8, 60}, bytes.Repeat([]byte{1}, 60)...)
	if !bytes.Equal(got, want) {
		t.Fatalf("got %x, want %x", got, want)
	}
	// A 1024-byte string has a two-byte length.
	s := strings.Repeat("a", 1024)
	enc := String(s)
	if !bytes.Equal(enc[:3], []byte{0xb9, 0x04, 0x00}) || len(enc) != 1027 {
		t.Fatalf("long string header %x, length %d", enc[:3], len(enc))
	}
}

func TestBigNegativePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("Big(-1) did not panic")
		}
	}()
	Big(big.NewInt(-1))
}
