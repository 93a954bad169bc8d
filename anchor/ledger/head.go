package ledger

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/badgeproof/badgeproof/anchor"
)

// The head file records how many records were committed and the hash of
// the last one. It is replaced atomically (written to a temporary file,
// fsynced, renamed, directory fsynced) after each append's record is on
// disk, so it never names a record that is not. It is what makes damage to
// the tail of the log visible: without it a record cut off or altered at
// the end would look like an append that never happened, and its sequence
// number would be handed out again.
//
//	offset size
//	0      4    magic "BPH1"
//	4      8    committed records, big-endian
//	12     32   hash of the last committed record (zero when none)
//	44     32   SHA-256(ledger id || bytes 0..44)
const (
	headFile = "head"
	headSize = 76
)

var headMagic = [4]byte{'B', 'P', 'H', '1'}

// head is the decoded head file.
type head struct {
	n    uint64
	last [32]byte
}

func (h head) encode(id string) []byte {
	b := make([]byte, headSize)
	copy(b, headMagic[:])
	binary.BigEndian.PutUint64(b[4:], h.n)
	copy(b[12:], h.last[:])
	seal := sealHash(id, b[:44])
	copy(b[44:], seal[:])
	return b
}

// readHead reads dir's head; ok is false when there is none (a ledger made
// before head files, or a new one).
func readHead(dir, id string) (head, bool, error) {
	b, err := os.ReadFile(filepath.Join(dir, headFile))
	if errors.Is(err, os.ErrNotExist) {
		return head{}, false, nil
	}
	if err != nil {
		return head{}, false, fmt.Errorf("%w: %w", anchor.ErrUnavailable, err)
	}
	if len(b) != headSize || !bytes.Equal(b[:4], headMagic[:]) || sealHash(id, b[:44]) != [32]byte(b[44:]) {
		return head{}, false, fmt.Errorf("%w: the head file is damaged (see Repair)", anchor.ErrCorrupt)
	}
	var h head
	h.n = binary.BigEndian.Uint64(b[4:])
	copy(h.last[:], b[12:44])
	return h, true, nil
}

func writeHead(dir, id string, h head) error {
	return writeFileSync(dir, headFile, h.encode(id))
}
