package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/badgeproof/badgeproof/verify"
)

// totals counts the verdicts of a verify run and the codes behind them.
type totals struct {
	files, verified, failed, indeterminate, unreadable int
	// codes counts, per code, the files with a failed or indeterminate
	// check of that code (a presentation's badges included).
	codes map[string]int
}

func (t *totals) add(r *verify.Report) {
	t.files++
	switch r.Status {
	case verify.StatusVerified:
		t.verified++
	case verify.StatusIndeterminate:
		t.indeterminate++
	default:
		t.failed++
	}
	seen := map[string]bool{}
	var walk func(r *verify.Report)
	walk = func(r *verify.Report) {
		for _, c := range r.Checks {
			if c.Code != "" && (c.Status == verify.StatusFailed || c.Status == verify.StatusIndeterminate) {
				seen[c.Code] = true
			}
		}
		for _, sub := range r.Credentials {
			walk(sub)
		}
	}
	walk(r)
	if t.codes == nil {
		t.codes = map[string]int{}
	}
	for c := range seen {
		t.codes[c]++
	}
}

// sortedCodes lists the codes, most frequent first, then by name.
func (t *totals) sortedCodes() []string {
	var out []string
	for c := range t.codes {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b string) int {
		if t.codes[a] != t.codes[b] {
			return t.codes[b] - t.codes[a]
		}
		return strings.Compare(a, b)
	})
	return out
}

// writeText writes the totals line and, when any, one line of codes:
//
//	total: 1000 files: 990 verified, 7 failed, 3 indeterminate
//	codes: revoked 4, expired 3, status_unavailable 3
func (t *totals) writeText(w io.Writer) {
	fmt.Fprintf(w, "total: %d file(s): %d verified, %d failed, %d indeterminate", t.files+t.unreadable, t.verified, t.failed, t.indeterminate)
	if t.unreadable > 0 {
		fmt.Fprintf(w, ", %d unreadable", t.unreadable)
	}
	fmt.Fprintln(w)
	if codes := t.sortedCodes(); len(codes) > 0 {
		parts := make([]string, len(codes))
		for i, c := range codes {
			parts[i] = fmt.Sprintf("%s %d", c, t.codes[c])
		}
		fmt.Fprintf(w, "codes: %s\n", strings.Join(parts, ", "))
	}
}

// writeJSON writes the totals as one JSON object:
// {"summary":{"files":..,"verified":..,"failed":..,"indeterminate":..,"unreadable":..,"codes":{..}}}
func (t *totals) writeJSON(w io.Writer) error {
	codes := t.codes
	if codes == nil {
		codes = map[string]int{}
	}
	b, err := json.Marshal(map[string]any{"summary": map[string]any{
		"files": t.files + t.unreadable, "verified": t.verified, "failed": t.failed, "indeterminate": t.indeterminate,
		"unreadable": t.unreadable, "codes": codes,
	}})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}
