package verifyhttp

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/verify"
)

// fuzzInputBound is how long one input may take: generous on a loaded
// machine, and far below what the attacks of issue 11 took unbounded
// (seconds to minutes).
const fuzzInputBound = 10 * time.Second

// attackSeeds are the hostile inputs of issue 11, small enough for the
// fuzz targets' body limits.
func attackSeeds() [][]byte {
	var out [][]byte
	// A poison graph: 9 blank nodes each pointing at all the others.
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
	out = append(out, []byte(`{"@context":["https://www.w3.org/ns/credentials/v2",{"knows":"https://schema.org/knows"}],"type":["VerifiableCredential"],`+
		`"issuer":"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK","credentialSubject":[`+strings.Join(subj, ",")+`],`+
		`"proof":{"type":"DataIntegrityProof","cryptosuite":"eddsa-rdfc-2022","proofPurpose":"assertionMethod",`+
		`"verificationMethod":"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK","proofValue":"z2"}}`))
	// A proof flood, and a status entry flood.
	proofs := strings.Repeat(`{"type":"MerkleProof2019","proofValue":"z2"},`, 300)
	out = append(out, []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"did:example:i","credentialSubject":{},"proof":[`+strings.TrimSuffix(proofs, ",")+`]}`))
	entries := strings.Repeat(`{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"1","statusListCredential":"https://127.0.0.1/l"},`, 300)
	out = append(out, []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"did:example:i","credentialSubject":{},"credentialStatus":[`+strings.TrimSuffix(entries, ",")+`]}`))
	// Numbers JCS cannot sign exactly, keys differing only in case.
	out = append(out, []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"did:example:i","credentialSubject":{"n":12345678901234567890}}`))
	out = append(out, []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":{"id":"did:example:i","ID":"did:example:j"},"credentialSubject":{}}`))
	return out
}

// FuzzVerifyEndpoint sends arbitrary bodies to POST /v1/verify and
// /v1/verify/batch: every answer is a Report (or a list of them) with a
// 200, 400 or 413, never a 5xx, within fuzzInputBound.
func FuzzVerifyEndpoint(f *testing.F) {
	fx := newFixture(f)
	h, _ := newHandler(f, fx, WithMaxBodyBytes(64<<10), WithBatchLimits(8, 256<<10))
	f.Add(fx.badge, false)
	f.Add(fx.tampered, false)
	f.Add(fx.present(f, "c", "jobs.example.kr"), false)
	f.Add([]byte(`[`+string(fx.badge)+`,{}]`), true)
	for _, b := range badBodies {
		if len(b) > 4096 {
			continue // the deep-nesting bodies are in the table test
		}
		f.Add([]byte(b), false)
		f.Add([]byte(b), true)
	}
	for _, b := range attackSeeds() {
		f.Add(b, false)
	}
	f.Fuzz(func(t *testing.T, body []byte, batch bool) {
		path := "/v1/verify"
		if batch {
			path = "/v1/verify/batch"
		}
		start := time.Now()
		rec := do(h, "POST", path, body)
		if d := time.Since(start); d > fuzzInputBound {
			t.Fatalf("one input took %v, more than %v", d, fuzzInputBound)
		}
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("%s answered %d: %s", path, rec.Code, rec.Body.String())
		}
		if batch && rec.Code == http.StatusOK {
			var reports []*verify.Report
			if err := json.Unmarshal(rec.Body.Bytes(), &reports); err != nil || len(reports) == 0 {
				t.Fatalf("batch answer is not a list of reports: %v %s", err, rec.Body.String())
			}
			return
		}
		var r verify.Report
		if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil || r.Status == "" {
			t.Fatalf("answer is not a report: %v %s", err, rec.Body.String())
		}
		if rec.Code != http.StatusOK && r.Status != verify.StatusFailed {
			t.Fatalf("a %d with status %s", rec.Code, r.Status)
		}
		if h.panics.Load() != 0 {
			t.Fatal("input reached the panic handler")
		}
	})
}
