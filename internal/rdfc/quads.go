package rdfc

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/badgeproof/badgeproof/internal/budget"
	"github.com/piprate/json-gold/ld"
)

// ToNQuads returns the N-Quads of the JSON-LD document v (decoded with
// encoding/json), one line per quad, not canonicalized (blank node labels
// as JSON-LD to RDF issues them). Strict mode and contexts are honoured.
func (o Options) ToNQuads(ctx context.Context, v map[string]any) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = embeddedLoader{extra: o.Contexts}
	opts.SafeMode = o.Strict
	dataset, err := toDataset(v, opts, o.Contexts)
	if err != nil {
		return nil, classify(err)
	}
	var lines []string
	graphs := make([]string, 0, len(dataset.Graphs))
	for g := range dataset.Graphs {
		graphs = append(graphs, g)
	}
	sort.Strings(graphs)
	for _, g := range graphs {
		graph := graphNode(g)
		for _, q := range dataset.Graphs[g] {
			lines = append(lines, nquad(q.Subject, q.Predicate, q.Object, graph))
		}
	}
	return lines, nil
}

// CanonicalizeNQuads canonicalizes a dataset given as N-Quads lines with
// RDFC-1.0 under the options' budget and returns the canonical N-Quads
// lines (sorted) and the canonical identifier issued to each input blank
// node, by label without "_:" ("b0" -> "c14n3").
func (o Options) CanonicalizeNQuads(ctx context.Context, lines []string) ([]string, map[string]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	ds, err := ld.ParseNQuads(strings.Join(lines, ""))
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrCanonicalize, err)
	}
	b := o.Budget
	if b == nil {
		b = budget.New(DefaultMaxWork)
	}
	out, ids, err := canonicalizeDatasetIssued(ctx, b, ds)
	if err != nil {
		return nil, nil, err
	}
	m := make(map[string]string, len(ids))
	for in, c := range ids {
		m[strings.TrimPrefix(in, "_:")] = strings.TrimPrefix(c, "_:")
	}
	return SplitLines(out), m, nil
}

// SplitLines splits N-Quads text into lines, each keeping its "\n".
func SplitLines(nq string) []string {
	var out []string
	for len(nq) > 0 {
		i := strings.IndexByte(nq, '\n')
		if i < 0 {
			out = append(out, nq)
			break
		}
		out = append(out, nq[:i+1])
		nq = nq[i+1:]
	}
	return out
}

// graphNode is the graph name of a dataset's graph g: nil for the default
// graph, else a blank node or an IRI.
func graphNode(g string) ld.Node {
	switch {
	case g == "@default" || g == "":
		return nil
	case strings.HasPrefix(g, "_:"):
		return ld.NewBlankNode(g)
	default:
		return ld.NewIRI(g)
	}
}
