package ledger

import (
	"bytes"
	"testing"
)

const fuzzID = "00112233445566778899aabbccddeeff"

// FuzzDecodeRecord feeds arbitrary bytes to the record decoder: it must
// never panic, and whatever it accepts must encode back to the same bytes.
func FuzzDecodeRecord(f *testing.F) {
	e := entry{seq: 0, time: 1767225600000000000, root: rootOf(1), sender: "did:example:issuer"}
	first := e.encode(fuzzID)
	f.Add(first, uint64(0))
	e2 := entry{seq: 7, time: -1, root: []byte{1}, sender: "한국", prev: e.hash}
	f.Add(e2.encode(fuzzID), uint64(7))
	f.Add(make([]byte, RecordSize), uint64(0))
	f.Add(first[:100], uint64(0))
	f.Fuzz(func(t *testing.T, b []byte, seq uint64) {
		got, err := decodeRecord(fuzzID, b, seq)
		if err != nil {
			return
		}
		if got.seq != seq || len(got.root) == 0 || len(got.root) > MaxRootLen || got.sender == "" {
			t.Fatalf("accepted a bad record: %+v", got)
		}
		if again := got.encode(fuzzID); !bytes.Equal(again, b) {
			t.Fatal("accepted record does not re-encode to its bytes")
		}
	})
}
