// Command testsummary reads `go test -json` output on standard input, prints
// what plain `go test` prints (each package's result, the output of failed
// tests) and ends with every skipped test and why, which plain `go test`
// hides. It exits 1 when any test or package failed.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
	Elapsed float64
}

func main() {
	output := map[string][]string{} // package/test -> lines
	var skipped, failed []string
	reasons := map[string]string{}
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	bad := false
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			fmt.Println(sc.Text()) // build errors come as plain text
			continue
		}
		key := e.Package + " " + e.Test
		switch e.Action {
		case "output":
			output[key] = append(output[key], e.Output)
		case "skip":
			if e.Test != "" {
				skipped = append(skipped, key)
				reasons[key] = skipReason(output[key])
			}
		case "fail":
			bad = true
			if e.Test != "" {
				failed = append(failed, key)
				fmt.Print(strings.Join(output[key], ""))
			} else {
				fmt.Printf("FAIL\t%s\t%.3fs\n", e.Package, e.Elapsed)
				if len(output[key]) > 0 {
					fmt.Print(strings.Join(output[key], ""))
				}
			}
		case "pass":
			if e.Test == "" {
				fmt.Printf("ok  \t%s\t%.3fs\n", e.Package, e.Elapsed)
			}
		}
	}
	sort.Strings(skipped)
	fmt.Printf("\n%d tests skipped:\n", len(skipped))
	for _, k := range skipped {
		fmt.Printf("  SKIP %s: %s\n", k, reasons[k])
	}
	if len(failed) > 0 {
		fmt.Printf("\n%d tests failed:\n", len(failed))
		for _, k := range failed {
			fmt.Printf("  FAIL %s\n", k)
		}
	}
	if bad {
		os.Exit(1)
	}
}

// skipReason picks the message a test gave to t.Skip from its output.
func skipReason(lines []string) string {
	var msg []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "=== ") || strings.HasPrefix(t, "--- SKIP") {
			continue
		}
		msg = append(msg, t)
	}
	if len(msg) == 0 {
		return "(no reason given)"
	}
	return strings.Join(msg, " ")
}
