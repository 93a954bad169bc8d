package blockcerts

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/badgeproof/badgeproof/anchor"
	"github.com/badgeproof/badgeproof/internal/jsonx"
	"github.com/badgeproof/badgeproof/internal/merkle"
	"github.com/badgeproof/badgeproof/internal/rdfc"
)

const vectors = "../../testdata/vectors/blockcerts"

// skipped lists the fixtures this package does not check, and why.
var skipped = map[string]string{
	"v3/blockcerts-3.0-beta.json":                           "context https://w3id.org/blockcerts/v3.0-beta is not among the vectors",
	"v3/blockcerts-3.0-beta-did-ethereum-ropsten.json":      "context https://w3id.org/blockcerts/v3.0-beta is not among the vectors",
	"v3/proof-chain-example-ed25519.json":                   "context https://w3id.org/security/suites/ed25519-2020/v1 is not among the vectors",
	"v3/ecdsa-sd-2023-signed-credential.json":               "ecdsa-sd-2023 selective disclosure: no Merkle proof",
	"v3/ecdsa-sd-2023-derived-credential.json":              "ecdsa-sd-2023 selective disclosure: no Merkle proof",
	"v3/vp-eddsa-rdfc-2022.json":                            "presentation signed with eddsa-rdfc-2022: no Merkle proof",
	"v3/testnet-v3-verification-method-issuer-profile.json": "only an EcdsaSecp256k1Signature2019 proof: no Merkle proof",
	"v3/mocknet-vc-v2-credential-subject-array.json":        "node objects with @language keys: json-gold rejects them (cert-verifier-js's jsonld.js accepts them)",
	"v3/testnet-v3-hashlink.json":                           "target hash not reproduced: cert-verifier-js treats hashlinks specially",
}

// mismatching lists fixtures whose anchored hash was made for another
// document, besides those named "tampered".
var mismatching = map[string]string{
	// The testnet-v3-did certificate (same transaction) with issuer.id changed.
	"v3/testnet-v3--no-did.json": "issuer.id edited after anchoring",
}

func TestFixtures(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(vectors, "v[23]", "*.json"))
	if err != nil || len(files) < 40 {
		t.Fatalf("found %d fixtures (%v)", len(files), err)
	}
	var verified, tampered, mock int
	for _, f := range files {
		name := filepath.ToSlash(strings.TrimPrefix(f, vectors+"/"))
		if why, ok := skipped[name]; ok {
			t.Logf("skip %s: %s", name, why)
			continue
		}
		doc, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(name, func(t *testing.T) {
			var results []*Result
			var errs []error
			if strings.HasPrefix(name, "v2/") || name == "v3/certificate.json" {
				r, err := VerifyV2(doc)
				results, errs = append(results, r), append(errs, err)
			} else {
				idx, err := MerkleProofIndexes(doc)
				if err != nil || len(idx) == 0 {
					t.Fatalf("no Merkle proof: %v", err)
				}
				for _, i := range idx {
					r, err := VerifyV3(doc, i)
					results, errs = append(results, r), append(errs, err)
				}
			}
			_, mism := mismatching[name]
			if strings.Contains(name, "tampered") || mism {
				for _, err := range errs {
					var hm *HashMismatchError
					if !errors.As(err, &hm) && !errors.Is(err, rdfc.ErrFallbackVocab) {
						t.Fatalf("err = %v, want a hash mismatch", err)
					}
				}
				tampered++
				return
			}
			for i, err := range errs {
				if err != nil {
					t.Fatalf("proof %d: %v", i, err)
				}
				r := results[i]
				if len(r.Anchors) == 0 {
					t.Errorf("proof %d: no anchors", i)
				}
				wantMock := strings.Contains(name, "mocknet") || name == "v3/example-non-chained-proofs.json"
				if r.MockOnly() != wantMock {
					t.Errorf("proof %d: MockOnly = %v", i, r.MockOnly())
				}
				if r.MockOnly() {
					mock++
				}
				verified++
			}
		})
	}
	t.Logf("%d proofs verified (%d mocknet), %d tampered fixtures rejected, %d fixtures skipped", verified, mock, tampered, len(skipped))
	if verified < 27 || tampered < 4 {
		t.Errorf("too few checks ran: %d verified, %d tampered", verified, tampered)
	}
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(vectors, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Changing one character of a valid certificate's content changes its
// target hash; changing a path step keeps the hash but misses the root.
func TestTamperingDetected(t *testing.T) {
	doc := string(readFixture(t, "v3/testnet-v3-did.json"))
	edited := strings.Replace(doc, "Julien Fraichot", "Julien Fraichet", 1)
	if edited == doc {
		t.Fatal("edit did not apply")
	}
	_, err := VerifyV3([]byte(edited), 0)
	if !errors.Is(err, ErrHashMismatch) {
		t.Fatalf("err = %v, want ErrHashMismatch", err)
	}

	v2 := string(readFixture(t, "v2/mainnet-valid-2.0.json"))
	edited = strings.Replace(v2, "776aca4dc61d70480fb05e4d95aaedc719fedd752eab7d517e04af2f481f92af",
		"776aca4dc61d70480fb05e4d95aaedc719fedd752eab7d517e04af2f481f92b0", 1)
	if edited == v2 {
		t.Fatal("edit did not apply")
	}
	_, err = VerifyV2([]byte(edited))
	if !errors.Is(err, merkle.ErrRootMismatch) {
		t.Fatalf("err = %v, want merkle.ErrRootMismatch", err)
	}
}

// A property that no context defines is refused, even though it would not
// change the hash.
func TestUnmappedPropertyRejected(t *testing.T) {
	doc := string(readFixture(t, "v3/testnet-v3-did.json"))
	edited := strings.Replace(doc, `"issuanceDate"`, `"undefinedProperty": "x", "issuanceDate"`, 1)
	_, err := VerifyV3([]byte(edited), 0)
	if !errors.Is(err, rdfc.ErrFallbackVocab) || !strings.Contains(err.Error(), "undefinedProperty") {
		t.Fatalf("err = %v, want ErrFallbackVocab naming the property", err)
	}
}

// Proofs after the one under test are not hashed; proofs before it are.
func TestChainedProofOrder(t *testing.T) {
	doc := readFixture(t, "v3/mocknet-vc-v2-data-integrity-proof-multiple-signatures.json")
	h0, err := V3TargetHash(doc, 0)
	if err != nil {
		t.Fatal(err)
	}
	h1, err := V3TargetHash(doc, 1)
	if err != nil {
		t.Fatal(err)
	}
	if h0 == h1 {
		t.Fatal("both proofs hash the same document")
	}
	r, err := VerifyV3(doc, 1)
	if err != nil || r.TargetHash != h1 {
		t.Fatalf("VerifyV3(1) = %v, %v", r, err)
	}
}

func TestV2Anchors(t *testing.T) {
	cases := map[string]anchor.Ref{
		"v2/mainnet-valid-2.0.json":       {Chain: "btc", Network: "mainnet", ID: "2378076e8e140012814e98a2b2cb1af07ec760b239c1d6d93ba54d658a010ecd"},
		"v2/ethereum-main-valid-2.0.json": {Chain: "eth", Network: "mainnet", ID: "0xa12c498c8fcf59ee2fe785c94c38be4797fb027e6450439a7ef30ad61d7616d3"},
		"v2/testnet-valid-2.0.json":       {Chain: "btc", Network: "", ID: "d75b7a5bdb3d5244b753e6b84e987267cfa4ffa7a532a2ed49ad3848be1d82f8"},
		"v2/mocknet-valid-2.0.json":       {Chain: anchor.ChainMock, Network: "mockchain"},
	}
	for name, want := range cases {
		r, err := VerifyV2(readFixture(t, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(r.Anchors) != 1 || r.Anchors[0] != want {
			t.Errorf("%s: anchors %v, want %v", name, r.Anchors, want)
		}
	}
	if BitcoinNetwork("msBCHdwaQ7N2ypBYupkp6uNxtr9Pg76imj") != "testnet" || BitcoinNetwork("1862cjGVHodmYyvfumSgrgfnWcpCMHK9sq") != "mainnet" || BitcoinNetwork("0xabc") != "" {
		t.Error("BitcoinNetwork")
	}
}

func TestBadInput(t *testing.T) {
	cases := []struct {
		doc   string
		index int
		want  error
	}{
		{`{`, 0, ErrMalformed},
		{`[]`, 0, ErrMalformed},
		{`{"@context":"x","proof":{}}`, 0, ErrMalformed},
		{`{"@context":[]}`, 0, ErrNotMerkleProof},
		{`{"@context":[],"proof":[]}`, 0, ErrMalformed},
		{`{"@context":[],"proof":{"type":"Ed25519Signature2020"}}`, 0, ErrNotMerkleProof},
		{`{"@context":[],"proof":{"type":"MerkleProof2019"}}`, 0, ErrMalformed},
		{`{"@context":[],"proof":{"type":"MerkleProof2019"}}`, 3, ErrMalformed},
		// Strict JSON: a hashed document must read one way only.
		{`{"@context":[],"proof":{"type":"MerkleProof2019"}} {}`, 0, jsonx.ErrInvalid},
		{`{"@context":[],"@context":[],"proof":{"type":"MerkleProof2019"}}`, 0, jsonx.ErrInvalid},
		{`{"@context":[],"name":"\udc00","proof":{"type":"MerkleProof2019"}}`, 0, jsonx.ErrInvalid},
		{`{"@context":[],"proof":{"type":"MerkleProof2019"},"x":"` + strings.Repeat("a", MaxDocumentSize) + `"}`, 0, jsonx.ErrTooLarge},
	}
	for _, c := range cases {
		if _, err := VerifyV3([]byte(c.doc), c.index); !errors.Is(err, c.want) || !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrNotMerkleProof) {
			t.Errorf("VerifyV3(%.80s, %d) = %.200v, want %v", c.doc, c.index, err, c.want)
		}
	}
	v2 := []string{
		`{"@context":[]}`,
		`{"@context":[],"signature":{"type":"Other"}}`,
		`{"@context":[],"signature":{"type":["MerkleProof2017"],"targetHash":"00"}}`,
		`{"@context":[],"signature":{"type":["MerkleProof2017"],"targetHash":"` + strings.Repeat("0", 64) + `","merkleRoot":"` + strings.Repeat("0", 64) + `","proof":[{"up":"` + strings.Repeat("0", 64) + `"}],"anchors":[]}}`,
		`{"@context":[],"signature":{"type":["MerkleProof2017"],"targetHash":"` + strings.Repeat("0", 64) + `","merkleRoot":"` + strings.Repeat("0", 64) + `","proof":[],"anchors":[{"type":"ETHData","chain":"dogecoin","sourceId":"x"}]}}`,
	}
	for _, d := range v2 {
		if _, err := VerifyV2([]byte(d)); err == nil {
			t.Errorf("VerifyV2(%s) succeeded", d)
		}
	}
}

func TestV2AnchorChains(t *testing.T) {
	eth := "0x" + strings.Repeat("ab", 32)
	btc := strings.Repeat("cd", 32)
	for _, c := range []struct {
		typ, chain, source string
		want               anchor.Ref
	}{
		{"BTCOpReturn", "bitcoinMainnet", btc, anchor.Ref{Chain: anchor.ChainBitcoin, Network: "mainnet", ID: btc}},
		{"BTCOpReturn", "bitcoinTestnet", btc, anchor.Ref{Chain: anchor.ChainBitcoin, Network: "testnet", ID: btc}},
		{"BTCOpReturn", "bitcoinRegtest", btc, anchor.Ref{Chain: anchor.ChainBitcoin, Network: "regtest", ID: btc}},
		{"ETHData", "ethereumMainnet", eth, anchor.Ref{Chain: anchor.ChainEthereum, Network: "mainnet", ID: eth}},
		{"ETHData", "ethereumRopsten", eth, anchor.Ref{Chain: anchor.ChainEthereum, Network: "ropsten", ID: eth}},
		{"ETHData", "ethereumGoerli", eth, anchor.Ref{Chain: anchor.ChainEthereum, Network: "goerli", ID: eth}},
		{"ETHData", "ethereumSepolia", "0x" + strings.ToUpper(eth[2:]), anchor.Ref{Chain: anchor.ChainEthereum, Network: "sepolia", ID: eth}},
		{"anything", "mockchain", "x", anchor.Ref{Chain: anchor.ChainMock, Network: "mockchain"}},
		{"BTCOpReturn", "", strings.ToUpper(btc), anchor.Ref{Chain: anchor.ChainBitcoin, ID: btc}},
	} {
		got, err := v2Anchor(c.typ, c.chain, c.source)
		if err != nil || got != c.want {
			t.Errorf("v2Anchor(%q, %q, %q) = %+v, %v; want %+v", c.typ, c.chain, c.source, got, err, c.want)
		}
	}
	for _, c := range [][3]string{
		{"ETHData", "bitcoinMainnet", btc},      // wrong type for the chain
		{"BTCOpReturn", "ethereumSepolia", eth}, // wrong type for the chain
		{"ETHData", "ethereumSepolia", "0x12"},  // not a transaction hash
		{"ETHData", "", eth},                    // no chain, not Bitcoin
		{"BTCOpReturn", "", "xyz"},              // no chain, not a txid
		{"BTCOpReturn", "bitcoinSignet", btc},   // unknown chain
	} {
		if _, err := v2Anchor(c[0], c[1], c[2]); !errors.Is(err, ErrMalformed) {
			t.Errorf("v2Anchor(%q, %q, %q): err = %v, want ErrMalformed", c[0], c[1], c[2], err)
		}
	}
}

// A certificate that makes json-gold panic (a member named "" of a node
// without a type, read as its @type) fails its check with an error, in v2
// and v3 alike.
func TestJSONGoldPanicFailsTheCheck(t *testing.T) {
	v2 := strings.Replace(string(readFixture(t, "v2/mocknet-valid-2.0.json")), `"@context"`, `"evidence": {"": [true]}, "@context"`, 1)
	if _, err := VerifyV2([]byte(v2)); !errors.Is(err, rdfc.ErrCanonicalize) {
		t.Errorf("v2: err = %v, want rdfc.ErrCanonicalize", err)
	}
	v3 := strings.Replace(string(readFixture(t, "v3/testnet-v3-did.json")), `"issuanceDate"`, `"evidence": {"": [true]}, "issuanceDate"`, 1)
	if _, err := VerifyV3([]byte(v3), 0); !errors.Is(err, rdfc.ErrCanonicalize) {
		t.Errorf("v3: err = %v, want rdfc.ErrCanonicalize", err)
	}
}
