package verify

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/badgeproof/badgeproof/keys"
	"github.com/stretchr/testify/require"
)

// w3cIssuer is the issuer of every W3C Data Integrity vector.
const w3cIssuer = "https://vc.example/issuers/5678"

// diVectorsSigned lists every signed W3C Data Integrity vector whose contexts are
// held locally, with the number of proofs it carries. A vector missing
// from disk fails the test.
var diVectorsSigned = map[string]int{
	"w3c-di/eddsa-rdfc-2022/signedDataInt.json":                         1,
	"w3c-di/ecdsa-rdfc-2019/ecdsa-rdfc-2019-p256/signedECDSAP256.json":  1,
	"w3c-di/ecdsa-rdfc-2019/ecdsa-rdfc-2019-p384/signedECDSAP384.json":  1,
	"w3c-di/Ed25519Signature2020/signedEdSig.json":                      1,
	"w3c-di/eddsa-jcs-2022/eddsa-jcs-2022/signedJCS.json":               1,
	"w3c-di/ecdsa-jcs-2019/ecdsa-jcs-2019-p256/signedJCSECDSAP256.json": 1,
	"w3c-di/ecdsa-jcs-2019/ecdsa-jcs-2019-p384/signedJCSECDSAP384.json": 1,
	"w3c-di/proof-set-chain/signedProofSet1.json":                       1,
	"w3c-di/proof-set-chain/signedProofSet2.json":                       2,
	"w3c-di/proof-set-chain/signedProofChain1.json":                     3,
	"w3c-di/proof-set-chain/signedProofChain2.json":                     4,
}

// proofsOf decodes a vector's proof or proof set.
func proofsOf(t *testing.T, doc []byte) []map[string]any {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(doc, &m))
	var list []map[string]any
	if json.Unmarshal(m["proof"], &list) != nil {
		var one map[string]any
		require.NoError(t, json.Unmarshal(m["proof"], &one))
		list = []map[string]any{one}
	}
	return list
}

// w3cVerifier trusts the W3C vectors' issuer with the key of vm (a did:key
// verification method).
func w3cVerifier(t *testing.T, vm string, opts ...Option) *Verifier {
	t.Helper()
	did, _, _ := strings.Cut(vm, "#")
	pk, err := keys.ParseDIDKey(did)
	require.NoError(t, err)
	tl := trustList(t, TrustedIssuer{ID: w3cIssuer, Name: "Example University", Keys: []TrustedKey{{ID: vm, PublicKeyMultibase: pk.Multibase()}}})
	v, err := New(append([]Option{WithTrustList(tl), WithOffline(), WithClock(clock)}, opts...)...)
	require.NoError(t, err)
	return v
}

// Every signed W3C vector verifies given its issuer's key (the key of its
// first proof); proofs by other keys are reported as other parties'; every
// changed copy fails with bad_signature.
func TestW3CDataIntegrityVectorsVerify(t *testing.T) {
	ctx := context.Background()
	for path, n := range diVectorsSigned {
		t.Run(path, func(t *testing.T) {
			doc := readVector(t, path)
			proofs := proofsOf(t, doc)
			require.Len(t, proofs, n)
			issuerVM := proofs[0]["verificationMethod"].(string)
			v := w3cVerifier(t, issuerVM)
			r := v.Verify(ctx, doc, Binding{})
			require.Equal(t, StatusVerified, r.Status, "%s", reportText(r))
			require.Len(t, r.Signers, n)
			for _, s := range r.Signers {
				want := RoleOther
				if s.VerificationMethod == issuerVM {
					want = RoleIssuer
				}
				require.Equal(t, want, s.Role, "proof[%d]", s.Proof)
			}

			// A changed credential fails.
			changed := strings.Replace(string(doc), "The School of Examples", "The School of Exampels", 1)
			require.NotEqual(t, string(doc), changed)
			r = v.Verify(ctx, []byte(changed), Binding{})
			require.Equal(t, StatusFailed, r.Status)
			require.Equal(t, "bad_signature", r.Check(CheckSignature).Code, "%s", reportText(r))

			// A changed proof fails too: each proof's created, in turn.
			for i := range proofs {
				var m map[string]any
				require.NoError(t, json.Unmarshal(doc, &m))
				ps := proofsOf(t, doc)
				if ps[i]["created"] == nil {
					continue
				}
				ps[i]["created"] = "2023-02-24T23:36:39Z"
				if len(ps) == 1 {
					m["proof"] = ps[0]
				} else {
					m["proof"] = ps
				}
				b, _ := json.Marshal(m)
				r = v.Verify(ctx, b, Binding{})
				require.Equal(t, "bad_signature", r.Check(CheckSignature).Code, "proof[%d]: %s", i, reportText(r))
			}
		})
	}
}

// In a proof set, a verified signature by a key that is not the issuer's
// does not count as the issuer's: without one by the issuer, the
// signature check is not passed.
func TestProofSetNeedsIssuerSignature(t *testing.T) {
	ctx := context.Background()
	doc := readVector(t, "w3c-di/proof-set-chain/signedProofSet2.json")
	// Trust the issuer with an unrelated key: both signatures verify, but
	// neither is the issuer's.
	other, err := keys.Generate(keys.Ed25519)
	require.NoError(t, err)
	v := w3cVerifier(t, other.PublicKey().VerificationMethod())
	r := v.Verify(ctx, doc, Binding{})
	require.Equal(t, StatusIndeterminate, r.Check(CheckSignature).Status, "%s", reportText(r))
	require.Equal(t, "key_unavailable", r.Check(CheckSignature).Code)
	require.Len(t, r.Signers, 2)
	for _, s := range r.Signers {
		require.Equal(t, RoleOther, s.Role)
	}
	// Trust the second signer: it is now the issuer's signature, and the
	// first is the other party's.
	second := proofsOf(t, doc)[1]["verificationMethod"].(string)
	r = w3cVerifier(t, second).Verify(ctx, doc, Binding{})
	require.Equal(t, StatusVerified, r.Status, "%s", reportText(r))
	require.Equal(t, RoleOther, r.Signers[0].Role)
	require.Equal(t, RoleIssuer, r.Signers[1].Role)
}

// previousProof naming a proof the set does not hold fails, even though
// every signature is otherwise valid; a chain whose earlier proof was
// dropped fails.
func TestProofChainMissingPrevious(t *testing.T) {
	ctx := context.Background()
	doc := readVector(t, "w3c-di/proof-set-chain/signedProofChain2.json")
	v := w3cVerifier(t, proofsOf(t, doc)[0]["verificationMethod"].(string))
	var m map[string]any
	require.NoError(t, json.Unmarshal(doc, &m))
	ps := m["proof"].([]any)
	// Drop the third proof, which the fourth names.
	m["proof"] = []any{ps[0], ps[1], ps[3]}
	b, _ := json.Marshal(m)
	r := v.Verify(ctx, b, Binding{})
	require.Equal(t, StatusFailed, r.Status)
	require.Equal(t, "bad_signature", r.Check(CheckSignature).Code)
	require.Contains(t, r.Check(CheckSignature).Message, "urn:uuid:d94f792a-c546-4d06-b38a-da070ab56c23")
	// Unchaining the fourth proof (dropping previousProof) breaks its
	// signature: it covers the proof it named.
	p3 := ps[3].(map[string]any)
	delete(p3, "previousProof")
	m["proof"] = []any{ps[0], ps[1], ps[2], p3}
	b, _ = json.Marshal(m)
	r = v.Verify(ctx, b, Binding{})
	require.Equal(t, "bad_signature", r.Check(CheckSignature).Code, "%s", reportText(r))
}

// The employ vectors name https://w3id.org/citizenship/v4rc1, which is not
// held locally: a format failure naming the URL, and the signature
// indeterminate (nothing was compared).
func TestUnknownContextIsFormatFailure(t *testing.T) {
	doc := readVector(t, "w3c-di/eddsa-rdfc-2022/employ/signedDataInt.json")
	v := w3cVerifier(t, proofsOf(t, doc)[0]["verificationMethod"].(string))
	r := v.Verify(context.Background(), doc, Binding{})
	require.Equal(t, StatusFailed, r.Check(CheckFormat).Status)
	require.Contains(t, r.Check(CheckFormat).Message, "https://w3id.org/citizenship/v4rc1")
	require.Equal(t, StatusIndeterminate, r.Check(CheckSignature).Status)
}

// reportText renders a report for failure messages.
func reportText(r *Report) string {
	b, _ := json.MarshalIndent(r, "", " ")
	return string(b)
}

// Blockcerts' ecdsa-sd-2023 derived credential verifies given the issuer's
// key (its profile's key-1-multibase, a secp256k1 key: this SDK's
// profile), a changed copy fails, and the base credential is refused, as
// cert-verifier-js decides them.
func TestECDSASDBlockcertsCredentials(t *testing.T) {
	const issuerID = "https://www.blockcerts.org/samples/3.0/issuer-blockcerts.json"
	tl := trustList(t, TrustedIssuer{ID: issuerID, Name: "Blockcerts", Keys: []TrustedKey{{ID: issuerID + "#key-1-multibase", PublicKeyMultibase: "zQ3shvX9Dd7cAG7ZcJN4d9DksshpVYSGpqEyrLjopoGpk97CR"}}})
	v, err := New(WithTrustList(tl), WithOffline(), WithClock(clock))
	require.NoError(t, err)
	for _, f := range []string{"blockcerts/v3/ecdsa-sd-2023-signed-credential.json", "blockcerts/v3/ecdsa-sd-2023-derived-credential.json"} {
		doc := readVector(t, f)
		r := v.Verify(context.Background(), doc, Binding{})
		if strings.Contains(f, "signed") {
			// A base proof is the holder's: verifiers (and cert-verifier-js)
			// refuse it.
			require.Equal(t, "bad_signature", r.Check(CheckSignature).Code, "%s", reportText(r))
			require.Contains(t, r.Check(CheckSignature).Message, "only derived proofs")
			continue
		}
		require.Equal(t, StatusVerified, r.Status, "%s: %s", f, reportText(r))
		require.Equal(t, "ecdsa-sd-2023", r.Signers[0].Suite)
		changed := []byte(strings.Replace(string(doc), "2022-05-25T15:15:24Z", "2022-05-25T15:15:25Z", 1))
		r = v.Verify(context.Background(), changed, Binding{})
		require.Equal(t, "bad_signature", r.Check(CheckSignature).Code, f)
	}
}
