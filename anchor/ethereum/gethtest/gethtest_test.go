package gethtest

import (
	"math/big"
	"net/http"
	"strings"
	"testing"
)

func TestStart(t *testing.T) {
	n := Start(t)
	if !strings.HasPrefix(n.URL, "http://127.0.0.1:") {
		t.Fatalf("URL %q is not on loopback", n.URL)
	}
	if len(n.Account) != 42 || n.Account != strings.ToLower(n.Account) {
		t.Fatalf("account %q is not a lower-case address", n.Account)
	}
	var chain string
	n.Call(t, &chain, "eth_chainId")
	if chain != "0x539" {
		t.Fatalf("chain id %s, want 0x539 (1337)", chain)
	}
	before := n.BlockNumber(t)
	n.MineBlocks(t, 2)
	// Each transaction is mined in a block of its own; the dev block
	// producer may add empty blocks, so the head moves by at least 2.
	if after := n.BlockNumber(t); after < before+2 {
		t.Fatalf("head %d after mining 2 blocks on %d", after, before)
	}

	const target = "0x00000000000000000000000000000000000000aa"
	n.Fund(t, target, big.NewInt(12345))
	var bal string
	n.Call(t, &bal, "eth_getBalance", target, "latest")
	if bal != "0x3039" {
		t.Fatalf("balance %s, want 0x3039", bal)
	}

	n.Stop()
	n.Stop() // idempotent
	if resp, err := http.Post(n.URL, "application/json", strings.NewReader("{}")); err == nil {
		resp.Body.Close()
		t.Fatal("stopped node still answers")
	}
}
