package issuer

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/badgeproof/badgeproof/anchor"
	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/dataintegrity"
	"github.com/badgeproof/badgeproof/internal/filelock"
	"github.com/badgeproof/badgeproof/internal/merkle"
	"github.com/badgeproof/badgeproof/internal/proofvalue"
)

// Item is one unsigned credential of a Stream's input.
type Item struct {
	// Name says where the credential came from, for messages and output
	// names: a file name, or "badges.jsonl:42".
	Name string
	// Data is the credential's JSON.
	Data []byte
}

// Source yields a Stream's input in order. Next returns io.EOF after the
// last item. A resumed run reads the same source again from the start.
type Source interface {
	Next() (Item, error)
}

// Issued is one badge a Stream wrote.
type Issued struct {
	Seq  int64  // position in the input, from 0
	Name string // the input item's name
	ID   string // the credential's id ("" when it has none)
	Doc  []byte // the signed, anchored badge
}

// Sink receives the badges of a Stream, batch by batch and in input order:
// Begin, then Put for each badge of the batch, then Commit, never from two
// goroutines at once. A batch is reported as written only when Commit
// returns nil, so Commit makes the batch durable; after a crash, a resumed
// run puts the whole batch again (with the same bytes), so Put must
// replace what an earlier Put of the same badge wrote. Doc is the badge in
// JCS form (one line); the Sink may keep it.
type Sink interface {
	Begin(batch int) error
	Put(b Issued) error
	Commit(batch int) error
}

// Stream issues more credentials than fit in memory: it reads them from a
// Source, signs them on all cores, anchors them in batches (one Merkle tree
// and one anchor per batch) and hands the badges to a Sink. Each badge is
// parsed once, checked and canonicalized from that parse, and written in
// JCS form. It holds in memory the Merkle tree of the batch being written
// and of the one being signed (32 bytes per badge: the levels above the
// leaves) and a bounded window of credentials being signed; the signed
// badges and their leaves wait in a spool file in the state directory,
// from which the batch proofs are added without parsing the badges again.
// While one batch is anchored and written, the next is signed, so a slow
// anchor does not leave the cores idle.
//
// The state directory also keeps a journal, so that a run that stopped
// (a crash, a kill, a node that did not answer) is resumed by running it
// again with the same source, signer and state directory: batches already
// written are skipped, a batch already signed or anchored is finished from
// its spool, and no badge is issued twice. A batch the stopped run
// anchored but had not yet recorded as anchored is looked up first when
// the publisher can find its roots (anchor.Finder: the embedded ledger,
// and Ethereum among its latest blocks), so it is not anchored twice; with
// a publisher that cannot, such a batch gets a second anchor, which its
// badges then name.
type Stream struct {
	signer    *Signer
	pub       anchor.Publisher
	state     string
	batchSize int
	workers   int
	window    int
	prepare   func(Item) (*badge.Credential, error)
	progress  func(StreamProgress)
}

// StreamProgress is what a Stream reports as it goes.
type StreamProgress struct {
	Batch   int   // the batch being worked on, from 1
	Signed  int64 // badges signed so far in this run
	Written int64 // badges written so far in this run
	Skipped int64 // badges of batches an earlier run wrote
}

// StreamOption configures a Stream.
type StreamOption func(*Stream) error

// WithStreamBatchSize anchors every n badges as one batch (default: the
// whole input is one batch, one tree, one anchor).
func WithStreamBatchSize(n int) StreamOption {
	return func(s *Stream) error {
		if n < 1 {
			return fmt.Errorf("issuer: batch size must be at least 1, got %d", n)
		}
		s.batchSize = n
		return nil
	}
}

// WithStreamWorkers sets how many credentials are signed at once (default:
// all cores).
func WithStreamWorkers(n int) StreamOption {
	return func(s *Stream) error {
		if n < 1 {
			return fmt.Errorf("issuer: workers must be at least 1, got %d", n)
		}
		s.workers = n
		return nil
	}
}

// WithStreamPrepare turns each input item into the credential to sign
// (default: badge.ParseCredential with the default limits). Use it to fill
// in the issuer or add a status entry. It is called from several goroutines
// at once.
func WithStreamPrepare(f func(Item) (*badge.Credential, error)) StreamOption {
	return func(s *Stream) error {
		if f == nil {
			return errors.New("issuer: nil prepare function")
		}
		s.prepare = f
		return nil
	}
}

// WithStreamProgress has the Stream report progress to f, never from two
// goroutines at once.
func WithStreamProgress(f func(StreamProgress)) StreamOption {
	return func(s *Stream) error {
		if f == nil {
			return errors.New("issuer: nil progress function")
		}
		s.progress = f
		return nil
	}
}

// NewStream returns a Stream that signs with signer, anchors through pub
// and keeps its spool and journal in stateDir (created if needed; one run at
// a time may use it).
func NewStream(signer *Signer, pub anchor.Publisher, stateDir string, opts ...StreamOption) (*Stream, error) {
	if signer == nil || pub == nil {
		return nil, errors.New("issuer: a stream needs a signer and an anchor publisher")
	}
	if stateDir == "" {
		return nil, errors.New("issuer: a stream needs a state directory")
	}
	s := &Stream{signer: signer, pub: pub, state: stateDir, workers: runtime.GOMAXPROCS(0),
		prepare:  func(it Item) (*badge.Credential, error) { return badge.ParseCredential(it.Data, badge.Limits{}) },
		progress: func(StreamProgress) {}}
	for _, o := range opts {
		if err := o(s); err != nil {
			return nil, err
		}
	}
	s.window = 64 * s.workers
	return s, nil
}

// StreamResult sums up a run.
type StreamResult struct {
	Batches []BatchRecord // every batch of the input, this run's and earlier runs'
	Written int64         // badges written by this run
	Skipped int64         // badges an earlier run had written
}

// BatchRecord is one batch in the journal.
type BatchRecord struct {
	Batch   int        `json:"batch"`
	First   int64      `json:"first"` // input position of its first badge
	Count   int        `json:"count"`
	Inputs  string     `json:"inputs"` // SHA-256 over the batch's input items, to refuse a changed source
	Root    string     `json:"root,omitempty"`
	Created string     `json:"created,omitempty"`
	Anchor  string     `json:"anchor,omitempty"` // the blink URI, once anchored
	State   string     `json:"state"`            // signed, anchored or written
	Ref     anchor.Ref `json:"-"`
}

// Journal states of a batch.
const (
	stateSigned   = "signed"
	stateAnchored = "anchored"
	stateWritten  = "written"
)

// Run issues every credential of src into sink. It returns the first error
// (a credential that does not parse or sign, a failed anchor, a sink
// error); the run can then be resumed. ctx bounds the whole run.
func (s *Stream) Run(ctx context.Context, src Source, sink Sink) (*StreamResult, error) {
	if err := os.MkdirAll(s.state, 0o755); err != nil {
		return nil, err
	}
	lockFile, err := os.OpenFile(filepath.Join(s.state, "lock"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	defer lockFile.Close()
	if err := filelock.TryLock(lockFile); err != nil {
		return nil, fmt.Errorf("issuer: state directory %s is in use by another run: %w", s.state, err)
	}
	defer filelock.Unlock(lockFile)
	j, err := openJournal(filepath.Join(s.state, "journal.jsonl"))
	if err != nil {
		return nil, err
	}
	defer j.close()

	res := &StreamResult{}
	prog := &progress{f: s.progress}
	// While a batch is anchored and written, the next one is signed: a
	// slow anchor (a block to be mined) does not leave the cores idle.
	// Batches are anchored and written one at a time, in order.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var finishing chan batchDone // the batch being anchored and written
	wait := func() error {
		if finishing == nil {
			return nil
		}
		d := <-finishing
		finishing = nil
		if d.err != nil {
			return d.err
		}
		res.Written += int64(d.rec.Count)
		res.Batches = append(res.Batches, *d.rec)
		return nil
	}
	defer func() {
		if finishing != nil { // an error: stop the batch being finished and wait for it
			cancel()
			<-finishing
		}
	}()
	var seq int64
	for batch := 1; ; batch++ {
		prev := j.last(batch)
		if prev != nil && prev.State == stateWritten {
			if err := wait(); err != nil {
				return res, err
			}
			sum, n, err := s.skip(src, prev.Count)
			if err != nil {
				return res, err
			}
			if n != prev.Count || sum != prev.Inputs {
				return res, fmt.Errorf("issuer: batch %d: the input differs from the run being resumed (its items %d..%d changed)", batch, prev.First, prev.First+int64(prev.Count)-1)
			}
			seq += int64(n)
			res.Skipped += int64(n)
			prog.update(func(p *StreamProgress) { p.Batch, p.Skipped = batch, res.Skipped })
			res.Batches = append(res.Batches, *prev)
			continue
		}
		b, err := s.loadBatch(ctx, j, batch, seq, prev, src, prog)
		if err != nil {
			// The batch being finished finishes: its badges are good. If
			// it failed first, it stopped this one, and its error is the
			// one to report.
			if ferr := wait(); ferr != nil {
				return res, ferr
			}
			return res, err
		}
		if b == nil { // the source was empty at this batch
			break
		}
		seq += int64(b.rec.Count)
		if err := wait(); err != nil {
			return res, err
		}
		done := make(chan batchDone, 1)
		finishing = done
		go func() {
			err := s.finishBatch(ctx, j, b, sink, prog)
			if err != nil {
				cancel()
			}
			done <- batchDone{rec: b.rec, err: err}
		}()
		if s.batchSize == 0 {
			break
		}
	}
	if err := wait(); err != nil {
		return res, err
	}
	if len(res.Batches) == 0 {
		return res, merkle.ErrEmptyTree
	}
	return res, nil
}

// batchDone is how the anchoring and writing of a batch ended.
type batchDone struct {
	rec *BatchRecord
	err error
}

// progress reports a Stream's progress, never from two goroutines at once.
type progress struct {
	mu sync.Mutex
	p  StreamProgress
	f  func(StreamProgress)
}

// update changes the progress and reports it.
func (p *progress) update(change func(*StreamProgress)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	change(&p.p)
	p.f(p.p)
}

// signed counts a badge signed, reporting every 256.
func (p *progress) signed() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.p.Signed++; p.p.Signed%256 == 0 {
		p.f(p.p)
	}
}

// written counts a badge written, reporting every 256.
func (p *progress) written() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.p.Written++; p.p.Written%256 == 0 {
		p.f(p.p)
	}
}

// skip reads n items of src and returns their digest and how many there were.
func (s *Stream) skip(src Source, n int) (string, int, error) {
	h := sha256.New()
	read := 0
	for ; read < n; read++ {
		it, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", read, err
		}
		hashItem(h, it)
	}
	return hex.EncodeToString(h.Sum(nil)), read, nil
}

func hashItem(h io.Writer, it Item) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(it.Data)))
	h.Write(n[:])
	h.Write(it.Data)
}

// loadedBatch is a batch signed and in its spool, with its tree.
type loadedBatch struct {
	rec   *BatchRecord
	tree  *merkle.Tree
	spool string
	// resumed: an earlier run signed this batch.
	resumed bool
}

// loadBatch signs a batch or, resuming, reads it back from its spool. It
// returns nil and no error when src has nothing left.
func (s *Stream) loadBatch(ctx context.Context, j *journal, batch int, first int64, prev *BatchRecord,
	src Source, prog *progress) (*loadedBatch, error) {
	prog.update(func(p *StreamProgress) { p.Batch = batch })
	b := &loadedBatch{spool: filepath.Join(s.state, fmt.Sprintf("batch-%06d.spool", batch))}
	if prev != nil { // signed or anchored by an earlier run: its spool holds the badges
		sum, n, err := s.skip(src, prev.Count)
		if err != nil {
			return nil, err
		}
		if n != prev.Count || sum != prev.Inputs {
			return nil, fmt.Errorf("issuer: batch %d: the input differs from the run being resumed", batch)
		}
		if b.tree, err = spoolTree(b.spool, prev.Count); err != nil {
			return nil, fmt.Errorf("issuer: batch %d: spool: %w", batch, err)
		}
		b.rec, b.resumed = prev, true
	} else {
		created := s.signer.now().UTC().Truncate(time.Second)
		var err error
		b.rec, b.tree, err = s.signBatch(ctx, batch, first, created, b.spool, src, prog)
		if err != nil || b.rec == nil {
			return nil, err
		}
		if err := j.append(*b.rec); err != nil {
			return nil, err
		}
	}
	root := b.tree.Root()
	if hex.EncodeToString(root[:]) != b.rec.Root {
		return nil, fmt.Errorf("issuer: batch %d: the spool's Merkle root %x is not the journal's %s", batch, root, b.rec.Root)
	}
	return b, nil
}

// publish anchors a batch's root. A batch an earlier run signed may have
// been anchored by it just before it stopped: a publisher that can find
// its roots (anchor.Finder) is asked first, so the root is not anchored
// twice.
func (s *Stream) publish(ctx context.Context, b *loadedBatch, root []byte) (anchor.Record, error) {
	if f, ok := s.pub.(anchor.Finder); ok && b.resumed {
		r, err := f.Find(ctx, root)
		if err == nil {
			return r, nil
		}
		if !errors.Is(err, anchor.ErrNotFound) {
			return anchor.Record{}, fmt.Errorf("looking for an anchor of an earlier run: %w", err)
		}
	}
	return s.pub.Publish(ctx, root)
}

// finishBatch anchors a loaded batch (unless an earlier run did) and
// writes it into sink.
func (s *Stream) finishBatch(ctx context.Context, j *journal, b *loadedBatch, sink Sink, prog *progress) error {
	rec, root := b.rec, b.tree.Root()
	if rec.State == stateSigned {
		ar, err := s.publish(ctx, b, root[:])
		if err != nil {
			return fmt.Errorf("issuer: batch %d: anchoring root %x: %w", rec.Batch, root, err)
		}
		if !bytes.Equal(ar.Root, root[:]) {
			return fmt.Errorf("issuer: batch %d: the publisher recorded root %x, the batch root is %x", rec.Batch, ar.Root, root)
		}
		rec.Anchor, rec.State = ar.Ref.String(), stateAnchored
		if err := j.append(*rec); err != nil {
			return err
		}
	}
	var err error
	if rec.Ref, err = anchor.ParseRef(rec.Anchor); err != nil {
		return fmt.Errorf("issuer: batch %d: journal anchor: %w", rec.Batch, err)
	}
	if err := s.writeBatch(ctx, rec, b.tree, b.spool, sink, prog); err != nil {
		return err
	}
	rec.State = stateWritten
	if err := j.append(*rec); err != nil {
		return err
	}
	os.Remove(b.spool)
	return nil
}

// signBatch reads up to batchSize items, signs them on the workers in a
// bounded window, writes them in order to the spool and builds the batch's
// Merkle tree. It returns nil when src had no item left.
func (s *Stream) signBatch(ctx context.Context, batch int, first int64, created time.Time, spoolPath string,
	src Source, prog *progress) (*BatchRecord, *merkle.Tree, error) {
	f, err := os.Create(spoolPath)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	w := bufio.NewWriterSize(&spoolWriter{f: f}, 1<<20)
	bs, err := newBatchSigning(created)
	if err != nil {
		return nil, nil, err
	}
	h := sha256.New()
	read := 0
	next := func(it *Item) (bool, error) {
		if s.batchSize > 0 && read == s.batchSize {
			return false, nil
		}
		var err error
		*it, err = src.Next()
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		read++
		hashItem(h, *it)
		return true, nil
	}
	// The tree grows as the badges are signed, in input order; it keeps
	// the levels above the leaves (32 bytes per badge), the spool keeps
	// the leaves.
	var builder merkle.Builder
	work := func(it *Item, out *signed) error {
		if err := s.signItem(*it, bs, out); err != nil {
			return fmt.Errorf("issuer: %s: %w", it.Name, err)
		}
		return nil
	}
	emit := func(it *Item, out *signed) error {
		if err := writeSpool(w, it.Name, out); err != nil {
			return err
		}
		builder.Add(out.leaf)
		prog.signed()
		return nil
	}
	if err := pipeline(ctx, s.workers, s.window, next, work, emit); err != nil {
		return nil, nil, err
	}
	prog.update(func(*StreamProgress) {})
	if builder.Len() == 0 {
		os.Remove(spoolPath)
		return nil, nil, nil
	}
	if err := w.Flush(); err != nil {
		return nil, nil, err
	}
	if err := f.Sync(); err != nil {
		return nil, nil, err
	}
	tree, err := builder.Tree()
	if err != nil {
		return nil, nil, err
	}
	root := tree.Root()
	rec := &BatchRecord{Batch: batch, First: first, Count: tree.Len(), Inputs: hex.EncodeToString(h.Sum(nil)),
		Root: hex.EncodeToString(root[:]), Created: created.Format(time.RFC3339), State: stateSigned}
	return rec, tree, nil
}

// pipelineChunk is how many consecutive items a worker of a pipeline
// takes at once: handing a chunk over then costs little beside the work
// on its items, and a window still holds several chunks per worker.
const pipelineChunk = 16

// pipeline calls work on the items next yields, on up to workers
// goroutines and with about window items in flight (never fewer than two
// per worker), and hands each item and its result to emit in the order
// next yielded the items. It stops at the first error, or when ctx ends.
//
// The items go to the workers in chunks of consecutive items, and the In
// and Out values are kept for later items once emit has had them: next and
// work fill in every field they use, and may reuse the buffers the values
// hold from an earlier item; what emit hands on to be kept must not be
// reused.
func pipeline[In, Out any](ctx context.Context, workers, window int, next func(*In) (bool, error),
	work func(*In, *Out) error, emit func(*In, *Out) error) error {
	type chunk struct {
		in    []In
		out   []Out
		n     int   // items in the chunk
		done  int   // items worked on without an error
		err   error // the error of item done, if any
		ready chan struct{}
	}
	size := max(1, min(pipelineChunk, window/(2*workers)))
	count := max(2*workers, window/size) // chunks in flight
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel() // stops the reader, which stops the workers
		wg.Wait()
	}()
	jobs := make(chan *chunk)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				var c *chunk
				select {
				case c = <-jobs:
				case <-ctx.Done():
					return
				}
				if c == nil { // the reader is done
					return
				}
				for c.done < c.n && ctx.Err() == nil {
					if c.err = work(&c.in[c.done], &c.out[c.done]); c.err != nil {
						break
					}
					c.done++
				}
				close(c.ready)
			}
		}()
	}
	free := make(chan *chunk, count)
	pending := make(chan *chunk, count)
	readErr := make(chan error, 1)
	// The reader is not waited for, nor are the workers waiting for it
	// once ctx ends: a source may block in next.
	go func() {
		defer close(jobs)
		defer close(pending)
		made := 0
		for {
			var c *chunk
			select {
			case c = <-free:
			default:
				if made < count {
					c = &chunk{in: make([]In, size), out: make([]Out, size)}
					made++
					break
				}
				select {
				case c = <-free:
				case <-ctx.Done():
					readErr <- nil
					return
				}
			}
			c.n, c.done, c.err, c.ready = 0, 0, nil, make(chan struct{})
			var err error
			more := true
			for c.n < size && more && ctx.Err() == nil {
				if more, err = next(&c.in[c.n]); more && err == nil {
					c.n++
				} else {
					more = false
				}
			}
			if ctx.Err() != nil {
				readErr <- nil
				return
			}
			if c.n > 0 {
				select {
				case pending <- c:
				case <-ctx.Done():
					readErr <- nil
					return
				}
				select {
				case jobs <- c:
				case <-ctx.Done():
					readErr <- nil
					return
				}
			}
			if !more {
				readErr <- err
				return
			}
		}
	}()
	for {
		var c *chunk
		select {
		case c = <-pending:
		case <-ctx.Done():
			return ctx.Err()
		}
		if c == nil { // the reader is done
			break
		}
		select {
		case <-c.ready:
		case <-ctx.Done():
			return ctx.Err()
		}
		for i := range c.done {
			if err := emit(&c.in[i], &c.out[i]); err != nil {
				return err
			}
		}
		if c.err != nil {
			return c.err
		}
		if c.done < c.n { // ctx ended while the chunk was worked on
			return ctx.Err()
		}
		free <- c // never blocks: free holds every chunk made
	}
	if err := <-readErr; err != nil {
		return err
	}
	return ctx.Err()
}

// newMarker is a placeholder no credential contains by chance: it marks
// where a value goes in canonical bytes while they are written.
func newMarker() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return "badgeproof-batch-proof-" + hex.EncodeToString(b[:]), nil
}

// The spool holds each signed badge of a batch, in order: the input name,
// the credential id, the offset where the batch proof goes, the document
// (the strings length-prefixed) and the leaf. (An earlier version's spool
// has a placeholder string at that offset; writeBatch reads both.)
func writeSpool(w *bufio.Writer, name string, job *signed) error {
	var buf [binary.MaxVarintLen64]byte
	length := func(n int) { w.Write(buf[:binary.PutUvarint(buf[:], uint64(n))]) }
	length(len(name))
	w.WriteString(name)
	length(len(job.id))
	w.WriteString(job.id)
	length(job.at)
	length(len(job.doc))
	w.Write(job.doc)
	_, err := w.Write(job.leaf[:])
	return err
}

// spoolWriter writes a spool file, having the kernel write what it holds
// to disk every few megabytes while the batch is signed, so that the sync
// once the batch is signed does not wait for all of it.
type spoolWriter struct {
	f             *os.File
	written, sent int64 // bytes written, and those sent to disk
}

func (w *spoolWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	w.written += int64(n)
	if w.written-w.sent >= 4<<20 {
		startWriteback(w.f, w.sent, w.written-w.sent)
		w.sent = w.written
	}
	return n, err
}

// spoolEntry is one record of a spool, read back. Its buffers are used
// again for a later record.
type spoolEntry struct {
	index    int
	name, id string
	at       int
	doc      []byte
	leaf     [32]byte
	sibling  [32]byte      // the leaf's sibling leaf (zero when it has none)
	path     []merkle.Step // from leaf to root
	scratch  []byte
}

// readSpool reads the next record of a spool into e, reusing its buffers.
func readSpool(r *bufio.Reader, e *spoolEntry) error {
	get := func(b []byte) ([]byte, error) {
		n, err := binary.ReadUvarint(r)
		if err != nil {
			return nil, err
		}
		if n > 64<<20 {
			return nil, errors.New("spool record too large")
		}
		b = slices.Grow(b[:0], int(n))[:n]
		_, err = io.ReadFull(r, b)
		return b, err
	}
	var err error
	if e.scratch, err = get(e.scratch); err != nil {
		return err
	}
	e.name = string(e.scratch)
	if e.scratch, err = get(e.scratch); err != nil {
		return err
	}
	e.id = string(e.scratch)
	at, err := binary.ReadUvarint(r)
	if err != nil {
		return err
	}
	if e.doc, err = get(e.doc); err != nil {
		return err
	}
	if at >= uint64(len(e.doc)) {
		return errors.New("spool record's placeholder is outside its document")
	}
	if _, err := io.ReadFull(r, e.leaf[:]); err != nil {
		return err
	}
	e.at = int(at)
	return nil
}

// spoolTree builds the Merkle tree of a complete spool of n badges.
func spoolTree(path string, n int) (*merkle.Tree, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	var b merkle.Builder
	var e spoolEntry
	for range n {
		if err := readSpool(r, &e); err != nil {
			return nil, err
		}
		b.Add(e.leaf)
	}
	return b.Tree()
}

// writeBatch adds each badge's batch proof where it goes, on
// the workers, and puts the badges into sink in order.
func (s *Stream) writeBatch(ctx context.Context, rec *BatchRecord, tree *merkle.Tree, spoolPath string, sink Sink, prog *progress) error {
	f, err := os.Open(spoolPath)
	if err != nil {
		return fmt.Errorf("issuer: batch %d: spool: %w", rec.Batch, err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	if err := sink.Begin(rec.Batch); err != nil {
		return err
	}
	root := tree.Root()
	// The records are read in order, one ahead, so that each leaf's
	// sibling leaf (the tree keeps none) is at hand for its path.
	i := 0
	var ahead spoolEntry
	haveAhead := false
	var prevLeaf [32]byte
	next := func(e *spoolEntry) (bool, error) {
		if i == rec.Count {
			return false, nil
		}
		if haveAhead {
			*e, ahead = ahead, *e // ahead keeps e's buffers for the next read
			haveAhead = false
		} else if err := readSpool(r, e); err != nil {
			return false, fmt.Errorf("issuer: batch %d: spool record %d: %w", rec.Batch, i, err)
		}
		e.index, e.sibling = i, [32]byte{}
		switch {
		case i%2 == 1:
			e.sibling = prevLeaf
		case i+1 < rec.Count:
			if err := readSpool(r, &ahead); err != nil {
				return false, fmt.Errorf("issuer: batch %d: spool record %d: %w", rec.Batch, i+1, err)
			}
			haveAhead = true
			e.sibling = ahead.leaf
		}
		prevLeaf = e.leaf
		i++
		return true, nil
	}
	bp, err := newBatchProofJCS(rec, s.signer.vm)
	if err != nil {
		return err
	}
	enc, err := proofvalue.NewBatchEncoder(root, []anchor.Ref{rec.Ref})
	if err != nil {
		return fmt.Errorf("issuer: batch %d: %w", rec.Batch, err)
	}
	// Each badge is a new slice, of its exact size: the sink may keep it.
	work := func(e *spoolEntry, doc *[]byte) error {
		var err error
		if e.path, err = tree.AppendPathSibling(e.path[:0], e.index, e.sibling); err != nil {
			return err
		}
		pv, err := enc.Encode(e.leaf, e.path)
		if err != nil {
			return err
		}
		if e.doc[e.at] == '"' {
			// A spool an earlier version wrote: a placeholder string
			// stands where the batch proof goes.
			*doc, err = s.replacePlaceholder(rec, *e, pv)
			return err
		}
		*doc = bp.insert(e.doc, e.at, pv)
		return nil
	}
	emit := func(e *spoolEntry, doc *[]byte) error {
		b := *doc
		*doc = nil
		if err := sink.Put(Issued{Seq: rec.First + int64(e.index), Name: e.name, ID: e.id, Doc: b}); err != nil {
			return err
		}
		prog.written()
		return nil
	}
	if err := pipeline(ctx, s.workers, s.window, next, work, emit); err != nil {
		return err
	}
	prog.update(func(*StreamProgress) {})
	return sink.Commit(rec.Batch)
}

// replacePlaceholder writes the batch proof in place of the placeholder
// string of a spool record, indented as the line that holds it.
func (s *Stream) replacePlaceholder(rec *BatchRecord, e spoolEntry, pv string) ([]byte, error) {
	proof, err := json.Marshal(batchProof{Type: dataintegrity.ProofType, Cryptosuite: BatchCryptosuite, Created: rec.Created,
		VerificationMethod: s.signer.vm, ProofPurpose: "assertionMethod", ProofValue: pv})
	if err != nil {
		return nil, err
	}
	end := bytes.IndexByte(e.doc[e.at+1:], '"') // the placeholder is a JSON string without escapes
	if end < 0 {
		return nil, fmt.Errorf("issuer: batch %d: spool record %d: placeholder not closed", rec.Batch, e.index)
	}
	end += e.at + 2
	var out bytes.Buffer
	out.Grow(len(e.doc) + 2*len(proof))
	out.Write(e.doc[:e.at])
	if err := json.Indent(&out, proof, indentAt(e.doc, e.at), "  "); err != nil {
		return nil, err
	}
	out.Write(e.doc[end:])
	return out.Bytes(), nil
}

// indentAt returns the indentation of the line holding offset at.
func indentAt(doc []byte, at int) string {
	start := bytes.LastIndexByte(doc[:at], '\n') + 1
	return strings.Repeat(" ", at-start)
}

// journal is the append-only record of a Stream's batches, one JSON line
// per state change, synced after each.
type journal struct {
	mu      sync.Mutex
	f       *os.File
	batches map[int]*BatchRecord // the latest state of each batch
}

func openJournal(path string) (*journal, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	j := &journal{f: f, batches: map[int]*BatchRecord{}}
	sc := bufio.NewScanner(f)
	good := int64(0)
	for sc.Scan() {
		var r BatchRecord
		if json.Unmarshal(sc.Bytes(), &r) != nil || r.Batch < 1 {
			break // a torn last line: what follows it is ignored and overwritten
		}
		j.batches[r.Batch] = &r
		good += int64(len(sc.Bytes())) + 1
	}
	if err := f.Truncate(good); err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.Seek(good, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return j, nil
}

func (j *journal) last(batch int) *BatchRecord {
	j.mu.Lock()
	defer j.mu.Unlock()
	if r := j.batches[batch]; r != nil {
		cp := *r
		return &cp
	}
	return nil
}

func (j *journal) append(r BatchRecord) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if _, err := j.f.Write(append(b, '\n')); err != nil {
		return err
	}
	if err := j.f.Sync(); err != nil {
		return err
	}
	j.batches[r.Batch] = &r
	return nil
}

func (j *journal) close() error { return j.f.Close() }
