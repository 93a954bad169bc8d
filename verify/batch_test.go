package verify

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/anchor"
	"github.com/badgeproof/badgeproof/anchor/ledger"
	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/batchproof"
	"github.com/badgeproof/badgeproof/internal/merkle"
	"github.com/badgeproof/badgeproof/internal/proofvalue"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
)

// ledgerFixture is a ledger in a temporary directory.
type ledgerFixture struct {
	dir string
	l   *ledger.Ledger
}

func newLedgerFixture(t testing.TB) *ledgerFixture {
	t.Helper()
	dir := t.TempDir()
	l, err := ledger.Open(dir)
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	return &ledgerFixture{dir: dir, l: l}
}

// ledgerBatch signs size qualification badges and anchors them as one
// batch on the ledger, written by sender.
func ledgerBatch(t testing.TB, ti *testIssuer, lf *ledgerFixture, sender string, size int) ([][]byte, anchor.Record) {
	t.Helper()
	creds := make([]*badge.Credential, size)
	for i := range creds {
		signed := ti.sign(t, ti.qualification(t, fmt.Sprintf("urn:uuid:1edc0000-0000-4000-8000-%012d", i), fmt.Sprintf("did:example:holder-%d", i)))
		c, err := badge.ParseCredential(signed, badge.Limits{})
		require.NoError(t, err)
		creds[i] = c
	}
	b, err := issuer.NewBatch(lf.l.Publisher(sender), issuer.WithBatchSigner(ti.signer))
	require.NoError(t, err)
	badges, rec, err := b.Issue(context.Background(), creds)
	require.NoError(t, err)
	return badges, rec
}

// TestLedgerBatchReadsLedgerOnce: a thousand badges of one batch, verified
// on all cores through the Verifier's built-in anchor cache, read the
// ledger record once.
func TestLedgerBatchReadsLedgerOnce(t *testing.T) {
	is := newTestIssuer(t, keys.Ed25519)
	lf := newLedgerFixture(t)
	badges, rec := ledgerBatch(t, is, lf, is.did(), 1000)
	require.Zero(t, lf.l.Reads())

	v := newVerifier(t, WithTrustedKey(is.did()), WithAnchorResolver(lf.l), WithWorkers(8))
	reports := v.VerifyBatch(context.Background(), badges)
	for i, r := range reports {
		require.Equal(t, StatusVerified, r.Status, "badge %d: %+v", i, r.Checks)
		require.Len(t, r.Anchors, 1)
		require.Equal(t, rec.Ref.String(), r.Anchors[0].URI)
	}
	require.EqualValues(t, 1, lf.l.Reads(), "the ledger is read once for the whole batch")

	// A second pass is served from the cache entirely.
	for _, r := range v.VerifyBatch(context.Background(), badges[:10]) {
		require.Equal(t, StatusVerified, r.Status)
	}
	require.EqualValues(t, 1, lf.l.Reads())
}

// TestLedgerBatchOneByteChanged: changing one byte of one badge fails that
// badge's merkle check and no other badge's.
func TestLedgerBatchOneByteChanged(t *testing.T) {
	is := newTestIssuer(t, keys.P256)
	lf := newLedgerFixture(t)
	badges, _ := ledgerBatch(t, is, lf, is.did(), 64)
	const victim = 37
	old := []byte("25201001234A")
	require.True(t, bytes.Contains(badges[victim], old))
	badges[victim] = bytes.Replace(badges[victim], old, []byte("25201001234B"), 1)

	v := newVerifier(t, WithTrustedKey(is.did()), WithAnchorResolver(lf.l))
	for i, r := range v.VerifyBatch(context.Background(), badges) {
		if i == victim {
			require.Equal(t, StatusFailed, r.Status)
			c := requireCheck(t, r, CheckMerkle, StatusFailed)
			require.ErrorIs(t, c.Err, ErrHashMismatch)
			requireCheck(t, r, CheckSignature, StatusFailed)
			requireCheck(t, r, CheckAnchor, StatusSkipped)
			continue
		}
		require.Equal(t, StatusVerified, r.Status, "badge %d: %+v", i, r.Checks)
		requireCheck(t, r, CheckMerkle, StatusPassed)
	}
}

// TestLedgerBatchForgedTree: a changed badge in a tree of the forger's own
// (hash, path and root all consistent) still names the real anchor, whose
// root differs: the anchor check fails.
func TestLedgerBatchForgedTree(t *testing.T) {
	is := newTestIssuer(t, keys.Ed25519)
	lf := newLedgerFixture(t)
	badges, rec := ledgerBatch(t, is, lf, is.did(), 4)

	c, err := badge.ParseCredential(badges[0], badge.Limits{})
	require.NoError(t, err)
	m := c.Members()
	m["name"] = []byte(`"Forged badge"`)
	changed, err := issuer.MarshalDocument(m)
	require.NoError(t, err)
	fc, err := badge.ParseCredential(changed, badge.Limits{})
	require.NoError(t, err)
	leaf, err := batchproof.Leaf(fc, 1)
	require.NoError(t, err)
	other := [32]byte{7}
	tree, err := merkle.Build([][32]byte{leaf, other})
	require.NoError(t, err)
	path, err := tree.Path(0)
	require.NoError(t, err)
	pv, err := proofvalue.Encode(&proofvalue.MerkleProof{MerkleRoot: tree.Root(), TargetHash: leaf, Anchors: []anchor.Ref{rec.Ref}, Path: path})
	require.NoError(t, err)
	forged := bytes.Replace(changed, []byte(fc.Proofs[1].ProofValue), []byte(pv), 1)

	r := newVerifier(t, WithTrustedKey(is.did()), WithAnchorResolver(lf.l)).Verify(context.Background(), forged, Binding{})
	require.Equal(t, StatusFailed, r.Status)
	requireCheck(t, r, CheckMerkle, StatusPassed)
	c2 := requireCheck(t, r, CheckAnchor, StatusFailed)
	require.ErrorIs(t, c2.Err, ErrAnchorMismatch)
}

// TestLedgerBatchAlteredRecord: a changed ledger record fails the anchor
// check — an altered record in the middle of the log is corrupt, an
// altered last record is not found — and never passes.
func TestLedgerBatchAlteredRecord(t *testing.T) {
	is := newTestIssuer(t, keys.Ed25519)
	lf := newLedgerFixture(t)
	first, _ := ledgerBatch(t, is, lf, is.did(), 3)
	second, _ := ledgerBatch(t, is, lf, is.did(), 3)
	ledgerBatch(t, is, lf, is.did(), 1) // a third record, so the first two have successors

	for _, tc := range []struct {
		name    string
		seq     int64
		badges  [][]byte
		wantErr error
	}{
		{"middle record", 0, first, anchor.ErrCorrupt},
		{"last-but-one record", 1, second, anchor.ErrCorrupt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(lf.dir, "records")
			orig, err := os.ReadFile(path)
			require.NoError(t, err)
			t.Cleanup(func() { require.NoError(t, os.WriteFile(path, orig, 0o644)) })
			altered := append([]byte(nil), orig...)
			altered[tc.seq*ledger.RecordSize+21+5] ^= 0x01 // a byte of the anchored root
			require.NoError(t, os.WriteFile(path, altered, 0o644))

			v := newVerifier(t, WithTrustedKey(is.did()), WithAnchorResolver(lf.l))
			for _, b := range tc.badges {
				r := v.Verify(context.Background(), b, Binding{})
				require.Equal(t, StatusFailed, r.Status)
				requireCheck(t, r, CheckMerkle, StatusPassed)
				c := requireCheck(t, r, CheckAnchor, StatusFailed)
				require.ErrorIs(t, c.Err, ErrAnchorMismatch)
				require.ErrorIs(t, c.Err, tc.wantErr)
			}
		})
	}

	// Restored, every batch verifies again.
	v := newVerifier(t, WithTrustedKey(is.did()), WithAnchorResolver(lf.l))
	for _, b := range append(first, second...) {
		require.Equal(t, StatusVerified, v.Verify(context.Background(), b, Binding{}).Status)
	}
}

// TestLedgerBatchTornLastRecord: a torn last record hides only itself.
func TestLedgerBatchTornLastRecord(t *testing.T) {
	is := newTestIssuer(t, keys.Ed25519)
	lf := newLedgerFixture(t)
	first, _ := ledgerBatch(t, is, lf, is.did(), 5)
	second, _ := ledgerBatch(t, is, lf, is.did(), 5)
	require.NoError(t, os.Truncate(filepath.Join(lf.dir, "records"), ledger.RecordSize+ledger.RecordSize/2))

	v := newVerifier(t, WithTrustedKey(is.did()), WithAnchorResolver(lf.l))
	for _, b := range first {
		require.Equal(t, StatusVerified, v.Verify(context.Background(), b, Binding{}).Status)
	}
	// The second batch's record was committed and is now cut short: it is
	// reported damaged, never "not found" (which would let the ledger hand
	// its number out again).
	for _, b := range second {
		r := v.Verify(context.Background(), b, Binding{})
		require.Equal(t, StatusFailed, r.Status)
		c := requireCheck(t, r, CheckAnchor, StatusFailed)
		require.ErrorIs(t, c.Err, anchor.ErrCorrupt)
	}
}

// TestLedgerBatchWrongSender: a record written by someone other than the
// issuer does not anchor the issuer's badges.
func TestLedgerBatchWrongSender(t *testing.T) {
	is := newTestIssuer(t, keys.Ed25519)
	lf := newLedgerFixture(t)
	badges, _ := ledgerBatch(t, is, lf, "did:example:someone-else", 2)
	r := newVerifier(t, WithTrustedKey(is.did()), WithAnchorResolver(lf.l)).Verify(context.Background(), badges[0], Binding{})
	require.Equal(t, StatusFailed, r.Status)
	c := requireCheck(t, r, CheckAnchor, StatusFailed)
	require.ErrorIs(t, c.Err, ErrWrongSender)
}

// TestLedgerBatchNoResolver: without a resolver for the ledger the anchor
// is indeterminate, never verified and never failed.
func TestLedgerBatchNoResolver(t *testing.T) {
	is := newTestIssuer(t, keys.Ed25519)
	lf := newLedgerFixture(t)
	badges, _ := ledgerBatch(t, is, lf, is.did(), 2)
	r := newVerifier(t, WithTrustedKey(is.did())).Verify(context.Background(), badges[1], Binding{})
	require.Equal(t, StatusIndeterminate, r.Status)
	requireCheck(t, r, CheckMerkle, StatusPassed)
	requireCheck(t, r, CheckAnchor, StatusIndeterminate)
}
