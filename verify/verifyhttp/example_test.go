package verifyhttp_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/badgeproof/badgeproof/verify"
	"github.com/badgeproof/badgeproof/verify/verifyhttp"
)

// ExampleNewHandler mounts the verifier under /badges/ of a site's own
// server and posts a badge to it.
func ExampleNewHandler() {
	// An issuer and a badge (normally the badge comes from the applicant).
	key, _ := keys.Generate(keys.Ed25519)
	hrd, _ := issuer.NewSigner(key)
	c, _ := badge.TrainingCompletion{
		Common: badge.Common{ID: "urn:uuid:2f6c1a3e-5b7d-4e9f-8a0b-1c2d3e4f5a6b", Issuer: badge.Profile{ID: hrd.DID(), Name: badge.AgencyHRDKorea()},
			HolderID: "did:example:kim", ValidFrom: time.Date(2026, 2, 27, 0, 0, 0, 0, time.UTC)},
		CourseID: "AIG20250000498765", Course: "클라우드 보안 실무", CourseEn: "Cloud security in practice", Hours: 120,
	}.Credential()
	signed, _ := hrd.SignCredential(c)

	v, err := verify.New(verify.WithTrustedKey(hrd.DID()))
	if err != nil {
		panic(err)
	}
	h, err := verifyhttp.NewHandler(v, verifyhttp.WithDomain("jobs.example.kr"))
	if err != nil {
		panic(err)
	}
	site := http.NewServeMux()
	site.Handle("/badges/", http.StripPrefix("/badges", h))
	srv := httptest.NewServer(site)
	defer srv.Close()

	resp, err := http.Post(srv.URL+"/badges/v1/verify", "application/json", strings.NewReader(string(signed)))
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var r verify.Report
	json.NewDecoder(resp.Body).Decode(&r)
	fmt.Println(resp.StatusCode, r.Status)
	for _, c := range r.Checks {
		fmt.Println(c.ID, c.Status)
	}
	// Output:
	// 200 verified
	// format passed
	// signature passed
	// merkle skipped
	// anchor skipped
	// issuer passed
	// status skipped
	// validity passed
	// holder skipped
}
