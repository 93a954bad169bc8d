package verifyhttp

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/badgeproof/badgeproof/verify"
)

// FuzzVerifyEndpoint sends arbitrary bodies to POST /v1/verify and
// /v1/verify/batch: every answer is a Report (or a list of them) with a
// 200, 400 or 413, never a 5xx.
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
	f.Fuzz(func(t *testing.T, body []byte, batch bool) {
		path := "/v1/verify"
		if batch {
			path = "/v1/verify/batch"
		}
		rec := do(h, "POST", path, body)
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
