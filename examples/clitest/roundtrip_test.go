package clitest

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
			r := mustRun(t, 0, "", issuerBin, "issue", "--key", keyFile, "--anchor", "none", "--out", out, single, lines)
			if strings.TrimSpace(r.stdout) != "issued 4 badge(s) to "+out {
				t.Fatalf("issue printed %q", r.stdout)
			}
			files := badgeFiles(t, out)
			if strings.Join(files, " ") != "lines-000001.json lines-000002.json lines-000003.json qualification.json" {
				t.Fatalf("badge files %v", files)
			}

			// Verified: exit 0, text and JSON.
			r = mustRun(t, 0, out, verifierBin, append([]string{"verify", "--trust-key", did}, files...)...)
			if strings.Count(r.stdout, ": VERIFIED\n") != len(files) {
				t.Fatalf("text report:\n%s", r.stdout)
			}
			reports, code := verifyJSON(t, out, []string{"--trust-key", did}, files)
			if code != 0 {
				t.Fatalf("verify --json exit %d", code)
			}
			for _, f := range files {
				rep := reports[f]
				if rep.Status != "verified" || rep.check("signature") != "passed" || !strings.Contains(rep.message("signature"), c.suite) ||
					rep.check("merkle") != "skipped" || rep.check("anchor") != "skipped" {
					t.Fatalf("%s: %+v", f, rep)
				}
			}

			// No trust: the signature verifies, the issuer is unknown: 3.
			mustRun(t, 3, out, verifierBin, "verify", files[0])
			// Trusting another key: the issuer is not trusted: 1.
			other := dids[c.typ]
			r = mustRun(t, 1, out, verifierBin, "verify", "--json", "--trust-key", other, files[0])
			if rep := parseReports(t, r.stdout, files[:1])[files[0]]; rep.check("issuer") != "failed" {
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
			r = mustRun(t, 1, out, verifierBin, "verify", "--json", "--trust-key", did, files[0], "tampered.json")
			reps := parseReports(t, r.stdout, []string{files[0], "tampered.json"})
			if reps[files[0]].Status != "verified" || reps["tampered.json"].check("signature") != "failed" {
				t.Fatalf("tampered: %+v", reps)
			}

			// Unreadable input: 2, even next to a verified badge.
			r = mustRun(t, 2, out, verifierBin, "verify", "--trust-key", did, files[0], "missing.json")
			if !strings.Contains(r.stderr, "missing.json") {
				t.Fatalf("stderr does not name the missing file: %q", r.stderr)
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
	mustRun(t, 0, "", issuerBin, "issue", "--key", keyFile, "--anchor", "ledger:"+ledgerDir, "--out", out, input)
	badge := filepath.Join(out, "in-000001.json")

	// Verifier.
	mustRun(t, 0, "", verifierBin, "verify", "--ledger", ledgerDir, "--trust-key", did, badge)
	r := mustRun(t, 3, "", verifierBin, "verify", "--json", "--trust-key", did, badge)
	if rep := parseReports(t, r.stdout, []string{badge})[badge]; rep.check("anchor") != "indeterminate" || rep.check("merkle") != "passed" {
		t.Fatalf("no ledger configured: %+v", rep)
	}
	mustRun(t, 3, "", verifierBin, "verify", "--offline", "--ledger", ledgerDir, "--trust-key", did, badge)
	mustRun(t, 2, "", verifierBin, "verify")
	mustRun(t, 2, "", verifierBin, "verify", "--no-such-flag", badge)
	mustRun(t, 2, "", verifierBin, "verify", "--challenge", "c", badge)
	mustRun(t, 2, "", verifierBin, "verify", "--now", "yesterday", badge)
	mustRun(t, 2, "", verifierBin, "verify", filepath.Join(work, "nothing-here.json"))

	// Issuer.
	mustRun(t, 0, "", issuerBin, "help")
	mustRun(t, 2, "", issuerBin)
	mustRun(t, 2, "", issuerBin, "frobnicate")
	mustRun(t, 2, "", issuerBin, "keygen", "--type", "rsa", "--out", filepath.Join(work, "rsa.key"))
	mustRun(t, 2, "", issuerBin, "keygen", "--type", "ed25519")
	r = mustRun(t, 1, "", issuerBin, "keygen", "--type", "ed25519", "--out", keyFile)
	if !strings.Contains(r.stderr, "exists") {
		t.Fatalf("overwriting a key file: %q", r.stderr)
	}
	o := filepath.Join(work, "never")
	mustRun(t, 2, "", issuerBin, "issue", "--key", keyFile, "--out", o, input)
	mustRun(t, 2, "", issuerBin, "issue", "--key", keyFile, "--anchor", "ledger:", "--out", o, input)
	mustRun(t, 2, "", issuerBin, "issue", "--key", keyFile, "--anchor", "ipfs:x", "--out", o, input)
	mustRun(t, 2, "", issuerBin, "issue", "--key", keyFile, "--anchor", "ledger:"+ledgerDir, "--eth-key", k1File, "--out", o, input)
	mustRun(t, 2, "", issuerBin, "issue", "--key", keyFile, "--anchor", "none", "--out", o)
	mustRun(t, 1, "", issuerBin, "issue", "--key", filepath.Join(work, "no.key"), "--anchor", "none", "--out", o, input)
	mustRun(t, 1, "", issuerBin, "issue", "--key", keyFile, "--anchor", "none", "--out", o, filepath.Join(work, "no.jsonl"))

	// An Ethereum anchor with a key that is not secp256k1, and a node that
	// is not there: errors, and no badge is written.
	r = mustRun(t, 1, "", issuerBin, "issue", "--key", keyFile, "--anchor", "eth:http://127.0.0.1:1", "--eth-key", keyFile, "--out", o, input)
	if !strings.Contains(r.stderr, "secp256k1") {
		t.Fatalf("--eth-key of the wrong type: %q", r.stderr)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	mustRun(t, 1, "", issuerBin, "issue", "--key", keyFile, "--anchor", "eth:"+closed, "--out", o, input)
	if files := badgeFiles(t, o); len(files) != 0 {
		t.Fatalf("badges written although anchoring failed: %v", files)
	}
}
