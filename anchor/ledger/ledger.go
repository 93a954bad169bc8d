package ledger

import (
	"context"
	"crypto/rand"
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

	mu     sync.Mutex // serialises appends within this handle; guards closed
	closed bool
	lock   *os.File
	f      *os.File
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
	return l, nil
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

// count returns the number of records in f, not counting a torn tail, and
// whether there is one. The tail is torn when the file ends with bytes
// short of a whole record, or when its last whole record fails its own
// check: a write that a crash interrupted, or one another process is
// making right now. Such a record is never served; the next append cuts
// it off and writes in its place.
func (l *Ledger) count(f *os.File) (int64, bool, error) {
	st, err := f.Stat()
	if err != nil {
		return 0, false, err
	}
	n := st.Size() / RecordSize
	torn := st.Size()%RecordSize != 0
	if n > 0 {
		b := make([]byte, RecordSize)
		if _, err := f.ReadAt(b, (n-1)*RecordSize); err != nil {
			return 0, false, err
		}
		if _, err := decodeRecord(l.id, b, uint64(n-1)); err != nil {
			n--
			torn = true
		}
	}
	return n, torn, nil
}

// Len returns the number of records, a torn tail not included.
func (l *Ledger) Len() (uint64, error) {
	f, err := l.file()
	if err != nil {
		return 0, err
	}
	n, _, err := l.count(f)
	if err != nil {
		return 0, fmt.Errorf("ledger: %w: %w", anchor.ErrUnavailable, err)
	}
	return uint64(n), nil
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
	n, _, err := l.count(f)
	if err != nil {
		return anchor.Record{}, fmt.Errorf("ledger: %w: %w", anchor.ErrUnavailable, err)
	}
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
	if seq+1 < uint64(n) {
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
	if err := lockFile(l.lock); err != nil {
		return anchor.Record{}, fmt.Errorf("ledger: lock: %w", err)
	}
	defer unlockFile(l.lock)

	n, torn, err := l.count(l.f)
	if err != nil {
		return anchor.Record{}, fmt.Errorf("ledger: %w", err)
	}
	if torn {
		if err := l.f.Truncate(n * RecordSize); err != nil {
			return anchor.Record{}, fmt.Errorf("ledger: cutting torn tail: %w", err)
		}
	}
	e := entry{seq: uint64(n), time: l.now().UnixNano(), root: root, sender: sender}
	if n > 0 {
		last, err := l.readEntry(l.f, uint64(n-1))
		if err != nil {
			return anchor.Record{}, fmt.Errorf("ledger %s: refusing to append: %w", l.id, err)
		}
		e.prev = last.hash
	}
	b := e.encode(l.id)
	if _, err := l.f.WriteAt(b, n*RecordSize); err != nil {
		return anchor.Record{}, fmt.Errorf("ledger: %w", err)
	}
	if err := l.f.Sync(); err != nil {
		return anchor.Record{}, fmt.Errorf("ledger: %w", err)
	}
	e.root = append([]byte(nil), root...)
	return l.record(e), nil
}

// Verify checks every record of the ledger and the hash chain between
// them. It returns nil or an error wrapping anchor.ErrCorrupt that names
// the first bad record. A torn tail is not an error.
func (l *Ledger) Verify(ctx context.Context) error {
	f, err := l.file()
	if err != nil {
		return err
	}
	n, _, err := l.count(f)
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
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
