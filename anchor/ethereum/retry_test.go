package ethereum

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/badgeproof/badgeproof/anchor"
)

// dropNode serves f, except that the methods in drop get their connection
// closed without a reply: the request reached the node, the answer was lost.
type dropNode struct {
	f    *fakeNode
	mu   sync.Mutex
	drop map[string]int // method -> how many more requests to drop (-1: all)
}

func (d *dropNode) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var req struct{ Method string }
	json.Unmarshal(body, &req)
	d.mu.Lock()
	n, ok := d.drop[req.Method]
	if ok && n != 0 {
		d.drop[req.Method] = n - 1
	}
	d.mu.Unlock()
	if ok && n != 0 {
		d.f.mu.Lock()
		d.f.calls[req.Method]++
		d.f.mu.Unlock()
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	d.f.ServeHTTP(w, r)
}

func serveDrop(t *testing.T, f *fakeNode, drop map[string]int) string {
	srv := httptest.NewServer(&dropNode{f: f, drop: drop})
	t.Cleanup(srv.Close)
	return srv.URL
}

// Neither send method is ever repeated by the transport, whether the node
// answered with a gateway status or the connection dropped after the
// request went out, whatever the retry settings.
func TestSendsAreAttemptedOnce(t *testing.T) {
	userClient := func() *resty.Client {
		// A caller's client that would retry anything, many times.
		return resty.New().SetRetryCount(5).SetRetryWaitTime(time.Millisecond).
			AddRetryCondition(func(*resty.Response, error) bool { return true })
	}
	for _, tc := range []struct {
		name   string
		method string
		opts   []Option
	}{
		{"raw", "eth_sendRawTransaction", []Option{WithKey(mustKey(t))}},
		{"node-signed", "eth_sendTransaction", nil},
		{"raw, caller's resty client", "eth_sendRawTransaction", []Option{WithKey(mustKey(t)), WithRestyClient(userClient())}},
		{"node-signed, caller's resty client", "eth_sendTransaction", []Option{WithRestyClient(userClient())}},
	} {
		for _, failure := range []string{"503", "dropped"} {
			t.Run(tc.name+"/"+failure, func(t *testing.T) {
				f := fakeSigningNode()
				f.set("eth_accounts", `["`+cannedFrom+`"]`)
				f.set("eth_sendTransaction", `"`+cannedHash+`"`)
				var url string
				if failure == "503" {
					f.setRaw(tc.method, rawReply{status: http.StatusServiceUnavailable, body: "busy"})
					url = f.serve(t)
				} else {
					url = serveDrop(t, f, map[string]int{tc.method: -1})
				}
				opts := append([]Option{WithPollInterval(time.Millisecond)}, tc.opts...)
				if !hasResty(tc.opts) {
					opts = append(opts, WithRetries(3, time.Millisecond))
				}
				p, err := NewPublisher("1337", url, opts...)
				if err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				if _, err := p.Publish(ctx, []byte{1, 2, 3}); err == nil {
					t.Fatal("Publish: no error")
				}
				if n := f.count(tc.method); n != 1 {
					t.Fatalf("%s attempted %d times, want exactly 1", tc.method, n)
				}
			})
		}
	}
}

func hasResty(opts []Option) bool {
	c, _ := newConfig(opts)
	return c != nil && c.resty != nil
}

// Reads are retried by the transport, after gateway statuses and after
// dropped connections alike, as many times as WithRetries says.
func TestReadsAreRetried(t *testing.T) {
	for _, method := range []string{"eth_chainId", "eth_getTransactionByHash", "eth_getTransactionReceipt", "eth_getBlockByNumber"} {
		t.Run(method+"/503", func(t *testing.T) {
			f := newFakeNode()
			f.setRaw(method, rawReply{status: http.StatusServiceUnavailable, body: "busy", times: 2})
			if _, err := resolveFake(t, f, WithRetries(2, time.Millisecond)); err != nil {
				t.Fatalf("two 503s then an answer, 2 retries: %v", err)
			}
			if n := f.count(method); n != 3 {
				t.Errorf("%s asked %d times, want 3", method, n)
			}
		})
		t.Run(method+"/dropped", func(t *testing.T) {
			f := newFakeNode()
			r, err := NewResolver("1337", []string{serveDrop(t, f, map[string]int{method: 2})}, WithRetries(2, time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := r.Resolve(context.Background(), cannedRef); err != nil {
				t.Fatalf("two dropped connections then an answer, 2 retries: %v", err)
			}
			if n := f.count(method); n != 3 {
				t.Errorf("%s asked %d times, want 3", method, n)
			}
		})
	}

	// Without retries, one failure is the answer.
	f := newFakeNode()
	f.setRaw("eth_getTransactionByHash", rawReply{status: http.StatusBadGateway, body: "x", times: 1})
	if _, err := resolveFake(t, f, WithRetries(0, 0)); !errors.Is(err, anchor.ErrUnavailable) {
		t.Fatalf("one 502, no retries: %v, want ErrUnavailable", err)
	}
	if n := f.count("eth_getTransactionByHash"); n != 1 {
		t.Errorf("asked %d times, want 1", n)
	}
}

// An oversized reply is an error at once, not a transport failure to retry.
func TestOversizedReplyNotRetried(t *testing.T) {
	f := newFakeNode()
	f.set("eth_getTransactionByHash", `"`+string(make([]byte, 200))+`"`)
	_, err := resolveFake(t, f, WithRetries(3, time.Millisecond), WithMaxResponseBytes(100))
	if err == nil {
		t.Fatal("no error")
	}
	if n := f.count("eth_getTransactionByHash"); n != 1 {
		t.Errorf("asked %d times, want 1", n)
	}
}

// The caller's resty client is copied, never changed, and WithTimeout
// cannot override its timeout.
func TestRestyClientLeftAlone(t *testing.T) {
	rc := resty.New().SetRetryCount(7)
	if _, err := NewResolver("1337", []string{"http://127.0.0.1:1"}, WithRestyClient(rc), WithRetries(1, time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if rc.RetryCount != 7 || len(rc.RetryConditions) != 0 {
		t.Errorf("caller's client changed: RetryCount %d, %d conditions", rc.RetryCount, len(rc.RetryConditions))
	}
	if _, err := NewResolver("1337", []string{"http://127.0.0.1:1"}, WithRestyClient(rc), WithTimeout(time.Second)); err == nil {
		t.Error("WithRestyClient with WithTimeout: no error")
	}
	hc := &http.Client{}
	if _, err := NewResolver("1337", []string{"http://127.0.0.1:1"}, WithHTTPClient(hc), WithTimeout(time.Second)); err != nil {
		t.Fatal(err)
	}
	if hc.Timeout != 0 {
		t.Errorf("caller's http.Client changed: Timeout %v", hc.Timeout)
	}
}
