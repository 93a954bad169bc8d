package proofvalue

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/fxamacker/cbor/v2"
	"github.com/multiformats/go-multibase"

	"github.com/badgeproof/badgeproof/anchor"
	"github.com/badgeproof/badgeproof/internal/merkle"
)

// TestRealProofs decodes every MerkleProof2019-family proofValue published
// with the Blockcerts v3 fixtures and checks its path leads from the target
// hash to the Merkle root.
func TestRealProofs(t *testing.T) {
	proofs := realProofs(t)
	const atLeast = 40
	if len(proofs) < atLeast {
		t.Fatalf("found %d MerkleProof2019 proofs in the vectors, want at least %d", len(proofs), atLeast)
	}
	files := map[string]bool{}
	chainsSeen := map[string]int{}
	for _, rp := range proofs {
		p, err := Decode(rp.value)
		if err != nil {
			t.Errorf("%s: %v", rp.file, err)
			continue
		}
		files[rp.file] = true
		if err := merkle.VerifyPath(p.TargetHash, p.Path, p.MerkleRoot); err != nil {
			t.Errorf("%s: %v", rp.file, err)
		}
		for _, a := range p.Anchors {
			chainsSeen[a.Chain]++
		}
		// Re-encoding (always in the raw-bytes form) decodes to the same proof.
		enc, err := Encode(p)
		if err != nil {
			t.Errorf("%s: encode: %v", rp.file, err)
			continue
		}
		back, err := Decode(enc)
		if err != nil {
			t.Errorf("%s: decode re-encoded: %v", rp.file, err)
			continue
		}
		if !reflect.DeepEqual(p, back) {
			t.Errorf("%s: round trip changed the proof:\n%+v\n%+v", rp.file, p, back)
		}
	}
	t.Logf("%d proofs in %d files; anchors per chain %v", len(proofs), len(files), chainsSeen)
	for _, c := range []string{anchor.ChainBitcoin, anchor.ChainEthereum, anchor.ChainMock} {
		if chainsSeen[c] == 0 {
			t.Errorf("no %s anchor decoded from the vectors", c)
		}
	}
}

func findProof(t *testing.T, file string) *MerkleProof {
	t.Helper()
	for _, rp := range realProofs(t) {
		if rp.file == file {
			p, err := Decode(rp.value)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
	}
	t.Fatalf("%s has no MerkleProof2019 proof", file)
	return nil
}

func mustHex32(t *testing.T, s string) [32]byte {
	t.Helper()
	var h [32]byte
	if _, err := hex.Decode(h[:], []byte(s)); err != nil || len(s) != 64 {
		t.Fatalf("bad hex %q", s)
	}
	return h
}

// The fields of individual fixtures, as published next to them.
func TestRealProofFields(t *testing.T) {
	p := findProof(t, "ethereum-sepolia-v3.json")
	want := anchor.Ref{Chain: "eth", Network: "sepolia", ID: "0x1f615470024000c3ab532ed74c5a60b8f6c2feb6489a67be20f103831996f9ab"}
	if len(p.Anchors) != 1 || p.Anchors[0] != want {
		t.Fatalf("anchors %+v, want %+v", p.Anchors, want)
	}
	if len(p.Path) != 0 || p.MerkleRoot != p.TargetHash ||
		p.MerkleRoot != mustHex32(t, "b2c64ed78cccda992431c265a1d0bb657e8cefd14b1ef15ceadcc697c566994f") {
		t.Fatalf("single-leaf proof decoded as %+v", p)
	}

	p = findProof(t, "blockcerts-3.0-beta.json")
	if a := p.Anchors[0]; a.Chain != "btc" || a.Network != "testnet" || a.ID != "1d0005700ece4a522bcf6e3ec1dc2821c1c304332b93d6148d8cec47f21ab89a" {
		t.Fatalf("anchor %+v", a)
	}
	if len(p.Path) != 1 || !p.Path[0].Left ||
		p.Path[0].Hash != mustHex32(t, "e1b59fcf59c7a11d725935dd72520268ca715b754accccb896a0cc1f765056db") {
		t.Fatalf("path %+v", p.Path)
	}

	// Raw 32-byte hashes and an all-integer mocknet anchor (Hyland's encoder).
	p = findProof(t, "mocknet-v3-valid.json")
	if a := p.Anchors[0]; a.Chain != anchor.ChainMock || a.Network != "-1" || len(a.ID) != 128 {
		t.Fatalf("anchor %+v", a)
	}
	if p.TargetHash != mustHex32(t, "a2ad534b55cef1344ccb917bafec9cf4c72ba6b5be2b2abed31ed6310069665a") {
		t.Fatalf("targetHash %x", p.TargetHash)
	}

	// Blockcerts' own mocknet anchors carry a text network and no id.
	p = findProof(t, "mocknet-vc-v2-data-integrity-proof.json")
	wantMock := anchor.Ref{Chain: anchor.ChainMock, Network: "This has not been issued on a blockchain and is for testing only"}
	if len(p.Anchors) != 1 || p.Anchors[0] != wantMock {
		t.Fatalf("anchors %+v", p.Anchors)
	}

	// Two right-hand steps.
	p = findProof(t, "cert-rl-status-list-2021-revoked.json")
	if len(p.Path) != 2 || p.Path[0].Left || p.Path[1].Left {
		t.Fatalf("path %+v", p.Path)
	}
}

func sampleProof() *MerkleProof {
	leaves := make([][32]byte, 5)
	for i := range leaves {
		leaves[i] = sha256.Sum256([]byte{byte(i)})
	}
	tr, _ := merkle.Build(leaves)
	path, _ := tr.Path(2)
	return &MerkleProof{
		MerkleRoot: tr.Root(),
		TargetHash: leaves[2],
		Path:       path,
		Anchors: []anchor.Ref{
			{Chain: "ledger", Network: "4f1c0a9e2b7d44d1", ID: "42"},
			{Chain: "ledger", Network: "1234", ID: "0"},
			{Chain: "eth", Network: "1337", ID: "0x" + strings.Repeat("ab", 32)},
			{Chain: "eth", Network: "holesky", ID: "0x" + strings.Repeat("cd", 32)},
			{Chain: "eth", Network: "mainnet", ID: "0x" + strings.Repeat("01", 32)},
			{Chain: "btc", Network: "regtest", ID: strings.Repeat("ef", 32)},
			{Chain: "mocknet", Network: "This has not been issued on a blockchain", ID: "test"},
			{Chain: "mocknet", Network: "-1"},
		},
	}
}

func TestRoundTrip(t *testing.T) {
	p := sampleProof()
	s, err := Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	if s[0] != 'z' {
		t.Fatalf("encoded %q lacks the base58btc prefix", s)
	}
	got, err := Decode(s)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p, got) {
		t.Fatalf("round trip:\n%+v\n%+v", p, got)
	}
	if err := merkle.VerifyPath(got.TargetHash, got.Path, got.MerkleRoot); err != nil {
		t.Fatal(err)
	}
	// Known networks are written as Blockcerts' integers.
	enc, raw, err := multibase.Decode(s)
	if err != nil || enc != multibase.Base58BTC || s[0] != 'z' {
		t.Fatalf("Encode wrote %q: not multibase base58btc (%v)", s[:min(len(s), 8)], err)
	}
	var top []any
	if err := cbor.Unmarshal(raw, &top); err != nil {
		t.Fatal(err)
	}
	eth := top[2].([]any)[1].([]any)[4].([]any)
	if eth[0].([]any)[1] != uint64(1) || eth[1].([]any)[1] != uint64(1) {
		t.Fatalf("eth mainnet anchor written as %v", eth)
	}
}

// build assembles a proofValue from raw CBOR pieces for negative tests.
func build(t *testing.T, top any) string {
	t.Helper()
	b, err := cbor.Marshal(top)
	if err != nil {
		t.Fatal(err)
	}
	return z58(t, b)
}

// z58 is b in multibase base58btc.
func z58(t *testing.T, b []byte) string {
	t.Helper()
	s, err := multibase.Encode(multibase.Base58BTC, b)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func w(t *testing.T, v any) []byte {
	t.Helper()
	b, err := cbor.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestHexHashAccepted(t *testing.T) {
	h := sha256.Sum256([]byte("x"))
	hx := hex.EncodeToString(h[:])
	anchors := []any{[]any{[]any{0, 1}, []any{1, 1}, []any{2, w(t, "0x"+strings.Repeat("aa", 32))}}}
	s := build(t, []any{
		[]any{3, []any{[]any{1, w(t, strings.ToUpper(hx))}}},
		[]any{0, w(t, hx)},
		[]any{1, w(t, h[:])},
		[]any{2, anchors},
	})
	p, err := Decode(s)
	if err != nil {
		t.Fatal(err)
	}
	if p.MerkleRoot != h || p.TargetHash != h || p.Path[0].Hash != h || p.Path[0].Left {
		t.Fatalf("decoded %+v", p)
	}
}

func TestMalformed(t *testing.T) {
	h := sha256.Sum256([]byte("x"))
	good := func() []any {
		return []any{
			[]any{0, w(t, h[:])},
			[]any{1, w(t, h[:])},
			[]any{2, []any{[]any{[]any{0, 1}, []any{1, 1}, []any{2, w(t, "0x"+strings.Repeat("aa", 32))}}}},
			[]any{3, []any{}},
		}
	}
	if _, err := Decode(build(t, good())); err != nil {
		t.Fatalf("baseline: %v", err)
	}
	with := func(i int, v any) []any { g := good(); g[i] = v; return g }
	anchorWith := func(chain, network, id any) []any {
		return with(2, []any{2, []any{[]any{[]any{0, chain}, []any{1, network}, []any{2, id}}}})
	}
	steps := make([]any, 65)
	for i := range steps {
		steps[i] = []any{0, w(t, h[:])}
	}
	tagged, _ := cbor.Marshal(cbor.Tag{Number: 24, Content: good()})
	goodRaw, _ := cbor.Marshal(good())

	cases := map[string]string{
		"empty":            "",
		"no prefix":        build(t, good())[1:],
		"base64 prefix":    "u" + build(t, good())[1:],
		"bad base58":       "z0OIl",
		"too long":         "z" + strings.Repeat("2", MaxLen),
		"not cbor":         z58(t, []byte{0xff, 0x00}),
		"trailing bytes":   z58(t, append(goodRaw, 0x00)),
		"tagged":           z58(t, tagged),
		"top is map":       build(t, map[int]any{0: w(t, h[:])}),
		"unknown key":      build(t, append(good(), []any{4, 1})),
		"repeated key":     build(t, with(3, []any{0, w(t, h[:])})),
		"missing path":     build(t, good()[:3]),
		"pair of three":    build(t, with(0, []any{0, w(t, h[:]), 1})),
		"key is text":      build(t, with(0, []any{"merkleRoot", w(t, h[:])})),
		"unwrapped hash":   build(t, with(0, []any{0, h[:]})),
		"hash 31 bytes":    build(t, with(0, []any{0, w(t, h[:31])})),
		"hash 33 bytes":    build(t, with(1, []any{1, w(t, append(h[:], 0))})),
		"hex 63 chars":     build(t, with(1, []any{1, w(t, hex.EncodeToString(h[:])[:63])})),
		"hex not hex":      build(t, with(1, []any{1, w(t, strings.Repeat("zz", 32))})),
		"wrapped int":      build(t, with(1, []any{1, w(t, 7)})),
		"wrapped garbage":  build(t, with(1, []any{1, []byte{0x58, 0x20, 1}})),
		"path 65 steps":    build(t, with(3, []any{3, steps})),
		"path side 2":      build(t, with(3, []any{3, []any{[]any{2, w(t, h[:])}}})),
		"path not array":   build(t, with(3, []any{3, 0})),
		"no anchors":       build(t, with(2, []any{2, []any{}})),
		"unknown chain":    build(t, anchorWith(7, 1, w(t, "x"))),
		"chain by name":    build(t, anchorWith("eth", 1, w(t, "0x"+strings.Repeat("aa", 32)))),
		"eth id not hex":   build(t, anchorWith(1, 1, w(t, "0xnothex"))),
		"btc bad network":  build(t, anchorWith(0, 9, w(t, strings.Repeat("aa", 32)))),
		"id with colon":    build(t, anchorWith("ledger", w(t, "abc"), w(t, "1:2"))),
		"ledger id letter": build(t, anchorWith("ledger", w(t, "abc"), w(t, "x1"))),
		"empty network":    build(t, anchorWith(-1, w(t, ""), w(t, "x"))),
		"network bytes":    build(t, anchorWith(-1, w(t, []byte{1}), w(t, "x"))),
		"anchor two pairs": build(t, with(2, []any{2, []any{[]any{[]any{0, 1}, []any{1, 1}}}})),
		"anchor key twice": build(t, with(2, []any{2, []any{[]any{[]any{0, 1}, []any{0, 1}, []any{2, w(t, "x")}}}})),
		"float key":        build(t, with(0, []any{0.0, w(t, h[:])})),
	}
	for name, s := range cases {
		t.Run(name, func(t *testing.T) {
			p, err := Decode(s)
			if err == nil {
				t.Fatalf("decoded %+v", p)
			}
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err %v does not wrap ErrMalformed", err)
			}
		})
	}
}

func TestEncodeRejects(t *testing.T) {
	for name, mut := range map[string]func(p *MerkleProof){
		"no anchors":    func(p *MerkleProof) { p.Anchors = nil },
		"bad ref":       func(p *MerkleProof) { p.Anchors[0].Chain = "doge" },
		"long path":     func(p *MerkleProof) { p.Path = make([]merkle.Step, 65) },
		"ledger seq 01": func(p *MerkleProof) { p.Anchors[0].ID = "01" },
	} {
		p := sampleProof()
		mut(p)
		if _, err := Encode(p); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if _, err := Encode(nil); !errors.Is(err, ErrMalformed) {
		t.Errorf("nil: err = %v", err)
	}
}

func TestEncodeDeterministic(t *testing.T) {
	a, _ := Encode(sampleProof())
	b, _ := Encode(sampleProof())
	if !bytes.Equal([]byte(a), []byte(b)) {
		t.Fatal("two encodings of one proof differ")
	}
}

// The length cap is checked before base58btc decoding, which is quadratic
// in the input: an over-long value fails on its length, whatever its
// characters, and fast.
func TestLengthBeforeDecoding(t *testing.T) {
	for _, s := range []string{"z" + strings.Repeat("0", MaxLen), "z" + strings.Repeat("2", 1<<20)} {
		_, err := Decode(s)
		if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "at most") || strings.Contains(err.Error(), "base58btc:") {
			t.Errorf("%d characters: %v, want a length error before any decoding", len(s), err)
		}
	}
	// A bad character within the cap is reported as such.
	if _, err := Decode("z0OIl"); err == nil || !strings.Contains(err.Error(), "base58btc:") {
		t.Errorf("bad base58btc: %v", err)
	}
}
