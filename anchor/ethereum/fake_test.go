package ethereum

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// fakeNode answers JSON-RPC requests with canned results, for tests that
// need replies a real node would not give.
type fakeNode struct {
	mu      sync.Mutex
	results map[string]string // method -> raw JSON result
	// byParams answers a method called with given parameters: method, a
	// space and the parameters' JSON as sent -> raw JSON result.
	byParams map[string]string
	// raw, when set for a method, is the whole HTTP reply: status and body
	// (with %s standing for the request id).
	raw   map[string]rawReply
	calls map[string]int
}

type rawReply struct {
	status int
	body   string
	times  int // answer this way only this many times; 0: always
}

const (
	cannedHash  = "0x1111111111111111111111111111111111111111111111111111111111111111"
	cannedBlock = "0x2222222222222222222222222222222222222222222222222222222222222222"
	cannedRoot  = "0x3333333333333333333333333333333333333333333333333333333333333333"
	cannedFrom  = "0xAbCdEf0123456789aBcDeF0123456789AbCdEf01"
)

func newFakeNode() *fakeNode {
	return &fakeNode{
		results: map[string]string{
			"eth_chainId": `"0x539"`,
			"eth_syncing": `false`,
			"eth_getTransactionByHash": `{"hash":"` + cannedHash + `","from":"` + cannedFrom +
				`","input":"` + cannedRoot + `","blockNumber":"0x10","blockHash":"` + cannedBlock + `","type":"0x2"}`,
			"eth_getTransactionReceipt": `{"transactionHash":"` + cannedHash + `","status":"0x1","from":"` + cannedFrom +
				`","blockNumber":"0x10","blockHash":"` + cannedBlock + `"}`,
			"eth_getBlockByNumber": `{"hash":"` + cannedBlock + `","number":"0x10","timestamp":"0x6553f100","baseFeePerGas":"0x7"}`,
			"eth_blockNumber":      `"0x14"`,
		},
		raw:      map[string]rawReply{},
		calls:    map[string]int{},
		byParams: map[string]string{},
	}
}

func (f *fakeNode) set(method, result string) { f.mu.Lock(); f.results[method] = result; f.mu.Unlock() }

func (f *fakeNode) setFor(method, params, result string) {
	f.mu.Lock()
	f.byParams[method+" "+params] = result
	f.mu.Unlock()
}

func (f *fakeNode) setRaw(method string, r rawReply) { f.mu.Lock(); f.raw[method] = r; f.mu.Unlock() }

func (f *fakeNode) count(method string) int { f.mu.Lock(); defer f.mu.Unlock(); return f.calls[method] }

func (f *fakeNode) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var req struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
		Params json.RawMessage `json:"params"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.calls[req.Method]++
	n := f.calls[req.Method]
	raw, hasRaw := f.raw[req.Method]
	result, ok := f.byParams[req.Method+" "+string(req.Params)]
	if !ok {
		result, ok = f.results[req.Method]
	}
	f.mu.Unlock()
	if hasRaw && (raw.times == 0 || n <= raw.times) {
		if raw.status == -1 { // hang until the client gives up
			<-r.Context().Done()
			return
		}
		w.WriteHeader(raw.status)
		if strings.Contains(raw.body, "%s") {
			fmt.Fprintf(w, raw.body, req.ID)
		} else {
			io.WriteString(w, raw.body)
		}
		return
	}
	if !ok {
		fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"error":{"code":-32601,"message":"the method %s does not exist"}}`, req.ID, req.Method)
		return
	}
	fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"result":%s}`, req.ID, result)
}

// serve starts an httptest server for f.
func (f *fakeNode) serve(t testing.TB) string {
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return srv.URL
}

// handlerTransport sends requests straight to a handler, without sockets
// (for fuzzing).
type handlerTransport struct{ h http.Handler }

func (ht handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	ht.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}
