package ledger

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/badgeproof/badgeproof/anchor"
)

// Names of the files in a ledger directory.
const (
	idFile     = "ledger-id"
	recordFile = "records"
	lockName   = "lock"
)

// ErrClosed is returned by calls on a closed Ledger.
var ErrClosed = errors.New("ledger: closed")

// Ledger is an open ledger directory. It is safe for concurrent use, and
// several Ledgers (in one or several processes) may append to the same
// directory.
type Ledger struct {
	dir   string
	id    string
	now   func() time.Time
	reads atomic.Uint64

	mu       sync.Mutex // serialises appends within this handle; guards closed
	closed   bool
	readOnly bool
	lock     *os.File // nil when read-only
	f        *os.File
}

var (
	_ anchor.Resolver = (*Ledger)(nil)
)

// Option configures Open.
type Option func(*Ledger) error

// WithClock sets the clock that stamps appended records (default
// time.Now). Times are stored in UTC with nanosecond precision.
func WithClock(now func() time.Time) Option {
	return func(l *Ledger) error {
		if now == nil {
			return errors.New("ledger: nil clock")
		}
		l.now = now
		return nil
	}
}

// Open opens the ledger in dir, creating the directory and a new ledger
// with a random id if it holds none.
func Open(dir string, opts ...Option) (*Ledger, error) {
	l := &Ledger{dir: dir, now: time.Now}
	for _, o := range opts {
		if err := o(l); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	lock, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	l.lock = lock
	if err := l.initID(); err != nil {
		lock.Close()
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, recordFile), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("ledger: %w", err)
	}
	l.f = f
	if err := l.checkOpen(); err != nil {
		f.Close()
		lock.Close()
		return nil, err
	}
	return l, nil
}

// ErrNotLedger is wrapped by OpenReadOnly's error when the directory holds
// no ledger (it wraps os.ErrNotExist too).
var ErrNotLedger = errors.New("ledger: not a ledger directory")

// ErrReadOnly is returned by Append on a Ledger opened with OpenReadOnly.
var ErrReadOnly = errors.New("ledger: opened read-only")

// OpenReadOnly opens the existing ledger in dir for reading: it creates
// nothing (a mistyped directory is an error wrapping ErrNotLedger and
// os.ErrNotExist, never a new empty ledger) and takes no lock. Append
// returns ErrReadOnly. Like Open it fails, wrapping anchor.ErrCorrupt, when
// the tail of the log is damaged.
func OpenReadOnly(dir string) (*Ledger, error) {
	l := &Ledger{dir: dir, now: time.Now, readOnly: true}
	b, err := os.ReadFile(filepath.Join(dir, idFile))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s has no %s file: %w", ErrNotLedger, dir, idFile, os.ErrNotExist)
		}
		return nil, fmt.Errorf("ledger: %w", err)
	}
	id := strings.TrimSuffix(string(b), "\n")
	if !validID(id) {
		return nil, fmt.Errorf("ledger: %s holds %q, want 32 lower-case hex digits", filepath.Join(dir, idFile), id)
	}
	l.id = id
	f, err := os.Open(filepath.Join(dir, recordFile))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s has no %s file: %w", ErrNotLedger, dir, recordFile, os.ErrNotExist)
		}
		return nil, fmt.Errorf("ledger: %w", err)
	}
	l.f = f
	if err := l.checkOpen(); err != nil {
		f.Close()
		return nil, err
	}
	return l, nil
}

// checkOpen refuses a ledger whose log is damaged.
func (l *Ledger) checkOpen() error {
	st, err := l.inspect(l.f)
	if err != nil {
		return fmt.Errorf("ledger %s: %w", l.id, err)
	}
	if st.damage != nil {
		return fmt.Errorf("ledger %s: %w", l.id, st.damage)
	}
	return nil
}

// initID reads the ledger id, creating it under the directory lock if the
// directory is new.
func (l *Ledger) initID() error {
	if err := lockFile(l.lock); err != nil {
		return fmt.Errorf("ledger: lock: %w", err)
	}
	defer unlockFile(l.lock)
	path := filepath.Join(l.dir, idFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		var raw [16]byte
		if _, err := rand.Read(raw[:]); err != nil {
			return fmt.Errorf("ledger: %w", err)
		}
		id := hex.EncodeToString(raw[:])
		if err := writeFileSync(l.dir, idFile, []byte(id+"\n")); err != nil {
			return fmt.Errorf("ledger: %w", err)
		}
		b = []byte(id + "\n")
	} else if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	id := strings.TrimSuffix(string(b), "\n")
	if !validID(id) {
		return fmt.Errorf("ledger: %s holds %q, want 32 lower-case hex digits", path, id)
	}
	l.id = id
	return nil
}

func validID(id string) bool {
	if len(id) != 32 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// writeFileSync writes name in dir through a temporary file, fsyncs it,
// renames it into place and fsyncs the directory.
func writeFileSync(dir, name string, data []byte) error {
	tmp, err := os.CreateTemp(dir, name+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, name)); err != nil {
		return err
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// ID returns the ledger id: the network part of this ledger's blink URIs.
func (l *Ledger) ID() string { return l.id }

// Reads counts the records read through Resolve and Get since Open. A
// test or a monitor can use it to see that a cache in front of the ledger
// works.
func (l *Ledger) Reads() uint64 { return l.reads.Load() }

// Ref returns the blink reference of record seq of this ledger.
func (l *Ledger) Ref(seq uint64) anchor.Ref {
	return anchor.Ref{Chain: anchor.ChainLedger, Network: l.id, ID: strconv.FormatUint(seq, 10)}
}

func (l *Ledger) file() (*os.File, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil, ErrClosed
	}
	return l.f, nil
}

// state is what inspect finds in the log.
type state struct {
	size int64    // bytes in the log
	n    int64    // committed records
	last [32]byte // hash of record n-1
	// tail is how many bytes follow the committed records; pending says
	// they are an append under way or cut short by a crash (benign: the
	// next append replaces or adopts them), adopt that they are one whole
	// record linked to the last, whose head update a crash prevented.
	tail    int64
	pending bool
	adopt   bool
	// garbage: the tail is not a record; damage: why the log cannot be
	// trusted as it is (wraps anchor.ErrCorrupt), nil when it can.
	garbage bool
	damage  error
}

// inspect reads the head and the tail of the log. Records 0..n-1 are
// committed: their number was handed out by Append. The tail after them
// is benign only when it is one record being written (or cut short by a
// crash) at position n; anything else is reported as damage, and so is a
// log shorter than the head says or whose last record is not the one the
// head names: truncation or corruption that would otherwise look like
// appends that never happened.
func (l *Ledger) inspect(f *os.File) (state, error) {
	var st state
	fi, err := f.Stat()
	if err != nil {
		return st, fmt.Errorf("%w: %w", anchor.ErrUnavailable, err)
	}
	size := fi.Size()
	st.size = size
	h, ok, err := readHead(l.dir, l.id)
	if err != nil {
		return st, err
	}
	if !ok {
		// A ledger without a head file (made before them, or never
		// appended to): the old rule, a last record failing its seal is a
		// torn append.
		st.n = size / RecordSize
		if st.n > 0 {
			if _, err := l.readEntry(f, uint64(st.n-1)); err != nil {
				st.n--
			}
		}
		if st.n > 0 {
			e, err := l.readEntry(f, uint64(st.n-1))
			if err != nil {
				st.damage = fmt.Errorf("the last record is damaged: %w (see Repair)", err)
				return st, nil
			}
			st.last = e.hash
		}
		st.tail = size - st.n*RecordSize
		st.pending = st.tail > 0
		return st, nil
	}
	if h.n > uint64(size/RecordSize) {
		st.n = int64(h.n)
		st.damage = fmt.Errorf("%w: the log holds %d bytes, but %d records were committed: it was truncated (see Repair)", anchor.ErrCorrupt, size, h.n)
		return st, nil
	}
	st.n, st.last = int64(h.n), h.last
	if st.n > 0 {
		e, err := l.readEntry(f, uint64(st.n-1))
		switch {
		case err != nil:
			st.damage = fmt.Errorf("the last committed record is damaged: %w (see Repair)", err)
			return st, nil
		case e.hash != h.last:
			st.damage = fmt.Errorf("%w: record %d is not the record the head names as the last committed one (see Repair)", anchor.ErrCorrupt, st.n-1)
			return st, nil
		}
	}
	st.tail = size - st.n*RecordSize
	if st.tail == 0 {
		return st, nil
	}
	b := make([]byte, min(st.tail, RecordSize))
	if _, err := f.ReadAt(b, st.n*RecordSize); err != nil && !errors.Is(err, io.EOF) {
		return st, fmt.Errorf("%w: %w", anchor.ErrUnavailable, err)
	}
	if st.tail == RecordSize {
		if e, err := decodeRecord(l.id, b, uint64(st.n)); err == nil && e.prev == st.last {
			st.pending, st.adopt = true, true
			return st, nil
		}
	}
	if st.tail <= RecordSize && recordPrefix(b, uint64(st.n)) {
		st.pending = true
		return st, nil
	}
	st.garbage = true
	st.damage = fmt.Errorf("%w: %d bytes after record %d are not a record: trailing garbage (see Repair)", anchor.ErrCorrupt, st.tail, st.n-1)
	return st, nil
}

// recordPrefix reports whether b can be the start of record seq as an
// interrupted write leaves it: its magic and sequence (as far as b holds
// them) are right. A crash may also leave the rest of a block zeroed.
func recordPrefix(b []byte, seq uint64) bool {
	var want [12]byte
	copy(want[:], magic[:])
	binary.BigEndian.PutUint64(want[4:], seq)
	n := min(len(b), len(want))
	if bytes.Equal(b[:n], want[:n]) {
		return true
	}
	return allZero(b)
}

// Len returns the number of committed records (an append under way or cut
// short by a crash not included), with an error wrapping anchor.ErrCorrupt
// when the log is damaged.
func (l *Ledger) Len() (uint64, error) {
	f, err := l.file()
	if err != nil {
		return 0, err
	}
	st, err := l.inspect(f)
	if err != nil {
		return 0, fmt.Errorf("ledger %s: %w", l.id, err)
	}
	if st.damage != nil {
		return uint64(st.n), fmt.Errorf("ledger %s: %w", l.id, st.damage)
	}
	return uint64(st.n), nil
}

// readEntry reads and checks the record at seq (its own seal only).
func (l *Ledger) readEntry(f *os.File, seq uint64) (entry, error) {
	b := make([]byte, RecordSize)
	if _, err := f.ReadAt(b, int64(seq)*RecordSize); err != nil {
		if errors.Is(err, io.EOF) {
			return entry{}, fmt.Errorf("%w: record %d is incomplete", anchor.ErrCorrupt, seq)
		}
		return entry{}, fmt.Errorf("%w: %w", anchor.ErrUnavailable, err)
	}
	e, err := decodeRecord(l.id, b, seq)
	if err != nil {
		return entry{}, fmt.Errorf("%w: record %d: %v", anchor.ErrCorrupt, seq, err)
	}
	return e, nil
}

// Get returns record seq. It is served only when the record's own
// checksum holds and it is linked to its neighbours: its predecessor's
// hash matches the one it names, and its successor (if any) names its
// hash. Otherwise the error wraps anchor.ErrCorrupt. A sequence past the
// end (or in a torn tail) wraps anchor.ErrNotFound.
func (l *Ledger) Get(seq uint64) (anchor.Record, error) {
	l.reads.Add(1)
	f, err := l.file()
	if err != nil {
		return anchor.Record{}, err
	}
	st, err := l.inspect(f)
	if err != nil {
		return anchor.Record{}, fmt.Errorf("ledger %s: %w", l.id, err)
	}
	n := st.n
	if seq >= uint64(n) {
		return anchor.Record{}, fmt.Errorf("ledger %s: %w: record %d (ledger has %d)", l.id, anchor.ErrNotFound, seq, n)
	}
	e, err := l.readEntry(f, seq)
	if err != nil {
		return anchor.Record{}, fmt.Errorf("ledger %s: %w", l.id, err)
	}
	if seq > 0 {
		p, err := l.readEntry(f, seq-1)
		if err != nil {
			return anchor.Record{}, fmt.Errorf("ledger %s: record %d: predecessor damaged: %w", l.id, seq, err)
		}
		if p.hash != e.prev {
			return anchor.Record{}, fmt.Errorf("ledger %s: %w: record %d does not link to record %d", l.id, anchor.ErrCorrupt, seq, seq-1)
		}
	}
	// The successor is checked where the log holds it; one cut off by a
	// truncation (reported by Verify and on open) does not make this intact
	// record unreadable.
	if seq+1 < uint64(n) && int64(seq+2)*RecordSize <= st.size {
		s, err := l.readEntry(f, seq+1)
		if err != nil {
			return anchor.Record{}, fmt.Errorf("ledger %s: record %d: successor damaged: %w", l.id, seq, err)
		}
		if s.prev != e.hash {
			return anchor.Record{}, fmt.Errorf("ledger %s: %w: record %d is not the one record %d links to", l.id, anchor.ErrCorrupt, seq, seq+1)
		}
	}
	return l.record(e), nil
}

func (l *Ledger) record(e entry) anchor.Record {
	return anchor.Record{
		Ref:           l.Ref(e.seq),
		Root:          e.root,
		Time:          time.Unix(0, e.time).UTC(),
		Confirmations: 1,
		Sender:        e.sender,
	}
}

// Resolve implements anchor.Resolver for Refs blink:ledger:<id>:<sequence>.
// A Ref naming another chain or another ledger gets an error wrapping
// anchor.ErrUnsupported.
func (l *Ledger) Resolve(ctx context.Context, ref anchor.Ref) (anchor.Record, error) {
	if ref.Chain != anchor.ChainLedger || ref.Network != l.id {
		return anchor.Record{}, fmt.Errorf("%w: %s is not on ledger %s", anchor.ErrUnsupported, ref, l.id)
	}
	seq, err := strconv.ParseUint(ref.ID, 10, 64)
	if err != nil || strconv.FormatUint(seq, 10) != ref.ID {
		return anchor.Record{}, fmt.Errorf("%w: %s: ledger sequence must be a decimal number", anchor.ErrInvalidRef, ref)
	}
	if err := ctx.Err(); err != nil {
		return anchor.Record{}, fmt.Errorf("%w: %w", anchor.ErrUnavailable, err)
	}
	return l.Get(seq)
}

// Append adds a record holding root (1 to MaxRootLen bytes) written by
// sender (1 to MaxSenderLen bytes of UTF-8: an issuer DID or address) and
// returns it once it is on disk (fsynced).
//
// Appends take an exclusive lock on the directory and re-read the tail
// under it, so several handles and processes may append. A torn tail left
// by a crash is cut off first, and the new record takes its place.
func (l *Ledger) Append(ctx context.Context, root []byte, sender string) (anchor.Record, error) {
	if err := checkFields(root, sender); err != nil {
		return anchor.Record{}, err
	}
	if err := ctx.Err(); err != nil {
		return anchor.Record{}, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return anchor.Record{}, ErrClosed
	}
	if l.readOnly {
		return anchor.Record{}, ErrReadOnly
	}
	if err := lockFile(l.lock); err != nil {
		return anchor.Record{}, fmt.Errorf("ledger: lock: %w", err)
	}
	defer unlockFile(l.lock)

	st, err := l.inspect(l.f)
	if err != nil {
		return anchor.Record{}, fmt.Errorf("ledger %s: %w", l.id, err)
	}
	if st.damage != nil {
		// Appending now could hand out a number already given to a batch
		// whose record was lost: refuse until the damage is repaired.
		return anchor.Record{}, fmt.Errorf("ledger %s: refusing to append: %w", l.id, st.damage)
	}
	n, last := st.n, st.last
	switch {
	case st.adopt:
		// A whole record whose head update a crash prevented: keep it.
		e, err := l.readEntry(l.f, uint64(n))
		if err != nil {
			return anchor.Record{}, fmt.Errorf("ledger %s: %w", l.id, err)
		}
		n, last = n+1, e.hash
	case st.pending:
		if err := l.f.Truncate(n * RecordSize); err != nil {
			return anchor.Record{}, fmt.Errorf("ledger: cutting an interrupted append: %w", err)
		}
	}
	e := entry{seq: uint64(n), time: l.now().UnixNano(), root: root, sender: sender, prev: last}
	b := e.encode(l.id)
	if _, err := l.f.WriteAt(b, n*RecordSize); err != nil {
		return anchor.Record{}, fmt.Errorf("ledger: %w", err)
	}
	if err := l.f.Sync(); err != nil {
		return anchor.Record{}, fmt.Errorf("ledger: %w", err)
	}
	// The record is on disk; committing it in the head is what hands out
	// its number.
	if err := writeHead(l.dir, l.id, head{n: uint64(n + 1), last: e.hash}); err != nil {
		return anchor.Record{}, fmt.Errorf("ledger: committing record %d: %w", n, err)
	}
	e.root = append([]byte(nil), root...)
	return l.record(e), nil
}

// adoptTail commits a whole record linked to the last one whose head
// update a crash prevented, as Append adopts it before appending.
func (l *Ledger) adoptTail() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ErrClosed
	}
	if l.readOnly {
		return nil
	}
	if err := lockFile(l.lock); err != nil {
		return fmt.Errorf("ledger: lock: %w", err)
	}
	defer unlockFile(l.lock)
	st, err := l.inspect(l.f)
	if err != nil {
		return fmt.Errorf("ledger %s: %w", l.id, err)
	}
	if st.damage != nil || !st.adopt {
		return nil
	}
	e, err := l.readEntry(l.f, uint64(st.n))
	if err != nil {
		return fmt.Errorf("ledger %s: %w", l.id, err)
	}
	if err := writeHead(l.dir, l.id, head{n: uint64(st.n + 1), last: e.hash}); err != nil {
		return fmt.Errorf("ledger: committing record %d: %w", st.n, err)
	}
	return nil
}

// Verify checks every committed record of the ledger and the hash chain
// between them, and that the log ends where the head says: a log cut short,
// a last record altered or replaced, and bytes after the last record that
// are not an append under way are all errors wrapping anchor.ErrCorrupt,
// naming what is wrong. An append under way (or cut short by a crash) is
// not an error.
func (l *Ledger) Verify(ctx context.Context) error {
	f, err := l.file()
	if err != nil {
		return err
	}
	st, err := l.inspect(f)
	if err != nil {
		return fmt.Errorf("ledger %s: %w", l.id, err)
	}
	if st.damage != nil && !st.garbage {
		return fmt.Errorf("ledger %s: %w", l.id, st.damage)
	}
	n := st.n
	var prev [32]byte
	for seq := uint64(0); seq < uint64(n); seq++ {
		if seq%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		e, err := l.readEntry(f, seq)
		if err != nil {
			return fmt.Errorf("ledger %s: %w", l.id, err)
		}
		if e.prev != prev {
			return fmt.Errorf("ledger %s: %w: record %d does not link to record %d", l.id, anchor.ErrCorrupt, seq, seq-1)
		}
		prev = e.hash
	}
	if st.damage != nil {
		return fmt.Errorf("ledger %s: %w", l.id, st.damage)
	}
	return nil
}

// Close releases the ledger's files. Later calls return ErrClosed.
func (l *Ledger) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	if l.lock == nil {
		return l.f.Close()
	}
	return errors.Join(l.f.Close(), l.lock.Close())
}

// Publisher returns an anchor.Publisher that appends roots to this ledger
// as sender.
func (l *Ledger) Publisher(sender string) anchor.Publisher {
	return publisher{l: l, sender: sender}
}

type publisher struct {
	l      *Ledger
	sender string
}

func (p publisher) Publish(ctx context.Context, root []byte) (anchor.Record, error) {
	return p.l.Append(ctx, root, p.sender)
}

// findWindow is how many of the latest records Find reads: a resumed run
// looks for the batch it was anchoring when it stopped, among the last.
const findWindow = 1024

// Find returns the latest of the last findWindow records that holds root
// appended by this publisher's sender (anchor.Finder), or an error
// wrapping anchor.ErrNotFound. A whole record whose commit a crash
// prevented (the append of the run being resumed) is committed first, as
// the next Append would, so that it is found and resolves.
func (p publisher) Find(ctx context.Context, root []byte) (anchor.Record, error) {
	if err := p.l.adoptTail(); err != nil {
		return anchor.Record{}, err
	}
	n, err := p.l.Len()
	if err != nil {
		return anchor.Record{}, err
	}
	for seq := n; seq > 0 && n-seq < findWindow; seq-- {
		if err := ctx.Err(); err != nil {
			return anchor.Record{}, err
		}
		r, err := p.l.Get(seq - 1)
		if err != nil {
			return anchor.Record{}, err
		}
		if r.Sender == p.sender && bytes.Equal(r.Root, root) {
			return r, nil
		}
	}
	return anchor.Record{}, fmt.Errorf("ledger %s: %w: root %x among the last %d records by %s", p.l.id, anchor.ErrNotFound, root, findWindow, p.sender)
}

// Repair is the explicit recovery of a damaged ledger directory; nothing
// repairs a ledger silently. It takes the directory's lock and:
//
//   - cuts trailing garbage (bytes after the last committed record that are
//     not an append under way), once every committed record has been
//     checked, saving the bytes it cuts in a file named
//     records.cut-<unix nanoseconds> beside the log;
//   - cuts an append a crash interrupted;
//   - refuses, with an error wrapping anchor.ErrCorrupt, when committed
//     records are lost or altered (the log is shorter than the head says,
//     or a record fails its seal or its links). Their numbers were handed
//     out and anchored badges name them, so no repair may reuse them:
//     restore the records file from a backup, or retire the directory and
//     anchor new batches on a new ledger (a new ledger has a new id, so
//     none of its blink URIs can be confused with the old ones).
//
// It returns what it did, or "" when the ledger needed nothing.
func Repair(dir string) (string, error) {
	l := &Ledger{dir: dir, now: time.Now}
	b, err := os.ReadFile(filepath.Join(dir, idFile))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("%w: %s has no %s file: %w", ErrNotLedger, dir, idFile, os.ErrNotExist)
		}
		return "", fmt.Errorf("ledger: %w", err)
	}
	l.id = strings.TrimSuffix(string(b), "\n")
	if !validID(l.id) {
		return "", fmt.Errorf("ledger: %s holds %q, want 32 lower-case hex digits", filepath.Join(dir, idFile), l.id)
	}
	lock, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return "", fmt.Errorf("ledger: %w", err)
	}
	defer lock.Close()
	if err := lockFile(lock); err != nil {
		return "", fmt.Errorf("ledger: lock: %w", err)
	}
	defer unlockFile(lock)
	f, err := os.OpenFile(filepath.Join(dir, recordFile), os.O_RDWR, 0)
	if err != nil {
		return "", fmt.Errorf("ledger: %w", err)
	}
	defer f.Close()
	l.f = f
	st, err := l.inspect(f)
	if err != nil {
		return "", fmt.Errorf("ledger %s: %w", l.id, err)
	}
	switch {
	case st.damage != nil && !st.garbage:
		return "", fmt.Errorf("ledger %s: cannot repair: %w; committed records are lost or altered: restore %s from a backup, or retire this directory and anchor on a new ledger",
			l.id, st.damage, recordFile)
	case st.tail == 0:
		return "", nil
	case st.adopt:
		return "", nil // a whole, linked record: the next append keeps it
	}
	// Every committed record must hold before anything is cut.
	var prev [32]byte
	for seq := int64(0); seq < st.n; seq++ {
		e, err := l.readEntry(f, uint64(seq))
		if err != nil {
			return "", fmt.Errorf("ledger %s: cannot repair: %w", l.id, err)
		}
		if e.prev != prev {
			return "", fmt.Errorf("ledger %s: cannot repair: %w: record %d does not link to record %d", l.id, anchor.ErrCorrupt, seq, seq-1)
		}
		prev = e.hash
	}
	cut := make([]byte, st.tail)
	if _, err := f.ReadAt(cut, st.n*RecordSize); err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("ledger: %w", err)
	}
	saved := fmt.Sprintf("%s.cut-%d", recordFile, time.Now().UnixNano())
	if err := writeFileSync(dir, saved, cut); err != nil {
		return "", fmt.Errorf("ledger: saving the bytes to cut: %w", err)
	}
	if err := f.Truncate(st.n * RecordSize); err != nil {
		return "", fmt.Errorf("ledger: %w", err)
	}
	if err := f.Sync(); err != nil {
		return "", fmt.Errorf("ledger: %w", err)
	}
	what := "an interrupted append"
	if st.garbage {
		what = "trailing garbage"
	}
	return fmt.Sprintf("cut %d bytes of %s after record %d (saved in %s)", st.tail, what, st.n-1, filepath.Join(dir, saved)), nil
}
