package ethtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/badgeproof/badgeproof/anchor"
	"github.com/badgeproof/badgeproof/anchor/ethereum"
	"github.com/badgeproof/badgeproof/anchor/ethereum/gethtest"
	"github.com/badgeproof/badgeproof/examples/clitest"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/badgeproof/badgeproof/verify"
)

var (
	// node is shared by the tests that neither stop it nor need it fresh.
	node gethtest.Shared
	// otherNode is never connected to node: it has not seen node's
	// transactions.
	otherNode gethtest.Shared

	issuerBin, verifierBin string
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	bins, cleanup, err := clitest.Build(map[string]string{"issuer": "../issuer", "verifier": "../verifier"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer cleanup()
	issuerBin, verifierBin = bins["issuer"], bins["verifier"]
	defer node.Close()
	defer otherNode.Close()
	return m.Run()
}

const devNetwork = "1337"

// keygen makes a key file of typ and returns its path and the key.
func keygen(t *testing.T, dir, name, typ string) (string, *keys.PublicKey) {
	t.Helper()
	path := filepath.Join(dir, name)
	r := clitest.MustRun(t, 0, "", issuerBin, "keygen", "--type", typ, "--out", path)
	key, err := keys.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if did := strings.TrimSpace(r.Stdout); did != key.PublicKey().DID() {
		t.Fatalf("keygen printed %q, the key file holds %s", did, key.PublicKey().DID())
	}
	return path, key.PublicKey()
}

// inputs writes n unsigned qualification badges, as one JSON Lines file.
func inputs(t *testing.T, dir string, n int) string {
	t.Helper()
	tmpl, err := os.ReadFile("../../testdata/unsigned-qualification.json")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for i := range n {
		var m map[string]any
		if err := json.Unmarshal(tmpl, &m); err != nil {
			t.Fatal(err)
		}
		m["id"] = fmt.Sprintf("urn:uuid:6f1c2a52-3d0e-4a8e-9b1f-0c6a1f2d%04x", i)
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, string(b))
	}
	path := filepath.Join(dir, "batch.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// issue runs issuer issue --anchor eth:URL and returns the badge files.
func issue(t *testing.T, dir, keyFile, url, ethKey string, n int) []string {
	t.Helper()
	out := filepath.Join(dir, "out")
	args := []string{"issue", "--key", keyFile, "--anchor", "eth:" + url, "--out", out}
	if ethKey != "" {
		args = append(args, "--eth-key", ethKey)
	}
	r := clitest.MustRun(t, 0, "", issuerBin, append(args, inputs(t, dir, n))...)
	if !strings.Contains(r.Stdout, "blink:eth:"+devNetwork+":0x") {
		t.Errorf("issue output names no anchor: %q", r.Stdout)
	}
	files, err := filepath.Glob(filepath.Join(out, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != n {
		t.Fatalf("issue wrote %d files, want %d", len(files), n)
	}
	sort.Strings(files)
	return files
}

// trustList writes a trust list naming the issuer of key, with the given
// anchoring addresses.
func trustList(t *testing.T, dir string, key *keys.PublicKey, addresses ...string) string {
	t.Helper()
	tl := verify.TrustList{Issuers: []verify.TrustedIssuer{{
		ID: key.DID(), Name: "HRD Korea", NameKo: "한국산업인력공단",
		Keys:               []verify.TrustedKey{{ID: key.VerificationMethod(), PublicKeyMultibase: key.Multibase()}},
		AnchoringAddresses: addresses,
	}}}
	b, err := json.Marshal(tl)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, fmt.Sprintf("trust-%d.json", len(addresses)))
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// verifyFiles runs verifier verify --json and checks the exit code and
// that every report has status want and an anchor check of anchorWant.
func verifyFiles(t *testing.T, wantCode int, want, anchorWant string, trust string, rpcs []string, files []string) []clitest.Report {
	t.Helper()
	args := []string{"verify", "--json", "--trust", trust}
	for _, u := range rpcs {
		args = append(args, "--eth-rpc", u)
	}
	r := clitest.MustRun(t, wantCode, "", verifierBin, append(args, files...)...)
	reports := clitest.ParseReports(t, r.Stdout)
	if len(reports) != len(files) {
		t.Fatalf("%d reports for %d files:\n%s", len(reports), len(files), r.Stdout)
	}
	for i, rep := range reports {
		if rep.File != files[i] {
			t.Errorf("report %d is for %s, want %s", i, rep.File, files[i])
		}
		if rep.Status != want {
			t.Errorf("%s: status %s, want %s: %+v", rep.File, rep.Status, want, rep.Checks)
		}
		if c := rep.MustCheck(t, "anchor"); c.Status != anchorWant {
			t.Errorf("%s: anchor %s (%s), want %s", rep.File, c.Status, c.Message, anchorWant)
		}
		if c := rep.MustCheck(t, "merkle"); c.Status != "passed" {
			t.Errorf("%s: merkle %s (%s), want passed", rep.File, c.Status, c.Message)
		}
	}
	return reports
}

// onChain checks, through the node and independently of the SDK, that the
// report's anchor is a transaction from sender carrying the report's root.
func onChain(t *testing.T, n *gethtest.Node, rep clitest.Report, sender string) {
	t.Helper()
	if len(rep.Anchors) != 1 {
		t.Fatalf("%s: %d anchors, want 1", rep.File, len(rep.Anchors))
	}
	a := rep.Anchors[0]
	ref, err := anchor.ParseRef(a.URI)
	if err != nil || ref.Chain != anchor.ChainEthereum || ref.Network != devNetwork {
		t.Fatalf("%s: anchor %q (%v): want blink:eth:%s:...", rep.File, a.URI, err, devNetwork)
	}
	var tx struct {
		From  string `json:"from"`
		Input string `json:"input"`
		Value string `json:"value"`
	}
	n.Call(t, &tx, "eth_getTransactionByHash", ref.ID)
	if tx.From != sender || a.Sender != sender {
		t.Errorf("%s: transaction from %s, report says %s; want %s", rep.File, tx.From, a.Sender, sender)
	}
	if tx.Input != "0x"+a.Root || len(a.Root) != 64 {
		t.Errorf("%s: transaction input %s, report root %s", rep.File, tx.Input, a.Root)
	}
	if tx.Value != "0x0" {
		t.Errorf("%s: transaction value %s, want 0x0", rep.File, tx.Value)
	}
	if a.Confirmations < 1 {
		t.Errorf("%s: %d confirmations", rep.File, a.Confirmations)
	}
}

// SDK-signed anchoring with the issuer's own secp256k1 key: the anchoring
// address follows from the key, so the trust list need not list it.
func TestIssueSignedWithIssuerKeyVerifies(t *testing.T) {
	n := node.Get(t)
	dir := t.TempDir()
	keyFile, pub := keygen(t, dir, "issuer.json", "secp256k1")
	addr := ethereum.AddressFromPublicKey(pub.Secp256k1())
	n.Fund(t, addr, big.NewInt(1e18))

	files := issue(t, dir, keyFile, n.URL, keyFile, 3)
	trust := trustList(t, dir, pub) // no anchoring addresses
	reports := verifyFiles(t, 0, "verified", "passed", trust, []string{devNetwork + "=" + n.URL}, files)
	for _, rep := range reports {
		onChain(t, n, rep, addr)
		if rep.Anchors[0].URI != reports[0].Anchors[0].URI || rep.Anchors[0].Root != reports[0].Anchors[0].Root {
			t.Errorf("%s: anchor %+v, first badge's %+v: one batch, one anchor", rep.File, rep.Anchors[0], reports[0].Anchors[0])
		}
		if c := rep.MustCheck(t, "signature"); c.Status != "passed" {
			t.Errorf("%s: signature %s: %s", rep.File, c.Status, c.Message)
		}
		if c := rep.MustCheck(t, "issuer"); c.Status != "passed" {
			t.Errorf("%s: issuer %s: %s", rep.File, c.Status, c.Message)
		}
	}

	// The text report of the same badge says VERIFIED.
	r := clitest.Run(t, "", verifierBin, "verify", "--trust", trust, "--eth-rpc", devNetwork+"="+n.URL, files[0])
	if r.Code != 0 || !strings.Contains(r.Stdout, "VERIFIED") || !strings.Contains(r.Stdout, addr) {
		t.Errorf("text report: exit %d:\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
}

// SDK-signed anchoring with a separate anchoring key: its address must be
// in the trust list.
func TestIssueSignedWithSeparateKey(t *testing.T) {
	n := node.Get(t)
	dir := t.TempDir()
	keyFile, pub := keygen(t, dir, "issuer.json", "ed25519")
	ethKey, ethPub := keygen(t, dir, "anchoring.json", "secp256k1")
	addr := ethereum.AddressFromPublicKey(ethPub.Secp256k1())
	n.Fund(t, addr, big.NewInt(1e18))

	files := issue(t, dir, keyFile, n.URL, ethKey, 2)
	senderMustBeTrusted(t, n, dir, pub, addr, files)
}

// Node-account anchoring: the sender is the node's account, which the
// trust list must name; without it the anchor's sender is not the issuer.
func TestIssueFromNodeAccount(t *testing.T) {
	n := node.Get(t)
	dir := t.TempDir()
	keyFile, pub := keygen(t, dir, "issuer.json", "ed25519")
	files := issue(t, dir, keyFile, n.URL, "", 3)
	senderMustBeTrusted(t, n, dir, pub, n.Account, files)
}

// senderMustBeTrusted checks that files, anchored on n by sender, verify
// with a trust list naming sender as an anchoring address of the issuer of
// pub, and fail on the anchor alone, naming the sender, without.
func senderMustBeTrusted(t *testing.T, n *gethtest.Node, dir string, pub *keys.PublicKey, sender string, files []string) {
	t.Helper()
	rpc := []string{devNetwork + "=" + n.URL}
	for _, rep := range verifyFiles(t, 0, "verified", "passed", trustList(t, dir, pub, sender), rpc, files) {
		onChain(t, n, rep, sender)
	}
	for _, rep := range verifyFiles(t, 1, "failed", "failed", trustList(t, dir, pub), rpc, files) {
		if c := rep.MustCheck(t, "anchor"); !strings.Contains(c.Message, sender) || !strings.Contains(c.Message, "not the issuer") {
			t.Errorf("%s: anchor message %q names neither the sender nor the reason", rep.File, c.Message)
		}
		if c := rep.MustCheck(t, "signature"); c.Status != "passed" {
			t.Errorf("%s: signature %s; only the anchor is wrong", rep.File, c.Status)
		}
	}
}

func TestVerifyStoppedNodeIndeterminate(t *testing.T) {
	n := gethtest.Start(t)
	dir := t.TempDir()
	keyFile, pub := keygen(t, dir, "issuer.json", "ed25519")
	files := issue(t, dir, keyFile, n.URL, "", 2)
	trust := trustList(t, dir, pub, n.Account)
	rpc := []string{devNetwork + "=" + n.URL}
	verifyFiles(t, 0, "verified", "passed", trust, rpc, files)

	n.Stop()
	// Provider URLs carry API keys; the reports name the host only.
	const secret = "S3CRETKEY"
	rpc = []string{devNetwork + "=" + n.URL + "/v3/" + secret + "?apikey=" + secret}
	for _, rep := range verifyFiles(t, 3, "indeterminate", "indeterminate", trust, rpc, files) {
		if c := rep.MustCheck(t, "signature"); c.Status != "passed" {
			t.Errorf("%s: signature %s: %s", rep.File, c.Status, c.Message)
		}
		if c := rep.MustCheck(t, "anchor"); strings.Contains(c.Message, secret) || !strings.Contains(c.Message, n.URL) {
			t.Errorf("%s: anchor message %q should name %s and not the API key", rep.File, c.Message, n.URL)
		}
	}

	// Nor can a batch be issued through a stopped node: nothing is written.
	out := filepath.Join(dir, "again")
	r := clitest.Run(t, "", issuerBin, "issue", "--key", keyFile, "--anchor", "eth:"+n.URL, "--out", out, inputs(t, dir, 1))
	if r.Code != 1 || r.Stderr == "" {
		t.Errorf("issue through a stopped node: exit %d, stderr %q; want 1 and a reason", r.Code, r.Stderr)
	}
	if written, _ := filepath.Glob(filepath.Join(out, "*.json")); len(written) != 0 {
		t.Errorf("issue through a stopped node wrote %v", written)
	}
}

func TestVerifyOnNodeWithoutTheTransactionFails(t *testing.T) {
	n := node.Get(t)
	fresh := otherNode.Get(t)
	dir := t.TempDir()
	keyFile, pub := keygen(t, dir, "issuer.json", "ed25519")
	files := issue(t, dir, keyFile, n.URL, "", 2)
	trust := trustList(t, dir, pub, n.Account, fresh.Account)
	for _, rep := range verifyFiles(t, 1, "failed", "failed", trust, []string{devNetwork + "=" + fresh.URL}, files) {
		if c := rep.MustCheck(t, "anchor"); !strings.Contains(c.Message, "no transaction") {
			t.Errorf("%s: anchor message %q does not say the transaction is missing", rep.File, c.Message)
		}
	}
}

func TestVerifyEndpointsDisagree(t *testing.T) {
	n := node.Get(t)
	fresh := otherNode.Get(t)
	dir := t.TempDir()
	keyFile, pub := keygen(t, dir, "issuer.json", "ed25519")
	files := issue(t, dir, keyFile, n.URL, "", 2)
	trust := trustList(t, dir, pub, n.Account)
	rpcs := []string{devNetwork + "=" + n.URL, devNetwork + "=" + fresh.URL}
	for _, rep := range verifyFiles(t, 3, "indeterminate", "indeterminate", trust, rpcs, files) {
		c := rep.MustCheck(t, "anchor")
		if !strings.Contains(c.Message, "disagree") || !strings.Contains(c.Message, "not found") || !strings.Contains(c.Message, "root 0x") {
			t.Errorf("%s: anchor message %q does not report the disagreement", rep.File, c.Message)
		}
	}
	// The endpoint holding the transaction alone decides.
	verifyFiles(t, 0, "verified", "passed", trust, rpcs[:1], files)
}

// An anchor on a network the verifier has no endpoint for cannot be
// checked: indeterminate, never verified.
func TestVerifyWithoutEndpointForNetwork(t *testing.T) {
	n := node.Get(t)
	dir := t.TempDir()
	keyFile, pub := keygen(t, dir, "issuer.json", "ed25519")
	files := issue(t, dir, keyFile, n.URL, "", 1)
	trust := trustList(t, dir, pub, n.Account)
	verifyFiles(t, 3, "indeterminate", "indeterminate", trust, []string{"sepolia=" + n.URL}, files)

	verifyFiles(t, 3, "indeterminate", "indeterminate", trust, []string{"mainnet=" + n.URL}, files)
	// The same node given for the badge's network verifies it.
	verifyFiles(t, 0, "verified", "passed", trust, []string{strconv.Itoa(gethtest.ChainID) + "=" + n.URL}, files)
}

// A badge changed after issuance fails although its anchor is on chain.
func TestTamperedBadgeFails(t *testing.T) {
	n := node.Get(t)
	dir := t.TempDir()
	keyFile, pub := keygen(t, dir, "issuer.json", "ed25519")
	files := issue(t, dir, keyFile, n.URL, "", 2)
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	tampered := bytes.Replace(b, []byte("25201001234A"), []byte("25201001234B"), 1)
	if bytes.Equal(tampered, b) {
		t.Fatal("licence number not found in the badge")
	}
	path := filepath.Join(dir, "tampered.json")
	if err := os.WriteFile(path, tampered, 0o644); err != nil {
		t.Fatal(err)
	}
	r := clitest.Run(t, "", verifierBin, "verify", "--json", "--trust", trustList(t, dir, pub, n.Account), "--eth-rpc", devNetwork+"="+n.URL, path)
	if r.Code != 1 || !strings.Contains(r.Stdout, `"status":"failed"`) {
		t.Fatalf("tampered badge: exit %d:\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
}

// An anchoring key without ether: issue fails, writes nothing, and names
// the address to fund.
func TestIssueUnfundedKeyNamesAddress(t *testing.T) {
	n := node.Get(t)
	dir := t.TempDir()
	keyFile, pub := keygen(t, dir, "issuer.json", "secp256k1")
	addr := ethereum.AddressFromPublicKey(pub.Secp256k1())
	out := filepath.Join(dir, "out")
	r := clitest.Run(t, "", issuerBin, "issue", "--key", keyFile, "--anchor", "eth:"+n.URL, "--eth-key", keyFile, "--out", out, inputs(t, dir, 2))
	if r.Code != 1 || !strings.Contains(r.Stderr, addr) || !strings.Contains(r.Stderr, "insufficient funds") {
		t.Errorf("unfunded key: exit %d, stderr %q; want 1, naming %s and the lack of funds", r.Code, r.Stderr, addr)
	}
	if written, _ := filepath.Glob(filepath.Join(out, "*.json")); len(written) != 0 {
		t.Errorf("issue with an unfunded key wrote %v", written)
	}
	if sent := n.TransactionCount(t, addr); sent != 0 {
		t.Errorf("the unfunded key sent %d transaction(s)", sent)
	}
}
