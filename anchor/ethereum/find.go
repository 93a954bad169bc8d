package ethereum

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/badgeproof/badgeproof/anchor"
)

// FindDepth is how many of the latest blocks Find looks through.
const FindDepth = 1024

var _ anchor.Finder = (*Publisher)(nil)

// Find looks among the latest FindDepth blocks for a successful
// transaction from the publisher's sender to itself carrying root, as
// Publish sends, so that a resumed issuance does not anchor again a batch
// that a stopped run anchored but had not recorded. It returns the
// transaction's Record as Publish does, or an error wrapping
// anchor.ErrNotFound.
//
// It first waits, polling with ctx, until none of the sender's
// transactions is pending: a run stopped while its transaction waited to
// be mined left it in the node's pool. The sender's transaction count
// before the window, when the node still holds that state, tells how many
// of the sender's transactions the window holds: none means no block is
// read, and the search ends once all are seen.
func (p *Publisher) Find(ctx context.Context, root []byte) (anchor.Record, error) {
	chainID, from, err := p.prepare(ctx, "Find", root)
	if err != nil {
		return anchor.Record{}, err
	}
	if err := p.waitNotPending(ctx, from); err != nil {
		return anchor.Record{}, err
	}
	head, err := p.c.blockNumber(ctx)
	if err != nil {
		return anchor.Record{}, unavailable(err)
	}
	low := uint64(0)
	if head >= FindDepth {
		low = head - FindDepth + 1
	}
	// How many of the sender's transactions blocks low to head hold; -1
	// when the node no longer has the state to tell.
	left := int64(-1)
	if atHead, err := p.transactionCount(ctx, from, quantity(head)); err == nil {
		before := uint64(0)
		if low > 0 {
			before, err = p.transactionCount(ctx, from, quantity(low-1))
		}
		if err == nil && before <= atHead {
			left = int64(atHead - before)
		}
	}
	for n := head; left != 0; n-- {
		txs, hash, err := p.c.blockTransactions(ctx, n)
		if err != nil {
			return anchor.Record{}, unavailable(err)
		}
		for _, tx := range txs {
			if tx.From != from {
				continue
			}
			left--
			if tx.To != from || !bytes.Equal(tx.Input, root) {
				continue
			}
			rc, ok, err := p.c.receipt(ctx, tx.Hash)
			if err != nil {
				return anchor.Record{}, unavailable(err)
			}
			if !ok || !rc.Success {
				continue // reorganised away since, or failed: it anchors nothing
			}
			ref := anchor.Ref{Chain: anchor.ChainEthereum, Network: Network(chainID), ID: tx.Hash}
			tx.BlockNumber, tx.BlockHash, tx.Mined = n, hash, true
			rec, err := p.c.minedRecord(ctx, ref, tx.txInfo, rc)
			if err != nil {
				return anchor.Record{}, fmt.Errorf("%w: %s: %w", anchor.ErrUnavailable, ref, err)
			}
			return rec, nil
		}
		if n == low {
			break
		}
	}
	return anchor.Record{}, fmt.Errorf("%w: no transaction from %s carries root 0x%x in blocks %d to %d", anchor.ErrNotFound, from, root, low, head)
}

// prepare checks root's size for op (Publish or Find) and returns the
// node's chain id, refusing another chain than the publisher's, and the
// sender.
func (p *Publisher) prepare(ctx context.Context, op string, root []byte) (chainID uint64, from string, err error) {
	if len(root) == 0 || len(root) > MaxRootBytes {
		return 0, "", fmt.Errorf("ethereum: %s: root of %d bytes; want 1 to %d", op, len(root), MaxRootBytes)
	}
	if chainID, err = p.c.chainID(ctx); err != nil {
		return 0, "", unavailable(err)
	}
	if p.chainID != 0 && chainID != p.chainID {
		return 0, "", fmt.Errorf("%w: %s serves chain %d, the publisher is for chain %d",
			anchor.ErrChainMismatch, p.c.label, chainID, p.chainID)
	}
	if from, err = p.Sender(ctx); err != nil {
		return 0, "", err
	}
	return chainID, from, nil
}

// transactionCount is the sender's transaction count at block ("latest",
// "pending" or a QUANTITY).
func (p *Publisher) transactionCount(ctx context.Context, from, block string) (uint64, error) {
	var s string
	if err := p.c.call(ctx, &s, "eth_getTransactionCount", from, block); err != nil {
		return 0, err
	}
	n, err := parseUint64(s)
	if err != nil {
		return 0, fmt.Errorf("%s: eth_getTransactionCount: %v", p.c.label, err)
	}
	return n, nil
}

// waitNotPending polls until the node holds no pending transaction from
// the sender, or ctx ends.
func (p *Publisher) waitNotPending(ctx context.Context, from string) error {
	for {
		pending, err := p.transactionCount(ctx, from, "pending")
		if err != nil {
			return unavailable(err)
		}
		latest, err := p.transactionCount(ctx, from, "latest")
		if err != nil {
			return unavailable(err)
		}
		if pending <= latest {
			return nil
		}
		t := time.NewTimer(p.poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%w: transactions from %s still pending (%d): %w", anchor.ErrUnavailable, from, pending-latest, ctx.Err())
		case <-t.C:
		}
	}
}

// blockTx is a transaction of a block, with its recipient.
type blockTx struct {
	txInfo
	To string
}

// blockTransactions returns the transactions of block n and its hash.
func (c *rpcClient) blockTransactions(ctx context.Context, n uint64) ([]blockTx, string, error) {
	var raw json.RawMessage
	if err := c.call(ctx, &raw, "eth_getBlockByNumber", quantity(n), true); err != nil {
		return nil, "", err
	}
	bad := func(e error) ([]blockTx, string, error) {
		return nil, "", fmt.Errorf("%s: eth_getBlockByNumber(%d): %v", c.label, n, e)
	}
	if string(raw) == "null" {
		return bad(errors.New("no such block"))
	}
	var w struct {
		Hash         string `json:"hash"`
		Transactions []struct {
			Hash  string  `json:"hash"`
			From  string  `json:"from"`
			To    *string `json:"to"` // null: a contract creation
			Input string  `json:"input"`
		} `json:"transactions"`
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		return bad(err)
	}
	hash, err := parseHash(w.Hash)
	if err != nil {
		return bad(err)
	}
	txs := make([]blockTx, 0, len(w.Transactions))
	for _, t := range w.Transactions {
		var tx blockTx
		if tx.Hash, err = parseHash(t.Hash); err != nil {
			return bad(err)
		}
		if tx.From, err = parseAddress(t.From); err != nil {
			return bad(err)
		}
		if t.To != nil {
			if tx.To, err = parseAddress(*t.To); err != nil {
				return bad(err)
			}
		}
		if tx.Input, err = parseData(t.Input); err != nil {
			return bad(err)
		}
		txs = append(txs, tx)
	}
	return txs, hash, nil
}
