package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
)

// streamFlags are issue's flags for large runs.
type streamFlags struct {
	batchSize int
	outFormat string
	state     string
}

// wanted reports whether any of them was given: the run then streams.
func (f streamFlags) wanted() bool { return f.batchSize > 0 || f.outFormat != "" || f.state != "" }

// stateDir is where the run keeps its journal and spool.
func (f streamFlags) stateDir(outDir string) string {
	if f.state != "" {
		return f.state
	}
	return filepath.Join(outDir, ".issue-state")
}

// resuming reports whether the state directory holds a run to resume.
func (f streamFlags) resuming(outDir string) bool {
	_, err := os.Stat(filepath.Join(f.stateDir(outDir), "journal.jsonl"))
	return err == nil
}

// lineSource reads the inputs one credential at a time: each JSON Lines
// file line by line (named FILE:LINE), other files whole.
type lineSource struct {
	paths []string
	f     *os.File
	sc    *bufio.Scanner
	path  string
	line  int
}

func (s *lineSource) Next() (issuer.Item, error) {
	for {
		if s.sc == nil {
			if len(s.paths) == 0 {
				return issuer.Item{}, io.EOF
			}
			s.path, s.paths = s.paths[0], s.paths[1:]
			f, err := os.Open(s.path)
			if err != nil {
				return issuer.Item{}, err
			}
			if !isJSONLinesFile(f, s.path) {
				data, err := io.ReadAll(io.LimitReader(f, badge.DefaultMaxBytes+1))
				f.Close()
				if err != nil {
					return issuer.Item{}, fmt.Errorf("%s: %w", s.path, err)
				}
				return issuer.Item{Name: s.path, Data: data}, nil
			}
			s.f, s.line = f, 0
			s.sc = bufio.NewScanner(f)
			s.sc.Buffer(make([]byte, 64<<10), badge.DefaultMaxBytes+1)
		}
		for s.sc.Scan() {
			s.line++
			if len(bytes.TrimSpace(s.sc.Bytes())) == 0 {
				continue
			}
			return issuer.Item{Name: fmt.Sprintf("%s:%d", s.path, s.line), Data: bytes.Clone(s.sc.Bytes())}, nil
		}
		err := s.sc.Err()
		s.f.Close()
		s.sc = nil
		if err != nil {
			return issuer.Item{}, fmt.Errorf("%s:%d: %w", s.path, s.line+1, err)
		}
	}
}

// isJSONLinesFile reports whether f holds JSON Lines: by its name, or by a
// first line that is a whole JSON value followed by more. f is rewound.
func isJSONLinesFile(f *os.File, path string) bool {
	defer f.Seek(0, io.SeekStart)
	if strings.HasSuffix(path, ".jsonl") {
		return true
	}
	head := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, head)
	return n > 0 && isJSONLines(bytes.TrimSpace(head[:n]))
}

// countItems counts the inputs' credentials (non-empty lines of JSON Lines
// files, one per other file) for the progress bar's time left.
func countItems(paths []string) int {
	total := 0
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		if !isJSONLinesFile(f, p) {
			total++
			f.Close()
			continue
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), badge.DefaultMaxBytes+1)
		for sc.Scan() {
			if len(bytes.TrimSpace(sc.Bytes())) > 0 {
				total++
			}
		}
		f.Close()
	}
	return total
}

// streamIssue issues the inputs with an issuer.Stream: signed on all cores,
// anchored batch by batch, written as they are done, with a journal in the
// state directory so that running the same command again after a crash
// finishes the run without issuing a badge twice.
func streamIssue(ctx context.Context, f streamFlags, signer *issuer.Signer, plan *anchorPlan, name badge.Text,
	outDir string, paths []string, stdout, stderr io.Writer) error {
	if plan.kind == "none" {
		return usageError{"--batch-size, --out-format and --state anchor each batch: give --anchor ledger:DIR or eth:URL"}
	}
	state := f.stateDir(outDir)
	var sink issuer.Sink
	switch f.outFormat {
	case "", "files":
		sink = &issuer.DirSink{Dir: outDir}
	case "sharded":
		sink = &issuer.DirSink{Dir: outDir, Shard: true}
	case "jsonl":
		sink = &issuer.JSONLinesSink{Dir: outDir}
	default:
		return usageError{fmt.Sprintf("--out-format %q: want files, sharded or jsonl", f.outFormat)}
	}
	pub, closePub, err := plan.publisher(signer)
	if err != nil {
		return err
	}
	defer closePub()

	bar := newRateBar(paths, stderr)
	seen := newIDSet() // badge ids of this run, to refuse a duplicate
	opts := []issuer.StreamOption{
		issuer.WithStreamPrepare(func(it issuer.Item) (*badge.Credential, error) {
			c, err := prepare(input{src: it.Name, data: it.Data}, signer.DID(), name)
			if err != nil {
				return nil, err
			}
			if c.ID != "" && !seen.add(c.ID) {
				return nil, fmt.Errorf("%s: badge id %s is also the id of an earlier badge of this run", it.Name, c.ID)
			}
			return c, nil
		}),
		issuer.WithStreamProgress(bar.set),
	}
	if f.batchSize > 0 {
		opts = append(opts, issuer.WithStreamBatchSize(f.batchSize))
	}
	st, err := issuer.NewStream(signer, pub, state, opts...)
	if err != nil {
		return err
	}
	start := time.Now()
	res, err := st.Run(ctx, &lineSource{paths: paths}, sink)
	bar.finish()
	if err != nil {
		written := int64(0)
		if res != nil {
			written = res.Written + res.Skipped
		}
		return fmt.Errorf("%w (%d badge(s) written; run the same command again to finish: the journal in %s resumes the run)", err, written, state)
	}
	anchors := make([]string, len(res.Batches))
	for i, b := range res.Batches {
		anchors[i] = b.Anchor
	}
	fmt.Fprintf(stdout, "issued %d badge(s) to %s in %d batch(es) in %s", res.Written, outDir, len(res.Batches), time.Since(start).Round(time.Millisecond))
	if res.Skipped > 0 {
		fmt.Fprintf(stdout, " (%d already written by an earlier run)", res.Skipped)
	}
	fmt.Fprintf(stdout, ", anchored at %s\n", strings.Join(anchors, ", "))
	return nil
}

// idSet holds the badge ids of a run as 16-byte digests, in shards that
// the workers preparing badges lock one at a time: about 20 bytes per
// badge, so that a national run's ids (18.55 million) take some 400 MB
// rather than the gigabytes of the ids themselves.
type idSet struct {
	shards [64]struct {
		sync.Mutex
		m map[[16]byte]struct{}
	}
}

func newIDSet() *idSet {
	s := &idSet{}
	for i := range s.shards {
		s.shards[i].m = map[[16]byte]struct{}{}
	}
	return s
}

// add records id and reports whether it was new.
func (s *idSet) add(id string) bool {
	h := sha256.Sum256([]byte(id))
	var k [16]byte
	copy(k[:], h[:])
	sh := &s.shards[h[16]%64]
	sh.Lock()
	defer sh.Unlock()
	if _, dup := sh.m[k]; dup {
		return false
	}
	sh.m[k] = struct{}{}
	return true
}

// rateBar is a progress bar with the rate and the time left, on a
// terminal. Each badge counts twice, once signed and once written, since a
// batch is written only after all of it is signed: with one tree for the
// whole run, a bar of written badges would stand still for most of it.
type rateBar struct {
	bar   *progressbar.ProgressBar
	total int64 // badges
	start time.Time
	first int64 // units done when the bar started: an earlier run's badges
	shown time.Time
}

// newRateBar counts the inputs' badges for the time left, only when w
// is a terminal.
func newRateBar(paths []string, w io.Writer) *rateBar {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return &rateBar{}
	}
	total := countItems(paths)
	if total < progressThreshold {
		return &rateBar{}
	}
	return &rateBar{total: int64(total), start: time.Now(), first: -1,
		bar: progressbar.NewOptions64(2*int64(total), progressbar.OptionSetWriter(w), progressbar.OptionSetDescription("issuing"),
			progressbar.OptionSetElapsedTime(false), progressbar.OptionSetPredictTime(false),
			progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())}
}

// set shows p: the badges written, the rate of this run and the time left.
func (b *rateBar) set(p issuer.StreamProgress) {
	if b.bar == nil {
		return
	}
	units := 2*p.Skipped + p.Signed + p.Written
	if b.first < 0 {
		b.first = units
	}
	b.bar.Set64(units)
	now := time.Now()
	if now.Sub(b.shown) < 200*time.Millisecond {
		return
	}
	b.shown = now
	desc := fmt.Sprintf("issuing: %d of %d written, %d signed", p.Written+p.Skipped, b.total, p.Signed+p.Skipped)
	if elapsed := now.Sub(b.start).Seconds(); elapsed > 1 && units > b.first {
		perSecond := float64(units-b.first) / elapsed // units: two per badge
		left := time.Duration(float64(2*b.total-units)/perSecond) * time.Second
		desc += fmt.Sprintf(", %.0f badges/s, %s left", perSecond/2, left.Round(time.Second))
	}
	b.bar.Describe(desc)
}

func (b *rateBar) finish() {
	if b.bar != nil {
		b.bar.Finish()
	}
}
