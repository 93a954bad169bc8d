package ethereum

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

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
// reset, timeout, a gateway status): the only ones retried.
var errTransport = errors.New("transport error")

// notRetried lists methods that must not be sent twice: a request that
// reached the node before the connection failed would send a second
// transaction. (eth_sendRawTransaction is safe to repeat: the same signed
// bytes are the same transaction.)
var notRetried = map[string]bool{"eth_sendTransaction": true}

// rpcClient speaks JSON-RPC 2.0 over HTTP POST to one endpoint.
type rpcClient struct {
	http     *resty.Client
	endpoint string
	label    string // endpoint without path, query or credentials, for messages
	cfg      *config
	nextID   atomic.Uint64
}

func newRPCClient(hc *resty.Client, endpoint string, cfg *config) (*rpcClient, error) {
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

// call invokes method and decodes its result into out (which may be nil).
// Transport errors are retried with exponential backoff; a JSON-RPC error,
// an HTTP error status other than 429/502/503/504, or a malformed reply is
// returned at once.
func (c *rpcClient) call(ctx context.Context, out any, method string, params ...any) error {
	if params == nil {
		params = []any{}
	}
	wait := c.cfg.retryWait
	var err error
	for attempt := 0; ; attempt++ {
		var result json.RawMessage
		result, err = c.callOnce(ctx, method, params)
		if err == nil {
			if out == nil {
				return nil
			}
			if uerr := json.Unmarshal(result, out); uerr != nil {
				return fmt.Errorf("%s: %s: malformed result: %v", c.label, method, uerr)
			}
			return nil
		}
		if !errors.Is(err, errTransport) || attempt >= c.cfg.retries || ctx.Err() != nil || notRetried[method] {
			break
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%s: %s: %w (after %v)", c.label, method, ctx.Err(), err)
		case <-t.C:
		}
		wait *= 2
	}
	return fmt.Errorf("%s: %s: %w", c.label, method, err)
}

func (c *rpcClient) callOnce(ctx context.Context, method string, params []any) (json.RawMessage, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.timeout)
	defer cancel()
	id := c.nextID.Add(1)
	resp, err := c.http.R().
		SetContext(ctx).
		SetHeader("Content-Type", "application/json").
		SetHeader("Accept", "application/json").
		SetBody(rpcRequest{JSONRPC: "2.0", ID: id, Method: method, Params: params}).
		SetDoNotParseResponse(true).
		Post(c.endpoint)
	if err != nil {
		// A *url.Error quotes the whole URL, API key included; keep only
		// what went wrong (the label names the host).
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("%w: %w", errTransport, err)
	}
	body := resp.RawBody()
	defer body.Close()
	data, err := io.ReadAll(io.LimitReader(body, c.cfg.maxResponse+1))
	if err != nil {
		return nil, fmt.Errorf("%w: reading reply: %v", errTransport, err)
	}
	switch sc := resp.StatusCode(); {
	case sc == http.StatusTooManyRequests || sc == http.StatusBadGateway ||
		sc == http.StatusServiceUnavailable || sc == http.StatusGatewayTimeout:
		return nil, fmt.Errorf("%w: HTTP %d", errTransport, sc)
	case sc != http.StatusOK:
		return nil, fmt.Errorf("HTTP %d", sc)
	}
	if int64(len(data)) > c.cfg.maxResponse {
		return nil, fmt.Errorf("reply larger than %d bytes", c.cfg.maxResponse)
	}
	return decodeReply(data, id)
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
