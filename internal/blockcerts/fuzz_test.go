package blockcerts

import "testing"

func FuzzVerify(f *testing.F) {
	f.Add([]byte(`{"@context":["https://w3id.org/blockcerts/v3"],"proof":{"type":"MerkleProof2019","proofValue":"z1"}}`))
	f.Add([]byte(`{"@context":["https://w3id.org/blockcerts/v2"],"signature":{"type":["MerkleProof2017"],"targetHash":"` +
		"552f01d4fab7da1bce4315c134a1d46e9ef5968f49edf6f5de5d3a2776eea4fb" + `","merkleRoot":"` +
		"b2ceea1d52627b6ed8d919ad1039eca32f6e099ef4a357cbb7f7361c471ea6c8" + `","proof":[{"right":"` +
		"776aca4dc61d70480fb05e4d95aaedc719fedd752eab7d517e04af2f481f92af" + `"}],"anchors":[{"type":"BTCOpReturn","chain":"bitcoinTestnet","sourceId":"` +
		"d75b7a5bdb3d5244b753e6b84e987267cfa4ffa7a532a2ed49ad3848be1d82f8" + `"}]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 1<<14 {
			return
		}
		if r, err := VerifyV3(b, 0); err == nil && r == nil {
			t.Fatal("nil result without error")
		}
		if r, err := VerifyV2(b); err == nil && r == nil {
			t.Fatal("nil result without error")
		}
		_, _ = MerkleProofIndexes(b)
	})
}
