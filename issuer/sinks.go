package issuer

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// DirSink writes one file per badge into Dir, named by the badge's id
// (FileName). With Shard set, the files go into two levels of
// subdirectories named by the first hex digits of a hash of the name
// (Dir/3f/a2/<name>.json), so that millions of badges do not share one
// folder. Each file is written to a temporary name and renamed, so a file
// that exists is complete.
type DirSink struct {
	Dir   string
	Shard bool
}

// Begin creates the directory.
func (d *DirSink) Begin(int) error { return os.MkdirAll(d.Dir, 0o755) }

// Put writes one badge.
func (d *DirSink) Put(b Issued) error {
	name := FileName(b)
	dir := d.Dir
	if d.Shard {
		h := sha256.Sum256([]byte(name))
		x := hex.EncodeToString(h[:2])
		dir = filepath.Join(d.Dir, x[:2], x[2:])
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	return writeFileAtomic(filepath.Join(dir, name), b.Doc)
}

// Commit does nothing: every file is complete when Put returns.
func (d *DirSink) Commit(int) error { return nil }

// Path returns where Put writes b.
func (d *DirSink) Path(b Issued) string {
	name := FileName(b)
	if !d.Shard {
		return filepath.Join(d.Dir, name)
	}
	h := sha256.Sum256([]byte(name))
	x := hex.EncodeToString(h[:2])
	return filepath.Join(d.Dir, x[:2], x[2:], name)
}

// FileName names a badge's file after its id ("urn:uuid:5d1f…" becomes
// "5d1f….json"), or after its input item when it has no id. Characters
// other than letters, digits, '-', '_' and '.' become '_'.
func FileName(b Issued) string {
	base := strings.TrimPrefix(b.ID, "urn:uuid:")
	if base == "" {
		base = strings.TrimSuffix(filepath.Base(b.Name), ".json")
	}
	var sb strings.Builder
	for _, r := range base {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			sb.WriteRune(r)
		default:
			sb.WriteByte('_')
		}
	}
	name := strings.Trim(sb.String(), ".")
	if name == "" {
		name = fmt.Sprintf("badge-%d", b.Seq)
	}
	if len(name) > 200 {
		h := sha256.Sum256([]byte(base))
		name = name[:160] + "-" + hex.EncodeToString(h[:8])
	}
	return name + ".json"
}

// JSONLinesSink writes each batch as one JSON Lines file in Dir,
// batch-000001.jsonl and so on, one badge per line in input order. A
// batch's file appears, complete, when the batch is committed.
type JSONLinesSink struct {
	Dir string

	f    *os.File
	w    *bufio.Writer
	line bytes.Buffer
}

// BatchFile is the name of batch n's file.
func (s *JSONLinesSink) BatchFile(n int) string {
	return filepath.Join(s.Dir, fmt.Sprintf("batch-%06d.jsonl", n))
}

// Begin starts batch n's file under a temporary name.
func (s *JSONLinesSink) Begin(n int) error {
	if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		return err
	}
	f, err := os.Create(s.BatchFile(n) + ".partial")
	if err != nil {
		return err
	}
	s.f, s.w = f, bufio.NewWriterSize(f, 1<<20)
	return nil
}

// Put appends one badge as a line.
func (s *JSONLinesSink) Put(b Issued) error {
	s.line.Reset()
	if err := json.Compact(&s.line, b.Doc); err != nil {
		return err
	}
	s.line.WriteByte('\n')
	_, err := s.w.Write(s.line.Bytes())
	return err
}

// Commit syncs batch n's file and gives it its final name.
func (s *JSONLinesSink) Commit(n int) error {
	if err := s.w.Flush(); err != nil {
		return err
	}
	if err := s.f.Sync(); err != nil {
		return err
	}
	if err := s.f.Close(); err != nil {
		return err
	}
	return os.Rename(s.BatchFile(n)+".partial", s.BatchFile(n))
}

func writeFileAtomic(path string, data []byte) error {
	tmp := path + ".partial"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
