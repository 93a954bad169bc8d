package ethereum

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/badgeproof/badgeproof/anchor"
)

// Resolver reads Ethereum anchors (blink:eth:...) over JSON-RPC from one or
// more endpoints of one chain. It is safe for concurrent use.
type Resolver struct {
	chainID uint64
	clients []*rpcClient
	minConf uint64
	quorum  int
}

var _ anchor.Resolver = (*Resolver)(nil)

// NewResolver returns a Resolver for network ("mainnet", "sepolia" or a
// decimal chain id) that asks every one of endpoints (http or https
// JSON-RPC URLs) for each anchor.
//
// With several endpoints, all are asked concurrently. The answer is a
// Record only when every endpoint that answered gives the same root,
// sender, block and transaction, and at least the quorum answered (by
// default all of them; see WithQuorum). Any disagreement, including one
// endpoint finding the transaction and another not, is an error wrapping
// anchor.ErrUnavailable and ErrEndpointsDisagree. The reported
// confirmations are the lowest any endpoint reported.
func NewResolver(network string, endpoints []string, opts ...Option) (*Resolver, error) {
	id, err := ChainID(network)
	if err != nil {
		return nil, err
	}
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	if len(cfg.publisherOnly) > 0 {
		return nil, fmt.Errorf("ethereum: NewResolver: %s applies to a Publisher only", strings.Join(cfg.publisherOnly, ", "))
	}
	if len(endpoints) == 0 {
		return nil, errors.New("ethereum: NewResolver: no endpoints")
	}
	r := &Resolver{chainID: id, minConf: max(cfg.minConfirmations, 1), quorum: len(endpoints)}
	if cfg.quorum > 0 {
		if cfg.quorum > len(endpoints) {
			return nil, fmt.Errorf("ethereum: NewResolver: quorum %d exceeds the %d endpoints", cfg.quorum, len(endpoints))
		}
		r.quorum = cfg.quorum
	}
	hc := cfg.transport()
	seen := map[string]bool{}
	for _, e := range endpoints {
		if seen[e] {
			return nil, fmt.Errorf("ethereum: NewResolver: endpoint %s listed twice", redact(e))
		}
		seen[e] = true
		c, err := newRPCClient(hc, e, cfg)
		if err != nil {
			return nil, err
		}
		r.clients = append(r.clients, c)
	}
	return r, nil
}

// ChainID returns the chain id the Resolver serves.
func (r *Resolver) ChainID() uint64 { return r.chainID }

// Resolve looks up the transaction ref names and returns what it anchors:
// its input data as the root, its block's time, its confirmations and its
// sender.
//
// Errors wrap anchor.ErrNotFound (the endpoints are synced and hold no such
// transaction, or it failed: ErrTxFailed), anchor.ErrChainMismatch (the ref
// or an endpoint names another chain), anchor.ErrUnsupported (not an eth
// ref) or anchor.ErrUnavailable (anything that leaves doubt: unreachable,
// syncing, pending, malformed replies, too few confirmations, endpoints
// that disagree).
func (r *Resolver) Resolve(ctx context.Context, ref anchor.Ref) (anchor.Record, error) {
	if ref.Chain != anchor.ChainEthereum {
		return anchor.Record{}, fmt.Errorf("%w: %s: not an Ethereum anchor", anchor.ErrUnsupported, ref)
	}
	want, err := ChainID(ref.Network)
	if err != nil {
		return anchor.Record{}, fmt.Errorf("%w: %s: %v", anchor.ErrInvalidRef, ref, err)
	}
	if want != r.chainID {
		return anchor.Record{}, fmt.Errorf("%w: %s names chain %d, this resolver serves chain %d",
			anchor.ErrChainMismatch, ref, want, r.chainID)
	}
	hash, err := parseHash(ref.ID)
	if err != nil {
		return anchor.Record{}, fmt.Errorf("%w: %s: %v", anchor.ErrInvalidRef, ref, err)
	}
	ref.ID = hash

	results := make([]lookup, len(r.clients))
	var wg sync.WaitGroup
	for i, c := range r.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = c.lookup(ctx, ref, r.chainID)
		}()
	}
	wg.Wait()
	rec, err := r.combine(results)
	if err != nil {
		return anchor.Record{}, err
	}
	if rec.Confirmations < r.minConf {
		return anchor.Record{}, fmt.Errorf("%w: %w: %s has %d confirmation(s), %d needed",
			anchor.ErrUnavailable, ErrFewConfirmations, ref, rec.Confirmations, r.minConf)
	}
	return rec, nil
}

// outcome is what one endpoint said about a transaction.
type outcome int

const (
	unreachable outcome = iota // no usable answer: ErrUnavailable
	notFound                   // synced and no such transaction
	failedTx                   // mined with status 0
	found                      // mined and successful
	mismatch                   // serves another chain
)

type lookup struct {
	label     string
	outcome   outcome
	rec       anchor.Record
	block     uint64
	blockHash string
	err       error
}

// summary describes the answer for messages and for comparing answers.
func (l lookup) summary() string {
	switch l.outcome {
	case notFound:
		return "not found"
	case failedTx:
		return fmt.Sprintf("failed transaction in block %d %s", l.block, l.blockHash)
	case found:
		return fmt.Sprintf("root 0x%x from %s in block %d %s", l.rec.Root, l.rec.Sender, l.block, l.blockHash)
	}
	return "no answer"
}

func (c *rpcClient) lookup(ctx context.Context, ref anchor.Ref, chainID uint64) lookup {
	l := lookup{label: c.label}
	fail := func(o outcome, err error) lookup {
		l.outcome, l.err = o, err
		return l
	}
	id, err := c.chainID(ctx)
	if err != nil {
		return fail(unreachable, unavailable(err))
	}
	if id != chainID {
		return fail(mismatch, fmt.Errorf("%w: %s serves chain %d, %s names chain %d",
			anchor.ErrChainMismatch, c.label, id, ref, chainID))
	}
	syncing, err := c.syncing(ctx)
	if err != nil {
		return fail(unreachable, unavailable(err))
	}
	if syncing {
		return fail(unreachable, fmt.Errorf("%w: %s is still syncing", anchor.ErrUnavailable, c.label))
	}
	tx, ok, err := c.transaction(ctx, ref.ID)
	if err != nil {
		return fail(unreachable, unavailable(err))
	}
	if !ok {
		return fail(notFound, fmt.Errorf("%w: %s: %s has no transaction %s", anchor.ErrNotFound, ref, c.label, ref.ID))
	}
	if !tx.Mined {
		return fail(unreachable, fmt.Errorf("%w: %s: transaction is pending on %s", anchor.ErrUnavailable, ref, c.label))
	}
	l.block, l.blockHash = tx.BlockNumber, tx.BlockHash
	rc, ok, err := c.receipt(ctx, ref.ID)
	if err != nil {
		return fail(unreachable, unavailable(err))
	}
	if !ok {
		return fail(unreachable, fmt.Errorf("%w: %s: %s has the mined transaction but no receipt", anchor.ErrUnavailable, ref, c.label))
	}
	if !rc.Success {
		return fail(failedTx, fmt.Errorf("%w: %w: %s: status 0 in block %d on %s",
			anchor.ErrNotFound, ErrTxFailed, ref, rc.BlockNumber, c.label))
	}
	rec, err := c.minedRecord(ctx, ref, tx, rc)
	if err != nil {
		return fail(unreachable, unavailable(err))
	}
	l.outcome, l.rec = found, rec
	return l
}

// combine applies the multi-endpoint rule documented on NewResolver.
func (r *Resolver) combine(results []lookup) (anchor.Record, error) {
	var answers []lookup
	var problems []string
	for _, l := range results {
		switch l.outcome {
		case mismatch:
			return anchor.Record{}, l.err
		case unreachable:
			problems = append(problems, l.err.Error())
		default:
			answers = append(answers, l)
		}
	}
	if len(answers) == 0 {
		if len(results) == 1 {
			return anchor.Record{}, results[0].err
		}
		return anchor.Record{}, fmt.Errorf("%w: no endpoint answered: %s", anchor.ErrUnavailable, strings.Join(problems, "; "))
	}
	first := answers[0]
	for _, a := range answers[1:] {
		if !sameAnswer(first, a) {
			return anchor.Record{}, fmt.Errorf("%w: %w: %s says %s; %s says %s",
				anchor.ErrUnavailable, ErrEndpointsDisagree, first.label, first.summary(), a.label, a.summary())
		}
	}
	if len(answers) < r.quorum {
		return anchor.Record{}, fmt.Errorf("%w: %d of %d endpoints answered, %d needed: %s",
			anchor.ErrUnavailable, len(answers), len(results), r.quorum, strings.Join(problems, "; "))
	}
	if first.outcome != found {
		return anchor.Record{}, first.err
	}
	rec := first.rec
	for _, a := range answers[1:] {
		rec.Confirmations = min(rec.Confirmations, a.rec.Confirmations)
	}
	return rec, nil
}

func sameAnswer(a, b lookup) bool {
	if a.outcome != b.outcome {
		return false
	}
	switch a.outcome {
	case notFound:
		return true
	case failedTx:
		return a.block == b.block && a.blockHash == b.blockHash
	}
	return a.block == b.block && a.blockHash == b.blockHash &&
		a.rec.Sender == b.rec.Sender && bytes.Equal(a.rec.Root, b.rec.Root) &&
		a.rec.Time.Equal(b.rec.Time)
}
