package clitest_test

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/badgeproof/badgeproof/examples/clitest"
)

// TestRoundTripAllCurves: keygen, issue --anchor none and verify
// --trust-key on each key type, with the verifier's exit codes for a
// verified, an untrusted, a tampered and an unreadable badge.
func TestRoundTripAllCurves(t *testing.T) {
	curves := []struct {
		typ, didPrefix, suite string
	}{
		{"ed25519", "did:key:z6Mk", "eddsa-jcs-2022"},
		{"p256", "did:key:zDn", "ecdsa-jcs-2019"},
		{"p384", "did:key:z82", "ecdsa-jcs-2019"},
		{"secp256k1", "did:key:zQ3s", "ecdsa-jcs-2019"},
	}
	work := t.TempDir()
	dids := map[string]string{}
	for _, c := range curves {
		_, dids[c.typ] = keygen(t, t.TempDir(), c.typ)
	}
	single := filepath.Join(work, "qualification.json")
	if err := os.WriteFile(single, credentialLine(900), 0o644); err != nil {
		t.Fatal(err)
	}
	lines := writeJSONLines(t, work, "lines.jsonl", 3)

	for _, c := range curves {
		t.Run(c.typ, func(t *testing.T) {
			keyFile, did := keygen(t, work, c.typ)
			if !strings.HasPrefix(did, c.didPrefix) {
				t.Fatalf("%s key is %s, want prefix %s", c.typ, did, c.didPrefix)
			}
			out := filepath.Join(work, "out-"+c.typ)
			r := clitest.MustRun(t, 0, "", issuerBin, "issue", "--key", keyFile, "--anchor", "none", "--out", out, single, lines)
			if strings.TrimSpace(r.Stdout) != "issued 4 badge(s) to "+out {
				t.Fatalf("issue printed %q", r.Stdout)
			}
			files := badgeFiles(t, out)
			// One file per badge, named after its id.
			if strings.Join(files, " ") != "c1e5a7d0-0000-4000-8000-000000000000.json c1e5a7d0-0000-4000-8000-000000000001.json "+
				"c1e5a7d0-0000-4000-8000-000000000002.json c1e5a7d0-0000-4000-8000-000000000900.json" {
				t.Fatalf("badge files %v", files)
			}

			// Verified: exit 0, text and JSON.
			r = clitest.MustRun(t, 0, out, verifierBin, append([]string{"verify", "--trust-key", did}, files...)...)
			if strings.Count(r.Stdout, ": VERIFIED\n") != len(files) {
				t.Fatalf("text report:\n%s", r.Stdout)
			}
			reports, code := verifyJSON(t, out, []string{"--trust-key", did}, files)
			if code != 0 {
				t.Fatalf("verify --json exit %d", code)
			}
			for _, f := range files {
				rep := reports[f]
				if rep.Status != "verified" || rep.Check("signature") != "passed" || !strings.Contains(rep.Message("signature"), c.suite) ||
					rep.Check("merkle") != "skipped" || rep.Check("anchor") != "skipped" {
					t.Fatalf("%s: %+v", f, rep)
				}
			}

			// No trust: the signature verifies, the issuer is unknown: 3.
			clitest.MustRun(t, 3, out, verifierBin, "verify", files[0])
			// Trusting another key: the issuer is not trusted: 1.
			other := dids[c.typ]
			r = clitest.MustRun(t, 1, out, verifierBin, "verify", "--json", "--trust-key", other, files[0])
			if rep := parseReports(t, r.Stdout, files[:1])[files[0]]; rep.Check("issuer") != "failed" {
				t.Fatalf("untrusted issuer: %+v", rep)
			}

			// Tampered: 1, and the worst outcome wins over verified ones.
			orig, err := os.ReadFile(filepath.Join(out, files[1]))
			if err != nil {
				t.Fatal(err)
			}
			tampered := strings.Replace(string(orig), "holder-1", "holder-7", 1)
			if tampered == string(orig) {
				t.Fatal("nothing to tamper with")
			}
			if err := os.WriteFile(filepath.Join(out, "tampered.json"), []byte(tampered), 0o644); err != nil {
				t.Fatal(err)
			}
			r = clitest.MustRun(t, 1, out, verifierBin, "verify", "--json", "--trust-key", did, files[0], "tampered.json")
			reps := parseReports(t, r.Stdout, []string{files[0], "tampered.json"})
			if reps[files[0]].Status != "verified" || reps["tampered.json"].Check("signature") != "failed" {
				t.Fatalf("tampered: %+v", reps)
			}

			// Unreadable input: 2, even next to a verified badge.
			r = clitest.MustRun(t, 2, out, verifierBin, "verify", "--trust-key", did, files[0], "missing.json")
			if !strings.Contains(r.Stderr, "missing.json") {
				t.Fatalf("stderr does not name the missing file: %q", r.Stderr)
			}
		})
	}
}

// TestExitCodes covers the usage errors of both commands and an
// indeterminate anchor.
func TestExitCodes(t *testing.T) {
	work := t.TempDir()
	keyFile, did := keygen(t, work, "ed25519")
	k1File, _ := keygen(t, work, "secp256k1")
	input := writeJSONLines(t, work, "in.jsonl", 2)
	ledgerDir := filepath.Join(work, "ledger")
	out := filepath.Join(work, "out")
	clitest.MustRun(t, 0, "", issuerBin, "issue", "--key", keyFile, "--anchor", "ledger:"+ledgerDir, "--out", out, input)
	badge := filepath.Join(out, "c1e5a7d0-0000-4000-8000-000000000000.json") // the first line's id

	// Verifier.
	clitest.MustRun(t, 0, "", verifierBin, "verify", "--ledger", ledgerDir, "--trust-key", did, badge)
	r := clitest.MustRun(t, 3, "", verifierBin, "verify", "--json", "--trust-key", did, badge)
	if rep := parseReports(t, r.Stdout, []string{badge})[badge]; rep.Check("anchor") != "indeterminate" || rep.Check("merkle") != "passed" {
		t.Fatalf("no ledger configured: %+v", rep)
	}
	clitest.MustRun(t, 3, "", verifierBin, "verify", "--offline", "--ledger", ledgerDir, "--trust-key", did, badge)
	clitest.MustRun(t, 2, "", verifierBin, "verify")
	clitest.MustRun(t, 2, "", verifierBin, "verify", "--no-such-flag", badge)
	clitest.MustRun(t, 2, "", verifierBin, "verify", "--challenge", "c", badge)
	clitest.MustRun(t, 2, "", verifierBin, "verify", "--now", "yesterday", badge)
	clitest.MustRun(t, 2, "", verifierBin, "verify", filepath.Join(work, "nothing-here.json"))

	// Issuer.
	clitest.MustRun(t, 0, "", issuerBin, "help")
	clitest.MustRun(t, 2, "", issuerBin)
	clitest.MustRun(t, 2, "", issuerBin, "frobnicate")
	clitest.MustRun(t, 2, "", issuerBin, "keygen", "--type", "rsa", "--out", filepath.Join(work, "rsa.key"))
	clitest.MustRun(t, 2, "", issuerBin, "keygen", "--type", "ed25519")
	r = clitest.MustRun(t, 1, "", issuerBin, "keygen", "--type", "ed25519", "--out", keyFile)
	if !strings.Contains(r.Stderr, "exists") {
		t.Fatalf("overwriting a key file: %q", r.Stderr)
	}
	o := filepath.Join(work, "never")
	clitest.MustRun(t, 2, "", issuerBin, "issue", "--key", keyFile, "--out", o, input)
	clitest.MustRun(t, 2, "", issuerBin, "issue", "--key", keyFile, "--anchor", "ledger:", "--out", o, input)
	clitest.MustRun(t, 2, "", issuerBin, "issue", "--key", keyFile, "--anchor", "ipfs:x", "--out", o, input)
	clitest.MustRun(t, 2, "", issuerBin, "issue", "--key", keyFile, "--anchor", "ledger:"+ledgerDir, "--eth-key", k1File, "--out", o, input)
	clitest.MustRun(t, 2, "", issuerBin, "issue", "--key", keyFile, "--anchor", "none", "--out", o)
	clitest.MustRun(t, 1, "", issuerBin, "issue", "--key", filepath.Join(work, "no.key"), "--anchor", "none", "--out", o, input)
	clitest.MustRun(t, 1, "", issuerBin, "issue", "--key", keyFile, "--anchor", "none", "--out", o, filepath.Join(work, "no.jsonl"))

	// An Ethereum anchor with a key that is not secp256k1, and a node that
	// is not there: errors, and no badge is written.
	r = clitest.MustRun(t, 1, "", issuerBin, "issue", "--key", keyFile, "--anchor", "eth:http://127.0.0.1:1", "--eth-key", keyFile, "--out", o, input)
	if !strings.Contains(r.Stderr, "secp256k1") {
		t.Fatalf("--eth-key of the wrong type: %q", r.Stderr)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	clitest.MustRun(t, 1, "", issuerBin, "issue", "--key", keyFile, "--anchor", "eth:"+closed, "--out", o, input)
	if files := badgeFiles(t, o); len(files) != 0 {
		t.Fatalf("badges written although anchoring failed: %v", files)
	}
}
