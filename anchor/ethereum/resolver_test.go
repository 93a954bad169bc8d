package ethereum

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/anchor"
)

var cannedRef = anchor.Ref{Chain: "eth", Network: "1337", ID: cannedHash}

func resolveFake(t *testing.T, f *fakeNode, opts ...Option) (anchor.Record, error) {
	t.Helper()
	r, err := NewResolver("1337", []string{f.serve(t)}, append([]Option{WithRetries(2, time.Millisecond)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return r.Resolve(ctx, cannedRef)
}

func TestResolveCanned(t *testing.T) {
	rec, err := resolveFake(t, newFakeNode())
	if err != nil {
		t.Fatal(err)
	}
	root, _ := hex.DecodeString(cannedRoot[2:])
	if !bytes.Equal(rec.Root, root) {
		t.Errorf("root %x, want %x", rec.Root, root)
	}
	if rec.Sender != strings.ToLower(cannedFrom) {
		t.Errorf("sender %s, want lower-case %s", rec.Sender, cannedFrom)
	}
	if want := time.Unix(0x6553f100, 0); !rec.Time.Equal(want) {
		t.Errorf("time %v, want %v", rec.Time, want)
	}
	if rec.Confirmations != 0x14-0x10+1 {
		t.Errorf("confirmations %d, want 5", rec.Confirmations)
	}
	if rec.Ref != cannedRef {
		t.Errorf("ref %v, want %v", rec.Ref, cannedRef)
	}
}

func TestResolveCannedFailures(t *testing.T) {
	big := `"0x` + strings.Repeat("ab", 5000) + `"`
	tests := []struct {
		name   string
		setup  func(f *fakeNode)
		opts   []Option
		want   []error
		notWan error
		msg    string
	}{
		{name: "syncing", setup: func(f *fakeNode) {
			f.set("eth_syncing", `{"startingBlock":"0x0","currentBlock":"0x5","highestBlock":"0x100"}`)
		}, want: []error{anchor.ErrUnavailable}, notWan: anchor.ErrNotFound, msg: "syncing"},
		{name: "syncing while tx unknown", setup: func(f *fakeNode) {
			f.set("eth_syncing", `{"currentBlock":"0x5"}`)
			f.set("eth_getTransactionByHash", `null`)
		}, want: []error{anchor.ErrUnavailable}, notWan: anchor.ErrNotFound},
		{name: "syncing bad value", setup: func(f *fakeNode) { f.set("eth_syncing", `"yes"`) },
			want: []error{anchor.ErrUnavailable}},
		{name: "not found", setup: func(f *fakeNode) { f.set("eth_getTransactionByHash", `null`) },
			want: []error{anchor.ErrNotFound}, notWan: anchor.ErrUnavailable},
		{name: "pending", setup: func(f *fakeNode) {
			f.set("eth_getTransactionByHash", `{"hash":"`+cannedHash+`","from":"`+cannedFrom+`","input":"0x01","blockNumber":null,"blockHash":null}`)
		}, want: []error{anchor.ErrUnavailable}, msg: "pending"},
		{name: "failed", setup: func(f *fakeNode) {
			f.set("eth_getTransactionReceipt", `{"transactionHash":"`+cannedHash+`","status":"0x0","from":"`+cannedFrom+`","blockNumber":"0x10","blockHash":"`+cannedBlock+`"}`)
		}, want: []error{anchor.ErrNotFound, ErrTxFailed}},
		{name: "receipt missing", setup: func(f *fakeNode) { f.set("eth_getTransactionReceipt", `null`) },
			want: []error{anchor.ErrUnavailable}},
		{name: "receipt without status", setup: func(f *fakeNode) {
			f.set("eth_getTransactionReceipt", `{"transactionHash":"`+cannedHash+`","from":"`+cannedFrom+`","blockNumber":"0x10","blockHash":"`+cannedBlock+`"}`)
		}, want: []error{anchor.ErrUnavailable}},
		{name: "receipt in other block", setup: func(f *fakeNode) {
			f.set("eth_getTransactionReceipt", `{"transactionHash":"`+cannedHash+`","status":"0x1","from":"`+cannedFrom+`","blockNumber":"0x11","blockHash":"`+cannedBlock+`"}`)
		}, want: []error{anchor.ErrUnavailable}},
		{name: "block hash differs", setup: func(f *fakeNode) {
			f.set("eth_getBlockByNumber", `{"hash":"`+cannedHash+`","timestamp":"0x1"}`)
		}, want: []error{anchor.ErrUnavailable}, msg: "reorganisation"},
		{name: "head below block", setup: func(f *fakeNode) { f.set("eth_blockNumber", `"0xf"`) },
			want: []error{anchor.ErrUnavailable}},
		{name: "other chain", setup: func(f *fakeNode) { f.set("eth_chainId", `"0x1"`) },
			want: []error{anchor.ErrChainMismatch}},
		{name: "other transaction", setup: func(f *fakeNode) {
			f.set("eth_getTransactionByHash", `{"hash":"`+cannedBlock+`","from":"`+cannedFrom+`","input":"0x01","blockNumber":"0x10","blockHash":"`+cannedBlock+`"}`)
		}, want: []error{anchor.ErrUnavailable}},
		{name: "odd input", setup: func(f *fakeNode) {
			f.set("eth_getTransactionByHash", `{"hash":"`+cannedHash+`","from":"`+cannedFrom+`","input":"0x123","blockNumber":"0x10","blockHash":"`+cannedBlock+`"}`)
		}, want: []error{anchor.ErrUnavailable}},
		{name: "short sender", setup: func(f *fakeNode) {
			f.set("eth_getTransactionByHash", `{"hash":"`+cannedHash+`","from":"0x1234","input":"0x12","blockNumber":"0x10","blockHash":"`+cannedBlock+`"}`)
		}, want: []error{anchor.ErrUnavailable}},
		{name: "json-rpc error", setup: func(f *fakeNode) {
			f.setRaw("eth_getTransactionByHash", rawReply{status: 200, body: `{"jsonrpc":"2.0","id":%s,"error":{"code":-32000,"message":"boom"}}`})
		}, want: []error{anchor.ErrUnavailable}, msg: "boom"},
		{name: "not json", setup: func(f *fakeNode) {
			f.setRaw("eth_chainId", rawReply{status: 200, body: `<html>hello</html>`})
		}, want: []error{anchor.ErrUnavailable}, msg: "malformed"},
		{name: "wrong id", setup: func(f *fakeNode) {
			f.setRaw("eth_chainId", rawReply{status: 200, body: `{"jsonrpc":"2.0","id":999999,"result":"0x539"}`})
		}, want: []error{anchor.ErrUnavailable}, msg: "id"},
		{name: "no version", setup: func(f *fakeNode) {
			f.setRaw("eth_chainId", rawReply{status: 200, body: `{"id":%s,"result":"0x539"}`})
		}, want: []error{anchor.ErrUnavailable}, msg: "jsonrpc"},
		{name: "result and error", setup: func(f *fakeNode) {
			f.setRaw("eth_chainId", rawReply{status: 200, body: `{"jsonrpc":"2.0","id":%s,"result":"0x539","error":{"code":1,"message":"x"}}`})
		}, want: []error{anchor.ErrUnavailable}},
		{name: "chain id not a quantity", setup: func(f *fakeNode) { f.set("eth_chainId", `"539"`) },
			want: []error{anchor.ErrUnavailable}},
		{name: "oversized", setup: func(f *fakeNode) { f.set("eth_getTransactionByHash", big) },
			opts: []Option{WithMaxResponseBytes(4096)}, want: []error{anchor.ErrUnavailable}, msg: "larger than 4096"},
		{name: "http 500", setup: func(f *fakeNode) {
			f.setRaw("eth_chainId", rawReply{status: 500, body: `oops`})
		}, want: []error{anchor.ErrUnavailable}, msg: "HTTP 500"},
		{name: "http 503 always", setup: func(f *fakeNode) {
			f.setRaw("eth_chainId", rawReply{status: 503, body: `busy`})
		}, want: []error{anchor.ErrUnavailable}, msg: "HTTP 503"},
		{name: "timeout", setup: func(f *fakeNode) {
			f.setRaw("eth_blockNumber", rawReply{status: -1})
		}, opts: []Option{WithTimeout(50 * time.Millisecond), WithRetries(0, 0)}, want: []error{anchor.ErrUnavailable}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeNode()
			tc.setup(f)
			_, err := resolveFake(t, f, tc.opts...)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !errors.Is(err, w) {
					t.Errorf("error %q does not wrap %v", err, w)
				}
			}
			if tc.notWan != nil && errors.Is(err, tc.notWan) {
				t.Errorf("error %q wraps %v", err, tc.notWan)
			}
			if tc.msg != "" && !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not mention %q", err, tc.msg)
			}
		})
	}
}

func TestRetries(t *testing.T) {
	// Gateway errors are retried, with the configured count.
	f := newFakeNode()
	f.setRaw("eth_chainId", rawReply{status: 503, body: "busy", times: 2})
	if _, err := resolveFake(t, f, WithRetries(2, time.Millisecond)); err != nil {
		t.Fatalf("two 503s then success, 2 retries: %v", err)
	}
	if n := f.count("eth_chainId"); n != 3 {
		t.Errorf("eth_chainId asked %d times, want 3", n)
	}

	f = newFakeNode()
	f.setRaw("eth_chainId", rawReply{status: 503, body: "busy", times: 2})
	if _, err := resolveFake(t, f, WithRetries(1, time.Millisecond)); !errors.Is(err, anchor.ErrUnavailable) {
		t.Fatalf("two 503s, 1 retry: got %v, want ErrUnavailable", err)
	}

	// JSON-RPC errors and other HTTP statuses are not.
	for _, raw := range []rawReply{
		{status: 200, body: `{"jsonrpc":"2.0","id":%s,"error":{"code":-32000,"message":"no"}}`},
		{status: 500, body: "broken"},
		{status: 200, body: "not json"},
	} {
		f = newFakeNode()
		f.setRaw("eth_chainId", raw)
		if _, err := resolveFake(t, f, WithRetries(3, time.Millisecond)); err == nil {
			t.Fatalf("%q: no error", raw.body)
		}
		if n := f.count("eth_chainId"); n != 1 {
			t.Errorf("%q: asked %d times, want 1", raw.body, n)
		}
	}
}

func TestResolveCancelled(t *testing.T) {
	f := newFakeNode()
	f.setRaw("eth_chainId", rawReply{status: -1})
	r, err := NewResolver("1337", []string{f.serve(t)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	_, err = r.Resolve(ctx, cannedRef)
	if !errors.Is(err, anchor.ErrUnavailable) || !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want ErrUnavailable and context.Canceled", err)
	}
}

func TestResolveCannedEndpoints(t *testing.T) {
	a, b := newFakeNode(), newFakeNode()
	b.set("eth_blockNumber", `"0x11"`)
	r, err := NewResolver("1337", []string{a.serve(t), b.serve(t)})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := r.Resolve(context.Background(), cannedRef)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Confirmations != 2 {
		t.Errorf("confirmations %d, want the lower count 2", rec.Confirmations)
	}

	// A different sender on one endpoint is a disagreement.
	c := newFakeNode()
	c.set("eth_getTransactionByHash", `{"hash":"`+cannedHash+`","from":"0x00000000000000000000000000000000000000aa","input":"`+cannedRoot+`","blockNumber":"0x10","blockHash":"`+cannedBlock+`"}`)
	c.set("eth_getTransactionReceipt", `{"transactionHash":"`+cannedHash+`","status":"0x1","from":"0x00000000000000000000000000000000000000aa","blockNumber":"0x10","blockHash":"`+cannedBlock+`"}`)
	r, err = NewResolver("1337", []string{a.serve(t), c.serve(t)}, WithQuorum(1))
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Resolve(context.Background(), cannedRef)
	if !errors.Is(err, ErrEndpointsDisagree) || !errors.Is(err, anchor.ErrUnavailable) || !strings.Contains(err.Error(), "0x00000000000000000000000000000000000000aa") {
		t.Fatalf("got %v, want a disagreement naming the other sender", err)
	}

	// All endpoints down.
	d, e := newFakeNode(), newFakeNode()
	d.setRaw("eth_chainId", rawReply{status: 502, body: "down"})
	e.setRaw("eth_chainId", rawReply{status: 502, body: "down"})
	r, err = NewResolver("1337", []string{d.serve(t), e.serve(t)}, WithQuorum(1), WithRetries(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err = r.Resolve(context.Background(), cannedRef); !errors.Is(err, anchor.ErrUnavailable) {
		t.Fatalf("all down: got %v, want ErrUnavailable", err)
	}
}

func TestResolveRefChecks(t *testing.T) {
	r, err := NewResolver("sepolia", []string{"http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := r.Resolve(ctx, anchor.Ref{Chain: "btc", Network: "mainnet", ID: strings.Repeat("a", 64)}); !errors.Is(err, anchor.ErrUnsupported) {
		t.Errorf("btc ref: got %v, want ErrUnsupported", err)
	}
	if _, err := r.Resolve(ctx, anchor.Ref{Chain: "eth", Network: "mainnet", ID: cannedHash}); !errors.Is(err, anchor.ErrChainMismatch) {
		t.Errorf("mainnet ref on sepolia resolver: got %v, want ErrChainMismatch", err)
	}
	if _, err := r.Resolve(ctx, anchor.Ref{Chain: "eth", Network: "sepolia", ID: "0x12"}); !errors.Is(err, anchor.ErrInvalidRef) {
		t.Errorf("short hash: got %v, want ErrInvalidRef", err)
	}
	if _, err := r.Resolve(ctx, anchor.Ref{Chain: "eth", Network: "sepolia!", ID: cannedHash}); !errors.Is(err, anchor.ErrInvalidRef) {
		t.Errorf("bad network: got %v, want ErrInvalidRef", err)
	}
}

func TestConstructorValidation(t *testing.T) {
	key := mustKey(t)
	ok := []string{"http://127.0.0.1:8545"}
	bad := []struct {
		name string
		err  error
	}{
		{"unknown network", second(NewResolver("goerli", ok))},
		{"zero chain", second(NewResolver("0", ok))},
		{"no endpoints", second(NewResolver("1", nil))},
		{"ftp endpoint", second(NewResolver("1", []string{"ftp://x"}))},
		{"duplicate endpoint", second(NewResolver("1", []string{ok[0], ok[0]}))},
		{"quorum too high", second(NewResolver("1", ok, WithQuorum(2)))},
		{"quorum zero", second(NewResolver("1", ok, WithQuorum(0)))},
		{"publisher option", second(NewResolver("1", ok, WithKey(key)))},
		{"nil option", second(NewResolver("1", ok, nil))},
		{"bad timeout", second(NewResolver("1", ok, WithTimeout(0)))},
		{"bad retries", second(NewResolver("1", ok, WithRetries(-1, 0)))},
		{"tiny cap", second(NewResolver("1", ok, WithMaxResponseBytes(1)))},
		{"two clients", second(NewResolver("1", ok, WithHTTPClient(http.DefaultClient), WithRestyClient(nil)))},
		{"resolver option", second(NewPublisher("1", ok[0], WithMinConfirmations(3)))},
		{"key and from", second(NewPublisher("1", ok[0], WithKey(key), WithFrom("0x00000000000000000000000000000000000000aa")))},
		{"bad from", second(NewPublisher("1", ok[0], WithFrom("0x12")))},
		{"bad poll", second(NewPublisher("1", ok[0], WithPollInterval(-1)))},
		{"publisher network", second(NewPublisher("kovan?", ok[0]))},
	}
	for _, b := range bad {
		if b.err == nil {
			t.Errorf("%s: no error", b.name)
		}
	}
	if _, err := NewResolver("11155111", ok, WithMinConfirmations(12), WithQuorum(1), WithTimeout(time.Second)); err != nil {
		t.Errorf("valid resolver: %v", err)
	}
	if _, err := NewPublisher("", ok[0], WithKey(key), WithPollInterval(time.Second)); err != nil {
		t.Errorf("valid publisher: %v", err)
	}
}

func second[T any](_ T, err error) error { return err }

func TestEndpointRedacted(t *testing.T) {
	_, err := NewResolver("1", []string{"http://node.example/v3/SECRETKEY", "http://node.example/v3/SECRETKEY"})
	if err == nil || strings.Contains(err.Error(), "SECRETKEY") {
		t.Fatalf("error %v: want an error without the URL path", err)
	}
}

func TestNetworkNames(t *testing.T) {
	for _, tc := range []struct {
		name string
		id   uint64
	}{{"mainnet", 1}, {"sepolia", 11155111}, {"1337", 1337}, {"8217", 8217}} {
		if got := Network(tc.id); got != tc.name {
			t.Errorf("Network(%d) = %q, want %q", tc.id, got, tc.name)
		}
		if got, err := ChainID(tc.name); err != nil || got != tc.id {
			t.Errorf("ChainID(%q) = %d, %v; want %d", tc.name, got, err, tc.id)
		}
	}
	if id, err := ChainID("1"); err != nil || id != 1 {
		t.Errorf("ChainID(\"1\") = %d, %v", id, err)
	}
	for _, s := range []string{"", "0", "01", "-1", "+5", "Mainnet", "18446744073709551616", "0x1"} {
		if _, err := ChainID(s); err == nil {
			t.Errorf("ChainID(%q): no error", s)
		}
	}
}
