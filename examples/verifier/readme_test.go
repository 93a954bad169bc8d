package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/badgeproof/badgeproof/anchor/ledger"
	"github.com/badgeproof/badgeproof/verify"
)

// embeddingSnippet's body is the Go block of the README's "Embedding the
// verifier" section, word for word (TestReadmeEmbeddingSnippetIsInReadme):
// an HR service's verifier, run over the demo's files in the working
// directory (TestReadmeEmbeddingSnippetVerifiesDemo). Change both together.
func embeddingSnippet(ctx context.Context) error {
	// Trust the issuers the ministry lists, and only if its root key signed the list.
	ministry := "did:key:z6MkopcVrQ4ePFAjLAujsPpiBuUoH6mytjnpGuG57ufT19Tj" // the demo ministry's root key
	trust, err := verify.LoadTrustList("trust-list.json", []string{ministry}, time.Now())
	if err != nil {
		return err
	}
	// The demo's badges are anchored on its embedded ledger. In production
	// they are anchored on a chain: read it through two or more RPC endpoints
	// with anchor/ethereum, registered in an anchor.Mux:
	//	eth, err := ethereum.NewResolver("mainnet", []string{rpcA, rpcB}, ethereum.WithMinConfirmations(12))
	//	anchors := &anchor.Mux{}
	//	anchors.HandleNetwork(anchor.ChainEthereum, "mainnet", eth)
	anchors, err := ledger.OpenReadOnly("ledger") // a verifier never creates or writes a ledger
	if err != nil {
		return err
	}
	defer anchors.Close()
	v, err := verify.New( // build once and share: a Verifier is safe for concurrent use
		verify.WithTrustList(trust),
		verify.WithAnchorResolver(anchors),
		verify.WithAllowLoopback(), // only for the demo, whose revocation list is served on this machine
	)
	if err != nil {
		return err
	}
	files, err := filepath.Glob("badges/*.json")
	if err != nil {
		return err
	}
	for _, file := range files {
		badgeJSON, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		report := v.Verify(ctx, badgeJSON, verify.Binding{}) // a credential, or a presentation with Binding{Challenge, Domain}
		fmt.Println(file, report.Status)                     // verified, failed or indeterminate
		for _, c := range report.Checks {
			fmt.Printf("  %-9s %-13s %-18s %s\n", c.ID, c.Status, c.Code, c.Message) // Code: why it failed, e.g. revoked
		}
		if errors.Is(report.Err(), verify.ErrRevoked) {
			fmt.Println("  revoked by its issuer")
		}
	}
	return nil
}

// snippetCheck is one check line embeddingSnippet printed.
type snippetCheck struct {
	status, code string
}

// snippetResult is what embeddingSnippet printed for one badge file.
type snippetResult struct {
	status  string
	checks  map[string]snippetCheck
	revoked bool // it printed the errors.Is(report.Err(), verify.ErrRevoked) line
}

// parseSnippetOutput reads embeddingSnippet's output by file. A check line
// has a code exactly when the check failed or is indeterminate.
func parseSnippetOutput(t *testing.T, out string) map[string]*snippetResult {
	t.Helper()
	results := map[string]*snippetResult{}
	var cur *snippetResult
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		f := strings.Fields(line)
		switch {
		case !strings.HasPrefix(line, "  "):
			require.Len(t, f, 2, "file line %q", line)
			cur = &snippetResult{status: f[1], checks: map[string]snippetCheck{}}
			results[filepath.Base(f[0])] = cur
		case cur == nil:
			t.Fatalf("output starts with %q, not a file line", line)
		case line == "  revoked by its issuer":
			cur.revoked = true
		default:
			require.GreaterOrEqual(t, len(f), 2, "check line %q", line)
			c := snippetCheck{status: f[1]}
			if c.status == string(verify.StatusFailed) || c.status == string(verify.StatusIndeterminate) {
				require.GreaterOrEqual(t, len(f), 3, "check line %q has no code", line)
				c.code = f[2]
			}
			cur.checks[f[0]] = c
		}
	}
	require.NoError(t, sc.Err())
	return results
}

// captureStdout runs f with os.Stdout going to a pipe and returns what f
// wrote there.
func captureStdout(t *testing.T, f func() error) (string, error) {
	t.Helper()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	stdout := os.Stdout
	os.Stdout = w
	read := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		read <- string(b)
	}()
	ferr := f()
	os.Stdout = stdout
	w.Close()
	out := <-read
	r.Close()
	return out, ferr
}

// TestReadmeEmbeddingSnippetVerifiesDemo runs the README's snippet in a
// directory holding the demo's signed trust list, ledger and badges, with
// the demo's status list served on loopback: the genuine badges verify,
// the revoked one fails with code revoked, the expired and tampered ones
// fail.
func TestReadmeEmbeddingSnippetVerifiesDemo(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	dir := t.TempDir()
	files, err := writeDemoFiles(ctx, dir, srv.URL)
	require.NoError(t, err)
	require.NotNil(t, files.status)
	mux.Handle("GET "+demoStatusPath, files.status)

	t.Chdir(dir)
	out, err := captureStdout(t, func() error { return embeddingSnippet(ctx) })
	require.NoError(t, err, out)
	results := parseSnippetOutput(t, out)

	var names []string
	for _, b := range files.badges {
		names = append(names, b.Name+".json")
		r := results[b.Name+".json"]
		require.NotNil(t, r, "no output for %s:\n%s", b.Name, out)
		assert.Equal(t, b.Expect, r.status, "%s:\n%s", b.Name, out)
		assert.Len(t, r.checks, len(verify.Checks()), "%s: a line for each check:\n%s", b.Name, out)
		assert.Equal(t, b.Name == "revoked", r.revoked, "%s: errors.Is(report.Err(), verify.ErrRevoked)", b.Name)
	}
	for _, name := range []string{"qualification", "degree", "work-experience", "training"} {
		assert.Equal(t, string(verify.StatusVerified), results[name+".json"].status, name)
	}
	revoked := results["revoked.json"]
	require.NotNil(t, revoked, out)
	assert.Equal(t, string(verify.StatusFailed), revoked.status)
	assert.Equal(t, snippetCheck{status: string(verify.StatusFailed), code: "revoked"}, revoked.checks[string(verify.CheckStatus)])
	assert.Equal(t, snippetCheck{status: string(verify.StatusPassed)}, revoked.checks[string(verify.CheckSignature)])
	expired := results["expired.json"]
	require.NotNil(t, expired, out)
	assert.Equal(t, string(verify.StatusFailed), expired.status)
	assert.Equal(t, snippetCheck{status: string(verify.StatusFailed), code: "expired"}, expired.checks[string(verify.CheckValidity)])
	tampered := results["tampered.json"]
	require.NotNil(t, tampered, out)
	assert.Equal(t, string(verify.StatusFailed), tampered.status)
	assert.Equal(t, string(verify.StatusFailed), tampered.checks[string(verify.CheckMerkle)].status)
	assert.Equal(t, "hash_mismatch", tampered.checks[string(verify.CheckMerkle)].code)

	var got []string
	for name := range results {
		got = append(got, name)
	}
	slices.Sort(got)
	slices.Sort(names)
	assert.Equal(t, names, got, "one result per demo badge")
}

// funcBody returns the body of the function name in the Go source src,
// without its braces, each line with one tab of indentation taken off.
func funcBody(src []byte, name string) (string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ParseComments)
	if err != nil {
		return "", err
	}
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Name.Name != name || fn.Recv != nil || fn.Body == nil {
			continue
		}
		body := string(src[fset.Position(fn.Body.Lbrace).Offset+1 : fset.Position(fn.Body.Rbrace).Offset])
		lines := strings.Split(strings.Trim(body, "\n"), "\n")
		for i, l := range lines {
			lines[i] = strings.TrimPrefix(l, "\t")
		}
		return strings.Join(lines, "\n"), nil
	}
	return "", fmt.Errorf("no function %s", name)
}

// markdownGoBlock returns the first ```go block of the section of md under
// heading (a "## " line), without its fences.
func markdownGoBlock(md, heading string) (string, error) {
	lines := strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n")
	start := slices.Index(lines, heading)
	if start < 0 {
		return "", fmt.Errorf("no section %q", heading)
	}
	var block []string
	in := false
	for _, l := range lines[start+1:] {
		switch {
		case !in && strings.HasPrefix(l, "## "):
			return "", fmt.Errorf("section %q has no ```go block", heading)
		case !in && l == "```go":
			in = true
		case in && l == "```":
			return strings.Join(block, "\n"), nil
		case in:
			block = append(block, l)
		}
	}
	if in {
		return "", fmt.Errorf("section %q: the ```go block is not closed", heading)
	}
	return "", fmt.Errorf("section %q has no ```go block", heading)
}

// firstDifference describes the first line where a and b differ, or
// returns "" when they are equal.
func firstDifference(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < max(len(al), len(bl)); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y || (i < len(al)) != (i < len(bl)) {
			return fmt.Sprintf("line %d:\n  code:   %q\n  README: %q", i+1, x, y)
		}
	}
	return ""
}

const readmeSection = "## Embedding the verifier"

// TestReadmeEmbeddingSnippetIsInReadme: the Go block under the README's
// "Embedding the verifier" is embeddingSnippet's body, line for line (the
// code's one tab of indentation aside), so the README shows code that
// compiles and that TestReadmeEmbeddingSnippetVerifiesDemo runs.
func TestReadmeEmbeddingSnippetIsInReadme(t *testing.T) {
	src, err := os.ReadFile("readme_test.go")
	require.NoError(t, err)
	body, err := funcBody(src, "embeddingSnippet")
	require.NoError(t, err)
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	block, err := markdownGoBlock(string(readme), readmeSection)
	require.NoError(t, err)
	if d := firstDifference(body, block); d != "" {
		t.Errorf("README.md %q differs from the body of embeddingSnippet in examples/verifier/readme_test.go at %s", readmeSection, d)
	}

	// The comparison sees a one-character change, and a missing line.
	require.NotEmpty(t, firstDifference(body, strings.Replace(body, "ministry", "Ministry", 1)))
	require.NotEmpty(t, firstDifference(body, body[:strings.LastIndex(body, "\n")]))
	require.NotEmpty(t, firstDifference(body, body+"\n"))
	require.NotEmpty(t, firstDifference(body, strings.ReplaceAll(body, "\t", "    ")))
}

func TestMarkdownGoBlock(t *testing.T) {
	md := "# T\n\n## A\n\n```go\nx := 1\n```\n\n## B\n\ntext\n\n## C\n\n```go\ny := 2\n\tz()\n```\n"
	b, err := markdownGoBlock(md, "## A")
	require.NoError(t, err)
	assert.Equal(t, "x := 1", b)
	b, err = markdownGoBlock(md, "## C")
	require.NoError(t, err)
	assert.Equal(t, "y := 2\n\tz()", b)
	_, err = markdownGoBlock(md, "## B")
	assert.Error(t, err, "a section without a block does not take the next section's")
	_, err = markdownGoBlock(md, "## D")
	assert.Error(t, err)
	_, err = markdownGoBlock("## A\n```go\nx\n", "## A")
	assert.Error(t, err)

	src := []byte("package p\n\nfunc f() {\n\ta := 1\n\n\tif a > 0 {\n\t\tg()\n\t}\n}\n\nfunc (T) f() {}\n")
	body, err := funcBody(src, "f")
	require.NoError(t, err)
	assert.Equal(t, "a := 1\n\nif a > 0 {\n\tg()\n}", body)
	_, err = funcBody(src, "h")
	assert.Error(t, err)
}
