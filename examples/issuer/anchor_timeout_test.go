package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/badgeproof/badgeproof/keys"
)

// A node that accepts the connection and never answers: issue gives up after
// --anchor-timeout, says so, and writes nothing.
func TestIssueAnchorTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // hold the connection open, answer nothing
		}
	}()
	dir := t.TempDir()
	key, err := keys.Generate(keys.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "k.json")
	if err := keys.WriteFile(keyFile, key); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"issue", "--key", keyFile, "--anchor", "eth:http://" + ln.Addr().String(),
		"--anchor-timeout", "300ms", "--out", out, "../../testdata/unsigned-qualification.json"}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "--anchor-timeout") {
		t.Fatalf("exit %d, stderr %q; want 1 naming --anchor-timeout", code, stderr.String())
	}
	if files, _ := os.ReadDir(out); len(files) != 0 {
		t.Fatalf("issue wrote %d file(s) after failing to anchor", len(files))
	}
}
