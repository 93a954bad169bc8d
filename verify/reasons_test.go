package verify

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/keys"
)

// skippedReasons walks r and the reports inside it and asserts that every
// skipped check carries a reason of the table given on that check, and no
// other check carries one; it counts the reasons seen.
func skippedReasons(t *testing.T, name string, r *Report, seen map[string]int) {
	t.Helper()
	for _, c := range r.Checks {
		if c.Status != StatusSkipped {
			assert.Empty(t, c.Reason, "%s: %s %s carries a reason", name, c.ID, c.Status)
			continue
		}
		assert.Empty(t, c.Code, "%s: skipped %s carries a code", name, c.ID)
		on, ok := skipReasons[c.Reason]
		if assert.True(t, ok, "%s: skipped %s has reason %q, not one of the table (%s)", name, c.ID, c.Reason, c.Message) {
			assert.Contains(t, on, c.ID, "%s: reason %s on check %s", name, c.Reason, c.ID)
			seen[c.Reason]++
		}
	}
	for i, sub := range r.Credentials {
		skippedReasons(t, name+"/credential "+string(rune('0'+i)), sub, seen)
	}
}

// TestEverySkippedCheckHasAReason: every check the Verifier skips says why
// with a reason of the table at ReasonNoSignatureProof, on every vector of
// testdata/vectors, under both trust settings, and on badges built for the
// reasons no vector shows; every reason of the table is seen.
func TestEverySkippedCheckHasAReason(t *testing.T) {
	seen := map[string]int{}
	verifiers := map[string]*Verifier{
		"no trust list": newVerifier(t, WithOffline(), WithAllowTestAnchors()),
		"unsafe":        newVerifier(t, WithOffline(), WithoutIssuerTrustUnsafe()),
	}
	docs := 0
	require.NoError(t, filepath.WalkDir(vectors, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.Contains(path, "contexts") || strings.Contains(path, "jcs") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		docs++
		for vn, v := range verifiers {
			skippedReasons(t, vn+": "+path, v.Verify(context.Background(), b, Binding{}), seen)
		}
		return nil
	}))
	require.Greater(t, docs, 150, "the vectors were not found")

	// A status entry of a purpose other than revocation or suspension.
	ti := newTestIssuer(t, keys.Ed25519)
	v := newVerifier(t, WithOffline(), WithTrustList(trustList(t, ti.trusted())))
	r := v.Verify(context.Background(), badgeWithEntry(t, ti, "https://status.example/1", "message", 3), Binding{})
	requireCheck(t, r, CheckStatus, StatusSkipped)
	skippedReasons(t, "status purpose message", r, seen)

	for reason := range skipReasons {
		assert.Positive(t, seen[reason], "no report was skipped for reason %s", reason)
	}
	t.Logf("reasons seen: %v", seen)
}

// TestSkippedChecksSetAReasonInTheSource: every place of this package that
// skips a check names its reason (a new skip without one fails here, even
// before a vector reaches it).
func TestSkippedChecksSetAReasonInTheSource(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	skip := regexp.MustCompile(`(?:Status: StatusSkipped|\(StatusSkipped,)`)
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "report.go" {
			continue
		}
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		lines := strings.Split(string(src), "\n")
		for i, line := range lines {
			if !skip.MatchString(line) {
				continue
			}
			n++
			window := strings.Join(lines[i:min(i+3, len(lines))], "\n")
			assert.Regexp(t, `Reason(: |\s*=\s*)Reason[A-Z]\w+`, window, "%s:%d skips a check without a reason", f, i+1)
		}
	}
	require.GreaterOrEqual(t, n, 20, "the skips of this package were not found")
	// Every reason constant is in the table and documented.
	src, err := os.ReadFile("report.go")
	require.NoError(t, err)
	consts := regexp.MustCompile(`(?m)^\tReason\w+\s+= "([a-z_]+)"$`).FindAllStringSubmatch(string(src), -1)
	require.Len(t, consts, len(skipReasons))
	for _, m := range consts {
		_, ok := skipReasons[m[1]]
		assert.True(t, ok, m[1])
		assert.Regexp(t, `(?m)^//\t`+m[1]+` `, string(src), "reason %s is documented", m[1])
	}
}
