package clitest_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/badgeproof/badgeproof/examples/clitest"
)

// ledgerRecordSize and ledgerRootOffset follow the record layout documented
// in anchor/ledger (record.go): fixed 512-byte records, the root at byte 21.
const (
	ledgerRecordSize = 512
	ledgerRootOffset = 21
)

// TestTenThousandBadgeBatch issues 10,000 badges in one ledger-anchored
// batch through the issuer CLI and verifies every one through the
// verifier CLI, then damages things one at a time:
//   - one byte of one badge: that badge's merkle check fails, no other's;
//   - the ledger record of the batch: anchor fails;
//   - a damaged last record: the verifier refuses the ledger, naming the
//     damage, and the issuer does not hand the number out again;
//   - a mistyped --ledger directory: an error, and nothing is created.
//
// The binaries are built without the race detector, so under -race only
// this test's own bookkeeping is instrumented and all 10,000 badges are
// verified through the CLI (a few seconds of CPU on two cores).
func TestTenThousandBadgeBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("issues and verifies 10,000 badges; skipped with -short")
	}
	const n = 10000
	work := t.TempDir()
	keyFile, did := keygen(t, work, "ed25519")
	input := writeJSONLines(t, work, "batch.jsonl", n)
	ledgerDir := filepath.Join(work, "ledger") // created by the issuer
	outDir := filepath.Join(work, "out")

	r := clitest.MustRun(t, 0, "", issuerBin, "issue", "--key", keyFile, "--anchor", "ledger:"+ledgerDir, "--out", outDir, input)
	if !strings.Contains(r.Stdout, "issued 10000 badge(s)") || !strings.Contains(r.Stdout, "anchored at blink:ledger:") {
		t.Fatalf("issue printed %q", r.Stdout)
	}
	files := badgeFiles(t, outDir)
	if len(files) != n {
		t.Fatalf("%d badge files, want %d", len(files), n)
	}
	flags := []string{"--ledger", ledgerDir, "--trust-key", did}

	reports, code := verifyJSON(t, outDir, flags, files)
	if code != 0 {
		t.Fatalf("verify exit %d, want 0", code)
	}
	anchorURI := ""
	for _, f := range files {
		rep := reports[f]
		if rep.Status != "verified" || rep.Check("signature") != "passed" || rep.Check("merkle") != "passed" || rep.Check("anchor") != "passed" {
			t.Fatalf("%s: %+v", f, rep)
		}
		// One batch: every badge names the same anchor.
		uri := ""
		for _, w := range strings.Fields(rep.Message("anchor")) {
			if strings.HasPrefix(w, "blink:ledger:") {
				uri = w
			}
		}
		switch {
		case uri == "":
			t.Fatalf("%s: the anchor check names no ledger anchor: %q", f, rep.Message("anchor"))
		case anchorURI == "":
			anchorURI = uri
		case uri != anchorURI:
			t.Fatalf("%s anchored at %s, others at %s", f, uri, anchorURI)
		}
	}
	if !strings.HasSuffix(anchorURI, ":0") {
		t.Fatalf("the first batch is record 0, got %s", anchorURI)
	}

	t.Run("one byte of one badge", func(t *testing.T) {
		victim := files[4242]
		alter(t, filepath.Join(outDir, victim), func(b []byte) {
			i := bytes.Index(b, []byte("holder-"))
			if i < 0 {
				t.Fatalf("%s has no holder id", victim)
			}
			b[i] = 'H' // one byte, still valid JSON
		})
		reports, code := verifyJSON(t, outDir, flags, files)
		if code != 1 {
			t.Fatalf("verify exit %d, want 1", code)
		}
		for _, f := range files {
			rep := reports[f]
			if f == victim {
				if rep.Status != "failed" || rep.Check("merkle") != "failed" {
					t.Fatalf("changed badge %s: %+v", f, rep)
				}
				continue
			}
			if rep.Status != "verified" || rep.Check("merkle") != "passed" {
				t.Fatalf("%s is unchanged but: %+v", f, rep)
			}
		}
	})

	// A second, small batch: the ledger now has records 0 and 1.
	input2 := writeJSONLines(t, work, "second.jsonl", 20)
	out2 := filepath.Join(work, "out2")
	r = clitest.MustRun(t, 0, "", issuerBin, "issue", "--key", keyFile, "--anchor", "ledger:"+ledgerDir, "--out", out2, input2)
	if !strings.Contains(r.Stdout, "anchored at blink:ledger:") || !strings.HasSuffix(strings.TrimSpace(r.Stdout), ":1") {
		t.Fatalf("second issue printed %q", r.Stdout)
	}
	files2 := badgeFiles(t, out2)
	sample := files[:500]
	records := filepath.Join(ledgerDir, "records")

	t.Run("altered ledger record", func(t *testing.T) {
		alter(t, records, func(b []byte) { b[0*ledgerRecordSize+ledgerRootOffset+3] ^= 0x80 })
		reports, code := verifyJSON(t, outDir, flags, sample)
		if code != 1 {
			t.Fatalf("verify exit %d, want 1", code)
		}
		for _, f := range sample {
			rep := reports[f]
			if rep.Status != "failed" || rep.Check("anchor") != "failed" || rep.Check("merkle") != "passed" {
				t.Fatalf("%s with its ledger record altered: %+v", f, rep)
			}
		}
	})

	t.Run("damaged last record", func(t *testing.T) {
		// Both batches verify before the damage.
		if _, code := verifyJSON(t, out2, flags, files2); code != 0 {
			t.Fatalf("second batch: verify exit %d, want 0", code)
		}
		// The second batch's record (number 1) is cut in the middle. Its
		// number was handed out and its badges carry it: the ledger says
		// it is damaged instead of pretending the append never happened.
		if err := os.Truncate(records, ledgerRecordSize+ledgerRecordSize/3); err != nil {
			t.Fatal(err)
		}
		r := clitest.MustRun(t, 2, outDir, verifierBin, append(append([]string{"verify", "--json"}, flags...), sample[0])...)
		if !strings.Contains(r.Stderr, "truncated") {
			t.Fatalf("verify with a damaged ledger said %q", r.Stderr)
		}
		// No number is handed out again: issuing on the damaged ledger fails.
		out3 := filepath.Join(work, "out3")
		r = clitest.Run(t, "", issuerBin, "issue", "--key", keyFile, "--anchor", "ledger:"+ledgerDir, "--out", out3, input2)
		if r.Code == 0 || strings.Contains(r.Stdout, ":1") {
			t.Fatalf("issue on a damaged ledger: exit %d, printed %q", r.Code, r.Stdout)
		}
	})
	t.Run("mistyped ledger directory", func(t *testing.T) {
		typo := filepath.Join(work, "ledgr")
		r := clitest.MustRun(t, 2, outDir, verifierBin, "verify", "--json", "--ledger", typo, "--trust-key", did, sample[0])
		if !strings.Contains(r.Stderr, "not a ledger directory") {
			t.Fatalf("verify --ledger %s said %q", typo, r.Stderr)
		}
		if _, err := os.Stat(typo); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("verify created %s: %v", typo, err)
		}
	})
}

// alter rewrites the file at path with change applied to its bytes, and
// puts the original back when the test ends.
func alter(t *testing.T, path string, change func(b []byte)) {
	t.Helper()
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.WriteFile(path, orig, 0o644) })
	changed := append([]byte(nil), orig...)
	change(changed)
	if err := os.WriteFile(path, changed, 0o644); err != nil {
		t.Fatal(err)
	}
}
