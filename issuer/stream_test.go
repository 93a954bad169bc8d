package issuer_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/anchor"
	"github.com/badgeproof/badgeproof/anchor/ledger"
	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/canon"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/badgeproof/badgeproof/verify"
)

// sliceSource yields the unsigned credentials as input items.
type sliceSource struct {
	items []issuer.Item
	next  int
}

func (s *sliceSource) Next() (issuer.Item, error) {
	if s.next == len(s.items) {
		return issuer.Item{}, io.EOF
	}
	s.next++
	return s.items[s.next-1], nil
}

func itemsOf(t testing.TB, creds []*badge.Credential) []issuer.Item {
	t.Helper()
	items := make([]issuer.Item, len(creds))
	for i, c := range creds {
		b, err := issuer.MarshalDocument(c.Members())
		require.NoError(t, err)
		items[i] = issuer.Item{Name: fmt.Sprintf("in.jsonl:%d", i+1), Data: b}
	}
	return items
}

// memSink keeps what was put, counting puts per badge.
type memSink struct {
	docs    map[string][]byte
	puts    map[string]int
	commits []int
	failAt  int // fail the failAt-th Put (from 1); 0: never
	n       int
}

func newMemSink() *memSink { return &memSink{docs: map[string][]byte{}, puts: map[string]int{}} }

func (m *memSink) Begin(int) error { return nil }
func (m *memSink) Put(b issuer.Issued) error {
	m.n++
	if m.failAt > 0 && m.n == m.failAt {
		return errors.New("disk full")
	}
	if prev, ok := m.docs[b.ID]; ok && !bytes.Equal(prev, b.Doc) {
		return fmt.Errorf("badge %s written twice with different bytes", b.ID)
	}
	m.docs[b.ID] = b.Doc
	m.puts[b.ID]++
	return nil
}
func (m *memSink) Commit(n int) error { m.commits = append(m.commits, n); return nil }

// countingPublisher counts anchors and can fail the next one.
type countingPublisher struct {
	inner anchor.Publisher
	n     atomic.Int32
	fail  atomic.Bool
}

func (p *countingPublisher) Publish(ctx context.Context, root []byte) (anchor.Record, error) {
	if p.fail.Swap(false) {
		return anchor.Record{}, errors.New("node unreachable")
	}
	p.n.Add(1)
	return p.inner.Publish(ctx, root)
}

func streamLedger(t testing.TB) *ledger.Ledger {
	t.Helper()
	l, err := ledger.Open(t.TempDir())
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	return l
}

// A stream's badges are the badges Batch.Issue writes for the same input
// (same clock, same anchor), in JCS form, and every one verifies.
func TestStreamMatchesBatch(t *testing.T) {
	ctx := context.Background()
	s := batchSigner(t, keys.Ed25519)
	creds := batchCreds(t, s.DID(), 9)
	l := streamLedger(t)
	st, err := issuer.NewStream(s, l.Publisher(s.DID()), t.TempDir(), issuer.WithStreamWorkers(3))
	require.NoError(t, err)
	sink := newMemSink()
	res, err := st.Run(ctx, &sliceSource{items: itemsOf(t, creds)}, sink)
	require.NoError(t, err)
	require.Len(t, res.Batches, 1)
	require.EqualValues(t, 9, res.Written)
	require.Equal(t, []int{1}, sink.commits)

	// The same batch through Batch.Issue, anchored at the same ref.
	ref, err := anchor.ParseRef(res.Batches[0].Anchor)
	require.NoError(t, err)
	fixed := fixedPublisher{ref: ref}
	b, err := issuer.NewBatch(&fixed, issuer.WithBatchSigner(s))
	require.NoError(t, err)
	docs, _, err := b.Issue(ctx, signAll(t, s, creds))
	require.NoError(t, err)
	v, err := verify.New(verify.WithTrustedKey(s.DID()), verify.WithAnchorResolver(l), verify.WithClock(batchClock))
	require.NoError(t, err)
	for i, c := range creds {
		// The stream writes the badge in JCS form.
		want, err := canon.JCS(docs[i])
		require.NoError(t, err)
		require.Equal(t, string(want), string(sink.docs[c.ID]), "badge %d", i)
		r := v.Verify(ctx, sink.docs[c.ID], verify.Binding{})
		require.Equal(t, verify.StatusVerified, r.Status, "%+v", r.Checks)
	}
}

// fixedPublisher records nothing and answers with the given ref.
type fixedPublisher struct{ ref anchor.Ref }

func (f *fixedPublisher) Publish(_ context.Context, root []byte) (anchor.Record, error) {
	return anchor.Record{Ref: f.ref, Root: root}, nil
}

// Batches of a set size each get their own tree and anchor.
func TestStreamBatches(t *testing.T) {
	ctx := context.Background()
	s := batchSigner(t, keys.P256)
	creds := batchCreds(t, s.DID(), 10)
	l := streamLedger(t)
	pub := &countingPublisher{inner: l.Publisher(s.DID())}
	st, err := issuer.NewStream(s, pub, t.TempDir(), issuer.WithStreamBatchSize(4))
	require.NoError(t, err)
	dir := t.TempDir()
	sink := &issuer.DirSink{Dir: dir, Shard: true}
	res, err := st.Run(ctx, &sliceSource{items: itemsOf(t, creds)}, sink)
	require.NoError(t, err)
	require.Len(t, res.Batches, 3)
	require.Equal(t, []int{4, 4, 2}, []int{res.Batches[0].Count, res.Batches[1].Count, res.Batches[2].Count})
	require.EqualValues(t, 3, pub.n.Load())
	v, err := verify.New(verify.WithTrustedKey(s.DID()), verify.WithAnchorResolver(l), verify.WithClock(batchClock))
	require.NoError(t, err)
	for i, c := range creds {
		doc, err := os.ReadFile(sink.Path(issuer.Issued{ID: c.ID}))
		require.NoError(t, err, "badge %d", i)
		r := v.Verify(ctx, doc, verify.Binding{})
		require.Equal(t, verify.StatusVerified, r.Status, "%+v", r.Checks)
		require.Len(t, r.Anchors, 1)
		require.Equal(t, res.Batches[i/4].Anchor, r.Anchors[0].URI)
	}
	// JSON Lines output: one file per batch, one badge per line.
	jdir := t.TempDir()
	jsink := &issuer.JSONLinesSink{Dir: jdir}
	st2, err := issuer.NewStream(s, pub, t.TempDir(), issuer.WithStreamBatchSize(4))
	require.NoError(t, err)
	_, err = st2.Run(ctx, &sliceSource{items: itemsOf(t, creds)}, jsink)
	require.NoError(t, err)
	lines := 0
	for n := 1; n <= 3; n++ {
		f, err := os.Open(jsink.BatchFile(n))
		require.NoError(t, err)
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			r := v.Verify(ctx, sc.Bytes(), verify.Binding{})
			require.Equal(t, verify.StatusVerified, r.Status)
			lines++
		}
		f.Close()
	}
	require.Equal(t, 10, lines)
}

// A run that stops halfway (a sink error, an anchor that fails) is resumed
// by running it again: written batches are skipped, nothing is anchored or
// issued twice, and the badges are the same bytes.
func TestStreamResume(t *testing.T) {
	ctx := context.Background()
	s := batchSigner(t, keys.Ed25519)
	creds := batchCreds(t, s.DID(), 12)
	items := itemsOf(t, creds)
	l := streamLedger(t)
	pub := &countingPublisher{inner: l.Publisher(s.DID())}
	state := t.TempDir()
	newStream := func() *issuer.Stream {
		st, err := issuer.NewStream(s, pub, state, issuer.WithStreamBatchSize(5))
		require.NoError(t, err)
		return st
	}
	sink := newMemSink()
	sink.failAt = 7 // the second badge of batch 2
	_, err := newStream().Run(ctx, &sliceSource{items: items}, sink)
	require.ErrorContains(t, err, "disk full")
	require.EqualValues(t, 2, pub.n.Load(), "batches 1 and 2 were anchored")

	sink.failAt = 0
	pub.fail.Store(true) // batch 3's anchor fails once
	_, err = newStream().Run(ctx, &sliceSource{items: items}, sink)
	require.ErrorContains(t, err, "node unreachable")
	require.EqualValues(t, 2, pub.n.Load(), "batch 2 was finished from its spool, not anchored again")

	res, err := newStream().Run(ctx, &sliceSource{items: items}, sink)
	require.NoError(t, err)
	require.EqualValues(t, 3, pub.n.Load())
	require.EqualValues(t, 10, res.Skipped)
	require.EqualValues(t, 2, res.Written)
	for i, c := range creds {
		require.Contains(t, sink.docs, c.ID, "badge %d", i)
		want := 1
		if i == 5 {
			want = 2 // put before the failure and again on resume, with the same bytes (memSink checks)
		}
		require.Equal(t, want, sink.puts[c.ID], "badge %d", i)
	}
	require.Equal(t, []int{1, 2, 3}, sink.commits)

	// A changed input is refused instead of being mixed with the earlier run.
	changed := append([]issuer.Item(nil), items...)
	changed[2].Data = bytes.Replace(changed[2].Data, []byte("정보처리"), []byte("전기"), 1)
	_, err = newStream().Run(ctx, &sliceSource{items: changed}, sink)
	require.ErrorContains(t, err, "differs")
}

// A run killed with SIGKILL in the middle of writing is resumed without
// issuing any badge twice: every badge ends up in exactly one batch and
// every batch has one anchor.
func TestStreamKilledAndResumed(t *testing.T) {
	if os.Getenv("BADGEPROOF_STREAM_CHILD") != "" {
		t.Skip("run as the child of TestStreamKilledAndResumed")
	}
	dir := t.TempDir()
	k, err := keys.Generate(keys.Ed25519)
	require.NoError(t, err)
	require.NoError(t, keys.WriteFile(filepath.Join(dir, "key"), k))
	start := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestStreamChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "BADGEPROOF_STREAM_CHILD="+dir)
		cmd.Stderr = os.Stderr
		return cmd
	}
	// Kill the first run once it has written some badges.
	cmd := start()
	require.NoError(t, cmd.Start())
	out := filepath.Join(dir, "out")
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if n, _ := os.ReadDir(out); len(n) >= 30 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	require.NoError(t, cmd.Process.Kill())
	_ = cmd.Wait()
	written, _ := os.ReadDir(out)
	require.Less(t, len(written), streamChildCount, "the run was killed before it finished")

	cmd = start()
	require.NoError(t, cmd.Run())
	l, err := ledger.Open(filepath.Join(dir, "ledger"))
	require.NoError(t, err)
	defer l.Close()
	v, err := verify.New(verify.WithTrustedKey(k.PublicKey().DID()), verify.WithAnchorResolver(l), verify.WithClock(batchClock))
	require.NoError(t, err)
	files, err := os.ReadDir(out)
	require.NoError(t, err)
	require.Len(t, files, streamChildCount)
	anchors := map[string]int{}
	for _, f := range files {
		doc, err := os.ReadFile(filepath.Join(out, f.Name()))
		require.NoError(t, err)
		r := v.Verify(context.Background(), doc, verify.Binding{})
		require.Equal(t, verify.StatusVerified, r.Status, "%s: %+v", f.Name(), r.Checks)
		anchors[r.Anchors[0].URI]++
	}
	// The ledger holds one record per batch, and no batch was anchored twice.
	require.Len(t, anchors, (streamChildCount+streamChildBatch-1)/streamChildBatch)
	seq, err := l.Len()
	require.NoError(t, err)
	require.EqualValues(t, len(anchors), seq, "one ledger record per batch: nothing anchored twice")
}

const (
	streamChildCount = 200
	streamChildBatch = 40
)

// TestStreamChild is the process TestStreamKilledAndResumed kills and
// resumes; it writes slowly so that the kill lands mid-run.
func TestStreamChild(t *testing.T) {
	dir := os.Getenv("BADGEPROOF_STREAM_CHILD")
	if dir == "" {
		t.Skip("helper process of TestStreamKilledAndResumed")
	}
	k, err := keys.ReadFile(filepath.Join(dir, "key"))
	require.NoError(t, err)
	s, err := issuer.NewSigner(k, issuer.WithClock(batchClock))
	require.NoError(t, err)
	l, err := ledger.Open(filepath.Join(dir, "ledger"))
	require.NoError(t, err)
	defer l.Close()
	st, err := issuer.NewStream(s, l.Publisher(s.DID()), filepath.Join(dir, "state"), issuer.WithStreamBatchSize(streamChildBatch))
	require.NoError(t, err)
	_, err = st.Run(context.Background(), &sliceSource{items: itemsOf(t, batchCreds(t, s.DID(), streamChildCount))},
		slowSink{&issuer.DirSink{Dir: filepath.Join(dir, "out")}})
	require.NoError(t, err)
}

type slowSink struct{ *issuer.DirSink }

func (s slowSink) Put(b issuer.Issued) error {
	time.Sleep(time.Millisecond)
	return s.DirSink.Put(b)
}

// A stream signs with the signer's chosen cryptosuite, and refuses what the
// signer refuses: a credential that breaks the data model is never signed.
func TestStreamSignsAsTheSigner(t *testing.T) {
	ctx := context.Background()
	k, err := keys.Generate(keys.Ed25519)
	require.NoError(t, err)
	s, err := issuer.NewSigner(k, issuer.WithClock(batchClock), issuer.WithCryptosuite("eddsa-rdfc-2022"))
	require.NoError(t, err)
	creds := batchCreds(t, s.DID(), 3)
	l := streamLedger(t)
	st, err := issuer.NewStream(s, l.Publisher(s.DID()), t.TempDir())
	require.NoError(t, err)
	sink := newMemSink()
	_, err = st.Run(ctx, &sliceSource{items: itemsOf(t, creds)}, sink)
	require.NoError(t, err)
	v, err := verify.New(verify.WithTrustedKey(s.DID()), verify.WithAnchorResolver(l), verify.WithClock(batchClock))
	require.NoError(t, err)
	for _, c := range creds {
		parsed, err := badge.ParseCredential(sink.docs[c.ID], badge.Limits{})
		require.NoError(t, err)
		require.Equal(t, "eddsa-rdfc-2022", parsed.Proofs[0].Cryptosuite)
		require.Equal(t, issuer.BatchCryptosuite, parsed.Proofs[1].Cryptosuite)
		r := v.Verify(ctx, sink.docs[c.ID], verify.Binding{})
		require.Equal(t, verify.StatusVerified, r.Status, "%+v", r.Checks)
	}

	// An id that is not a URL breaks the data model: the run stops before
	// anything of that batch is anchored.
	items := itemsOf(t, creds)
	items[1].Data = bytes.Replace(items[1].Data, []byte(`"id": "`+creds[1].ID+`"`), []byte(`"id": "not a url"`), 1)
	require.Contains(t, string(items[1].Data), "not a url")
	requireRefusedUnanchored(t, s, l, items, "in.jsonl:2")
}

// requireRefusedUnanchored runs items through a new Stream anchoring on
// l and requires the run to refuse an input as breaking the data model,
// with an error that says each of want, before anything is anchored.
func requireRefusedUnanchored(t *testing.T, s *issuer.Signer, l *ledger.Ledger, items []issuer.Item, want ...string) {
	t.Helper()
	pub := &countingPublisher{inner: l.Publisher(s.DID())}
	st, err := issuer.NewStream(s, pub, t.TempDir())
	require.NoError(t, err)
	_, err = st.Run(context.Background(), &sliceSource{items: items}, newMemSink())
	require.ErrorIs(t, err, issuer.ErrDataModel)
	for _, w := range want {
		require.ErrorContains(t, err, w)
	}
	require.Zero(t, pub.n.Load(), "nothing is anchored")
}

// The JSON-LD terms are checked once per shape of credential, and a
// credential of a new shape is checked again: here, with a context that
// leaves undefined terms undefined ({"@vocab": null}), a type no context
// defines is refused although every other property is as before.
func TestStreamChecksEachShape(t *testing.T) {
	s := batchSigner(t, keys.Ed25519)
	creds := batchCreds(t, s.DID(), 6)
	items := itemsOf(t, creds)
	strict := []byte(`"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    {"@vocab": null}`)
	for i := range items {
		items[i].Data = bytes.Replace(items[i].Data, []byte(`"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"`), strict, 1)
		require.Contains(t, string(items[i].Data), `"@vocab": null`)
	}
	items[4].Data = bytes.Replace(items[4].Data, []byte(`"OpenBadgeCredential"`), []byte(`"OpenBadgeCredential", "NoSuchBadgeType"`), 1)
	require.Contains(t, string(items[4].Data), "NoSuchBadgeType")
	st, err := issuer.NewStream(s, streamLedger(t).Publisher(s.DID()), t.TempDir(), issuer.WithStreamWorkers(1))
	require.NoError(t, err)
	_, err = st.Run(context.Background(), &sliceSource{items: items}, newMemSink())
	require.ErrorIs(t, err, issuer.ErrDataModel)
	require.ErrorContains(t, err, "in.jsonl:5")
}

// slowPublisher takes its time, as a chain that mines a block does, and
// notes how many badges were signed when each anchoring ended.
type slowPublisher struct {
	inner  anchor.Publisher
	signed *atomic.Int64
	atEnd  []int64
}

func (p *slowPublisher) Publish(ctx context.Context, root []byte) (anchor.Record, error) {
	select {
	case <-time.After(500 * time.Millisecond):
	case <-ctx.Done():
		return anchor.Record{}, ctx.Err()
	}
	r, err := p.inner.Publish(ctx, root)
	p.atEnd = append(p.atEnd, p.signed.Load())
	return r, err
}

// While a batch is anchored, the next one is signed; batches are still
// anchored and written one at a time, in order.
func TestStreamSignsWhileAnchoring(t *testing.T) {
	s := batchSigner(t, keys.Ed25519)
	creds := batchCreds(t, s.DID(), 30)
	l := streamLedger(t)
	var signed atomic.Int64
	pub := &slowPublisher{inner: l.Publisher(s.DID()), signed: &signed}
	st, err := issuer.NewStream(s, pub, t.TempDir(), issuer.WithStreamBatchSize(10),
		issuer.WithStreamProgress(func(p issuer.StreamProgress) { signed.Store(p.Signed) }))
	require.NoError(t, err)
	sink := newMemSink()
	res, err := st.Run(context.Background(), &sliceSource{items: itemsOf(t, creds)}, sink)
	require.NoError(t, err)
	require.Len(t, res.Batches, 3)
	require.Equal(t, []int{1, 2, 3}, sink.commits)
	require.Len(t, pub.atEnd, 3)
	require.Greater(t, pub.atEnd[0], int64(10), "batch 2 was signed while batch 1 was anchored")
	for i, b := range res.Batches {
		require.Equal(t, i+1, b.Batch)
		require.Equal(t, fmt.Sprintf("blink:ledger:%s:%d", l.ID(), i), b.Anchor)
	}
}

// A stream signs with the JCS suite of every key type the SDK has (for
// P-384, with SHA-384), and every badge verifies; a credential that comes
// with a proof keeps it first in its proof set.
func TestStreamEveryKeyType(t *testing.T) {
	ctx := context.Background()
	for _, typ := range []keys.Type{keys.Ed25519, keys.P256, keys.P384, keys.Secp256k1} {
		t.Run(string(typ), func(t *testing.T) {
			s := batchSigner(t, typ)
			creds := batchCreds(t, s.DID(), 5)
			items := itemsOf(t, creds)
			// The third credential is already signed by another key.
			other := batchSigner(t, keys.Ed25519)
			signed, err := other.SignCredential(creds[2])
			require.NoError(t, err)
			items[2].Data = signed
			l := streamLedger(t)
			st, err := issuer.NewStream(s, l.Publisher(s.DID()), t.TempDir())
			require.NoError(t, err)
			sink := newMemSink()
			_, err = st.Run(ctx, &sliceSource{items: items}, sink)
			require.NoError(t, err)
			v, err := verify.New(verify.WithTrustedKey(s.DID()), verify.WithTrustedKey(other.DID()), verify.WithAnchorResolver(l), verify.WithClock(batchClock))
			require.NoError(t, err)
			for i, c := range creds {
				doc := sink.docs[c.ID]
				r := v.Verify(ctx, doc, verify.Binding{})
				require.Equal(t, verify.StatusVerified, r.Status, "badge %d: %+v", i, r.Checks)
				parsed, err := badge.ParseCredential(doc, badge.Limits{})
				require.NoError(t, err)
				want := 2
				if i == 2 {
					want = 3
					require.Equal(t, other.VerificationMethod(), parsed.Proofs[0].VerificationMethod)
				}
				require.Len(t, parsed.Proofs, want)
				require.Equal(t, issuer.BatchCryptosuite, parsed.Proofs[want-1].Cryptosuite)
				canonical, err := canon.JCS(doc)
				require.NoError(t, err)
				require.Equal(t, string(canonical), string(doc), "the badge is written in JCS form")
			}
		})
	}
}

// A stream refuses what its signer refuses for a relatedResource: a digest
// that does not match the content the signer was given.
func TestStreamChecksRelatedResources(t *testing.T) {
	k, err := keys.Generate(keys.Ed25519)
	require.NoError(t, err)
	s, err := issuer.NewSigner(k, issuer.WithClock(batchClock),
		issuer.WithRelatedResources(map[string][]byte{"https://example.org/ctx.json": []byte(`{"@context":{"ex":"https://example.org/#"}}`)}))
	require.NoError(t, err)
	items := itemsOf(t, batchCreds(t, s.DID(), 4))
	items[2].Data = bytes.Replace(items[2].Data, []byte("{"),
		[]byte(`{"relatedResource":{"id":"https://example.org/ctx.json","digestMultibase":"uM4RgWQc3RUDtjJCSgTJtTfvpZ7SPEg_LNO0ESlovQC0"},`), 1)
	l := streamLedger(t)
	requireRefusedUnanchored(t, s, l, items, "in.jsonl:3", "does not match the content of https://example.org/ctx.json")
}

// An input that breaks the data model stops the run at its batch; the
// batch before it, being anchored meanwhile, is still written, and a run
// with the input fixed goes on from there.
func TestStreamBadInputLetsTheBatchBeforeFinish(t *testing.T) {
	s := batchSigner(t, keys.Ed25519)
	creds := batchCreds(t, s.DID(), 10)
	items := itemsOf(t, creds)
	bad := append([]issuer.Item(nil), items...)
	bad[6].Data = bytes.Replace(bad[6].Data, []byte(`"id": "`+creds[6].ID+`"`), []byte(`"id": "not a url"`), 1)
	l := streamLedger(t)
	var signed atomic.Int64
	pub := &slowPublisher{inner: l.Publisher(s.DID()), signed: &signed}
	state := t.TempDir()
	st, err := issuer.NewStream(s, pub, state, issuer.WithStreamBatchSize(5))
	require.NoError(t, err)
	sink := newMemSink()
	res, err := st.Run(context.Background(), &sliceSource{items: bad}, sink)
	require.ErrorIs(t, err, issuer.ErrDataModel)
	require.ErrorContains(t, err, "in.jsonl:7")
	require.Equal(t, []int{1}, sink.commits, "batch 1 was written")
	require.EqualValues(t, 5, res.Written)

	st, err = issuer.NewStream(s, pub, state, issuer.WithStreamBatchSize(5))
	require.NoError(t, err)
	res, err = st.Run(context.Background(), &sliceSource{items: items}, sink)
	require.NoError(t, err)
	require.EqualValues(t, 5, res.Skipped)
	require.EqualValues(t, 5, res.Written)
	require.Equal(t, []int{1, 2}, sink.commits)
	require.Len(t, pub.atEnd, 2, "each batch anchored once")
}

// lostAnchorPublisher anchors a root and then reports an error once, as a
// run stopped after anchoring but before recording the anchor would see
// it; it finds the roots its ledger holds.
type lostAnchorPublisher struct {
	inner interface {
		anchor.Publisher
		anchor.Finder
	}
	lose      atomic.Bool
	published atomic.Int32
}

func (p *lostAnchorPublisher) Publish(ctx context.Context, root []byte) (anchor.Record, error) {
	p.published.Add(1)
	r, err := p.inner.Publish(ctx, root)
	if err == nil && p.lose.Swap(false) {
		return anchor.Record{}, errors.New("the run stopped before recording the anchor")
	}
	return r, err
}

func (p *lostAnchorPublisher) Find(ctx context.Context, root []byte) (anchor.Record, error) {
	return p.inner.Find(ctx, root)
}

// resumeAfterLostAnchor issues items in batches of five through pub, which
// loses the first batch's anchor as a run stopped just after anchoring
// would, then resumes the run: each batch must be anchored once.
func resumeAfterLostAnchor(ctx context.Context, t *testing.T, s *issuer.Signer, pub *lostAnchorPublisher, items []issuer.Item) (*issuer.StreamResult, *memSink) {
	t.Helper()
	pub.lose.Store(true)
	state := t.TempDir()
	sink := newMemSink()
	st, err := issuer.NewStream(s, pub, state, issuer.WithStreamBatchSize(5))
	require.NoError(t, err)
	_, err = st.Run(ctx, &sliceSource{items: items}, sink)
	require.ErrorContains(t, err, "stopped before recording")

	st, err = issuer.NewStream(s, pub, state, issuer.WithStreamBatchSize(5))
	require.NoError(t, err)
	res, err := st.Run(ctx, &sliceSource{items: items}, sink)
	require.NoError(t, err)
	require.Len(t, res.Batches, 2)
	require.EqualValues(t, 2, pub.published.Load(), "batch 1 was found, not anchored again")
	return res, sink
}

// A batch anchored by a run that stopped before recording the anchor is
// not anchored again on resume: the publisher finds its root.
func TestStreamResumeFindsItsAnchor(t *testing.T) {
	ctx := context.Background()
	s := batchSigner(t, keys.Ed25519)
	items := itemsOf(t, batchCreds(t, s.DID(), 10))
	l := streamLedger(t)
	inner, ok := l.Publisher(s.DID()).(interface {
		anchor.Publisher
		anchor.Finder
	})
	require.True(t, ok, "a ledger publisher finds its roots")
	pub := &lostAnchorPublisher{inner: inner}
	res, _ := resumeAfterLostAnchor(ctx, t, s, pub, items)
	n, err := l.Len()
	require.NoError(t, err)
	require.EqualValues(t, 2, n, "one ledger record per batch")
	first, err := l.Get(0)
	require.NoError(t, err)
	require.Equal(t, first.Ref.String(), res.Batches[0].Anchor)

	// Another sender's record of the same root is not this issuer's.
	other := l.Publisher("did:example:other").(anchor.Finder)
	_, err = other.Find(ctx, first.Root)
	require.ErrorIs(t, err, anchor.ErrNotFound)
}

// A VC 1.1 credential streamed gets the Data Integrity context, as
// Signer.SignCredential gives it, with the JCS suite and with an RDFC one;
// its badge verifies.
func TestStreamInjectsDataIntegrityContext(t *testing.T) {
	ctx := context.Background()
	k, err := keys.Generate(keys.Ed25519)
	require.NoError(t, err)
	for _, suite := range []string{issuer.EdDSAJCS2022, issuer.EdDSARDFC2022} {
		t.Run(suite, func(t *testing.T) {
			s, err := issuer.NewSigner(k, issuer.WithCryptosuite(suite), issuer.WithClock(batchClock))
			require.NoError(t, err)
			doc := []byte(`{"@context":["https://www.w3.org/2018/credentials/v1"],"id":"urn:uuid:vc11-stream","type":["VerifiableCredential"],"issuer":"` + s.DID() + `","issuanceDate":"2020-03-16T22:37:26Z","credentialSubject":{"id":"did:example:subject"}}`)
			l := streamLedger(t)
			st, err := issuer.NewStream(s, l.Publisher(s.DID()), t.TempDir())
			require.NoError(t, err)
			sink := newMemSink()
			_, err = st.Run(ctx, &sliceSource{items: []issuer.Item{{Name: "vc11", Data: doc}}}, sink)
			require.NoError(t, err)
			var got struct {
				Context []string `json:"@context"`
			}
			require.NoError(t, json.Unmarshal(sink.docs["urn:uuid:vc11-stream"], &got))
			require.Equal(t, []string{badge.ContextV1, issuer.DataIntegrityContext}, got.Context)
			v, err := verify.New(verify.WithTrustedKey(s.DID()), verify.WithAnchorResolver(l), verify.WithClock(batchClock))
			require.NoError(t, err)
			r := v.Verify(ctx, sink.docs["urn:uuid:vc11-stream"], verify.Binding{})
			require.Equal(t, verify.StatusVerified, r.Status, "%+v", r.Checks)
		})
	}
}
