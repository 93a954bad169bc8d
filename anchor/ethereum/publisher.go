package ethereum

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"

	"github.com/badgeproof/badgeproof/anchor"
)

// MaxRootBytes bounds the data a Publisher anchors in one transaction.
const MaxRootBytes = 1024

// Publisher anchors roots on an Ethereum chain by sending a transaction of
// zero ether from its address to the same address, carrying the root as
// its input data. It either signs the transaction itself (WithKey: an
// EIP-1559 transaction sent with eth_sendRawTransaction) or has the node
// sign it from one of the node's unlocked accounts (eth_sendTransaction).
// It is safe for concurrent use; transactions are sent one at a time.
type Publisher struct {
	c       *rpcClient
	chainID uint64 // 0: whatever chain the node serves
	key     *secp256k1.PrivateKey
	from    string // fixed sender, or "" for the node's first account
	poll    time.Duration
	mu      sync.Mutex // serialises nonce allocation
}

var _ anchor.Publisher = (*Publisher)(nil)

// NewPublisher returns a Publisher that sends through endpoint (an http or
// https JSON-RPC URL). network ("mainnet", "sepolia" or a decimal chain id)
// is checked against the node's eth_chainId before anything is sent; an
// empty network accepts whatever chain the node serves.
func NewPublisher(network, endpoint string, opts ...Option) (*Publisher, error) {
	var id uint64
	if network != "" {
		var err error
		if id, err = ChainID(network); err != nil {
			return nil, err
		}
	}
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	if len(cfg.resolverOnly) > 0 {
		return nil, fmt.Errorf("ethereum: NewPublisher: %s applies to a Resolver only", strings.Join(cfg.resolverOnly, ", "))
	}
	if cfg.key != nil && cfg.from != "" {
		return nil, errors.New("ethereum: NewPublisher: WithKey and WithFrom both given; choose one")
	}
	c, err := newRPCClient(cfg.transport(), endpoint, cfg)
	if err != nil {
		return nil, err
	}
	p := &Publisher{c: c, chainID: id, key: cfg.key, from: cfg.from, poll: cfg.pollInterval}
	if p.key != nil {
		p.from = AddressFromPublicKey(p.key.PubKey())
	}
	return p, nil
}

// Sender returns the address transactions are sent from: the key's address
// with WithKey, the WithFrom address, or else the node's first account.
func (p *Publisher) Sender(ctx context.Context) (string, error) {
	if p.from != "" {
		return p.from, nil
	}
	var accts []string
	if err := p.c.call(ctx, &accts, "eth_accounts"); err != nil {
		return "", unavailable(err)
	}
	if len(accts) == 0 {
		return "", fmt.Errorf("ethereum: %s has no accounts; use WithKey or WithFrom", p.c.label)
	}
	return parseAddress(accts[0])
}

// Publish sends root (1 to MaxRootBytes bytes, normally a 32-byte Merkle
// root), waits until the transaction is mined, polling with ctx, and
// returns its Record: Ref blink:eth:<network>:0x<hash>, Root, block Time,
// Confirmations and Sender.
//
// If ctx ends after the transaction was sent but before it was mined, the
// error wraps anchor.ErrUnavailable and names the transaction's Ref, which
// a Resolver can look up later.
func (p *Publisher) Publish(ctx context.Context, root []byte) (anchor.Record, error) {
	chainID, from, err := p.prepare(ctx, "Publish", root)
	if err != nil {
		return anchor.Record{}, err
	}
	var hash string
	if p.key != nil {
		hash, err = p.sendSigned(ctx, chainID, from, root)
	} else {
		err = p.c.call(ctx, &hash, "eth_sendTransaction", map[string]string{
			"from":  from,
			"to":    from,
			"value": "0x0",
			"data":  "0x" + hex.EncodeToString(root),
		})
		if err == nil {
			hash, err = parseHash(hash)
		}
	}
	if err != nil {
		// Name the sender: "insufficient funds" and similar replies do
		// not, and it is the address to fund or unlock.
		return anchor.Record{}, fmt.Errorf("ethereum: Publish from %s: %w", from, err)
	}
	ref := anchor.Ref{Chain: anchor.ChainEthereum, Network: Network(chainID), ID: hash}

	rc, err := p.waitReceipt(ctx, hash)
	if err != nil {
		return anchor.Record{}, fmt.Errorf("%w: %s sent but not seen mined: %w", anchor.ErrUnavailable, ref, err)
	}
	if !rc.Success {
		return anchor.Record{}, fmt.Errorf("ethereum: Publish: %w: %s failed in block %d", ErrTxFailed, ref, rc.BlockNumber)
	}
	tx, ok, err := p.c.transaction(ctx, hash)
	if err != nil || !ok || !tx.Mined {
		if err == nil {
			err = errors.New("transaction not returned by the node")
		}
		return anchor.Record{}, fmt.Errorf("%w: %s mined but not readable: %w", anchor.ErrUnavailable, ref, err)
	}
	rec, err := p.c.minedRecord(ctx, ref, tx, rc)
	if err != nil {
		return anchor.Record{}, fmt.Errorf("%w: %s: %w", anchor.ErrUnavailable, ref, err)
	}
	if !bytes.Equal(rec.Root, root) || rec.Sender != from {
		return anchor.Record{}, fmt.Errorf("ethereum: Publish: %s holds root 0x%x from %s, sent 0x%x from %s",
			ref, rec.Root, rec.Sender, root, from)
	}
	return rec, nil
}

// sendSigned builds, signs and sends an EIP-1559 transaction and checks
// that the node reports the hash computed here.
func (p *Publisher) sendSigned(ctx context.Context, chainID uint64, from string, root []byte) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	nonce, err := p.transactionCount(ctx, from, "pending")
	if err != nil {
		return "", err
	}
	var s string
	if err := p.c.call(ctx, &s, "eth_maxPriorityFeePerGas"); err != nil {
		return "", err
	}
	tip, err := parseQuantity(s)
	if err != nil {
		return "", fmt.Errorf("eth_maxPriorityFeePerGas: %v", err)
	}
	latest, err := p.c.block(ctx, "latest")
	if err != nil {
		return "", err
	}
	if latest.BaseFee == "" {
		return "", fmt.Errorf("%s: latest block has no baseFeePerGas: the chain predates EIP-1559", p.c.label)
	}
	baseFee, err := parseQuantity(latest.BaseFee)
	if err != nil {
		return "", fmt.Errorf("baseFeePerGas: %v", err)
	}
	data := "0x" + hex.EncodeToString(root)
	if err := p.c.call(ctx, &s, "eth_estimateGas", map[string]string{
		"from": from, "to": from, "value": "0x0", "data": data,
	}); err != nil {
		return "", err
	}
	gas, err := parseUint64(s)
	if err != nil {
		return "", fmt.Errorf("eth_estimateGas: %v", err)
	}
	to, _ := hex.DecodeString(from[2:])
	tx := &dynamicFeeTx{
		chainID: chainID,
		nonce:   nonce,
		tipCap:  tip,
		// Twice the base fee leaves room for six full blocks of base
		// fee increases; only base fee plus tip is paid.
		feeCap: new(big.Int).Add(new(big.Int).Lsh(baseFee, 1), tip),
		gas:    gas,
		to:     to,
		value:  new(big.Int),
		data:   root,
	}
	raw, h := tx.sign(p.key)
	want := "0x" + hex.EncodeToString(h)
	if err := p.c.call(ctx, &s, "eth_sendRawTransaction", "0x"+hex.EncodeToString(raw)); err != nil {
		// The node already holds these exact bytes (sent before through
		// another node or by the caller): it is the transaction computed
		// here. The transport never resends them itself.
		var re *RPCError
		if errors.As(err, &re) && strings.Contains(strings.ToLower(re.Message), "already known") {
			return want, nil
		}
		return "", err
	}
	got, err := parseHash(s)
	if err != nil {
		return "", fmt.Errorf("eth_sendRawTransaction: %v", err)
	}
	if got != want {
		return "", fmt.Errorf("eth_sendRawTransaction: node reports hash %s, computed %s", got, want)
	}
	return got, nil
}

// waitReceipt polls for the receipt of hash until it exists or ctx ends.
// Errors while polling (a node briefly unreachable, or still indexing) do
// not end the wait; the last one is reported if ctx ends.
func (p *Publisher) waitReceipt(ctx context.Context, hash string) (receiptInfo, error) {
	var last error
	for {
		rc, ok, err := p.c.receipt(ctx, hash)
		if err == nil && ok {
			return rc, nil
		}
		if err != nil {
			last = err
		}
		t := time.NewTimer(p.poll)
		select {
		case <-ctx.Done():
			t.Stop()
			if last != nil {
				return receiptInfo{}, fmt.Errorf("%w (last error: %v)", ctx.Err(), last)
			}
			return receiptInfo{}, ctx.Err()
		case <-t.C:
		}
	}
}
