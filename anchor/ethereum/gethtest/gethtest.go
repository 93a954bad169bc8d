// Package gethtest starts a real go-ethereum development node (geth --dev)
// on loopback for tests of code that speaks Ethereum JSON-RPC.
//
// The node is a separate geth binary; this package does not import
// go-ethereum. Install the binary with
//
//	go install github.com/ethereum/go-ethereum/cmd/geth@v1.17.10
//
// Tests find it on PATH or in $(go env GOPATH)/bin. When it is missing, a
// test calling [Start] is skipped, except with CI=true in the environment,
// where it fails: CI must never pass by skipping.
//
// The node mines a block whenever it receives a transaction (--dev.period
// 0), has one funded, unlocked account ([Node.Account]) and serves chain id
// 1337 over HTTP on 127.0.0.1 with the eth, net and web3 APIs. It has no
// peers and no IPC endpoint. Its data directory is temporary and removed
// when it stops.
//
// A package whose tests can share one node uses [Shared]:
//
//	var node gethtest.Shared
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		node.Close()
//		os.Exit(code)
//	}
//
//	func TestX(t *testing.T) {
//		n := node.Get(t)
//		...
//	}
package gethtest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// ChainID is the chain id of a geth development node.
const ChainID = 1337

// InstallHint says how to get the geth binary.
const InstallHint = "go install github.com/ethereum/go-ethereum/cmd/geth@v1.17.10"

// ErrNotInstalled: no geth binary was found.
var ErrNotInstalled = errors.New("gethtest: geth not found on PATH or in $(go env GOPATH)/bin; install it with: " + InstallHint)

// startTimeout bounds how long a node may take to serve JSON-RPC.
const startTimeout = 60 * time.Second

// Node is a running geth development node.
type Node struct {
	// URL is the node's HTTP JSON-RPC endpoint, http://127.0.0.1:<port>.
	URL string
	// Account is the funded, unlocked developer account: eth_accounts[0],
	// a 0x-prefixed lower-case address.
	Account string

	cmd     *exec.Cmd
	dir     string
	log     *logBuffer
	done    chan struct{}
	stopped atomic.Bool
	stop    sync.Once
	http    *http.Client
	id      atomic.Uint64
}

// Find returns the path of the geth binary: the one on PATH, else
// $(go env GOPATH)/bin/geth. The error wraps ErrNotInstalled.
func Find() (string, error) {
	if p, err := exec.LookPath("geth"); err == nil {
		return p, nil
	}
	var dirs []string
	if gp := os.Getenv("GOPATH"); gp != "" {
		dirs = append(dirs, filepath.SplitList(gp)...)
	} else if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		dirs = append(dirs, filepath.SplitList(strings.TrimSpace(string(out)))...)
	}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, "go"))
	}
	for _, d := range dirs {
		p := filepath.Join(d, "bin", "geth")
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", ErrNotInstalled
}

// Start launches a node for the calling test and stops it when the test and
// its subtests end. Without geth it skips the test, or fails it when the
// environment has CI=true.
func Start(t testing.TB) *Node {
	t.Helper()
	n, err := Launch(context.Background())
	handle(t, err)
	t.Cleanup(n.Stop)
	return n
}

func handle(t testing.TB, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if errors.Is(err, ErrNotInstalled) && os.Getenv("CI") != "true" {
		t.Skip(err.Error())
	}
	t.Fatal(err)
}

// Launch starts a node that the caller stops with Stop. The error wraps
// ErrNotInstalled when geth is missing.
func Launch(ctx context.Context) (*Node, error) {
	bin, err := Find()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	dir, err := os.MkdirTemp("", "gethtest-")
	if err != nil {
		return nil, err
	}
	n := &Node{
		dir:  dir,
		log:  &logBuffer{},
		done: make(chan struct{}),
		http: &http.Client{Timeout: 30 * time.Second},
	}
	n.cmd = exec.Command(bin,
		"--dev", "--dev.period", "0",
		"--datadir", dir,
		"--http", "--http.addr", "127.0.0.1", "--http.port", "0",
		"--http.api", "eth,net,web3",
		"--nodiscover", "--maxpeers", "0", "--port", "0",
		"--ipcdisable",
		"--verbosity", "3",
	)
	killWithParent(n.cmd)
	stderr, err := n.cmd.StderrPipe()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	n.cmd.Stdout = n.log
	if err := n.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("gethtest: starting %s: %w", bin, err)
	}
	endpoint := make(chan string, 1)
	go n.readLog(stderr, endpoint)
	go func() {
		n.cmd.Wait()
		close(n.done)
	}()

	fail := func(err error) (*Node, error) {
		n.Stop()
		return nil, fmt.Errorf("gethtest: %w\ngeth log tail:\n%s", err, n.log.tail(4000))
	}
	select {
	case ep := <-endpoint:
		n.URL = "http://" + ep
	case <-n.done:
		return fail(errors.New("geth exited before serving HTTP"))
	case <-ctx.Done():
		return fail(fmt.Errorf("geth did not start HTTP: %w", ctx.Err()))
	}
	if err := n.ready(ctx); err != nil {
		return fail(err)
	}
	return n, nil
}

var endpointRE = regexp.MustCompile(`HTTP server started\s+endpoint=(127\.0\.0\.1:[0-9]+)`)

func (n *Node) readLog(r io.Reader, endpoint chan<- string) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	sent := false
	for sc.Scan() {
		line := sc.Text()
		n.log.Write([]byte(line + "\n"))
		if !sent {
			if m := endpointRE.FindStringSubmatch(line); m != nil {
				endpoint <- m[1]
				sent = true
			}
		}
	}
	io.Copy(n.log, r)
}

// ready waits until the node answers, learns its account, mines a first
// block (a fresh dev node reports itself syncing until then) and waits for
// eth_syncing to say false.
func (n *Node) ready(ctx context.Context) error {
	for {
		var accts []string
		err := n.call(ctx, &accts, "eth_accounts")
		if err == nil && len(accts) > 0 {
			n.Account = strings.ToLower(accts[0])
			break
		}
		if ctx.Err() != nil {
			return fmt.Errorf("waiting for eth_accounts: %v (last error: %v)", ctx.Err(), err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	var h string
	nudge := func() error {
		if err := n.call(ctx, &h, "eth_sendTransaction", map[string]string{"from": n.Account, "to": n.Account, "value": "0x0"}); err != nil {
			return fmt.Errorf("mining the first block: %w", err)
		}
		return nil
	}
	if err := nudge(); err != nil {
		return err
	}
	// On a loaded machine the dev block producer may start after the first
	// transaction arrived and then wait for the next one: send another now
	// and then until a block is mined.
	nextNudge := time.Now().Add(2 * time.Second)
	for {
		var syncing json.RawMessage
		if err := n.call(ctx, &syncing, "eth_syncing"); err != nil {
			return err
		}
		if string(syncing) == "false" {
			return n.waitMined(ctx, h)
		}
		if time.Now().After(nextNudge) {
			if err := nudge(); err != nil {
				return err
			}
			nextNudge = time.Now().Add(2 * time.Second)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("node still syncing: %w", ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Stop kills the node and removes its data directory. It is safe to call
// more than once; after it, the node's URL refuses connections.
func (n *Node) Stop() {
	n.stop.Do(func() {
		n.stopped.Store(true)
		if n.cmd.Process != nil {
			n.cmd.Process.Kill()
			<-n.done
		}
		os.RemoveAll(n.dir)
	})
}

// Log returns the node's recent log output, for diagnosing failures.
func (n *Node) Log() string { return n.log.tail(16 << 10) }

// Call invokes a JSON-RPC method on the node and decodes its result into
// out (which may be nil). It fails the test on any error.
func (n *Node) Call(t testing.TB, out any, method string, params ...any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := n.call(ctx, out, method, params...); err != nil {
		t.Fatal(err)
	}
}

// Fund sends wei from the developer account to address and waits until the
// transfer is mined.
func (n *Node) Fund(t testing.TB, address string, wei *big.Int) {
	t.Helper()
	n.SendTransaction(t, map[string]string{
		"from":  n.Account,
		"to":    address,
		"value": "0x" + wei.Text(16),
	})
}

// SendTransaction sends tx (an eth_sendTransaction object; "from" defaults
// to the developer account) and waits until it is mined. It returns the
// transaction hash.
func (n *Node) SendTransaction(t testing.TB, tx map[string]string) string {
	t.Helper()
	if _, ok := tx["from"]; !ok {
		tx["from"] = n.Account
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	h, err := n.send(ctx, tx)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// SendRawTransaction submits a signed transaction (0x-prefixed hex) and
// waits until it is mined. It returns the hash the node reports.
func (n *Node) SendRawTransaction(t testing.TB, raw string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var h string
	if err := n.call(ctx, &h, "eth_sendRawTransaction", raw); err != nil {
		t.Fatal(err)
	}
	if err := n.waitMined(ctx, h); err != nil {
		t.Fatal(err)
	}
	return h
}

// MineBlocks mines k blocks by sending k empty self-transfers from the
// developer account.
func (n *Node) MineBlocks(t testing.TB, k int) {
	t.Helper()
	for range k {
		n.SendTransaction(t, map[string]string{"to": n.Account, "value": "0x0"})
	}
}

// TransactionCount returns how many transactions address has sent (its
// nonce at the latest block).
func (n *Node) TransactionCount(t testing.TB, address string) uint64 {
	t.Helper()
	var s string
	n.Call(t, &s, "eth_getTransactionCount", address, "latest")
	v, ok := new(big.Int).SetString(strings.TrimPrefix(s, "0x"), 16)
	if !ok || !v.IsUint64() {
		t.Fatalf("eth_getTransactionCount: bad quantity %q", s)
	}
	return v.Uint64()
}

// BlockNumber returns the node's head block number.
func (n *Node) BlockNumber(t testing.TB) uint64 {
	t.Helper()
	var s string
	n.Call(t, &s, "eth_blockNumber")
	v, ok := new(big.Int).SetString(strings.TrimPrefix(s, "0x"), 16)
	if !ok || !v.IsUint64() {
		t.Fatalf("eth_blockNumber: bad quantity %q", s)
	}
	return v.Uint64()
}

func (n *Node) send(ctx context.Context, tx map[string]string) (string, error) {
	var h string
	if err := n.call(ctx, &h, "eth_sendTransaction", tx); err != nil {
		return "", err
	}
	return h, n.waitMined(ctx, h)
}

func (n *Node) waitMined(ctx context.Context, hash string) error {
	for {
		var rc map[string]any
		err := n.call(ctx, &rc, "eth_getTransactionReceipt", hash)
		switch {
		case err != nil && !strings.Contains(err.Error(), "indexing is in progress"):
			return err
		case err == nil && rc != nil:
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("gethtest: transaction %s not mined: %w", hash, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func (n *Node) call(ctx context.Context, out any, method string, params ...any) error {
	if params == nil {
		params = []any{}
	}
	body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": n.id.Add(1), "method": method, "params": params})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, n.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := n.http.Do(req)
	if err != nil {
		return fmt.Errorf("gethtest: %s: %w", method, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return fmt.Errorf("gethtest: %s: %w", method, err)
	}
	var r struct {
		Result json.RawMessage `json:"result"`
		Error  *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return fmt.Errorf("gethtest: %s: HTTP %d: %v: %.200s", method, resp.StatusCode, err, data)
	}
	if r.Error != nil {
		return fmt.Errorf("gethtest: %s: error %d: %s", method, r.Error.Code, r.Error.Message)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(r.Result, out)
}

// Shared starts one node on first use and hands it to every test that asks;
// the package's TestMain calls Close after m.Run. The zero value is ready to
// use.
type Shared struct {
	once sync.Once
	node *Node
	err  error
}

// Get returns the shared node, starting it on first use. Without geth it
// skips the test, or fails it when CI=true. A test that stops the node must
// use its own from Start instead.
func (s *Shared) Get(t testing.TB) *Node {
	t.Helper()
	s.once.Do(func() { s.node, s.err = Launch(context.Background()) })
	handle(t, s.err)
	if s.node.stopped.Load() {
		t.Fatal("gethtest: the shared node was stopped")
	}
	return s.node
}

// Close stops the shared node if it was started.
func (s *Shared) Close() {
	if s.node != nil {
		s.node.Stop()
	}
}

// logBuffer keeps the last part of the node's output.
type logBuffer struct {
	mu  sync.Mutex
	buf []byte
}

const logKeep = 64 << 10

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if len(b.buf) > 2*logKeep {
		b.buf = append([]byte(nil), b.buf[len(b.buf)-logKeep:]...)
	}
	return len(p), nil
}

func (b *logBuffer) tail(n int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.buf) > n {
		return string(b.buf[len(b.buf)-n:])
	}
	return string(b.buf)
}
