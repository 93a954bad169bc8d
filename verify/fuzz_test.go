package verify

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/keys"
)

// FuzzVerify runs the whole Verifier (offline) on arbitrary bytes seeded
// with the attacks of issue 11: every input gets a report, and no input
// takes longer than fuzzInputBound (unbounded, the poison graph took ten
// minutes and the proof floods tens of seconds).
func FuzzVerify(f *testing.F) {
	const fuzzInputBound = 10 * time.Second
	ti := newTestIssuer(f, keys.Ed25519)
	genuine := ti.sign(f, ti.qualification(f, "urn:uuid:fuzz", "did:key:z6Mkh"))
	f.Add(genuine)
	did, vm := ti.did(), ti.key.PublicKey().VerificationMethod()
	var subj []string
	for i := 0; i < 9; i++ {
		var links []string
		for j := 0; j < 9; j++ {
			if j != i {
				links = append(links, fmt.Sprintf(`{"id":"_:b%d"}`, j))
			}
		}
		subj = append(subj, fmt.Sprintf(`{"id":"_:b%d","knows":[%s]}`, i, strings.Join(links, ",")))
	}
	f.Add([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2",{"knows":"https://schema.org/knows"}],"type":["VerifiableCredential"],` +
		`"issuer":"` + did + `","credentialSubject":[` + strings.Join(subj, ",") + `],` +
		`"proof":{"type":"DataIntegrityProof","cryptosuite":"eddsa-rdfc-2022","proofPurpose":"assertionMethod","verificationMethod":"` + vm + `","proofValue":"z2"}}`))
	for _, p := range []string{`{"type":"MerkleProof2019","proofValue":"z2"}`, `{"type":"DataIntegrityProof","cryptosuite":"merkle-jcs-2026","proofValue":"z2"}`, `{"type":"X"}`} {
		f.Add([]byte(strings.Replace(string(genuine), `"proof":{`, `"proof":[`+strings.TrimSuffix(strings.Repeat(p+",", 500), ",")+`,{`, 1) + "]"))
	}
	entries := strings.Repeat(`{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"1","statusListCredential":"https://status.example/l"},`, 300)
	f.Add([]byte(strings.Replace(string(genuine), `"credentialSubject":`, `"credentialStatus":[`+strings.TrimSuffix(entries, ",")+`],"credentialSubject":`, 1)))
	f.Add([]byte(strings.Replace(string(genuine), `"credentialSubject":{`, `"credentialSubject":{"n":12345678901234567000,`, 1)))
	f.Add([]byte(strings.Replace(string(genuine), `"issuer":{`, `"issuer":{"ID":"did:example:x",`, 1)))
	v := newVerifier(f, WithTrustedKey(did), WithOffline())
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*fuzzInputBound)
		defer cancel()
		start := time.Now()
		r := v.Verify(ctx, data, Binding{})
		if d := time.Since(start); d > fuzzInputBound {
			t.Fatalf("one input took %v, more than %v", d, fuzzInputBound)
		}
		if r == nil || r.Status == "" || len(r.Checks) == 0 {
			t.Fatalf("no report: %+v", r)
		}
		if r.Status == StatusVerified && r.Check(CheckSignature).Status != StatusPassed && r.Check(CheckMerkle).Status != StatusPassed {
			t.Fatalf("verified without a passed signature or batch proof: %+v", r.Checks)
		}
	})
}
