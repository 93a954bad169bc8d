package rdfc

import (
	"fmt"
	"strings"

	"github.com/piprate/json-gold/ld"
)

// json-gold (v0.9.1) reads a term's container mapping from the context its
// own scoped context produces, where JSON-LD 1.1 (Expansion Algorithm,
// step 13.12) reads it from the active context. For a term whose scoped
// context is null, such as verifiableCredential in the VC 2.0 context
// ({"@container": "@graph", "@context": null}), json-gold therefore never
// sees "@graph": each credential of a presentation lands in the default
// graph instead of a graph of its own, and the canonical form of a VC 2.0
// presentation that embeds credentials differs from every other
// implementation's (a Blockcerts presentation's target hash, an
// eddsa-rdfc-2022 holder proof).
//
// The contexts this package serves are rewritten once, when loaded: such a
// term's @id becomes graphSentinel followed by the IRI. After expansion
// (restoreGraphContainers), every property named by a sentinel gets its
// IRI back and each of its values becomes a graph object, as the
// algorithm makes it. Only terms with a null scoped context and an
// absolute IRI are rewritten: with any other scoped context json-gold's
// reading may be right, and a compact IRI cannot be prefixed. Other
// containers under a null scoped context (@graph with @id or @index,
// @language, @list) are still read as json-gold reads them; no context
// this package serves defines one.
const graphSentinel = "urn:badgeproof:rdfc:graph-container:"

// rewriteGraphContainers returns doc (a context document, or a @context
// value) with the terms described above rewritten, and whether it changed
// anything. It shares what it does not change and never modifies doc.
func rewriteGraphContainers(doc any) (any, bool) {
	switch x := doc.(type) {
	case []any:
		var out []any
		for i, e := range x {
			r, changed := rewriteGraphContainers(e)
			if changed && out == nil {
				out = append(make([]any, 0, len(x)), x[:i]...)
			}
			if out != nil {
				out = append(out, r)
			}
		}
		if out == nil {
			return doc, false
		}
		return out, true
	case map[string]any:
		var out map[string]any
		for k, v := range x {
			var r any
			changed := false
			if k == "@context" {
				r, changed = rewriteGraphContainers(v)
			} else if def, ok := v.(map[string]any); ok {
				r, changed = rewriteTerm(def)
			}
			if !changed {
				continue
			}
			if out == nil {
				out = make(map[string]any, len(x))
				for k, v := range x {
					out[k] = v
				}
			}
			out[k] = r
		}
		if out == nil {
			return doc, false
		}
		return out, true
	}
	return doc, false
}

// rewriteTerm rewrites one expanded term definition, and the term
// definitions of its own scoped context.
func rewriteTerm(def map[string]any) (map[string]any, bool) {
	var out map[string]any
	set := func(k string, v any) {
		if out == nil {
			out = make(map[string]any, len(def))
			for k, v := range def {
				out[k] = v
			}
		}
		out[k] = v
	}
	scoped, hasScoped := def["@context"]
	if r, changed := rewriteGraphContainers(scoped); changed {
		set("@context", r)
	}
	id, _ := def["@id"].(string)
	if hasScoped && scoped == nil && graphOnly(def["@container"]) && isAbsolute(id) {
		set("@id", graphSentinel+id)
	}
	if out == nil {
		return def, false
	}
	return out, true
}

// graphOnly reports whether a container mapping includes @graph and
// neither @id nor @index.
func graphOnly(c any) bool {
	graph, other := false, false
	for _, v := range toList(c) {
		switch v {
		case "@graph":
			graph = true
		case "@id", "@index":
			other = true
		}
	}
	return graph && !other
}

func isAbsolute(iri string) bool {
	return strings.HasPrefix(iri, "https://") || strings.HasPrefix(iri, "http://") || strings.HasPrefix(iri, "urn:")
}

// restoreGraphContainers undoes the rewrite in an expanded document, in
// place: a property named by graphSentinel gets its IRI back (merged with
// the values already under that IRI) and each of its values becomes a
// graph object {"@graph": [value]}.
func restoreGraphContainers(v any) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			restoreGraphContainers(e)
		}
	case map[string]any:
		for k, e := range x {
			restoreGraphContainers(e)
			iri, ok := strings.CutPrefix(k, graphSentinel)
			if !ok {
				continue
			}
			delete(x, k)
			vals := ld.Arrayify(e)
			wrapped, _ := x[iri].([]any)
			for _, ev := range vals {
				wrapped = append(wrapped, map[string]any{"@graph": []any{ev}})
			}
			x[iri] = wrapped
		}
	}
}

// toDataset converts the JSON-LD document v to an RDF dataset with the
// graph-container fix: v's own @context is rewritten as the served
// contexts are, the document is expanded, the rewrite undone in the
// expanded form, and the result converted. opts's loader serves extra. v
// is not modified.
func toDataset(v map[string]any, opts *ld.JsonLdOptions, extra *Contexts) (*ld.RDFDataset, error) {
	expanded, err := expand(v, opts, extra, true)
	if err != nil {
		return nil, err
	}
	restoreGraphContainers(expanded)
	return toRDF(expanded, opts)
}

// expand is json-gold's JsonLdProcessor.Expand of v, with v's own
// @context rewritten as the served contexts are when rewrite is set, its
// active context taken from the cache (contextcache.go) when it can. v is
// not modified.
func expand(v map[string]any, opts *ld.JsonLdOptions, extra *Contexts, rewrite bool) (out []any, err error) {
	defer recoverJSONGold(&err)
	c, ok := v["@context"]
	if !ok {
		return ld.NewJsonLdProcessor().Expand(v, opts)
	}
	r, changed := c, false
	if rewrite {
		r, changed = rewriteGraphContainers(c)
	}
	active, cached, cerr := activeContext(r, opts, extra)
	if cerr != nil {
		return nil, cerr
	}
	w := v
	if cached || changed {
		w = make(map[string]any, len(v))
		for k, x := range v {
			if k != "@context" || !cached {
				w[k] = x
			}
		}
		if !cached {
			w["@context"] = r
		}
	}
	if cached {
		return expandWith(active, w, opts)
	}
	return ld.NewJsonLdProcessor().Expand(w, opts)
}

// expandWith is json-gold's JsonLdProcessor.Expand of a document without
// @context whose top-level @context processing gave active (see
// activeContext for when that is the same).
func expandWith(active *ld.Context, doc map[string]any, opts *ld.JsonLdOptions) ([]any, error) {
	expanded, err := ld.NewJsonLdApi().Expand(active, "", doc, opts.Copy(), false, nil)
	if err != nil {
		return nil, err
	}
	// The final steps of JsonLdProcessor.expand.
	expandedMap, isMap := expanded.(map[string]any)
	if isMap && len(expandedMap) == 0 {
		expanded = nil
	}
	graph, hasGraph := expandedMap["@graph"]
	if isMap && hasGraph && len(expandedMap) == 1 {
		expanded = graph
	} else if expanded == nil {
		expanded = make([]any, 0)
	}
	if list, isList := expanded.([]any); isList {
		return list, nil
	}
	return []any{expanded}, nil
}

// recoverJSONGold turns a panic of json-gold into an error in *err.
// json-gold asserts the types of what it reads in places that hostile input
// reaches: a node object with a member named "" whose value is not a
// string, for one, is read as the value of its @type. No state outlives
// the call (the context cache holds only contexts built without a panic),
// so the panic is the input's failure, not the process's.
func recoverJSONGold(err *error) {
	if p := recover(); p != nil {
		*err = fmt.Errorf("json-gold cannot process this document: %v", p)
	}
}
