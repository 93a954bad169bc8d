package ledger

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf8"
)

// Record layout: every record is RecordSize bytes, so record n starts at
// byte n*RecordSize and is read with one positioned read.
//
//	offset size
//	0      4    magic "BPL1"
//	4      8    sequence, big-endian
//	12     8    time, Unix nanoseconds, big-endian
//	20     1    root length (1..64)
//	21     64   root, zero-padded
//	85     1    sender length (1..255)
//	86     255  sender (UTF-8), zero-padded
//	341    32   hash of the previous record (zero for record 0)
//	373    107  zero
//	480    32   SHA-256(ledger id || bytes 0..480)
const (
	// RecordSize is the size of one record in the log file.
	RecordSize = 512
	// MaxRootLen is the longest root a record holds.
	MaxRootLen = 64
	// MaxSenderLen is the longest sender (issuer DID or address) a record holds.
	MaxSenderLen = 255

	offSeq       = 4
	offTime      = 12
	offRootLen   = 20
	offRoot      = 21
	offSenderLen = offRoot + MaxRootLen
	offSender    = offSenderLen + 1
	offPrev      = offSender + MaxSenderLen
	offPad       = offPrev + 32
	offHash      = RecordSize - 32
)

var magic = [4]byte{'B', 'P', 'L', '1'}

// entry is one decoded record.
type entry struct {
	seq    uint64
	time   int64
	root   []byte
	sender string
	prev   [32]byte
	hash   [32]byte
}

func checkFields(root []byte, sender string) error {
	if len(root) == 0 || len(root) > MaxRootLen {
		return fmt.Errorf("ledger: root of %d bytes, want 1 to %d", len(root), MaxRootLen)
	}
	if len(sender) == 0 || len(sender) > MaxSenderLen {
		return fmt.Errorf("ledger: sender of %d bytes, want 1 to %d", len(sender), MaxSenderLen)
	}
	if !utf8.ValidString(sender) {
		return errors.New("ledger: sender is not valid UTF-8")
	}
	return nil
}

func sealHash(id string, body []byte) [32]byte {
	h := sha256.New()
	h.Write([]byte(id))
	h.Write(body)
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// encode writes e into a RecordSize buffer and sets e.hash.
func (e *entry) encode(id string) []byte {
	b := make([]byte, RecordSize)
	copy(b, magic[:])
	binary.BigEndian.PutUint64(b[offSeq:], e.seq)
	binary.BigEndian.PutUint64(b[offTime:], uint64(e.time))
	b[offRootLen] = byte(len(e.root))
	copy(b[offRoot:], e.root)
	b[offSenderLen] = byte(len(e.sender))
	copy(b[offSender:], e.sender)
	copy(b[offPrev:], e.prev[:])
	e.hash = sealHash(id, b[:offHash])
	copy(b[offHash:], e.hash[:])
	return b
}

// decodeRecord parses and checks one record read at position seq of the
// ledger id. It checks the record's own seal and shape, not its link to
// its neighbours.
func decodeRecord(id string, b []byte, seq uint64) (entry, error) {
	var e entry
	if len(b) != RecordSize {
		return e, fmt.Errorf("record of %d bytes, want %d", len(b), RecordSize)
	}
	if !bytes.Equal(b[:4], magic[:]) {
		return e, errors.New("bad magic")
	}
	copy(e.hash[:], b[offHash:])
	if sealHash(id, b[:offHash]) != e.hash {
		return e, errors.New("checksum mismatch")
	}
	e.seq = binary.BigEndian.Uint64(b[offSeq:])
	if e.seq != seq {
		return e, fmt.Errorf("holds sequence %d at position %d", e.seq, seq)
	}
	e.time = int64(binary.BigEndian.Uint64(b[offTime:]))
	rl := int(b[offRootLen])
	sl := int(b[offSenderLen])
	if rl == 0 || rl > MaxRootLen || sl == 0 {
		return e, fmt.Errorf("root length %d, sender length %d", rl, sl)
	}
	if !allZero(b[offRoot+rl:offSenderLen]) || !allZero(b[offSender+sl:offPrev]) || !allZero(b[offPad:offHash]) {
		return e, errors.New("non-zero padding")
	}
	e.root = bytes.Clone(b[offRoot : offRoot+rl])
	e.sender = string(b[offSender : offSender+sl])
	if !utf8.ValidString(e.sender) {
		return e, errors.New("sender is not valid UTF-8")
	}
	copy(e.prev[:], b[offPrev:])
	if seq == 0 && e.prev != ([32]byte{}) {
		return e, errors.New("first record names a predecessor")
	}
	return e, nil
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
