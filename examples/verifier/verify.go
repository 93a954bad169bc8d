package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/badgeproof/badgeproof/verify"
)

func verifyCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	var vf verifierFlags
	vf.register(fs)
	asJSON := fs.Bool("json", false, "print one JSON report per line (totals go to standard error)")
	summary := fs.Bool("summary", false, "print only the totals, not a report per file (with --json: one JSON object)")
	challenge := fs.String("challenge", "", "the `CHALLENGE` a presentation must be bound to")
	domain := fs.String("domain", "", "the `DOMAIN` a presentation must be bound to")
	if code, ok := parseFlags(fs, "verifier verify [flags] FILE...", args, stdout, stderr); !ok {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "verify: no FILE given")
		return exitUsage
	}
	if (*challenge == "") != (*domain == "") {
		fmt.Fprintln(stderr, "verify: --challenge and --domain go together")
		return exitUsage
	}
	opts, closeAll, err := vf.build()
	defer closeAll()
	if err != nil {
		fmt.Fprintln(stderr, "verify:", err)
		return exitUsage
	}
	v, err := verify.New(opts...)
	if err != nil {
		fmt.Fprintln(stderr, "verify:", err)
		return exitUsage
	}
	worst, unreadable := exitVerified, false
	var tot totals
	for _, file := range fs.Args() {
		data, err := readInput(file)
		if err != nil {
			fmt.Fprintf(stderr, "verify: %v\n", err)
			unreadable = true
			tot.unreadable++
			continue
		}
		r := v.Verify(ctx, data, verify.Binding{Challenge: *challenge, Domain: *domain})
		tot.add(r)
		worst = worse(worst, exitCode(r.Status))
		if *summary {
			continue
		}
		if *asJSON {
			if err := writeJSONReport(stdout, file, r); err != nil {
				fmt.Fprintln(stderr, "verify:", err)
				return exitUsage
			}
		} else {
			writeTextReport(stdout, file, r)
		}
	}
	switch {
	case *asJSON && *summary:
		if err := tot.writeJSON(stdout); err != nil {
			fmt.Fprintln(stderr, "verify:", err)
			return exitUsage
		}
	case *asJSON:
		tot.writeText(stderr)
	default:
		tot.writeText(stdout)
	}
	if unreadable {
		return exitUsage
	}
	return worst
}

// exitCode orders outcomes so that the worst wins: failed > indeterminate > verified.
func exitCode(s verify.Status) int {
	switch s {
	case verify.StatusVerified:
		return exitVerified
	case verify.StatusIndeterminate:
		return exitIndeterminate
	}
	return exitFailed
}

// worse returns the worse of two verify exit codes: failed over
// indeterminate over verified (the codes' numeric order differs).
func worse(a, b int) int {
	rank := map[int]int{exitVerified: 0, exitIndeterminate: 1, exitFailed: 2}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// maxInput bounds a file read; the verifier applies its own, smaller limit
// and reports an oversized credential as a format failure.
const maxInput = 64 << 20

func readInput(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxInput+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > maxInput {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, maxInput)
	}
	return data, nil
}

func writeJSONReport(w io.Writer, file string, r *verify.Report) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	name, err := json.Marshal(file)
	if err != nil {
		return err
	}
	// {"file": ..., <report members>}
	if len(b) < 2 || b[0] != '{' {
		return errors.New("unexpected report encoding")
	}
	_, err = fmt.Fprintf(w, "{\"file\":%s,%s\n", name, b[1:])
	return err
}

var verdictWord = map[verify.Status]string{
	verify.StatusVerified: "VERIFIED", verify.StatusFailed: "FAILED", verify.StatusIndeterminate: "INDETERMINATE",
}

func writeTextReport(w io.Writer, file string, r *verify.Report) {
	fmt.Fprintf(w, "%s: %s\n", file, verdictWord[r.Status])
	writeChecks(w, r, "  ")
}

func writeChecks(w io.Writer, r *verify.Report, indent string) {
	if r.Credential != nil {
		name := r.Credential.Name
		if name == "" {
			name = r.Credential.ID
		}
		fmt.Fprintf(w, "%s%s\n", indent, name)
		if r.Issuer != nil && (r.Issuer.NameKo != "" || r.Issuer.Name != "") {
			fmt.Fprintf(w, "%sissuer: %s\n", indent, strings.TrimSpace(r.Issuer.NameKo+" "+r.Issuer.Name))
		}
	}
	for _, c := range r.Checks {
		msg := c.Message
		if c.Code != "" {
			msg = "[" + c.Code + "] " + msg
		}
		fmt.Fprintf(w, "%s%-9s %-13s %s\n", indent, c.ID, c.Status, msg)
	}
	for i, sub := range r.Credentials {
		fmt.Fprintf(w, "%scredential %d: %s\n", indent, i, verdictWord[sub.Status])
		writeChecks(w, sub, indent+"  ")
	}
}
