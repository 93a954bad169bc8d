package issuer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/badgeproof/badgeproof/anchor"
	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/internal/batchproof"
	"github.com/badgeproof/badgeproof/internal/dataintegrity"
	"github.com/badgeproof/badgeproof/internal/merkle"
	"github.com/badgeproof/badgeproof/internal/proofvalue"
)

// BatchCryptosuite is the cryptosuite of the proof a Batch adds.
const BatchCryptosuite = batchproof.Cryptosuite

// Batch anchors many credentials with one chain write: it hashes each
// credential, builds a Merkle tree over the hashes, publishes the root
// through an anchor.Publisher and adds to each credential a
// DataIntegrityProof with cryptosuite merkle-jcs-2026 whose proofValue
// (the MerkleProof2019 encoding) holds the root, the credential's hash, the
// anchor and the credential's path to the root.
//
// The hash covers the credential as given, including any proofs it
// already has, so sign first and batch second: the anchor then also
// vouches for the signature. A Batch is safe for concurrent use.
type Batch struct {
	pub      anchor.Publisher
	vm       string
	now      func() time.Time
	workers  int
	progress func(n int)
}

// BatchOption configures a Batch.
type BatchOption func(*Batch) error

// WithBatchSigner names s's verification method in each batch proof and
// stamps proofs with s's clock. The batch proof itself is not a signature;
// naming the key tells a verifier whose batch it is.
func WithBatchSigner(s *Signer) BatchOption {
	return func(b *Batch) error {
		if s == nil {
			return errors.New("issuer: nil signer")
		}
		b.vm, b.now = s.vm, s.now
		return nil
	}
}

// WithBatchClock sets the clock for the proofs' created time (default
// time.Now, or the WithBatchSigner signer's clock).
func WithBatchClock(now func() time.Time) BatchOption {
	return func(b *Batch) error {
		if now == nil {
			return errors.New("issuer: nil clock")
		}
		b.now = now
		return nil
	}
}

// WithBatchWorkers sets how many credentials are hashed and written at
// once (default: all cores).
func WithBatchWorkers(n int) BatchOption {
	return func(b *Batch) error {
		if n < 1 {
			return fmt.Errorf("issuer: batch workers must be at least 1, got %d", n)
		}
		b.workers = n
		return nil
	}
}

// WithBatchProgress has Issue report progress to f: two units per
// credential, one when its hash is computed and one when its proof is
// written, so 2*len(credentials) in all. f is called from several
// goroutines at once and must be safe for that.
func WithBatchProgress(f func(n int)) BatchOption {
	return func(b *Batch) error {
		if f == nil {
			return errors.New("issuer: nil progress function")
		}
		b.progress = f
		return nil
	}
}

// NewBatch returns a Batch that anchors roots through pub, for example
// ledger.Publisher(issuerDID) or an ethereum.Publisher.
func NewBatch(pub anchor.Publisher, opts ...BatchOption) (*Batch, error) {
	if pub == nil {
		return nil, errors.New("issuer: nil anchor publisher")
	}
	b := &Batch{pub: pub, now: time.Now, workers: runtime.GOMAXPROCS(0), progress: func(int) {}}
	for _, o := range opts {
		if err := o(b); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// Issue anchors creds as one batch and returns each credential, with the
// batch proof appended to its proof set, as document bytes
// ([MarshalDocument]) in input order, and the anchor's Record. Nothing is
// published unless every credential could be hashed; if publishing fails
// no credential is returned.
func (b *Batch) Issue(ctx context.Context, creds []*badge.Credential) ([][]byte, anchor.Record, error) {
	if len(creds) == 0 {
		return nil, anchor.Record{}, merkle.ErrEmptyTree
	}
	for i, c := range creds {
		if c == nil {
			return nil, anchor.Record{}, fmt.Errorf("issuer: credential %d is nil", i)
		}
	}
	leaves := make([][32]byte, len(creds))
	err := b.each(ctx, len(creds), true, func(i int) error {
		leaf, err := batchproof.Leaf(creds[i], len(creds[i].Proofs))
		if err != nil {
			return fmt.Errorf("issuer: credential %d: %w", i, err)
		}
		leaves[i] = leaf
		return nil
	})
	if err != nil {
		return nil, anchor.Record{}, err
	}
	tree, err := merkle.Build(leaves)
	if err != nil {
		return nil, anchor.Record{}, err
	}
	root := tree.Root()
	rec, err := b.pub.Publish(ctx, root[:])
	if err != nil {
		return nil, anchor.Record{}, fmt.Errorf("issuer: anchoring the batch root %x: %w", root, err)
	}
	if !bytes.Equal(rec.Root, root[:]) {
		return nil, rec, fmt.Errorf("issuer: the publisher recorded root %x at %s, the batch root is %x", rec.Root, rec.Ref, root)
	}
	created := b.now().UTC().Truncate(time.Second).Format(time.RFC3339)
	out := make([][]byte, len(creds))
	err = b.each(ctx, len(creds), true, func(i int) error {
		path, err := tree.Path(i)
		if err != nil {
			return err
		}
		pv, err := proofvalue.Encode(&proofvalue.MerkleProof{MerkleRoot: root, TargetHash: leaves[i], Anchors: []anchor.Ref{rec.Ref}, Path: path})
		if err != nil {
			return fmt.Errorf("issuer: credential %d: %w", i, err)
		}
		proof, err := json.Marshal(batchProof{Type: dataintegrity.ProofType, Cryptosuite: BatchCryptosuite, Created: created,
			VerificationMethod: b.vm, ProofPurpose: "assertionMethod", ProofValue: pv})
		if err != nil {
			return err
		}
		members := creds[i].Members()
		if members["proof"], err = appendProof(members["proof"], proof); err != nil {
			return fmt.Errorf("issuer: credential %d: proof: %w", i, err)
		}
		out[i], err = MarshalDocument(members)
		return err
	})
	if err != nil {
		return nil, rec, err
	}
	return out, rec, nil
}

// IssueDocuments is Issue for credentials given as bytes (signed or not);
// each is parsed strictly with the default limits first.
func (b *Batch) IssueDocuments(ctx context.Context, docs [][]byte) ([][]byte, anchor.Record, error) {
	creds := make([]*badge.Credential, len(docs))
	err := b.each(ctx, len(docs), false, func(i int) error {
		c, err := badge.ParseCredential(docs[i], badge.Limits{})
		if err != nil {
			return fmt.Errorf("issuer: credential %d: %w", i, err)
		}
		creds[i] = c
		return nil
	})
	if err != nil {
		return nil, anchor.Record{}, err
	}
	return b.Issue(ctx, creds)
}

type batchProof struct {
	Type               string `json:"type"`
	Cryptosuite        string `json:"cryptosuite"`
	Created            string `json:"created"`
	VerificationMethod string `json:"verificationMethod,omitempty"`
	ProofPurpose       string `json:"proofPurpose"`
	ProofValue         string `json:"proofValue"`
}

// each runs f for 0..n-1 on the Batch's workers, reporting one unit of
// progress per call if report is set, and stops at the first error or when
// ctx ends.
func (b *Batch) each(ctx context.Context, n int, report bool, f func(i int) error) error {
	g, ctx := errgroup.WithContext(ctx)
	var next atomic.Int64
	for w := 0; w < min(b.workers, n); w++ {
		g.Go(func() error {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return nil
				}
				if err := ctx.Err(); err != nil {
					return err
				}
				if err := f(i); err != nil {
					return err
				}
				if report {
					b.progress(1)
				}
			}
		})
	}
	return g.Wait()
}
