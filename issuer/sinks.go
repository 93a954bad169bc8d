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
	"runtime"
	"strings"
)

// DirSink writes one file per badge into Dir, named by the badge's id
// (FileName). With Shard set, the files go into two levels of
// subdirectories named by the first hex digits of a hash of the name
// (Dir/3f/a2/<name>.json), so that millions of badges do not share one
// folder. Each file is written to a temporary name and renamed, so a file
// that exists is complete; Commit makes the batch's files durable (on
// Linux with one sync of the file system, elsewhere each file and its
// directory are synced as they are written), so a batch reported as written survives a crash.
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
	if err := writeFileAtomic(filepath.Join(dir, name), b.Doc, !syncFSAvailable); err != nil {
		return err
	}
	if !syncFSAvailable {
		return syncDir(dir)
	}
	return nil
}

// Commit makes the files of the batch durable.
func (d *DirSink) Commit(int) error {
	if !syncFSAvailable {
		return nil // Put synced each file and its directory
	}
	return syncFS(d.Dir)
}

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

// Put appends one badge as a line. A badge already on one line (a
// Stream writes each badge in JCS form) is written as it is; another is
// compacted first.
func (s *JSONLinesSink) Put(b Issued) error {
	doc := bytes.TrimRight(b.Doc, " \t\r\n")
	if bytes.IndexByte(doc, '\n') < 0 && bytes.IndexByte(doc, '\r') < 0 {
		if _, err := s.w.Write(doc); err != nil {
			return err
		}
		return s.w.WriteByte('\n')
	}
	s.line.Reset()
	if err := json.Compact(&s.line, doc); err != nil {
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
	if err := os.Rename(s.BatchFile(n)+".partial", s.BatchFile(n)); err != nil {
		return err
	}
	return syncDir(s.Dir) // the new name, too, survives a crash
}

// writeFileAtomic writes data to a temporary file and renames it to path,
// syncing the file first if sync is set.
func writeFileAtomic(path string, data []byte, sync bool) error {
	tmp := path + ".partial"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil && sync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// syncDir makes the names in dir durable. Where a directory cannot be
// synced (Windows), renames are durable once they return.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil && runtime.GOOS != "windows" {
		return err
	}
	return nil
}
