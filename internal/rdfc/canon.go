package rdfc

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"

	"github.com/badgeproof/badgeproof/internal/budget"
	"github.com/piprate/json-gold/ld"
)

// This file is RDFC-1.0 (https://www.w3.org/TR/rdf-canon/, formerly
// URDNA2015) over the dataset json-gold's toRDF produces. json-gold's own
// canonicalization has no work limit: the Hash N-Degree Quads step tries
// every permutation of related blank nodes, recursively, so a graph of a
// few blank nodes that all point at each other runs for minutes. Here every
// unit of work (a quad serialized, a hash computed, a permutation tried)
// is paid for from a budget.Budget first, and the caller's context is
// honoured, so a poison graph stops with budget.ErrExhausted (or the
// context's error) after bounded work.
//
// The output is byte-identical to json-gold's: quads are serialized with
// its N-Quads rules (toNQuad and escape in serialize_nquads.go).

// canonState is one canonicalization run.
type canonState struct {
	ctx    context.Context
	budget *budget.Budget
	quads  []*ld.Quad
	// info maps each blank node id to the quads mentioning it and its
	// first-degree hash, once computed.
	info      map[string]*bnodeInfo
	canonical *issuer
	sw        stringWriter // hashes lines
}

type bnodeInfo struct {
	quads []*ld.Quad
	hash  string
}

// issuer is the RDFC-1.0 identifier issuer: ids are issued in order with a
// prefix and a counter, so the id of the n-th node issued is prefix+n. The
// canonical issuer indexes its nodes in a map; the temporary issuers of
// Hash N-Degree Quads, cloned for every permutation tried, hold few nodes
// and are searched in order, so that a clone is one slice copy.
type issuer struct {
	prefix string
	order  []string       // old ids in issue order
	index  map[string]int // old id → position; nil for a temporary issuer
}

func newIssuer(prefix string, indexed bool) *issuer {
	is := &issuer{prefix: prefix}
	if indexed {
		is.index = map[string]int{}
	}
	return is
}

func (is *issuer) find(old string) (int, bool) {
	if is.index != nil {
		i, ok := is.index[old]
		return i, ok
	}
	for i, o := range is.order {
		if o == old {
			return i, true
		}
	}
	return 0, false
}

func (is *issuer) issue(old string) string {
	i, ok := is.find(old)
	if !ok {
		i = len(is.order)
		is.order = append(is.order, old)
		if is.index != nil {
			is.index[old] = i
		}
	}
	return is.prefix + strconv.Itoa(i)
}

func (is *issuer) has(old string) bool { _, ok := is.find(old); return ok }

// issued maps every old id to the id issued for it.
func (is *issuer) issued() map[string]string {
	m := make(map[string]string, len(is.order))
	for i, old := range is.order {
		m[old] = is.prefix + strconv.Itoa(i)
	}
	return m
}

// clone copies a temporary issuer.
func (is *issuer) clone() *issuer {
	return &issuer{prefix: is.prefix, order: slices.Clip(slices.Clone(is.order))}
}

// spend pays n units, the cost of the step about to run.
func (s *canonState) spend(n int) error { return s.budget.Spend(s.ctx, int64(n)) }

// canonicalizeDataset returns the canonical N-Quads of ds.
func canonicalizeDataset(ctx context.Context, b *budget.Budget, ds *ld.RDFDataset) (string, error) {
	out, _, err := canonicalizeDatasetIssued(ctx, b, ds)
	return out, err
}

// canonicalizeDatasetIssued is canonicalizeDataset that also returns the
// canonical identifier of each input blank node ("_:b0" -> "_:c14n3").
func canonicalizeDatasetIssued(ctx context.Context, b *budget.Budget, ds *ld.RDFDataset) (string, map[string]string, error) {
	lines, s, err := canonicalLines(ctx, b, ds)
	if err != nil {
		return "", nil, err
	}
	return text(lines), s.canonical.issued(), nil
}

// canonicalLines returns the canonical N-Quads of ds as sorted lines.
func canonicalLines(ctx context.Context, b *budget.Budget, ds *ld.RDFDataset) ([]line, *canonState, error) {
	s := &canonState{ctx: ctx, budget: b, info: map[string]*bnodeInfo{}, canonical: newIssuer("_:c14n", true)}
	graphs := make([]string, 0, len(ds.Graphs))
	n := 0
	for g, quads := range ds.Graphs {
		graphs = append(graphs, g)
		n += len(quads)
	}
	slices.Sort(graphs)
	copies := make([]ld.Quad, 0, n)
	s.quads = make([]*ld.Quad, 0, n)
	for _, g := range graphs {
		graph := graphNode(g)
		for _, q := range ds.Graphs[g] {
			copies = append(copies, *q)
			q := &copies[len(copies)-1]
			q.Graph = graph
			s.quads = append(s.quads, q)
			for _, n := range [3]ld.Node{q.Subject, q.Object, q.Graph} {
				if n != nil && ld.IsBlankNode(n) {
					id := n.GetValue()
					in := s.info[id]
					if in == nil {
						in = &bnodeInfo{}
						s.info[id] = in
					}
					in.quads = append(in.quads, q)
				}
			}
		}
		if err := s.spend(len(ds.Graphs[g])); err != nil {
			return nil, nil, err
		}
	}

	// Issue canonical ids to blank nodes with a unique first-degree hash,
	// repeating while that issues any.
	pending := make([]string, 0, len(s.info))
	for id := range s.info {
		pending = append(pending, id)
	}
	slices.Sort(pending)
	var byHash map[string][]string
	for simple := true; simple; {
		simple = false
		byHash = map[string][]string{}
		for _, id := range pending {
			h, err := s.firstDegree(id)
			if err != nil {
				return nil, nil, err
			}
			byHash[h] = append(byHash[h], id)
		}
		for _, h := range sortedKeys(byHash) {
			ids := byHash[h]
			if len(ids) > 1 {
				continue
			}
			s.canonical.issue(ids[0])
			delete(byHash, h)
			simple = true
		}
		next := pending[:0]
		for _, id := range pending {
			if !s.canonical.has(id) {
				next = append(next, id)
			}
		}
		pending = next
	}

	// Shared hashes: order by the N-degree hash.
	for _, h := range sortedKeys(byHash) {
		type result struct {
			hash string
			is   *issuer
		}
		var results []result
		for _, id := range byHash[h] {
			if s.canonical.has(id) {
				continue
			}
			tmp := newIssuer("_:b", false)
			tmp.issue(id)
			hash, is, err := s.nDegree(id, tmp)
			if err != nil {
				return nil, nil, err
			}
			results = append(results, result{hash, is})
		}
		slices.SortStableFunc(results, func(a, b result) int { return strings.Compare(a.hash, b.hash) })
		for _, r := range results {
			for _, old := range r.is.order {
				s.canonical.issue(old)
			}
		}
	}

	lines := make([]line, len(s.quads))
	for i, q := range s.quads {
		lines[i] = newLine(s.relabel(q.Subject), q.Predicate, s.relabel(q.Object), s.relabel(q.Graph))
	}
	if err := s.spend(len(lines)); err != nil {
		return nil, nil, err
	}
	slices.SortFunc(lines, compareLines)
	return lines, s, nil
}

func (s *canonState) relabel(n ld.Node) ld.Node {
	if n == nil || !ld.IsBlankNode(n) {
		return n
	}
	return ld.NewBlankNode(s.canonical.issue(n.GetValue()))
}

// firstDegree is Hash First Degree Quads: the hash of id's quads with id
// written _:a and every other blank node _:z.
func (s *canonState) firstDegree(id string) (string, error) {
	in := s.info[id]
	if in.hash != "" {
		return in.hash, nil
	}
	if err := s.spend(1 + len(in.quads)); err != nil {
		return "", err
	}
	mark := func(n ld.Node) ld.Node {
		if n == nil || !ld.IsBlankNode(n) {
			return n
		}
		if n.GetValue() == id {
			return markA
		}
		return markZ
	}
	lines := make([]line, len(in.quads))
	for i, q := range in.quads {
		lines[i] = newLine(mark(q.Subject), q.Predicate, mark(q.Object), mark(q.Graph))
	}
	slices.SortFunc(lines, compareLines)
	h := sha256.New()
	s.sw.writeLines(h, lines)
	in.hash = hex.EncodeToString(h.Sum(nil))
	return in.hash, nil
}

// The blank nodes of Hash First Degree Quads.
var markA, markZ ld.Node = ld.NewBlankNode("_:a"), ld.NewBlankNode("_:z")

// related is Hash Related Blank Node.
func (s *canonState) related(rel string, q *ld.Quad, is *issuer, position string) (string, error) {
	if err := s.spend(1); err != nil {
		return "", err
	}
	var id string
	switch {
	case s.canonical.has(rel):
		id = s.canonical.issue(rel)
	case is.has(rel):
		id = is.issue(rel)
	default:
		var err error
		if id, err = s.firstDegree(rel); err != nil {
			return "", err
		}
	}
	h := sha256.New()
	h.Write([]byte(position))
	if position != "g" {
		h.Write([]byte("<" + q.Predicate.GetValue() + ">"))
	}
	h.Write([]byte(id))
	return hex.EncodeToString(h.Sum(nil)), nil
}

// nDegree is Hash N-Degree Quads. Each permutation tried and each
// recursion costs budget, so its factorial worst case stops early.
func (s *canonState) nDegree(id string, is *issuer) (string, *issuer, error) {
	if err := s.spend(1); err != nil {
		return "", nil, err
	}
	hashToRelated := map[string][]string{}
	for _, q := range s.info[id].quads {
		for _, c := range []struct {
			n   ld.Node
			pos string
		}{{q.Subject, "s"}, {q.Object, "o"}, {q.Graph, "g"}} {
			if c.n == nil || !ld.IsBlankNode(c.n) || c.n.GetValue() == id {
				continue
			}
			rel := c.n.GetValue()
			h, err := s.related(rel, q, is, c.pos)
			if err != nil {
				return "", nil, err
			}
			hashToRelated[h] = append(hashToRelated[h], rel)
		}
	}
	data := sha256.New()
	for _, h := range sortedKeys(hashToRelated) {
		data.Write([]byte(h))
		chosenPath := ""
		var chosenIssuer *issuer
		var err error
		permute(hashToRelated[h], func(perm []string) bool {
			if err = s.spend(1 + len(perm)); err != nil {
				return false
			}
			isCopy := is.clone()
			path := ""
			var recursion []string
			for _, rel := range perm {
				if s.canonical.has(rel) {
					path += s.canonical.issue(rel)
				} else {
					if !isCopy.has(rel) {
						recursion = append(recursion, rel)
					}
					path += isCopy.issue(rel)
				}
				if chosenPath != "" && len(path) >= len(chosenPath) && path > chosenPath {
					return true
				}
			}
			for _, rel := range recursion {
				var res string
				var resIssuer *issuer
				res, resIssuer, err = s.nDegree(rel, isCopy)
				if err != nil {
					return false
				}
				path += isCopy.issue(rel)
				path += "<" + res + ">"
				isCopy = resIssuer
				if chosenPath != "" && len(path) >= len(chosenPath) && path > chosenPath {
					return true
				}
			}
			if chosenPath == "" || path < chosenPath {
				chosenPath, chosenIssuer = path, isCopy
			}
			return true
		})
		if err != nil {
			return "", nil, err
		}
		data.Write([]byte(chosenPath))
		is = chosenIssuer
	}
	return hex.EncodeToString(data.Sum(nil)), is, nil
}

// permute calls f with every permutation of list (in the order of
// Heap's algorithm) until f returns false.
func permute(list []string, f func([]string) bool) {
	a := slices.Clone(list)
	n := len(a)
	c := make([]int, n)
	if !f(a) {
		return
	}
	for i := 0; i < n; {
		if c[i] < i {
			if i%2 == 0 {
				a[0], a[i] = a[i], a[0]
			} else {
				a[c[i]], a[i] = a[i], a[c[i]]
			}
			if !f(a) {
				return
			}
			c[i]++
			i = 0
		} else {
			c[i] = 0
			i++
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// nquad serializes one quad exactly as json-gold's toNQuad does.
func nquad(s, p, o, g ld.Node) string {
	var b strings.Builder
	term := func(n ld.Node) {
		switch {
		case ld.IsIRI(n):
			b.WriteString("<" + escape(n.GetValue()) + ">")
		case ld.IsBlankNode(n):
			b.WriteString(n.GetValue())
		default:
			lit := n.(ld.Literal)
			b.WriteString("\"" + escape(lit.GetValue()) + "\"")
			if lit.Datatype == ld.RDFLangString {
				b.WriteString("@" + lit.Language)
			} else if lit.Datatype != ld.XSDString {
				b.WriteString("^^<" + escape(lit.Datatype) + ">")
			}
		}
	}
	term(s)
	b.WriteByte(' ')
	term(p)
	b.WriteByte(' ')
	term(o)
	if g != nil {
		b.WriteByte(' ')
		term(g)
	}
	b.WriteString(" .\n")
	return b.String()
}

var escaper = strings.NewReplacer("\\", "\\\\", "\"", "\\\"", "\n", "\\n", "\r", "\\r", "\t", "\\t")

func escape(s string) string { return escaper.Replace(s) }
