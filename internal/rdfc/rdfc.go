package rdfc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/badgeproof/badgeproof/internal/budget"
	"github.com/piprate/json-gold/ld"
)

// Errors returned by this package, for errors.Is.
var (
	// ErrUnknownContext: the document names a JSON-LD context that is not
	// embedded. The error is an *UnknownContextError carrying the URL.
	ErrUnknownContext = errors.New("rdfc: unknown JSON-LD context")
	// ErrTooLarge: the input is larger than Options.MaxBytes.
	ErrTooLarge = errors.New("rdfc: document too large")
	// ErrTooDeep: the input nests arrays and objects deeper than Options.MaxDepth.
	ErrTooDeep = errors.New("rdfc: document nested too deeply")
	// ErrInvalidJSON: the input is not one JSON object.
	ErrInvalidJSON = errors.New("rdfc: invalid JSON")
	// ErrUndefinedTerm: in strict mode, a property does not expand to an
	// absolute IRI and would be silently dropped from the canonical form.
	ErrUndefinedTerm = errors.New("rdfc: undefined term")
	// ErrFallbackVocab: with Options.DetectUnmapped, a term was mapped only
	// through the fallback vocabulary, meaning the document's contexts do not
	// define it.
	ErrFallbackVocab = errors.New("rdfc: term not defined by the document's contexts")
	// ErrCanonicalize: JSON-LD processing failed for another reason.
	ErrCanonicalize = errors.New("rdfc: JSON-LD processing failed")
)

// UnknownContextError names a context URL the loader does not serve.
type UnknownContextError struct {
	URL string
}

func (e *UnknownContextError) Error() string {
	return fmt.Sprintf("rdfc: unknown JSON-LD context %q (only embedded contexts are served, never fetched)", e.URL)
}

// Is reports whether target is ErrUnknownContext.
func (e *UnknownContextError) Is(target error) bool { return target == ErrUnknownContext }

// FallbackVocab is the vocabulary Blockcerts appends to @context to detect
// terms that the document's own contexts do not define.
const FallbackVocab = "http://fallback.org/"

// Defaults for Options.
const (
	DefaultMaxBytes = 1 << 20
	DefaultMaxDepth = 64
	// DefaultMaxWork is the work allowance of one call when Options.Budget
	// is nil: about a thousand times what the largest real badge needs
	// (a few hundred units), far below what a poison graph asks for.
	DefaultMaxWork = 200_000
)

// Options tune Canonicalize. The zero value is the default: 1 MiB input
// limit, nesting depth 64, strict mode off, no fallback vocabulary.
type Options struct {
	// MaxBytes limits the input size; 0 means DefaultMaxBytes.
	MaxBytes int
	// MaxDepth limits array and object nesting; 0 means DefaultMaxDepth.
	MaxDepth int
	// Strict fails with ErrUndefinedTerm when a property would be dropped
	// because no context defines it (json-gold's safe mode). Without it,
	// such properties vanish from the canonical form, so a signature over
	// the canonical form does not protect them.
	Strict bool
	// DetectUnmapped appends {"@vocab": FallbackVocab} to the top-level
	// @context, as Blockcerts does, unless the document already declares a
	// top-level @vocab, and fails with ErrFallbackVocab if any quad then
	// uses the fallback vocabulary.
	DetectUnmapped bool
	// Budget, when set, is charged for the canonicalization's work (shared
	// with the other steps of one verification); nil means a fresh budget
	// of DefaultMaxWork units per call. Exhausting it fails the call with
	// an error wrapping budget.ErrExhausted.
	Budget *budget.Budget
	// Contexts are the caller's context documents, served after the
	// embedded ones; nil adds none.
	Contexts *Contexts
}

func (o Options) maxBytes() int {
	if o.MaxBytes > 0 {
		return o.MaxBytes
	}
	return DefaultMaxBytes
}

func (o Options) maxDepth() int {
	if o.MaxDepth > 0 {
		return o.MaxDepth
	}
	return DefaultMaxDepth
}

// Canonicalize returns the RDFC-1.0 (URDNA2015) canonical N-Quads of the
// JSON-LD document doc with default Options.
func Canonicalize(doc []byte) ([]byte, error) {
	return Options{}.Canonicalize(doc)
}

// Canonicalize returns the RDFC-1.0 (URDNA2015) canonical N-Quads of the
// JSON-LD document doc, a JSON object. Contexts are served only from the
// embedded set (see KnownContexts).
func (o Options) Canonicalize(doc []byte) ([]byte, error) {
	return o.CanonicalizeContext(context.Background(), doc)
}

// CanonicalizeContext is Canonicalize under ctx: the work stops with ctx's
// error soon after ctx ends.
func (o Options) CanonicalizeContext(ctx context.Context, doc []byte) ([]byte, error) {
	if len(doc) > o.maxBytes() {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(doc), o.maxBytes())
	}
	if err := checkDepth(doc, o.maxDepth()); err != nil {
		return nil, err
	}
	d := json.NewDecoder(bytes.NewReader(doc))
	var v map[string]any
	if err := d.Decode(&v); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidJSON, err)
	}
	if v == nil {
		return nil, fmt.Errorf("%w: want a JSON object", ErrInvalidJSON)
	}
	if _, err := d.Token(); err == nil {
		return nil, fmt.Errorf("%w: trailing data after the object", ErrInvalidJSON)
	}
	return o.canonicalize(ctx, v)
}

// CanonicalizeObject is Canonicalize for a document already decoded with
// encoding/json into a map (numbers as float64). It does not modify v. Size
// and depth limits are the caller's business here.
func (o Options) CanonicalizeObject(v map[string]any) ([]byte, error) {
	return o.CanonicalizeObjectContext(context.Background(), v)
}

// CanonicalizeObjectContext is CanonicalizeObject under ctx.
func (o Options) CanonicalizeObjectContext(ctx context.Context, v map[string]any) ([]byte, error) {
	if v == nil {
		return nil, fmt.Errorf("%w: nil document", ErrInvalidJSON)
	}
	return o.canonicalize(ctx, v)
}

// CanonicalizeObjectTo writes the canonical N-Quads of v, as
// CanonicalizeObjectContext returns them, to w: typically a hash, so that
// a large document's canonical form is never held whole. Nothing is
// written when canonicalization fails.
func (o Options) CanonicalizeObjectTo(ctx context.Context, w io.Writer, v map[string]any) error {
	if v == nil {
		return fmt.Errorf("%w: nil document", ErrInvalidJSON)
	}
	lines, err := o.canonicalLines(ctx, v)
	if err != nil {
		return err
	}
	var sw stringWriter
	return sw.writeLines(w, lines)
}

func (o Options) canonicalize(ctx context.Context, v map[string]any) ([]byte, error) {
	lines, err := o.canonicalLines(ctx, v)
	if err != nil {
		return nil, err
	}
	n := 0
	for i := range lines {
		n += lines[i].n
	}
	return appendLines(make([]byte, 0, n), lines), nil
}

// canonicalLines returns the canonical N-Quads of v, sorted.
func (o Options) canonicalLines(ctx context.Context, v map[string]any) ([]line, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b := o.Budget
	if b == nil {
		b = budget.New(DefaultMaxWork)
	}
	if o.DetectUnmapped {
		v = withFallbackVocab(v)
	}
	// JsonLdProcessor.Normalize does not pass SafeMode on to its expansion
	// step, so run the two steps here: to RDF (with safe mode), then
	// canonicalize the dataset.
	toRDF := ld.NewJsonLdOptions("")
	toRDF.DocumentLoader = embeddedLoader{extra: o.Contexts}
	toRDF.SafeMode = o.Strict
	dataset, err := toDataset(v, toRDF, o.Contexts)
	if err != nil {
		return nil, classify(err)
	}
	// json-gold's own canonicalization has no work limit; ours is budgeted.
	lines, s, err := canonicalLines(ctx, b, dataset)
	if err != nil {
		return nil, err
	}
	if o.DetectUnmapped && usesFallback(s.quads) {
		if terms := fallbackTerms(text(lines)); len(terms) > 0 {
			return nil, fmt.Errorf("%w: %s", ErrFallbackVocab, strings.Join(terms, ", "))
		}
	}
	return lines, nil
}

// usesFallback reports whether the N-Quads of quads may contain
// "<"+FallbackVocab: an IRI (a datatype's too) that starts with it, or
// any IRI or literal that contains it. fallbackTerms then reads the text.
func usesFallback(quads []*ld.Quad) bool {
	const open = "<" + FallbackVocab
	iri := func(v string) bool { return strings.HasPrefix(v, FallbackVocab) || strings.Contains(v, open) }
	for _, q := range quads {
		for _, n := range [4]ld.Node{q.Subject, q.Predicate, q.Object, q.Graph} {
			switch {
			case n == nil || ld.IsBlankNode(n):
			case ld.IsIRI(n):
				if iri(n.GetValue()) {
					return true
				}
			default:
				lit := n.(ld.Literal)
				if strings.Contains(lit.GetValue(), open) || iri(lit.Datatype) {
					return true
				}
			}
		}
	}
	return false
}

func classify(err error) error {
	var uc *UnknownContextError
	if errors.As(err, &uc) {
		return uc
	}
	var je *ld.JsonLdError
	if errors.As(err, &je) && je.Code == ld.InvalidProperty {
		return fmt.Errorf("%w: %v", ErrUndefinedTerm, err)
	}
	return fmt.Errorf("%w: %v", ErrCanonicalize, err)
}

// withFallbackVocab returns a shallow copy of v whose @context ends with
// {"@vocab": FallbackVocab}, unless a top-level @context entry already
// declares @vocab.
func withFallbackVocab(v map[string]any) map[string]any {
	var ctx []any
	switch c := v["@context"].(type) {
	case nil:
	case []any:
		ctx = append(ctx, c...)
	default:
		ctx = append(ctx, c)
	}
	for _, c := range ctx {
		if m, ok := c.(map[string]any); ok {
			if _, has := m["@vocab"]; has {
				return v
			}
		}
	}
	ctx = append(ctx, map[string]any{"@vocab": FallbackVocab})
	out := make(map[string]any, len(v))
	for k, x := range v {
		out[k] = x
	}
	out["@context"] = ctx
	return out
}

// fallbackTerms lists the distinct IRIs in nquads that use FallbackVocab.
func fallbackTerms(nquads string) []string {
	var terms []string
	seen := map[string]bool{}
	for rest := nquads; ; {
		i := strings.Index(rest, "<"+FallbackVocab)
		if i < 0 {
			return terms
		}
		rest = rest[i:]
		j := strings.IndexByte(rest, '>')
		if j < 0 {
			j = len(rest) - 1
		}
		t := rest[:j+1]
		if !seen[t] {
			seen[t] = true
			terms = append(terms, t)
		}
		rest = rest[j+1:]
	}
}

// checkDepth rejects JSON nested deeper than max without decoding it.
func checkDepth(b []byte, max int) error {
	depth := 0
	inString, escaped := false, false
	for _, c := range b {
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			depth++
			if depth > max {
				return fmt.Errorf("%w: more than %d levels", ErrTooDeep, max)
			}
		case '}', ']':
			depth--
		}
	}
	return nil
}
