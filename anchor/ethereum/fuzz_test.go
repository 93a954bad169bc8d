package ethereum

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/anchor"
)

func FuzzDecodeReply(f *testing.F) {
	f.Add([]byte(`{"jsonrpc":"2.0","id":1,"result":"0x539"}`), uint64(1))
	f.Add([]byte(`{"jsonrpc":"2.0","id":1,"result":null}`), uint64(1))
	f.Add([]byte(`{"jsonrpc":"2.0","id":7,"error":{"code":-32000,"message":"x","data":{"a":1}}}`), uint64(7))
	f.Add([]byte(`{"jsonrpc":"2.0","id":"1","result":1}`), uint64(1))
	f.Add([]byte(`[{"jsonrpc":"2.0","id":1,"result":1}]`), uint64(1))
	f.Add([]byte(`{"jsonrpc":"2.0","id":1}`), uint64(1))
	f.Fuzz(func(t *testing.T, data []byte, id uint64) {
		res, err := decodeReply(data, id)
		if err != nil {
			if res != nil {
				t.Fatal("result with error")
			}
			return
		}
		if !json.Valid(res) {
			t.Fatalf("invalid JSON result %q", res)
		}
	})
}

func FuzzParseHex(f *testing.F) {
	for _, s := range []string{"0x0", "0x539", "0x", "0x00ff", "0xZZ", "539", "0x" + string(make([]byte, 70)), "0xAbCd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if q, err := parseQuantity(s); err == nil {
			if q.Sign() < 0 || q.BitLen() > 256 {
				t.Fatalf("quantity %q parsed to %v", s, q)
			}
		}
		if b, err := parseData(s); err == nil && len(b) != (len(s)-2)/2 {
			t.Fatalf("data %q decoded to %d bytes", s, len(b))
		}
		if h, err := parseHash(s); err == nil && len(h) != 66 {
			t.Fatalf("hash %q gave %q", s, h)
		}
		if a, err := parseAddress(s); err == nil && len(a) != 42 {
			t.Fatalf("address %q gave %q", s, a)
		}
	})
}

// FuzzResolveReplies feeds arbitrary transaction, receipt and block
// objects to a Resolver: it returns a record or a categorised error and
// never panics.
func FuzzResolveReplies(f *testing.F) {
	base := newFakeNode()
	f.Add(base.results["eth_getTransactionByHash"], base.results["eth_getTransactionReceipt"], base.results["eth_getBlockByNumber"], base.results["eth_syncing"])
	f.Add(`null`, `null`, `null`, `true`)
	f.Add(`{"hash":1}`, `{"status":"0x2"}`, `{"timestamp":"0xffffffffffffffffff"}`, `{}`)
	f.Add(`[]`, `"x"`, `{"hash":"`+cannedBlock+`","timestamp":"0x"}`, `false`)
	f.Fuzz(func(t *testing.T, tx, receipt, block, syncing string) {
		fn := newFakeNode()
		fn.set("eth_getTransactionByHash", tx)
		fn.set("eth_getTransactionReceipt", receipt)
		fn.set("eth_getBlockByNumber", block)
		fn.set("eth_syncing", syncing)
		r, err := NewResolver("1337", []string{"http://fuzz.invalid"},
			WithHTTPClient(&http.Client{Transport: handlerTransport{fn}}), WithRetries(0, 0), WithTimeout(time.Second))
		if err != nil {
			t.Fatal(err)
		}
		rec, err := r.Resolve(context.Background(), cannedRef)
		if err != nil {
			if !errors.Is(err, anchor.ErrUnavailable) && !errors.Is(err, anchor.ErrNotFound) {
				t.Fatalf("uncategorised error: %v", err)
			}
			return
		}
		if len(rec.Sender) != 42 || rec.Confirmations == 0 || rec.Ref != cannedRef {
			t.Fatalf("implausible record %+v", rec)
		}
	})
}

// FuzzFindReplies feeds arbitrary blocks and receipts to Publisher.Find:
// it returns a record of the root it was asked for, from its sender, or a
// categorised error, and never panics.
func FuzzFindReplies(f *testing.F) {
	from := strings.ToLower(cannedFrom)
	mined := `{"hash":"` + cannedBlock + `","number":"0x1","timestamp":"0x6553f100","transactions":[{"hash":"` + cannedHash +
		`","from":"` + from + `","to":"` + from + `","input":"` + cannedRoot + `"}]}`
	f.Add(mined, newFakeNode().results["eth_getTransactionReceipt"], "0x1")
	f.Add(`{"hash":"`+cannedBlock+`","transactions":[{"hash":"`+cannedHash+`","from":"`+from+`","to":null,"input":"0x"}]}`, `null`, "0x1")
	f.Add(`{"transactions":[1]}`, `{"status":"0x0"}`, "0x0")
	f.Add(`null`, `[]`, "0x2")
	f.Fuzz(func(t *testing.T, block, receipt, count string) {
		fn := newFakeNode()
		fn.set("eth_accounts", `["`+from+`"]`)
		fn.set("eth_blockNumber", `"0x3"`)
		fn.set("eth_getBlockByNumber", block)
		fn.set("eth_getTransactionReceipt", receipt)
		fn.set("eth_getTransactionCount", strconv.Quote(count))
		p, err := NewPublisher("1337", "http://fuzz.invalid",
			WithHTTPClient(&http.Client{Transport: handlerTransport{fn}}), WithRetries(0, 0), WithTimeout(time.Second), WithPollInterval(time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		root, _ := parseData(cannedRoot)
		rec, err := p.Find(context.Background(), root)
		if err != nil {
			if !errors.Is(err, anchor.ErrUnavailable) && !errors.Is(err, anchor.ErrNotFound) {
				t.Fatalf("uncategorised error: %v", err)
			}
			return
		}
		if !bytes.Equal(rec.Root, root) || rec.Sender != from {
			t.Fatalf("found root %x from %s, asked for %x from %s", rec.Root, rec.Sender, root, from)
		}
	})
}
