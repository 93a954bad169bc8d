package ldjws

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/badgeproof/badgeproof/internal/disuite"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/stretchr/testify/require"
)

// Blockcerts' secp256k1 proof-chain certificate: its first proof is an
// EcdsaSecp256k1Signature2019 by the issuer's did:key, over the document
// without proofs.
func TestBlockcertsSecp256k1Signature(t *testing.T) {
	b, err := os.ReadFile("../../testdata/vectors/blockcerts/v3/proof-chain-example-secp256k1.json")
	require.NoError(t, err)
	var doc map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b, &doc))
	var proofs []map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(doc["proof"], &proofs))
	delete(doc, "proof")
	var vm string
	require.NoError(t, json.Unmarshal(proofs[0]["verificationMethod"], &vm))
	did, _, _ := strings.Cut(vm, "#")
	pk, err := keys.ParseDIDKey(did)
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, Secp256k1{}.Verify(ctx, disuite.Env{}, pk, doc, proofs[0]))

	// A changed document, proof option or signature fails.
	changed := map[string]json.RawMessage{}
	for k, v := range doc {
		changed[k] = v
	}
	changed["id"] = json.RawMessage(`"urn:uuid:00000000-0000-0000-0000-000000000000"`)
	require.ErrorIs(t, Secp256k1{}.Verify(ctx, disuite.Env{}, pk, changed, proofs[0]), disuite.ErrBadSignature)
	p := map[string]json.RawMessage{}
	for k, v := range proofs[0] {
		p[k] = v
	}
	p["created"] = json.RawMessage(`"2022-07-13T20:21:41.114Z"`)
	require.ErrorIs(t, Secp256k1{}.Verify(ctx, disuite.Env{}, pk, doc, p), disuite.ErrBadSignature)
	other, err := keys.Generate(keys.Secp256k1)
	require.NoError(t, err)
	require.ErrorIs(t, Secp256k1{}.Verify(ctx, disuite.Env{}, other.PublicKey(), doc, proofs[0]), disuite.ErrBadSignature)
	ed, err := keys.Generate(keys.Ed25519)
	require.NoError(t, err)
	require.ErrorIs(t, Secp256k1{}.Verify(ctx, disuite.Env{}, ed.PublicKey(), doc, proofs[0]), disuite.ErrKeyMismatch)
	// Another header (alg none, encoded payload) is refused before any hashing.
	for _, jws := range []string{"eyJhbGciOiJub25lIn0..AAAA", "e30.x.y", strings.Repeat("a", 2000)} {
		p["jws"], _ = json.Marshal(jws)
		require.ErrorIs(t, Secp256k1{}.Verify(ctx, disuite.Env{}, pk, doc, p), disuite.ErrMalformed, "%.8s", jws)
	}
}

func FuzzVerify(f *testing.F) {
	f.Add("eyJhbGciOiJFUzI1NksiLCJiNjQiOmZhbHNlLCJjcml0IjpbImI2NCJdfQ..p2R_KhhRWiqw0P8HeIb4dgqx-K9fAgFZ8jPAM57fmpVH9XLwzPn1wK8HWH5I_NYkdhaqnDPLHiFv17cLLjcG2A")
	f.Add("..")
	sk, _ := keys.Generate(keys.Secp256k1)
	doc := map[string]json.RawMessage{"@context": json.RawMessage(`["https://www.w3.org/ns/credentials/v2"]`), "type": json.RawMessage(`"VerifiableCredential"`)}
	f.Fuzz(func(t *testing.T, jws string) {
		p := map[string]json.RawMessage{"type": json.RawMessage(`"EcdsaSecp256k1Signature2019"`), "proofPurpose": json.RawMessage(`"assertionMethod"`)}
		p["jws"], _ = json.Marshal(jws)
		if err := (Secp256k1{}).Verify(context.Background(), disuite.Env{}, sk.PublicKey(), doc, p); err == nil {
			t.Fatalf("a random jws verified: %q", jws)
		}
	})
}
