package ethereum

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/anchor"
)

func fakeSigningNode() *fakeNode {
	f := newFakeNode()
	f.set("eth_getTransactionCount", `"0x0"`)
	f.set("eth_maxPriorityFeePerGas", `"0x1"`)
	f.set("eth_estimateGas", `"0x5208"`)
	f.set("eth_sendRawTransaction", `"`+cannedHash+`"`)
	return f
}

func TestPublishHashMismatch(t *testing.T) {
	f := fakeSigningNode()
	p, err := NewPublisher("1337", f.serve(t), WithKey(mustKey(t)), WithPollInterval(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Publish(context.Background(), []byte{1, 2, 3})
	if err == nil || !strings.Contains(err.Error(), "node reports hash "+cannedHash) {
		t.Fatalf("got %v, want a hash mismatch naming %s", err, cannedHash)
	}
}

func TestPublishNotMined(t *testing.T) {
	f := fakeSigningNode()
	f.set("eth_accounts", `["`+cannedFrom+`"]`)
	f.set("eth_sendTransaction", `"`+cannedHash+`"`)
	f.set("eth_getTransactionReceipt", `null`)
	p, err := NewPublisher("1337", f.serve(t), WithPollInterval(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = p.Publish(ctx, []byte{1, 2, 3})
	if !errors.Is(err, anchor.ErrUnavailable) || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), cannedRef.String()) {
		t.Fatalf("got %v, want ErrUnavailable naming %s", err, cannedRef)
	}
	if f.count("eth_getTransactionReceipt") < 2 {
		t.Errorf("receipt asked %d times, want polling", f.count("eth_getTransactionReceipt"))
	}
}

func TestPublishRootMismatch(t *testing.T) {
	// The node claims the transaction holds another root than was sent.
	f := fakeSigningNode()
	f.set("eth_accounts", `["`+cannedFrom+`"]`)
	f.set("eth_sendTransaction", `"`+cannedHash+`"`)
	p, err := NewPublisher("1337", f.serve(t), WithPollInterval(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Publish(context.Background(), []byte{1, 2, 3})
	if err == nil || !strings.Contains(err.Error(), "sent 0x010203") {
		t.Fatalf("got %v, want a root mismatch", err)
	}
}

func TestPublishNoAccounts(t *testing.T) {
	f := fakeSigningNode()
	f.set("eth_accounts", `[]`)
	p, err := NewPublisher("", f.serve(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Publish(context.Background(), []byte{1}); err == nil || !strings.Contains(err.Error(), "no accounts") {
		t.Fatalf("got %v, want a no-accounts error", err)
	}
}

func TestPublishRootSize(t *testing.T) {
	p, err := NewPublisher("1", "http://127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, MaxRootBytes + 1} {
		if _, err := p.Publish(context.Background(), make([]byte, n)); err == nil {
			t.Errorf("root of %d bytes: no error", n)
		}
	}
}

func TestPublishSendNotRetried(t *testing.T) {
	// A node-signed transaction is never sent twice, even after a gateway
	// error: the first request may have reached the node.
	f := fakeSigningNode()
	f.set("eth_accounts", `["`+cannedFrom+`"]`)
	f.setRaw("eth_sendTransaction", rawReply{status: 502, body: "bad gateway"})
	p, err := NewPublisher("1337", f.serve(t), WithRetries(3, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Publish(context.Background(), []byte{1}); err == nil {
		t.Fatal("no error")
	}
	if n := f.count("eth_sendTransaction"); n != 1 {
		t.Fatalf("eth_sendTransaction sent %d times, want 1", n)
	}
}

// findNode is a fake node whose only account is cannedFrom, with count
// transactions from it mined and pending transactions more in its pool.
func findNode(count, pending int) *fakeNode {
	f := newFakeNode()
	from := strings.ToLower(cannedFrom)
	f.set("eth_accounts", `["`+from+`"]`)
	f.set("eth_getTransactionCount", fmt.Sprintf(`"0x%x"`, count))
	f.setFor("eth_getTransactionCount", `["`+from+`","pending"]`, fmt.Sprintf(`"0x%x"`, count+pending))
	return f
}

func TestFindWaitsForPendingTransactions(t *testing.T) {
	// A stopped run's transaction still waits in the pool: Find does not
	// answer "not found" (which would anchor the root again) while it
	// may yet be mined.
	f := findNode(3, 1)
	p, err := NewPublisher("1337", f.serve(t), WithPollInterval(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = p.Find(ctx, []byte{1, 2, 3})
	if !errors.Is(err, anchor.ErrUnavailable) || errors.Is(err, anchor.ErrNotFound) {
		t.Fatalf("got %v, want ErrUnavailable", err)
	}
	if n := f.count("eth_getBlockByNumber"); n != 0 {
		t.Errorf("read %d blocks while a transaction was pending, want none", n)
	}
	if f.count("eth_getTransactionCount") < 4 {
		t.Errorf("transaction count asked %d times, want polling", f.count("eth_getTransactionCount"))
	}
}

func TestFindReadsNoBlockWhenTheSenderSentNothing(t *testing.T) {
	// The sender's count is the same before the window and at its head
	// (the fake answers 3 for every block): no block is read.
	f := findNode(3, 0)
	f.set("eth_blockNumber", `"0x1000"`)
	p, err := NewPublisher("1337", f.serve(t), WithPollInterval(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Find(context.Background(), []byte{1, 2, 3})
	if !errors.Is(err, anchor.ErrNotFound) || errors.Is(err, anchor.ErrUnavailable) {
		t.Fatalf("got %v, want ErrNotFound", err)
	}
	if n := f.count("eth_getBlockByNumber"); n != 0 {
		t.Errorf("read %d blocks, want none", n)
	}
}

func TestFindRootSize(t *testing.T) {
	p, err := NewPublisher("1337", findNode(0, 0).serve(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, root := range [][]byte{nil, make([]byte, MaxRootBytes+1)} {
		if _, err := p.Find(context.Background(), root); err == nil || errors.Is(err, anchor.ErrNotFound) {
			t.Errorf("root of %d bytes: got %v, want a refusal", len(root), err)
		}
	}
}
