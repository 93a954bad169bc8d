package ethereum

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/go-resty/resty/v2"
)

// RPCError is an error object a node returned in a JSON-RPC reply.
type RPCError struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data,omitempty"`
}

func (e *RPCError) Error() string {
	return fmt.Sprintf("json-rpc error %d: %s", e.Code, e.Message)
}

// errTransport marks failures to get a reply at all (connection refused,
// reset, timeout, a reply cut off, a gateway status): the only ones retried.
var errTransport = errors.New("transport error")

// notRetried lists methods that must not be sent twice: a request that
// reached the node before the connection failed would send a second
// transaction, or spend a nonce twice. They go through the client that never
// retries, and retryable refuses them too.
var notRetried = map[string]bool{"eth_sendTransaction": true, "eth_sendRawTransaction": true}

// rpcClient speaks JSON-RPC 2.0 over HTTP POST to one endpoint.
type rpcClient struct {
	http     transport
	endpoint string
	label    string // endpoint without path, query or credentials, for messages
	cfg      *config
	nextID   atomic.Uint64
}

func newRPCClient(hc transport, endpoint string, cfg *config) (*rpcClient, error) {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("ethereum: endpoint %q: want an http or https URL", redact(endpoint))
	}
	return &rpcClient{http: hc, endpoint: endpoint, label: u.Scheme + "://" + u.Host, cfg: cfg}, nil
}

// redact drops everything after the host: provider URLs often carry an
// API key in the path or query.
func redact(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		return "(unparsable URL)"
	}
	return u.Scheme + "://" + u.Host
}

type rpcRequest struct {
	JSONRPC string `json:"jsonrpc"`
	ID      uint64 `json:"id"`
	Method  string `json:"method"`
	Params  []any  `json:"params"`
}

// retryable is the resty retry condition: an attempt is retried when it got
// no complete reply or a gateway status (429, 502, 503, 504), unless its
// method must not be sent twice. A reply over the size limit is not
// retried; neither is anything that got an answer, error or not.
func retryable(resp *resty.Response, err error) bool {
	if resp != nil && resp.Request != nil {
		if req, ok := resp.Request.Body.(rpcRequest); ok && notRetried[req.Method] {
			return false
		}
	}
	if err != nil {
		return !errors.Is(err, resty.ErrResponseBodyTooLarge)
	}
	return resp != nil && gatewayStatus(resp.StatusCode())
}

func gatewayStatus(sc int) bool {
	return sc == http.StatusTooManyRequests || sc == http.StatusBadGateway ||
		sc == http.StatusServiceUnavailable || sc == http.StatusGatewayTimeout
}

// call invokes method and decodes its result into out (which may be nil).
// Transport errors are retried by resty as WithRetries says, except for the
// methods in notRetried; a JSON-RPC error, an HTTP error status other than
// 429/502/503/504, or a malformed reply is returned at once.
func (c *rpcClient) call(ctx context.Context, out any, method string, params ...any) error {
	if params == nil {
		params = []any{}
	}
	result, err := c.post(ctx, method, params)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", c.label, method, err)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(result, out); err != nil {
		return fmt.Errorf("%s: %s: malformed result: %v", c.label, method, err)
	}
	return nil
}

// post sends one request, retried by the transport if method allows it,
// and returns the result of the final reply.
func (c *rpcClient) post(ctx context.Context, method string, params []any) (json.RawMessage, error) {
	hc := c.http.retrying
	if notRetried[method] {
		hc = c.http.once
	}
	id := c.nextID.Add(1)
	resp, err := hc.R().
		SetContext(ctx).
		SetHeader("Content-Type", "application/json").
		SetHeader("Accept", "application/json").
		SetBody(rpcRequest{JSONRPC: "2.0", ID: id, Method: method, Params: params}).
		SetResponseBodyLimit(int(min(c.cfg.maxResponse, math.MaxInt))).
		Post(c.endpoint)
	switch {
	case errors.Is(err, resty.ErrResponseBodyTooLarge):
		return nil, fmt.Errorf("reply larger than %d bytes", c.cfg.maxResponse)
	case err != nil:
		// A *url.Error quotes the whole URL, API key included; keep only
		// what went wrong (the label names the host).
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("%w: %w", errTransport, err)
	}
	switch sc := resp.StatusCode(); {
	case gatewayStatus(sc):
		return nil, fmt.Errorf("%w: HTTP %d", errTransport, sc)
	case sc != http.StatusOK:
		return nil, fmt.Errorf("HTTP %d", sc)
	}
	return decodeReply(resp.Body(), id)
}

// decodeReply checks a JSON-RPC 2.0 reply to request id and returns its
// result, or the node's error as an *RPCError. A null result is returned as
// the JSON literal null.
func decodeReply(data []byte, id uint64) (json.RawMessage, error) {
	var r struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Result  json.RawMessage `json:"result"`
		Error   *RPCError       `json:"error"`
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("malformed JSON-RPC reply: %v", err)
	}
	if r.JSONRPC != "2.0" {
		return nil, fmt.Errorf("malformed JSON-RPC reply: jsonrpc is %q, want \"2.0\"", r.JSONRPC)
	}
	var gotID uint64
	if err := json.Unmarshal(r.ID, &gotID); err != nil || gotID != id {
		return nil, fmt.Errorf("malformed JSON-RPC reply: id %s, want %d", truncate(string(r.ID)), id)
	}
	if r.Error != nil {
		if r.Result != nil {
			return nil, errors.New("malformed JSON-RPC reply: both result and error")
		}
		return nil, r.Error
	}
	if r.Result == nil {
		return nil, errors.New("malformed JSON-RPC reply: no result and no error")
	}
	return r.Result, nil
}

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	if s == "" {
		return "(none)"
	}
	return s
}

// parseQuantity decodes a JSON-RPC QUANTITY: "0x" and 1 to 64 hex digits.
// Leading zeros, which the specification forbids but some nodes send, are
// accepted.
func parseQuantity(s string) (*big.Int, error) {
	if !strings.HasPrefix(s, "0x") || len(s) < 3 || len(s) > 66 {
		return nil, fmt.Errorf("quantity %q: want 0x and 1 to 64 hex digits", truncate(s))
	}
	x, ok := new(big.Int).SetString(s[2:], 16)
	if !ok || !isHexDigits(s[2:]) {
		return nil, fmt.Errorf("quantity %q: not hex", truncate(s))
	}
	return x, nil
}

// parseUint64 decodes a QUANTITY that must fit in 64 bits (block numbers,
// timestamps, chain ids, nonces).
func parseUint64(s string) (uint64, error) {
	x, err := parseQuantity(s)
	if err != nil {
		return 0, err
	}
	if !x.IsUint64() {
		return 0, fmt.Errorf("quantity %q: larger than 64 bits", truncate(s))
	}
	return x.Uint64(), nil
}

// parseData decodes JSON-RPC DATA: "0x" and an even number of hex digits.
func parseData(s string) ([]byte, error) {
	if !strings.HasPrefix(s, "0x") || len(s)%2 != 0 || !isHexDigits(s[2:]) {
		return nil, fmt.Errorf("data %q: want 0x and an even number of hex digits", truncate(s))
	}
	return hex.DecodeString(s[2:])
}

// parseHash checks a 32-byte hash and returns it in lower case.
func parseHash(s string) (string, error) {
	b, err := parseData(s)
	if err != nil || len(b) != 32 {
		return "", fmt.Errorf("hash %q: want 0x and 64 hex digits", truncate(s))
	}
	return "0x" + hex.EncodeToString(b), nil
}

// parseAddress checks a 20-byte address and returns it in lower case.
func parseAddress(s string) (string, error) {
	b, err := parseData(s)
	if err != nil || len(b) != 20 {
		return "", fmt.Errorf("address %q: want 0x and 40 hex digits", truncate(s))
	}
	return "0x" + hex.EncodeToString(b), nil
}

func isHexDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func quantity(u uint64) string { return fmt.Sprintf("0x%x", u) }
