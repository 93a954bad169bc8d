package ethereum

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/badgeproof/badgeproof/anchor"
)

// Errors this package wraps alongside the anchor package's sentinels.
var (
	// ErrEndpointsDisagree: two endpoints gave different answers about one
	// anchor. Wrapped together with anchor.ErrUnavailable.
	ErrEndpointsDisagree = errors.New("ethereum: endpoints disagree")
	// ErrFewConfirmations: the anchoring transaction has fewer confirmations
	// than the policy needs. Wrapped together with anchor.ErrUnavailable.
	ErrFewConfirmations = errors.New("ethereum: too few confirmations")
	// ErrTxFailed: the transaction was mined but failed (receipt status 0),
	// so it anchors nothing. Wrapped together with anchor.ErrNotFound.
	ErrTxFailed = errors.New("ethereum: transaction failed")
)

// unavailable wraps err with anchor.ErrUnavailable unless it already is.
func unavailable(err error) error {
	if errors.Is(err, anchor.ErrUnavailable) {
		return err
	}
	return fmt.Errorf("%w: %w", anchor.ErrUnavailable, err)
}

func (c *rpcClient) chainID(ctx context.Context) (uint64, error) {
	var s string
	if err := c.call(ctx, &s, "eth_chainId"); err != nil {
		return 0, err
	}
	id, err := parseUint64(s)
	if err != nil {
		return 0, fmt.Errorf("%s: eth_chainId: %v", c.label, err)
	}
	return id, nil
}

func (c *rpcClient) blockNumber(ctx context.Context) (uint64, error) {
	var s string
	if err := c.call(ctx, &s, "eth_blockNumber"); err != nil {
		return 0, err
	}
	n, err := parseUint64(s)
	if err != nil {
		return 0, fmt.Errorf("%s: eth_blockNumber: %v", c.label, err)
	}
	return n, nil
}

// syncing reports whether the node says it is still catching up.
func (c *rpcClient) syncing(ctx context.Context) (bool, error) {
	var raw json.RawMessage
	if err := c.call(ctx, &raw, "eth_syncing"); err != nil {
		return false, err
	}
	var b bool
	if err := json.Unmarshal(raw, &b); err == nil {
		if b {
			return true, nil
		}
		return false, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return false, fmt.Errorf("%s: eth_syncing: want false or an object, got %s", c.label, truncate(string(raw)))
	}
	return true, nil
}

type txInfo struct {
	Hash        string
	From        string
	Input       []byte
	Mined       bool
	BlockNumber uint64
	BlockHash   string
}

// transaction returns the transaction hash, or found=false when the node
// returns null.
func (c *rpcClient) transaction(ctx context.Context, hash string) (tx txInfo, found bool, err error) {
	var raw json.RawMessage
	if err := c.call(ctx, &raw, "eth_getTransactionByHash", hash); err != nil {
		return tx, false, err
	}
	if string(raw) == "null" {
		return tx, false, nil
	}
	var w struct {
		Hash        string  `json:"hash"`
		From        string  `json:"from"`
		Input       *string `json:"input"`
		BlockNumber *string `json:"blockNumber"`
		BlockHash   *string `json:"blockHash"`
	}
	bad := func(e error) (txInfo, bool, error) {
		return txInfo{}, false, fmt.Errorf("%s: eth_getTransactionByHash: %v", c.label, e)
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		return bad(err)
	}
	if tx.Hash, err = parseHash(w.Hash); err != nil {
		return bad(err)
	}
	if tx.Hash != hash {
		return bad(fmt.Errorf("asked for %s, got %s", hash, tx.Hash))
	}
	if tx.From, err = parseAddress(w.From); err != nil {
		return bad(err)
	}
	if w.Input == nil {
		return bad(errors.New("no input field"))
	}
	if tx.Input, err = parseData(*w.Input); err != nil {
		return bad(err)
	}
	if w.BlockNumber == nil || w.BlockHash == nil {
		return tx, true, nil // pending
	}
	if tx.BlockNumber, err = parseUint64(*w.BlockNumber); err != nil {
		return bad(err)
	}
	if tx.BlockHash, err = parseHash(*w.BlockHash); err != nil {
		return bad(err)
	}
	tx.Mined = true
	return tx, true, nil
}

type receiptInfo struct {
	Success     bool
	From        string
	BlockNumber uint64
	BlockHash   string
}

// receipt returns the transaction's receipt, or found=false when the node
// returns null (not mined yet).
func (c *rpcClient) receipt(ctx context.Context, hash string) (r receiptInfo, found bool, err error) {
	var raw json.RawMessage
	if err := c.call(ctx, &raw, "eth_getTransactionReceipt", hash); err != nil {
		return r, false, err
	}
	if string(raw) == "null" {
		return r, false, nil
	}
	var w struct {
		Status      *string `json:"status"`
		From        string  `json:"from"`
		BlockNumber string  `json:"blockNumber"`
		BlockHash   string  `json:"blockHash"`
		TxHash      string  `json:"transactionHash"`
	}
	bad := func(e error) (receiptInfo, bool, error) {
		return receiptInfo{}, false, fmt.Errorf("%s: eth_getTransactionReceipt: %v", c.label, e)
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		return bad(err)
	}
	if h, err := parseHash(w.TxHash); err != nil || h != hash {
		return bad(fmt.Errorf("receipt is for transaction %q, want %s", truncate(w.TxHash), hash))
	}
	if w.Status == nil {
		// Receipts before the Byzantium fork carry no status; success
		// cannot be told from them.
		return bad(errors.New("receipt has no status"))
	}
	switch *w.Status {
	case "0x1":
		r.Success = true
	case "0x0":
	default:
		return bad(fmt.Errorf("status %q: want 0x0 or 0x1", truncate(*w.Status)))
	}
	if r.From, err = parseAddress(w.From); err != nil {
		return bad(err)
	}
	if r.BlockNumber, err = parseUint64(w.BlockNumber); err != nil {
		return bad(err)
	}
	if r.BlockHash, err = parseHash(w.BlockHash); err != nil {
		return bad(err)
	}
	return r, true, nil
}

type blockInfo struct {
	Hash    string
	Time    time.Time
	BaseFee string // empty before the London fork
}

// block returns a block header by number ("latest" or a QUANTITY).
func (c *rpcClient) block(ctx context.Context, number string) (blockInfo, error) {
	var raw json.RawMessage
	if err := c.call(ctx, &raw, "eth_getBlockByNumber", number, false); err != nil {
		return blockInfo{}, err
	}
	bad := func(e error) (blockInfo, error) {
		return blockInfo{}, fmt.Errorf("%s: eth_getBlockByNumber(%s): %v", c.label, number, e)
	}
	if string(raw) == "null" {
		return bad(errors.New("no such block"))
	}
	var w struct {
		Hash          string `json:"hash"`
		Timestamp     string `json:"timestamp"`
		BaseFeePerGas string `json:"baseFeePerGas"`
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		return bad(err)
	}
	var b blockInfo
	var err error
	if b.Hash, err = parseHash(w.Hash); err != nil {
		return bad(err)
	}
	ts, err := parseUint64(w.Timestamp)
	if err != nil {
		return bad(err)
	}
	if ts > 1<<40 {
		return bad(fmt.Errorf("timestamp %d out of range", ts))
	}
	b.Time = time.Unix(int64(ts), 0).UTC()
	b.BaseFee = w.BaseFeePerGas
	return b, nil
}

// minedRecord reads the block and head for a mined, successful transaction
// and builds its Record.
func (c *rpcClient) minedRecord(ctx context.Context, ref anchor.Ref, tx txInfo, rc receiptInfo) (anchor.Record, error) {
	if rc.BlockHash != tx.BlockHash || rc.BlockNumber != tx.BlockNumber {
		return anchor.Record{}, fmt.Errorf("%s: transaction in block %d %s, receipt in block %d %s (reorganisation?)",
			c.label, tx.BlockNumber, tx.BlockHash, rc.BlockNumber, rc.BlockHash)
	}
	if rc.From != tx.From {
		return anchor.Record{}, fmt.Errorf("%s: transaction from %s, receipt from %s", c.label, tx.From, rc.From)
	}
	blk, err := c.block(ctx, quantity(tx.BlockNumber))
	if err != nil {
		return anchor.Record{}, err
	}
	if blk.Hash != tx.BlockHash {
		return anchor.Record{}, fmt.Errorf("%s: block %d is %s, transaction names %s (reorganisation?)",
			c.label, tx.BlockNumber, blk.Hash, tx.BlockHash)
	}
	head, err := c.blockNumber(ctx)
	if err != nil {
		return anchor.Record{}, err
	}
	if head < tx.BlockNumber {
		return anchor.Record{}, fmt.Errorf("%s: head block %d is below the transaction's block %d", c.label, head, tx.BlockNumber)
	}
	return anchor.Record{
		Ref:           ref,
		Root:          tx.Input,
		Time:          blk.Time,
		Confirmations: head - tx.BlockNumber + 1,
		Sender:        tx.From,
	}, nil
}
