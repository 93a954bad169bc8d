package ethereum

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"math/big"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"

	"github.com/badgeproof/badgeproof/anchor"
	"github.com/badgeproof/badgeproof/anchor/ethereum/gethtest"
)

// devNode is shared by the tests that neither stop it nor need it fresh.
var devNode gethtest.Shared

func TestMain(m *testing.M) {
	code := m.Run()
	devNode.Close()
	os.Exit(code)
}

var devNetwork = strconv.Itoa(gethtest.ChainID)

func randomRoot(t *testing.T) []byte {
	t.Helper()
	root := make([]byte, 32)
	if _, err := rand.Read(root); err != nil {
		t.Fatal(err)
	}
	return root
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func newTestPublisher(t *testing.T, url string, opts ...Option) *Publisher {
	t.Helper()
	p, err := NewPublisher(devNetwork, url, append([]Option{WithPollInterval(20 * time.Millisecond)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func newTestResolver(t *testing.T, urls []string, opts ...Option) *Resolver {
	t.Helper()
	r, err := NewResolver(devNetwork, urls, append([]Option{WithRetries(1, 10*time.Millisecond)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// blockOf reads, independently of the package's own code, the number and
// time of the block holding hash.
func blockOf(t *testing.T, n *gethtest.Node, hash string) (uint64, time.Time) {
	t.Helper()
	var tx struct {
		BlockNumber string `json:"blockNumber"`
	}
	n.Call(t, &tx, "eth_getTransactionByHash", hash)
	var blk struct {
		Timestamp string `json:"timestamp"`
	}
	n.Call(t, &blk, "eth_getBlockByNumber", tx.BlockNumber, false)
	num, err := strconv.ParseUint(tx.BlockNumber[2:], 16, 64)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := strconv.ParseInt(blk.Timestamp[2:], 16, 64)
	if err != nil {
		t.Fatal(err)
	}
	return num, time.Unix(ts, 0).UTC()
}

// checkRecord compares rec with what the node says about its transaction.
func checkRecord(t *testing.T, n *gethtest.Node, rec anchor.Record, root []byte, sender string) {
	t.Helper()
	if rec.Ref.Chain != "eth" || rec.Ref.Network != devNetwork {
		t.Errorf("ref %s: want blink:eth:%s:...", rec.Ref, devNetwork)
	}
	if _, err := anchor.ParseRef(rec.Ref.String()); err != nil {
		t.Errorf("ref does not parse: %v", err)
	}
	if !bytes.Equal(rec.Root, root) {
		t.Errorf("root %x, want %x", rec.Root, root)
	}
	if rec.Sender != sender {
		t.Errorf("sender %s, want %s", rec.Sender, sender)
	}
	block, when := blockOf(t, n, rec.Ref.ID)
	if !rec.Time.Equal(when) {
		t.Errorf("time %v, want block time %v", rec.Time, when)
	}
	// The dev node may add an empty block at any moment, so the head read
	// now can only be ahead of the one the record was computed from.
	if most := n.BlockNumber(t) - block + 1; rec.Confirmations < 1 || rec.Confirmations > most {
		t.Errorf("confirmations %d, want 1..%d", rec.Confirmations, most)
	}
}

func TestPublishFromNodeAccountAndResolve(t *testing.T) {
	n := devNode.Get(t)
	ctx := testContext(t)
	root := randomRoot(t)
	rec, err := newTestPublisher(t, n.URL).Publish(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	checkRecord(t, n, rec, root, n.Account)
	if rec.Confirmations < 1 {
		t.Errorf("fresh anchor has %d confirmations, want at least 1", rec.Confirmations)
	}

	r := newTestResolver(t, []string{n.URL})
	got, err := r.Resolve(ctx, rec.Ref)
	if err != nil {
		t.Fatal(err)
	}
	checkRecord(t, n, got, root, n.Account)

	n.MineBlocks(t, 2)
	got, err = r.Resolve(ctx, rec.Ref)
	if err != nil {
		t.Fatal(err)
	}
	if got.Confirmations < rec.Confirmations+2 {
		t.Errorf("after 2 more blocks: %d confirmations, want at least %d", got.Confirmations, rec.Confirmations+2)
	}
	checkRecord(t, n, got, root, n.Account)
}

func TestPublishWithFrom(t *testing.T) {
	n := devNode.Get(t)
	root := randomRoot(t)
	rec, err := newTestPublisher(t, n.URL, WithFrom(n.Account)).Publish(testContext(t), root)
	if err != nil {
		t.Fatal(err)
	}
	checkRecord(t, n, rec, root, n.Account)
}

func fundedKey(t *testing.T, n *gethtest.Node) (*secp256k1.PrivateKey, string) {
	t.Helper()
	key, err := secp256k1.GeneratePrivateKey()
	if err != nil {
		t.Fatal(err)
	}
	addr := AddressFromPublicKey(key.PubKey())
	n.Fund(t, addr, new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)) // 1 ether
	return key, addr
}

func TestPublishSignedAndResolve(t *testing.T) {
	n := devNode.Get(t)
	ctx := testContext(t)
	key, addr := fundedKey(t, n)
	p := newTestPublisher(t, n.URL, WithKey(key))
	if got, err := p.Sender(ctx); err != nil || got != addr {
		t.Fatalf("Sender() = %s, %v; want %s", got, err, addr)
	}
	for i := range 2 { // the second one needs the next nonce
		root := randomRoot(t)
		rec, err := p.Publish(ctx, root)
		if err != nil {
			t.Fatalf("publish %d: %v", i, err)
		}
		checkRecord(t, n, rec, root, addr)

		// The node recovered our address from the signature.
		var tx struct {
			From  string `json:"from"`
			Type  string `json:"type"`
			Nonce string `json:"nonce"`
		}
		n.Call(t, &tx, "eth_getTransactionByHash", rec.Ref.ID)
		if tx.From != addr || tx.Type != "0x2" || tx.Nonce != "0x"+strconv.Itoa(i) {
			t.Errorf("node sees from %s type %s nonce %s; want %s, 0x2, 0x%d", tx.From, tx.Type, tx.Nonce, addr, i)
		}
		got, err := newTestResolver(t, []string{n.URL}).Resolve(ctx, rec.Ref)
		if err != nil {
			t.Fatal(err)
		}
		checkRecord(t, n, got, root, addr)
	}
}

// The hash computed locally for a signed transaction is the hash the node
// assigns, and the node recovers the signer's address.
func TestSignedTransactionMatchesNode(t *testing.T) {
	n := devNode.Get(t)
	key, addr := fundedKey(t, n)
	to, _ := hex.DecodeString("00000000000000000000000000000000000000b1")
	for i, data := range [][]byte{nil, {0}, randomRoot(t), bytes.Repeat([]byte{0xab}, 100)} {
		var base struct {
			BaseFee string `json:"baseFeePerGas"`
		}
		n.Call(t, &base, "eth_getBlockByNumber", "latest", false)
		fee, err := parseQuantity(base.BaseFee)
		if err != nil {
			t.Fatal(err)
		}
		tx := &dynamicFeeTx{
			chainID: gethtest.ChainID,
			nonce:   uint64(i),
			tipCap:  big.NewInt(1),
			feeCap:  new(big.Int).Mul(fee, big.NewInt(3)),
			gas:     30000 + 40*uint64(len(data)),
			to:      to,
			value:   big.NewInt(int64(i) * 1000),
			data:    data,
		}
		raw, hash := tx.sign(key)
		want := "0x" + hex.EncodeToString(hash)
		got := n.SendRawTransaction(t, "0x"+hex.EncodeToString(raw))
		if got != want {
			t.Fatalf("tx %d: node hash %s, local hash %s", i, got, want)
		}
		var seen struct {
			From string `json:"from"`
		}
		n.Call(t, &seen, "eth_getTransactionByHash", got)
		if seen.From != addr {
			t.Fatalf("tx %d: node recovered sender %s, want %s", i, seen.From, addr)
		}
	}
}

func TestPublishUnfundedKey(t *testing.T) {
	n := devNode.Get(t)
	key, err := secp256k1.GeneratePrivateKey()
	if err != nil {
		t.Fatal(err)
	}
	_, err = newTestPublisher(t, n.URL, WithKey(key)).Publish(testContext(t), randomRoot(t))
	var rpcErr *RPCError
	if !errors.As(err, &rpcErr) {
		t.Fatalf("unfunded key: got %v, want an RPCError from the node", err)
	}
	// The error names the address to fund.
	if addr := AddressFromPublicKey(key.PubKey()); !strings.Contains(err.Error(), addr) {
		t.Errorf("unfunded key: %q does not name its address %s", err, addr)
	}
}

func TestPublishWrongNetwork(t *testing.T) {
	n := devNode.Get(t)
	p, err := NewPublisher("sepolia", n.URL)
	if err != nil {
		t.Fatal(err)
	}
	before := n.TransactionCount(t, n.Account)
	_, err = p.Publish(testContext(t), randomRoot(t))
	if !errors.Is(err, anchor.ErrChainMismatch) {
		t.Fatalf("got %v, want ErrChainMismatch", err)
	}
	if after := n.TransactionCount(t, n.Account); after != before {
		t.Fatalf("a transaction was sent (nonce %d -> %d)", before, after)
	}
}

func publishOn(t *testing.T, n *gethtest.Node) anchor.Record {
	t.Helper()
	rec, err := newTestPublisher(t, n.URL).Publish(testContext(t), randomRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func TestResolveStoppedNode(t *testing.T) {
	n := gethtest.Start(t)
	rec := publishOn(t, n)
	n.Stop()
	_, err := newTestResolver(t, []string{n.URL}).Resolve(testContext(t), rec.Ref)
	if !errors.Is(err, anchor.ErrUnavailable) || errors.Is(err, anchor.ErrNotFound) {
		t.Fatalf("stopped node: got %v, want ErrUnavailable only", err)
	}
}

func TestResolveNotFoundOnFreshNode(t *testing.T) {
	rec := publishOn(t, devNode.Get(t))
	fresh := gethtest.Start(t)
	_, err := newTestResolver(t, []string{fresh.URL}).Resolve(testContext(t), rec.Ref)
	if !errors.Is(err, anchor.ErrNotFound) || errors.Is(err, anchor.ErrUnavailable) {
		t.Fatalf("fresh node: got %v, want ErrNotFound only", err)
	}
}

func TestResolveChainMismatch(t *testing.T) {
	n := devNode.Get(t)
	rec := publishOn(t, n)
	ctx := testContext(t)

	other := rec.Ref
	other.Network = "31337"
	_, err := newTestResolver(t, []string{n.URL}).Resolve(ctx, other)
	if !errors.Is(err, anchor.ErrChainMismatch) {
		t.Fatalf("ref on another chain: got %v, want ErrChainMismatch", err)
	}

	// A resolver configured for mainnet pointed at the dev node.
	mainnet, err := NewResolver("mainnet", []string{n.URL})
	if err != nil {
		t.Fatal(err)
	}
	other.Network = "mainnet"
	_, err = mainnet.Resolve(ctx, other)
	if !errors.Is(err, anchor.ErrChainMismatch) {
		t.Fatalf("node on another chain: got %v, want ErrChainMismatch", err)
	}
}

func TestResolveMinConfirmations(t *testing.T) {
	n := devNode.Get(t)
	rec := publishOn(t, n)
	ctx := testContext(t)
	have := n.BlockNumber(t) - mustBlock(t, n, rec) + 1

	_, err := newTestResolver(t, []string{n.URL}, WithMinConfirmations(have+5)).Resolve(ctx, rec.Ref)
	if !errors.Is(err, anchor.ErrUnavailable) || !errors.Is(err, ErrFewConfirmations) {
		t.Fatalf("got %v, want ErrUnavailable and ErrFewConfirmations", err)
	}
	got, err := newTestResolver(t, []string{n.URL}, WithMinConfirmations(have)).Resolve(ctx, rec.Ref)
	if err != nil || got.Confirmations < have {
		t.Fatalf("with %d needed: %+v, %v", have, got, err)
	}
}

func mustBlock(t *testing.T, n *gethtest.Node, rec anchor.Record) uint64 {
	b, _ := blockOf(t, n, rec.Ref.ID)
	return b
}

func TestResolveEndpointsDisagree(t *testing.T) {
	n := devNode.Get(t)
	rec := publishOn(t, n)
	fresh := gethtest.Start(t)
	ctx := testContext(t)
	for _, opts := range [][]Option{nil, {WithQuorum(1)}} {
		_, err := newTestResolver(t, []string{n.URL, fresh.URL}, opts...).Resolve(ctx, rec.Ref)
		if !errors.Is(err, anchor.ErrUnavailable) || !errors.Is(err, ErrEndpointsDisagree) {
			t.Fatalf("options %d: got %v, want ErrUnavailable and ErrEndpointsDisagree", len(opts), err)
		}
	}
}

func TestResolvePartialReachability(t *testing.T) {
	n := devNode.Get(t)
	rec := publishOn(t, n)
	down := gethtest.Start(t)
	down.Stop()
	ctx := testContext(t)

	_, err := newTestResolver(t, []string{n.URL, down.URL}).Resolve(ctx, rec.Ref)
	if !errors.Is(err, anchor.ErrUnavailable) {
		t.Fatalf("one of two endpoints down, default quorum: got %v, want ErrUnavailable", err)
	}
	got, err := newTestResolver(t, []string{n.URL, down.URL}, WithQuorum(1)).Resolve(ctx, rec.Ref)
	if err != nil {
		t.Fatalf("quorum 1: %v", err)
	}
	checkRecord(t, n, got, rec.Root, n.Account)

	// Two endpoints that both hold the anchor agree.
	got, err = newTestResolver(t, []string{n.URL, n.URL + "/"}).Resolve(ctx, rec.Ref)
	if err != nil {
		t.Fatalf("same node twice: %v", err)
	}
	checkRecord(t, n, got, rec.Root, n.Account)
}

func TestResolveFailedTransaction(t *testing.T) {
	n := devNode.Get(t)
	// A contract creation whose code is the INVALID opcode: mined, status 0.
	hash := n.SendTransaction(t, map[string]string{"data": "0xfe", "gas": "0x30000"})
	ref := anchor.Ref{Chain: "eth", Network: devNetwork, ID: hash}
	_, err := newTestResolver(t, []string{n.URL}).Resolve(testContext(t), ref)
	if !errors.Is(err, anchor.ErrNotFound) || !errors.Is(err, ErrTxFailed) {
		t.Fatalf("failed transaction: got %v, want ErrNotFound and ErrTxFailed", err)
	}
}

func TestFindPublishedRoot(t *testing.T) {
	n := devNode.Get(t)
	ctx := testContext(t)
	key, addr := fundedKey(t, n)
	p := newTestPublisher(t, n.URL, WithKey(key))

	// A key that has sent nothing: nothing is found.
	if _, err := p.Find(ctx, randomRoot(t)); !errors.Is(err, anchor.ErrNotFound) || errors.Is(err, anchor.ErrUnavailable) {
		t.Fatalf("before any anchor: got %v, want ErrNotFound", err)
	}

	first, second := randomRoot(t), randomRoot(t)
	rec1, err := p.Publish(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	// Other senders' transactions and a later anchor of ours lie between
	// the head and the first anchor.
	publishOn(t, n)
	rec2, err := p.Publish(ctx, second)
	if err != nil {
		t.Fatal(err)
	}
	n.MineBlocks(t, 2)

	for _, c := range []struct {
		root []byte
		want anchor.Record
	}{{first, rec1}, {second, rec2}} {
		got, err := p.Find(ctx, c.root)
		if err != nil {
			t.Fatalf("root %x: %v", c.root, err)
		}
		if got.Ref != c.want.Ref || !bytes.Equal(got.Root, c.root) || got.Sender != addr || !got.Time.Equal(c.want.Time) {
			t.Errorf("root %x: found %+v, published %+v", c.root, got, c.want)
		}
		if got.Confirmations <= c.want.Confirmations {
			t.Errorf("root %x: %d confirmations, had %d when published and blocks were mined since", c.root, got.Confirmations, c.want.Confirmations)
		}
	}

	// Another root, and the same root from another sender, are not ours.
	if _, err := p.Find(ctx, randomRoot(t)); !errors.Is(err, anchor.ErrNotFound) {
		t.Errorf("a root never sent: got %v, want ErrNotFound", err)
	}
	other := newTestPublisher(t, n.URL)
	if _, err := other.Find(ctx, first); !errors.Is(err, anchor.ErrNotFound) {
		t.Errorf("a root another sender anchored: got %v, want ErrNotFound", err)
	}
}
