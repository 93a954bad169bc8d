package clitest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
)

// A verification stuck on a stalling status server ends promptly on SIGINT
// and on SIGTERM (issue 11: the CLI ignored both while it worked): the
// process exits with an indeterminate verdict well before its fetches would
// have timed out, and sends nothing more to the server afterwards.
func TestVerifyStopsOnSignal(t *testing.T) {
	var hits atomic.Int64
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })

	k, err := keys.Generate(keys.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	s, err := issuer.NewSigner(k)
	if err != nil {
		t.Fatal(err)
	}
	c, err := badge.NationalQualification{
		Common: badge.Common{ID: "urn:uuid:signal", Issuer: badge.Profile{ID: k.PublicKey().DID(), Name: badge.AgencyHRDKorea()}, HolderID: "did:key:z6Mkh",
			ValidFrom: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)},
		ItemCode: "1320", ItemName: "정보처리", Grade: "기사", LicenceNumber: "25201001234A", PassDate: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC),
	}.Credential()
	if err != nil {
		t.Fatal(err)
	}
	signed, err := s.SignCredential(c)
	if err != nil {
		t.Fatal(err)
	}
	// Sixteen entries, each naming another list on the stalling host: with
	// the default 10 s fetch timeout, minutes of waiting without the signal.
	var m map[string]any
	if err := json.Unmarshal(signed, &m); err != nil {
		t.Fatal(err)
	}
	var entries []map[string]any
	for i := 0; i < 16; i++ {
		url := fmt.Sprintf("%s/list/%d", srv.URL, i)
		entries = append(entries, map[string]any{"id": url + "#3", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
			"statusListIndex": "3", "statusListCredential": url})
	}
	m["credentialStatus"] = entries
	doc, _ := json.Marshal(m)
	file := filepath.Join(t.TempDir(), "badge.json")
	if err := os.WriteFile(file, doc, 0o600); err != nil {
		t.Fatal(err)
	}

	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(verifierBin, "verify", "--json", "--allow-loopback", "--trust-key", k.PublicKey().DID(), file)
			var out bytes.Buffer
			cmd.Stdout = &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Wait until the CLI is stuck on the first fetch.
			deadline := time.Now().Add(30 * time.Second)
			before := hits.Load()
			for hits.Load() == before {
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					t.Fatal("the CLI never fetched the status list")
				}
				time.Sleep(10 * time.Millisecond)
			}
			sent := time.Now()
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(8 * time.Second): // the first fetch alone would wait 10 s
				cmd.Process.Kill()
				t.Fatalf("still running %v after %s", time.Since(sent), sig)
			}
			if code := cmd.ProcessState.ExitCode(); code != 3 && code != 1 {
				t.Fatalf("exit %d after %s, want an undecided or failed verdict; output %s", code, sig, out.String())
			}
			after := hits.Load()
			time.Sleep(300 * time.Millisecond)
			if hits.Load() != after {
				t.Fatalf("fetches started after the process ended")
			}
		})
	}
}
