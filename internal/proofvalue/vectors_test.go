package proofvalue

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

const vectorsDir = "../../testdata/vectors/blockcerts/v3"

// realProof is one MerkleProof2019-family proofValue found in the vectors.
type realProof struct {
	file  string
	value string
}

// isMerkleProof2019 tells whether a proof object belongs to the
// MerkleProof2019 family: the type itself, a DataIntegrityProof with the
// merkle-proof-2019 cryptosuite, or a ChainedProof2021 wrapping one.
func isMerkleProof2019(m map[string]any) bool {
	switch m["type"] {
	case "MerkleProof2019":
		return true
	case "DataIntegrityProof":
		return m["cryptosuite"] == "merkle-proof-2019"
	case "ChainedProof2021":
		return m["chainedProofType"] == "MerkleProof2019"
	}
	return false
}

// collect walks any JSON value and gathers the proofValues of every
// MerkleProof2019-family proof, wherever it sits (a proof object, a proof
// array, a previousProof, a presentation's credentials).
func collect(v any, file string, out *[]realProof) {
	switch x := v.(type) {
	case map[string]any:
		if pv, ok := x["proofValue"].(string); ok && isMerkleProof2019(x) {
			*out = append(*out, realProof{file: file, value: pv})
		}
		for _, y := range x {
			collect(y, file, out)
		}
	case []any:
		for _, y := range x {
			collect(y, file, out)
		}
	}
}

func realProofs(tb testing.TB) []realProof {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(vectorsDir, "*.json"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no Blockcerts v3 vectors under %s (err %v)", vectorsDir, err)
	}
	var out []realProof
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(b, &doc); err != nil {
			tb.Fatalf("%s: %v", f, err)
		}
		collect(doc, filepath.Base(f), &out)
	}
	return out
}
