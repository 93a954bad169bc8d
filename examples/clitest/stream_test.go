package clitest_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/anchor/ledger"
	"github.com/badgeproof/badgeproof/examples/clitest"
)

// A streamed run (issue --batch-size) anchors each batch on its own and
// writes JSON Lines; every badge verifies and names its batch's anchor.
func TestStreamedIssueJSONLines(t *testing.T) {
	dir := t.TempDir()
	key, did := keygen(t, dir, "ed25519")
	in := writeJSONLines(t, dir, "national.jsonl", 25)
	out := filepath.Join(dir, "out")
	r := clitest.MustRun(t, 0, dir, issuerBin, "issue", "--key", key, "--anchor", "ledger:"+filepath.Join(dir, "ledger"),
		"--batch-size", "10", "--out-format", "jsonl", "--out", out, in)
	if !strings.Contains(r.Stdout, "issued 25 badge(s)") || !strings.Contains(r.Stdout, "in 3 batch(es)") {
		t.Fatalf("issue said %q", r.Stdout)
	}
	var files []string
	for n := 1; n <= 3; n++ {
		f, err := os.Open(filepath.Join(out, fmt.Sprintf("batch-%06d.jsonl", n)))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		i := 0
		for sc.Scan() {
			name := filepath.Join(dir, "b", fmt.Sprintf("%d-%d.json", n, i))
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, sc.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, name)
			i++
		}
		f.Close()
	}
	if len(files) != 25 {
		t.Fatalf("%d badges in the JSON Lines files, want 25", len(files))
	}
	reps, code := verifyJSON(t, dir, []string{"--trust-key", did, "--ledger", filepath.Join(dir, "ledger")}, files)
	if code != 0 {
		t.Fatalf("verify exited %d", code)
	}
	anchors := map[string]int{}
	for _, rep := range reps {
		if rep.Status != "verified" || len(rep.Anchors) != 1 {
			t.Fatalf("%s: %s with %d anchors", rep.File, rep.Status, len(rep.Anchors))
		}
		anchors[rep.Anchors[0].URI]++
	}
	if len(anchors) != 3 {
		t.Fatalf("%d anchors, want one per batch: %v", len(anchors), anchors)
	}
}

// A streamed run killed with SIGKILL is finished by running the same
// command again: every badge is written once, every batch anchored once.
func TestStreamedIssueKilledAndResumed(t *testing.T) {
	const n, batch = 4000, 500
	dir := t.TempDir()
	key, did := keygen(t, dir, "ed25519")
	in := writeJSONLines(t, dir, "national.jsonl", n)
	out := filepath.Join(dir, "out")
	ledgerDir := filepath.Join(dir, "ledger")
	args := []string{"issue", "--key", key, "--anchor", "ledger:" + ledgerDir, "--batch-size", "500", "--out-format", "sharded", "--out", out, in}

	cmd := exec.Command(issuerBin, args...)
	cmd.Dir = dir
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it once a batch is reported written (its files are durable and
	// the journal says so) but not all.
	journal := filepath.Join(out, ".issue-state", "journal.jsonl")
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		if b, _ := os.ReadFile(journal); strings.Contains(string(b), `"state":"written"`) {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	if c := countBadges(t, out); c >= n {
		t.Skipf("the run finished (%d badges) before it could be killed; nothing to resume", c)
	}

	r := clitest.MustRun(t, 0, dir, issuerBin, args...)
	if !strings.Contains(r.Stdout, "already written by an earlier run") {
		t.Fatalf("the second run did not resume: %q", r.Stdout)
	}
	var files []string
	err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".json") && !strings.Contains(p, ".issue-state") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != n {
		t.Fatalf("%d badge files, want %d: a badge was lost or written twice", len(files), n)
	}
	reps, code := verifyJSON(t, dir, []string{"--trust-key", did, "--ledger", ledgerDir}, files)
	if code != 0 {
		t.Fatalf("verify exited %d", code)
	}
	anchors := map[string]bool{}
	for _, rep := range reps {
		anchors[rep.Anchors[0].URI] = true
	}
	if len(anchors) != n/batch {
		t.Fatalf("badges name %d anchors, want %d (one per batch, none anchored twice)", len(anchors), n/batch)
	}
	// The ledger holds exactly one record per batch: none was anchored twice.
	l, err := ledger.Open(ledgerDir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if records, err := l.Len(); err != nil || records != n/batch {
		j, _ := os.ReadFile(journal)
		for i := uint64(0); i < records; i++ {
			r, _ := l.Get(i)
			t.Logf("record %d: %x %s", i, r.Root, r.Sender)
		}
		t.Fatalf("the ledger holds %d records (%v), want %d; journal:\n%s", records, err, n/batch, j)
	}
}

// countBadges counts the badge files under out (the sharded tree).
func countBadges(t *testing.T, out string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".json") && !strings.Contains(p, ".issue-state") {
			n++
		}
		return nil
	})
	return n
}
