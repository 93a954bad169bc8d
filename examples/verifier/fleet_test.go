package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startRedis runs redis-server on a free loopback port until the test
// ends, or skips (fails under CI=true) saying how to install it.
func startRedis(t *testing.T) string {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		msg := "redis-server not found: apt-get install redis-server"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", t.TempDir())
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cancel(); cmd.Wait() })
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "Ready to accept connections") {
				close(ready)
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(20 * time.Second):
		t.Fatal("redis-server did not start")
	}
	return fmt.Sprintf("127.0.0.1:%d", port)
}

// TestFleetSharesChallenges: two demo servers with --redis and one
// --challenge-key-file: a presentation signed for a challenge of the first
// verifies on the second, and is refused as used on either afterwards.
func TestFleetSharesChallenges(t *testing.T) {
	addr := startRedis(t)
	keyFile := filepath.Join(t.TempDir(), "challenge.key")
	require.NoError(t, os.WriteFile(keyFile, bytes.Repeat([]byte("s"), 48), 0o600))
	var bases [2]string
	for i := range bases {
		bases[i], _ = startDemoServerArgs(t, "--addr", "127.0.0.1:0", "--demo-dir", t.TempDir(), "--redis", addr, "--challenge-key-file", keyFile)
	}
	resp, err := http.Get(bases[0] + "/v1/demo/badges/presentation")
	require.NoError(t, err)
	vp, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", vp)

	// Each instance keeps its own demo ledger, so the badges' anchors are
	// another instance's: the holder check is the one that speaks of the
	// challenge.
	verifyOn := func(base string) (holderStatus, holder string) {
		resp, err := http.Post(base+"/v1/verify", "application/json", bytes.NewReader(vp))
		require.NoError(t, err)
		defer resp.Body.Close()
		var r struct {
			Status string `json:"status"`
			Checks []struct {
				ID, Status, Message string
			} `json:"checks"`
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&r))
		for _, c := range r.Checks {
			if c.ID == "holder" {
				holderStatus, holder = c.Status, c.Message
			}
		}
		return holderStatus, holder
	}
	status, holder := verifyOn(bases[1])
	require.Equal(t, "passed", status, holder)
	for _, b := range bases {
		status, holder = verifyOn(b)
		assert.Equal(t, "failed", status)
		assert.Contains(t, holder, "already used")
	}

	// Misconfigured fleets stop at start.
	var out, errOut bytes.Buffer
	assert.Equal(t, exitUsage, run(context.Background(), []string{"serve", "--redis", addr}, &out, &errOut))
	assert.Contains(t, errOut.String(), "--challenge-key-file")
}
