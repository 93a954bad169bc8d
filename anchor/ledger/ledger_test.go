package ledger

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/anchor"
)

var ctx = context.Background()

func rootOf(i int) []byte {
	h := sha256.Sum256([]byte(strconv.Itoa(i)))
	return h[:]
}

func open(t *testing.T, dir string, opts ...Option) *Ledger {
	t.Helper()
	l, err := Open(dir, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func appendN(t *testing.T, l *Ledger, n int) []anchor.Record {
	t.Helper()
	var out []anchor.Record
	for i := 0; i < n; i++ {
		rec, err := l.Append(ctx, rootOf(i), "did:example:issuer")
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rec)
	}
	return out
}

func TestAppendResolveReopen(t *testing.T) {
	dir := t.TempDir()
	clock := time.Date(2026, 5, 1, 9, 30, 0, 123456789, time.FixedZone("KST", 9*3600))
	l := open(t, dir, WithClock(func() time.Time { return clock }))
	if !validID(l.ID()) {
		t.Fatalf("id %q", l.ID())
	}
	recs := appendN(t, l, 3)
	for i, rec := range recs {
		wantRef := anchor.Ref{Chain: "ledger", Network: l.ID(), ID: strconv.Itoa(i)}
		if rec.Ref != wantRef {
			t.Fatalf("record %d ref %v, want %v", i, rec.Ref, wantRef)
		}
		// The Ref survives the blink URI round trip.
		ref, err := anchor.ParseRef(rec.Ref.String())
		if err != nil || ref != wantRef {
			t.Fatalf("ParseRef(%s) = %v, %v", rec.Ref, ref, err)
		}
		got, err := l.Resolve(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Root, rootOf(i)) || got.Sender != "did:example:issuer" ||
			got.Confirmations != 1 || !got.Time.Equal(clock) || got.Time.Location() != time.UTC || got.Ref != wantRef {
			t.Fatalf("resolved %+v", got)
		}
	}
	id := l.ID()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Append(ctx, rootOf(9), "x"); !errors.Is(err, ErrClosed) {
		t.Fatalf("append after close: %v", err)
	}
	if _, err := l.Get(0); !errors.Is(err, ErrClosed) {
		t.Fatalf("get after close: %v", err)
	}

	l2 := open(t, dir)
	if l2.ID() != id {
		t.Fatalf("reopened id %q, want %q", l2.ID(), id)
	}
	if n, err := l2.Len(); err != nil || n != 3 {
		t.Fatalf("Len %d %v", n, err)
	}
	rec, err := l2.Append(ctx, rootOf(3), "0x00000000000000000000000000000000000000aa")
	if err != nil || rec.Ref.ID != "3" {
		t.Fatalf("append after reopen: %+v %v", rec, err)
	}
	if err := l2.Verify(ctx); err != nil {
		t.Fatal(err)
	}
	if other := open(t, t.TempDir()); other.ID() == id {
		t.Fatal("two new ledgers share an id")
	}
}

func TestResolveErrors(t *testing.T) {
	l := open(t, t.TempDir())
	appendN(t, l, 2)
	other := open(t, t.TempDir())
	for _, tc := range []struct {
		ref  anchor.Ref
		want error
	}{
		{other.Ref(0), anchor.ErrUnsupported},
		{anchor.Ref{Chain: "eth", Network: l.ID(), ID: "0"}, anchor.ErrUnsupported},
		{l.Ref(2), anchor.ErrNotFound},
		{l.Ref(1 << 62), anchor.ErrNotFound},
		{anchor.Ref{Chain: "ledger", Network: l.ID(), ID: "01"}, anchor.ErrInvalidRef},
		{anchor.Ref{Chain: "ledger", Network: l.ID(), ID: "-1"}, anchor.ErrInvalidRef},
		{anchor.Ref{Chain: "ledger", Network: l.ID(), ID: "99999999999999999999999"}, anchor.ErrInvalidRef},
	} {
		if _, err := l.Resolve(ctx, tc.ref); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.ref, err, tc.want)
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := l.Resolve(cctx, l.Ref(0)); !errors.Is(err, anchor.ErrUnavailable) {
		t.Errorf("cancelled: err = %v", err)
	}
}

func TestAppendRejectsBadFields(t *testing.T) {
	l := open(t, t.TempDir())
	for name, tc := range map[string]struct {
		root   []byte
		sender string
	}{
		"empty root":   {nil, "s"},
		"long root":    {make([]byte, MaxRootLen+1), "s"},
		"empty sender": {rootOf(1), ""},
		"long sender":  {rootOf(1), strings.Repeat("a", MaxSenderLen+1)},
		"bad utf-8":    {rootOf(1), "did:\xff"},
	} {
		if _, err := l.Append(ctx, tc.root, tc.sender); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if n, _ := l.Len(); n != 0 {
		t.Fatalf("Len %d after rejected appends", n)
	}
	// The limits themselves are accepted.
	if _, err := l.Append(ctx, make([]byte, MaxRootLen), strings.Repeat("한", MaxSenderLen/3)); err != nil {
		t.Fatal(err)
	}
}

func checkAll(t *testing.T, l *Ledger, want int, roots map[string][]byte) {
	t.Helper()
	n, err := l.Len()
	if err != nil || n != uint64(want) {
		t.Fatalf("Len %d %v, want %d", n, err, want)
	}
	if err := l.Verify(ctx); err != nil {
		t.Fatal(err)
	}
	for seq, root := range roots {
		rec, err := l.Resolve(ctx, anchor.Ref{Chain: "ledger", Network: l.ID(), ID: seq})
		if err != nil || !bytes.Equal(rec.Root, root) {
			t.Fatalf("record %s: %x %v, want %x", seq, rec.Root, err, root)
		}
	}
}

func TestConcurrentAppends(t *testing.T) {
	dir := t.TempDir()
	a := open(t, dir)
	b := open(t, dir)
	var mu sync.Mutex
	roots := map[string][]byte{}
	var wg sync.WaitGroup
	const workers, each = 8, 25
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := a
			if w%2 == 1 {
				l = b // a second handle on the same directory
			}
			for i := 0; i < each; i++ {
				root := rootOf(w*1000 + i)
				rec, err := l.Append(ctx, root, fmt.Sprintf("writer-%d", w))
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				if _, dup := roots[rec.Ref.ID]; dup {
					t.Errorf("sequence %s handed out twice", rec.Ref.ID)
				}
				roots[rec.Ref.ID] = root
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	checkAll(t, a, workers*each, roots)
	checkAll(t, b, workers*each, roots)
}

// TestHelperAppender is run as a separate process by TestAppendsFromProcesses.
func TestHelperAppender(t *testing.T) {
	dir := os.Getenv("BADGEPROOF_LEDGER_HELPER_DIR")
	if dir == "" {
		t.Skip("helper process only")
	}
	l, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for i := 0; i < 50; i++ {
		rec, err := l.Append(ctx, rootOf(i), "helper")
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("appended %s %x\n", rec.Ref.ID, rec.Root)
	}
}

func TestAppendsFromProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	l := open(t, dir)
	var wg sync.WaitGroup
	outs := make([][]byte, 3)
	for p := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperAppender$", "-test.v")
			cmd.Env = append(os.Environ(), "BADGEPROOF_LEDGER_HELPER_DIR="+dir)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Errorf("helper: %v\n%s", err, out)
			}
			outs[p] = out
		}()
	}
	appendN(t, l, 50)
	wg.Wait()
	roots := map[string][]byte{}
	for _, out := range outs {
		for _, line := range strings.Split(string(out), "\n") {
			var seq string
			var root []byte
			if _, err := fmt.Sscanf(line, "appended %s %x", &seq, &root); err == nil {
				if _, dup := roots[seq]; dup {
					t.Fatalf("sequence %s handed out twice", seq)
				}
				roots[seq] = root
			}
		}
	}
	if len(roots) != 150 {
		t.Fatalf("helpers reported %d appends, want 150", len(roots))
	}
	checkAll(t, l, 200, roots)
}

func recordsPath(l *Ledger) string { return filepath.Join(l.dir, recordFile) }

// Damage to committed records at the tail of the log (issue 11: a cut in
// the middle of the last record, or a flipped byte in it, looked like an
// append that never happened, and the next append reused its number) is
// detected on open, by Verify and by Append, and no number is reused.
func TestCommittedTailDamage(t *testing.T) {
	for name, tear := range map[string]func(t *testing.T, path string){
		"cut mid-record": func(t *testing.T, path string) {
			if err := os.Truncate(path, 3*RecordSize-100); err != nil {
				t.Fatal(err)
			}
		},
		"whole last record cut": func(t *testing.T, path string) {
			if err := os.Truncate(path, 2*RecordSize); err != nil {
				t.Fatal(err)
			}
		},
		"zeroed record": func(t *testing.T, path string) {
			f, _ := os.OpenFile(path, os.O_RDWR, 0)
			defer f.Close()
			f.WriteAt(make([]byte, RecordSize), 2*RecordSize)
		},
		"half-written record": func(t *testing.T, path string) {
			f, _ := os.OpenFile(path, os.O_RDWR, 0)
			defer f.Close()
			f.WriteAt(make([]byte, RecordSize/2), 2*RecordSize+RecordSize/2)
		},
		"flipped byte": func(t *testing.T, path string) { flip(t, path, 2*RecordSize+offRoot+3) },
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			l := open(t, dir)
			appendN(t, l, 3)
			tear(t, recordsPath(l))
			if _, err := Open(dir); !errors.Is(err, anchor.ErrCorrupt) {
				t.Fatalf("Open: %v, want ErrCorrupt", err)
			}
			if _, err := OpenReadOnly(dir); !errors.Is(err, anchor.ErrCorrupt) {
				t.Fatalf("OpenReadOnly: %v, want ErrCorrupt", err)
			}
			if err := l.Verify(ctx); !errors.Is(err, anchor.ErrCorrupt) {
				t.Fatalf("Verify: %v, want ErrCorrupt", err)
			}
			if _, err := l.Len(); !errors.Is(err, anchor.ErrCorrupt) {
				t.Fatalf("Len: %v, want ErrCorrupt", err)
			}
			if _, err := l.Resolve(ctx, l.Ref(2)); !errors.Is(err, anchor.ErrCorrupt) {
				t.Fatalf("damaged record: %v, want ErrCorrupt (not not-found)", err)
			}
			rec, err := l.Append(ctx, rootOf(42), "s")
			if !errors.Is(err, anchor.ErrCorrupt) {
				t.Fatalf("append after damage: %+v %v, want a refusal", rec, err)
			}
			if _, err := Repair(dir); !errors.Is(err, anchor.ErrCorrupt) {
				t.Fatalf("Repair of lost records: %v, want a refusal", err)
			}
			if _, err := l.Append(ctx, rootOf(43), "s"); err == nil {
				t.Fatal("append after a refused repair")
			}
		})
	}
}

// An append cut short by a crash (part of the record written, the head not
// yet updated) is benign: the ledger opens, the number was never handed
// out, and the next append takes it.
func TestInterruptedAppend(t *testing.T) {
	for _, keep := range []int{5, 12, 100, RecordSize - 1} {
		t.Run(strconv.Itoa(keep), func(t *testing.T) {
			dir := t.TempDir()
			l := open(t, dir)
			appendN(t, l, 4)
			// Record 3 as it would be written, with the head still at 3.
			whole, _ := os.ReadFile(recordsPath(l))
			os.Truncate(recordsPath(l), 3*RecordSize)
			writeHeadAt(t, l, 3)
			f, _ := os.OpenFile(recordsPath(l), os.O_RDWR, 0)
			f.WriteAt(whole[3*RecordSize:3*RecordSize+keep], 3*RecordSize)
			f.Close()

			l2, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer l2.Close()
			if err := l2.Verify(ctx); err != nil {
				t.Fatal(err)
			}
			if n, err := l2.Len(); n != 3 || err != nil {
				t.Fatalf("Len %d %v", n, err)
			}
			if _, err := l2.Resolve(ctx, l2.Ref(3)); !errors.Is(err, anchor.ErrNotFound) {
				t.Fatalf("interrupted record: %v, want ErrNotFound", err)
			}
			rec, err := l2.Append(ctx, rootOf(42), "s")
			if err != nil || rec.Ref.ID != "3" {
				t.Fatalf("append: %+v %v", rec, err)
			}
			checkAll(t, l2, 4, map[string][]byte{"2": rootOf(2), "3": rootOf(42)})
		})
	}
	t.Run("whole record, head not updated", func(t *testing.T) {
		dir := t.TempDir()
		l := open(t, dir)
		appendN(t, l, 4)
		writeHeadAt(t, l, 3)
		rec, err := l.Append(ctx, rootOf(42), "s")
		if err != nil || rec.Ref.ID != "4" {
			t.Fatalf("append: %+v %v, want record 3 kept and 4 appended", rec, err)
		}
		checkAll(t, l, 5, map[string][]byte{"3": rootOf(3), "4": rootOf(42)})
	})
}

// writeHeadAt rewinds l's head to n committed records.
func writeHeadAt(t *testing.T, l *Ledger, n uint64) {
	t.Helper()
	var h head
	h.n = n
	if n > 0 {
		e, err := l.readEntry(l.f, n-1)
		if err != nil {
			t.Fatal(err)
		}
		h.last = e.hash
	}
	if err := writeHead(l.dir, l.id, h); err != nil {
		t.Fatal(err)
	}
}

// Garbage after the last record (issue 11: 1,024 bytes made the last real
// batch fail) never hides it; it is reported, blocks appends, and Repair
// cuts it, keeping a copy.
func TestTrailingGarbage(t *testing.T) {
	dir := t.TempDir()
	l := open(t, dir)
	appendN(t, l, 3)
	garbage := bytes.Repeat([]byte("garbage!"), 128)
	f, _ := os.OpenFile(recordsPath(l), os.O_RDWR|os.O_APPEND, 0)
	f.Write(garbage)
	f.Close()

	for seq := uint64(0); seq < 3; seq++ {
		if rec, err := l.Resolve(ctx, l.Ref(seq)); err != nil || !bytes.Equal(rec.Root, rootOf(int(seq))) {
			t.Fatalf("record %d behind garbage: %v", seq, err)
		}
	}
	if err := l.Verify(ctx); !errors.Is(err, anchor.ErrCorrupt) || !strings.Contains(err.Error(), "garbage") {
		t.Fatalf("Verify: %v", err)
	}
	if _, err := Open(dir); !errors.Is(err, anchor.ErrCorrupt) {
		t.Fatalf("Open: %v", err)
	}
	if _, err := l.Append(ctx, rootOf(9), "s"); !errors.Is(err, anchor.ErrCorrupt) {
		t.Fatalf("Append over garbage: %v", err)
	}
	msg, err := Repair(dir)
	if err != nil || !strings.Contains(msg, "1024 bytes of trailing garbage") {
		t.Fatalf("Repair: %q %v", msg, err)
	}
	saved, _ := filepath.Glob(filepath.Join(dir, "records.cut-*"))
	if len(saved) != 1 {
		t.Fatalf("saved copies: %v", saved)
	}
	if b, _ := os.ReadFile(saved[0]); !bytes.Equal(b, garbage) {
		t.Fatal("the saved copy is not the garbage cut")
	}
	if msg, err := Repair(dir); msg != "" || err != nil {
		t.Fatalf("second Repair: %q %v", msg, err)
	}
	rec, err := l.Append(ctx, rootOf(42), "s")
	if err != nil || rec.Ref.ID != "3" {
		t.Fatalf("append after repair: %+v %v", rec, err)
	}
	if err := l.Verify(ctx); err != nil {
		t.Fatal(err)
	}
}

// A reader never creates a ledger: a mistyped directory is an error, and
// nothing is left behind.
func TestOpenReadOnly(t *testing.T) {
	typo := filepath.Join(t.TempDir(), "typo")
	if _, err := OpenReadOnly(typo); !errors.Is(err, ErrNotLedger) || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("OpenReadOnly(typo): %v", err)
	}
	if _, err := os.Stat(typo); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the typo directory was created: %v", err)
	}
	empty := t.TempDir()
	if _, err := OpenReadOnly(empty); !errors.Is(err, ErrNotLedger) {
		t.Fatalf("OpenReadOnly(empty dir): %v", err)
	}
	if names, _ := os.ReadDir(empty); len(names) != 0 {
		t.Fatalf("files created in an empty directory: %v", names)
	}

	dir := t.TempDir()
	w := open(t, dir)
	appendN(t, w, 2)
	r, err := OpenReadOnly(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if rec, err := r.Resolve(ctx, r.Ref(1)); err != nil || !bytes.Equal(rec.Root, rootOf(1)) {
		t.Fatalf("read-only resolve: %v", err)
	}
	if _, err := r.Append(ctx, rootOf(5), "s"); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("read-only append: %v", err)
	}
	// It sees what the writer appends later.
	appendN(t, w, 3)
	if rec, err := r.Resolve(ctx, r.Ref(2)); err != nil || !bytes.Equal(rec.Root, rootOf(0)) {
		t.Fatalf("read-only resolve of a later record: %+v %v", rec, err)
	}
}

func flip(t *testing.T, path string, off int64) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := make([]byte, 1)
	f.ReadAt(b, off)
	b[0] ^= 0x01
	f.WriteAt(b, off)
}

func TestAlteredRecord(t *testing.T) {
	for _, off := range []int64{0, offSeq + 7, offTime, offRoot + 5, offSender, offPrev + 31, offPad + 3, offHash + 1} {
		t.Run(strconv.FormatInt(off, 10), func(t *testing.T) {
			l := open(t, t.TempDir())
			appendN(t, l, 6)
			flip(t, recordsPath(l), 3*RecordSize+off)
			for seq := uint64(0); seq < 6; seq++ {
				_, err := l.Resolve(ctx, l.Ref(seq))
				damaged := seq >= 2 && seq <= 4 // the record and its neighbours
				if damaged && !errors.Is(err, anchor.ErrCorrupt) {
					t.Errorf("record %d: err = %v, want ErrCorrupt", seq, err)
				}
				if !damaged && err != nil {
					t.Errorf("record %d: %v", seq, err)
				}
			}
			err := l.Verify(ctx)
			if !errors.Is(err, anchor.ErrCorrupt) || !strings.Contains(err.Error(), "record 3") {
				t.Fatalf("Verify: %v", err)
			}
		})
	}
}

// A record rewritten with a valid seal is caught by its successor's link.
func TestResealedRecord(t *testing.T) {
	l := open(t, t.TempDir())
	appendN(t, l, 4)
	f, _ := os.OpenFile(recordsPath(l), os.O_RDWR, 0)
	b := make([]byte, RecordSize)
	f.ReadAt(b, 1*RecordSize)
	e, err := decodeRecord(l.ID(), b, 1)
	if err != nil {
		t.Fatal(err)
	}
	e.root = rootOf(666)
	f.WriteAt(e.encode(l.ID()), 1*RecordSize)
	f.Close()
	if _, err := l.Resolve(ctx, l.Ref(1)); !errors.Is(err, anchor.ErrCorrupt) {
		t.Fatalf("forged record: err = %v", err)
	}
	if _, err := l.Resolve(ctx, l.Ref(2)); !errors.Is(err, anchor.ErrCorrupt) {
		t.Fatalf("successor of forged record: err = %v", err)
	}
	if err := l.Verify(ctx); !errors.Is(err, anchor.ErrCorrupt) {
		t.Fatalf("Verify: %v", err)
	}
}

// Records are sealed with the ledger id: a copy under another id fails.
func TestRecordsBoundToLedger(t *testing.T) {
	src := open(t, t.TempDir())
	appendN(t, src, 2)
	data, _ := os.ReadFile(recordsPath(src))
	dst := open(t, t.TempDir())
	if err := os.WriteFile(recordsPath(dst), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := dst.Resolve(ctx, dst.Ref(0)); !errors.Is(err, anchor.ErrCorrupt) {
		t.Fatalf("transplanted record: err = %v", err)
	}
}

func TestOpenRejectsBadID(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, idFile), []byte("not-an-id\n"), 0o644)
	if _, err := Open(dir); err == nil {
		t.Fatal("opened a ledger with a bad id")
	}
	if _, err := Open(t.TempDir(), WithClock(nil)); err == nil {
		t.Fatal("nil clock accepted")
	}
}

func TestPublisher(t *testing.T) {
	l := open(t, t.TempDir())
	var p anchor.Publisher = l.Publisher("did:key:z6Mk")
	rec, err := p.Publish(ctx, rootOf(5))
	if err != nil {
		t.Fatal(err)
	}
	got, err := l.Resolve(ctx, rec.Ref)
	if err != nil || got.Sender != "did:key:z6Mk" || !bytes.Equal(got.Root, rootOf(5)) {
		t.Fatalf("%+v %v", got, err)
	}
}

func TestCacheReadsLedgerOnce(t *testing.T) {
	l := open(t, t.TempDir())
	recs := appendN(t, l, 3)
	c, err := anchor.NewCache(l)
	if err != nil {
		t.Fatal(err)
	}
	before := l.Reads()
	var wg sync.WaitGroup
	for i := 0; i < 1000; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec, err := c.Resolve(ctx, recs[1].Ref)
			if err != nil || !bytes.Equal(rec.Root, rootOf(1)) {
				t.Errorf("%+v %v", rec, err)
			}
		}()
	}
	wg.Wait()
	if got := l.Reads() - before; got != 1 {
		t.Fatalf("ledger read %d times for 1000 lookups of one record, want 1", got)
	}
}

func BenchmarkGet(b *testing.B) {
	l, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	for i := 0; i < 100; i++ {
		l.Append(ctx, rootOf(i), "s")
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Get(50); err != nil {
			b.Fatal(err)
		}
	}
}

// A publisher finds the roots its sender appended among the latest
// records, a whole record whose commit a crash prevented included (it is
// committed, so that the record found resolves).
func TestPublisherFind(t *testing.T) {
	ctx := context.Background()
	l := open(t, t.TempDir())
	appendN(t, l, 4) // roots 0..3
	f := l.Publisher("did:example:issuer").(anchor.Finder)
	r, err := f.Find(ctx, rootOf(2))
	if err != nil || r.Ref.ID != "2" {
		t.Fatalf("Find(root 2) = %+v, %v", r, err)
	}
	if _, err := l.Publisher("other").(anchor.Finder).Find(ctx, rootOf(2)); !errors.Is(err, anchor.ErrNotFound) {
		t.Errorf("another sender's Find: %v, want ErrNotFound", err)
	}
	if _, err := f.Find(ctx, rootOf(9)); !errors.Is(err, anchor.ErrNotFound) {
		t.Errorf("Find(a root never appended): %v, want ErrNotFound", err)
	}
	// Record 3 on disk, its commit lost: found, and committed.
	writeHeadAt(t, l, 3)
	if n, _ := l.Len(); n != 3 {
		t.Fatalf("Len = %d after rewinding the head", n)
	}
	r, err = f.Find(ctx, rootOf(3))
	if err != nil || r.Ref.ID != "3" {
		t.Fatalf("Find(root of the uncommitted record) = %+v, %v", r, err)
	}
	if n, _ := l.Len(); n != 4 {
		t.Errorf("Len = %d, want 4: the record found is committed", n)
	}
	if got, err := l.Get(3); err != nil || !bytes.Equal(got.Root, rootOf(3)) {
		t.Errorf("Get(3) = %+v, %v", got, err)
	}
}
