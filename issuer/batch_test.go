package issuer_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/anchor"
	"github.com/badgeproof/badgeproof/anchor/ledger"
	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/batchproof"
	"github.com/badgeproof/badgeproof/internal/merkle"
	"github.com/badgeproof/badgeproof/internal/proofvalue"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/badgeproof/badgeproof/verify"
)

var batchNow = time.Date(2026, 5, 4, 3, 2, 1, 0, time.UTC)

func batchClock() time.Time { return batchNow }

func batchSigner(t testing.TB, typ keys.Type) *issuer.Signer {
	t.Helper()
	k, err := keys.Generate(typ)
	require.NoError(t, err)
	s, err := issuer.NewSigner(k, issuer.WithClock(batchClock))
	require.NoError(t, err)
	return s
}

// batchCreds makes n distinct unsigned qualification badges issued by did.
func batchCreds(t testing.TB, did string, n int) []*badge.Credential {
	t.Helper()
	out := make([]*badge.Credential, n)
	for i := range out {
		c, err := badge.NationalQualification{
			Common: badge.Common{ID: fmt.Sprintf("urn:uuid:5e0c2f4e-0000-4000-8000-%012d", i),
				Issuer: badge.Profile{ID: did, Name: badge.AgencyHRDKorea()}, HolderID: fmt.Sprintf("did:example:holder-%d", i),
				ValidFrom: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)},
			ItemCode: "1320", ItemName: "정보처리", ItemNameEn: "Information Processing", Grade: "기사", GradeEn: "Engineer",
			LicenceNumber: fmt.Sprintf("2520100%05dA", i), PassDate: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC),
		}.Credential()
		require.NoError(t, err)
		out[i] = c
	}
	return out
}

// signAll signs each credential and parses it back.
func signAll(t testing.TB, s *issuer.Signer, creds []*badge.Credential) []*badge.Credential {
	t.Helper()
	out := make([]*badge.Credential, len(creds))
	for i, c := range creds {
		b, err := s.SignCredential(c)
		require.NoError(t, err)
		out[i], err = badge.ParseCredential(b, badge.Limits{})
		require.NoError(t, err)
	}
	return out
}

func openLedger(t testing.TB) *ledger.Ledger {
	t.Helper()
	l, err := ledger.Open(t.TempDir())
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	return l
}

func TestBatchSignedBadgesVerify(t *testing.T) {
	for _, typ := range []keys.Type{keys.Ed25519, keys.P256, keys.P384, keys.Secp256k1} {
		t.Run(string(typ), func(t *testing.T) {
			s := batchSigner(t, typ)
			l := openLedger(t)
			creds := signAll(t, s, batchCreds(t, s.DID(), 7))
			b, err := issuer.NewBatch(l.Publisher(s.DID()), issuer.WithBatchSigner(s))
			require.NoError(t, err)
			out, rec, err := b.Issue(context.Background(), creds)
			require.NoError(t, err)
			require.Len(t, out, len(creds))
			require.Equal(t, l.Ref(0), rec.Ref)

			v, err := verify.New(verify.WithTrustedKey(s.DID()), verify.WithAnchorResolver(l),
				verify.WithClock(func() time.Time { return batchNow.Add(time.Hour) }))
			require.NoError(t, err)
			for i, doc := range out {
				r := v.Verify(context.Background(), doc, verify.Binding{})
				require.Equal(t, verify.StatusVerified, r.Status, "badge %d: %+v", i, r.Checks)
				require.Equal(t, verify.StatusPassed, r.Check(verify.CheckMerkle).Status)
				require.Equal(t, verify.StatusPassed, r.Check(verify.CheckAnchor).Status)
				require.Equal(t, verify.StatusPassed, r.Check(verify.CheckSignature).Status)

				c, err := badge.ParseCredential(doc, badge.Limits{})
				require.NoError(t, err)
				require.Len(t, c.Proofs, 2, "the signature is kept and the batch proof appended")
				require.Equal(t, creds[i].Proofs[0].ProofValue, c.Proofs[0].ProofValue)
				p := c.Proofs[1]
				require.Equal(t, "DataIntegrityProof", p.Type)
				require.Equal(t, issuer.BatchCryptosuite, p.Cryptosuite)
				require.Equal(t, "assertionMethod", p.ProofPurpose)
				require.Equal(t, s.VerificationMethod(), p.VerificationMethod)
				require.Equal(t, "2026-05-04T03:02:01Z", p.Created)

				mp, err := proofvalue.Decode(p.ProofValue)
				require.NoError(t, err)
				require.Equal(t, rec.Root, mp.MerkleRoot[:])
				require.Equal(t, []anchor.Ref{rec.Ref}, mp.Anchors)
				leaf, err := batchproof.Leaf(c, 1)
				require.NoError(t, err)
				require.Equal(t, leaf, mp.TargetHash)
				require.NoError(t, merkle.VerifyPath(leaf, mp.Path, mp.MerkleRoot))
			}
		})
	}
}

// TestBatchUnsignedBadges: a batch proof alone carries integrity and the
// anchor; there is no signature to check.
func TestBatchUnsignedBadges(t *testing.T) {
	s := batchSigner(t, keys.Ed25519)
	l := openLedger(t)
	b, err := issuer.NewBatch(l.Publisher(s.DID()), issuer.WithBatchClock(batchClock))
	require.NoError(t, err)
	out, rec, err := b.Issue(context.Background(), batchCreds(t, s.DID(), 3))
	require.NoError(t, err)
	v, err := verify.New(verify.WithTrustedKey(s.DID()), verify.WithAnchorResolver(l))
	require.NoError(t, err)
	for _, doc := range out {
		c, err := badge.ParseCredential(doc, badge.Limits{})
		require.NoError(t, err)
		require.Len(t, c.Proofs, 1)
		require.Empty(t, c.Proofs[0].VerificationMethod, "no signer given, no key named")
		r := v.Verify(context.Background(), doc, verify.Binding{})
		require.Equal(t, verify.StatusPassed, r.Check(verify.CheckMerkle).Status, "%+v", r.Checks)
		require.Equal(t, verify.StatusPassed, r.Check(verify.CheckAnchor).Status, "%+v", r.Checks)
		require.Equal(t, verify.StatusSkipped, r.Check(verify.CheckSignature).Status)
	}
	got, err := l.Get(0)
	require.NoError(t, err)
	require.Equal(t, rec.Root, got.Root)
	require.Equal(t, s.DID(), got.Sender)
}

// TestBatchCommitsToSignature: the batch proof covers the signature before
// it, so replacing the signature breaks the Merkle check.
func TestBatchCommitsToSignature(t *testing.T) {
	s, other := batchSigner(t, keys.Ed25519), batchSigner(t, keys.Ed25519)
	l := openLedger(t)
	b, err := issuer.NewBatch(l.Publisher(s.DID()), issuer.WithBatchSigner(s))
	require.NoError(t, err)
	out, _, err := b.Issue(context.Background(), signAll(t, s, batchCreds(t, s.DID(), 2)))
	require.NoError(t, err)

	c, err := badge.ParseCredential(out[0], badge.Limits{})
	require.NoError(t, err)
	// Swap proof[0] for a signature by another key over the same document.
	resigned, err := other.SignCredential(mustParse(t, marshalWithout(t, c)))
	require.NoError(t, err)
	rc := mustParse(t, resigned)
	m := c.Members()
	m["proof"], err = json.Marshal([]json.RawMessage{rc.Proofs[0].Raw(), c.Proofs[1].Raw()})
	require.NoError(t, err)
	doc, err := issuer.MarshalDocument(m)
	require.NoError(t, err)

	v, err := verify.New(verify.WithTrustedKey(s.DID()), verify.WithAnchorResolver(l))
	require.NoError(t, err)
	r := v.Verify(context.Background(), doc, verify.Binding{})
	require.Equal(t, verify.StatusFailed, r.Check(verify.CheckMerkle).Status)
	require.ErrorIs(t, r.Check(verify.CheckMerkle).Err, verify.ErrHashMismatch)
}

func mustParse(t testing.TB, b []byte) *badge.Credential {
	t.Helper()
	c, err := badge.ParseCredential(b, badge.Limits{})
	require.NoError(t, err)
	return c
}

func marshalWithout(t testing.TB, c *badge.Credential) []byte {
	t.Helper()
	b, err := issuer.MarshalDocument(c.Unsigned())
	require.NoError(t, err)
	return b
}

// TestBatchDeterministic: the output does not depend on the number of
// workers, and bytes in equal bytes out.
func TestBatchDeterministic(t *testing.T) {
	s := batchSigner(t, keys.P256)
	creds := signAll(t, s, batchCreds(t, s.DID(), 33))
	docs := make([][]byte, len(creds))
	for i, c := range creds {
		docs[i] = c.Raw()
	}
	var results [][][]byte
	for _, w := range []int{1, 3, 16} {
		l := openLedger(t)
		b, err := issuer.NewBatch(l.Publisher(s.DID()), issuer.WithBatchSigner(s), issuer.WithBatchWorkers(w))
		require.NoError(t, err)
		out, _, err := b.IssueDocuments(context.Background(), docs)
		require.NoError(t, err)
		results = append(results, out)
	}
	// Each ledger has its own id, so the anchors differ: compare the Merkle parts.
	for i := range docs {
		first := mustParse(t, results[0][i]).Proofs[1].ProofValue
		for _, res := range results[1:] {
			a, err := proofvalue.Decode(first)
			require.NoError(t, err)
			bp, err := proofvalue.Decode(mustParse(t, res[i]).Proofs[1].ProofValue)
			require.NoError(t, err)
			require.Equal(t, a.MerkleRoot, bp.MerkleRoot)
			require.Equal(t, a.TargetHash, bp.TargetHash)
			require.Equal(t, a.Path, bp.Path)
		}
	}
}

func TestBatchProgress(t *testing.T) {
	s := batchSigner(t, keys.Ed25519)
	var units atomic.Int64
	b, err := issuer.NewBatch(openLedger(t).Publisher(s.DID()), issuer.WithBatchProgress(func(n int) { units.Add(int64(n)) }))
	require.NoError(t, err)
	_, _, err = b.Issue(context.Background(), batchCreds(t, s.DID(), 25))
	require.NoError(t, err)
	require.EqualValues(t, 50, units.Load())
}

type publisherFunc func(ctx context.Context, root []byte) (anchor.Record, error)

func (f publisherFunc) Publish(ctx context.Context, root []byte) (anchor.Record, error) {
	return f(ctx, root)
}

var errChainDown = errors.New("chain down")

func TestBatchErrors(t *testing.T) {
	s := batchSigner(t, keys.Ed25519)
	creds := batchCreds(t, s.DID(), 2)
	ctx := context.Background()
	calls := 0
	ok := publisherFunc(func(_ context.Context, root []byte) (anchor.Record, error) {
		calls++
		return anchor.Record{Ref: anchor.Ref{Chain: anchor.ChainLedger, Network: "ab", ID: "0"}, Root: root}, nil
	})

	_, err := issuer.NewBatch(nil)
	require.Error(t, err)
	for _, o := range []issuer.BatchOption{issuer.WithBatchSigner(nil), issuer.WithBatchClock(nil), issuer.WithBatchWorkers(0), issuer.WithBatchProgress(nil)} {
		_, err := issuer.NewBatch(ok, o)
		require.Error(t, err)
	}

	b, err := issuer.NewBatch(ok)
	require.NoError(t, err)
	_, _, err = b.Issue(ctx, nil)
	require.ErrorIs(t, err, merkle.ErrEmptyTree)
	_, _, err = b.Issue(ctx, []*badge.Credential{creds[0], nil})
	require.ErrorContains(t, err, "credential 1 is nil")
	_, _, err = b.IssueDocuments(ctx, [][]byte{creds[0].Raw(), []byte(`{"not":"a credential"}`)})
	require.ErrorIs(t, err, badge.ErrMalformed)
	require.Zero(t, calls, "nothing is published for a batch that cannot be hashed")

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, _, err = b.Issue(cancelled, creds)
	require.ErrorIs(t, err, context.Canceled)
	require.Zero(t, calls)

	down, err := issuer.NewBatch(publisherFunc(func(context.Context, []byte) (anchor.Record, error) {
		return anchor.Record{}, fmt.Errorf("%w: %w", anchor.ErrUnavailable, errChainDown)
	}))
	require.NoError(t, err)
	out, _, err := down.Issue(ctx, creds)
	require.ErrorIs(t, err, anchor.ErrUnavailable)
	require.ErrorIs(t, err, errChainDown)
	require.Nil(t, out)

	liar, err := issuer.NewBatch(publisherFunc(func(_ context.Context, root []byte) (anchor.Record, error) {
		return anchor.Record{Ref: anchor.Ref{Chain: anchor.ChainLedger, Network: "ab", ID: "0"}, Root: append([]byte{1}, root[1:]...)}, nil
	}))
	require.NoError(t, err)
	out, _, err = liar.Issue(ctx, creds)
	require.ErrorContains(t, err, "the publisher recorded root")
	require.Nil(t, out)

	badRef, err := issuer.NewBatch(publisherFunc(func(_ context.Context, root []byte) (anchor.Record, error) {
		return anchor.Record{Ref: anchor.Ref{Chain: "nochain", Network: "x", ID: "1"}, Root: root}, nil
	}))
	require.NoError(t, err)
	_, _, err = badRef.Issue(ctx, creds)
	require.ErrorIs(t, err, proofvalue.ErrMalformed)
}
