package rdfc

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/piprate/json-gold/ld"
)

// toRDF is json-gold's JsonLdApi.ToRDF (v0.9.1, api_to_rdf.go and
// rdf_dataset.go) with the same dataset as result, and one difference in
// cost: json-gold drops quads whose http(s) IRIs fail its URL check, a
// large regular expression run on every distinct IRI of every document
// (half the time of a Blockcerts certificate's canonicalization), and
// decides relative IRIs with net/url. Both are pure functions of the IRI,
// and a badge's IRIs are mostly its vocabulary's, the same in every badge,
// so their results are remembered across calls (iriFacts). A graph holding
// a JSON literal (rdf:JSON), which needs json-gold's own JSON
// canonicalization, is converted by json-gold.
func toRDF(expanded any, opts *ld.JsonLdOptions) (ds *ld.RDFDataset, err error) {
	defer recoverJSONGold(&err)
	issuer := ld.NewIdentifierIssuer("_:b")
	nodeMap := map[string]any{"@default": map[string]any{}}
	if _, err := ld.NewJsonLdApi().GenerateNodeMap(expanded, nodeMap, "@default", issuer, "", "", nil); err != nil {
		return nil, err
	}
	ds = ld.NewRDFDataset()
	for graphName, graphVal := range nodeMap {
		if isRelativeIRI(graphName) {
			continue
		}
		graph := graphVal.(map[string]any)
		if hasJSONLiteral(graph) {
			ds.GraphToRDF(graphName, graph, issuer, opts.ProduceGeneralizedRdf)
			continue
		}
		ds.Graphs[graphName] = graphToRDF(graphName, graph, issuer, opts.ProduceGeneralizedRdf)
	}
	return ds, nil
}

// hasJSONLiteral reports whether a node map graph holds a value object
// typed @json or rdf:JSON, at any depth.
func hasJSONLiteral(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		if _, isValue := x["@value"]; isValue {
			t := x["@type"]
			return t == "@json" || t == ld.RDFJSONLiteral
		}
		for _, e := range x {
			if hasJSONLiteral(e) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if hasJSONLiteral(e) {
				return true
			}
		}
	}
	return false
}

// graphToRDF is json-gold's RDFDataset.GraphToRDF.
func graphToRDF(graphName string, graph map[string]any, issuer *ld.IdentifierIssuer, generalized bool) []*ld.Quad {
	var triples []*ld.Quad
	for id, nodeVal := range graph {
		if isRelativeIRI(id) {
			continue
		}
		node := nodeVal.(map[string]any)
		for _, property := range ld.GetOrderedKeys(node) {
			var values []any
			switch {
			case property == "@type":
				values = node["@type"].([]any)
				property = ld.RDFType
			case ld.IsKeyword(property):
				continue
			case strings.HasPrefix(property, "_:") && !generalized:
				continue
			case isRelativeIRI(property):
				continue
			default:
				values = node[property].([]any)
			}
			var subject ld.Node
			if strings.HasPrefix(id, "_:") {
				subject = ld.NewBlankNode(id)
			} else {
				subject = ld.NewIRI(id)
			}
			var predicate ld.Node
			if strings.HasPrefix(property, "_:") {
				predicate = ld.NewBlankNode(property)
			} else {
				predicate = ld.NewIRI(property)
			}
			for _, item := range values {
				var object ld.Node
				object, triples = objectToRDF(item, issuer, graphName, triples)
				if object != nil {
					triples = append(triples, ld.NewQuad(subject, predicate, object, graphName))
				}
			}
		}
	}
	valid := triples[:0]
	for _, t := range triples {
		if validQuad(t) {
			valid = append(valid, t)
		}
	}
	return valid
}

// objectToRDF is json-gold's objectToRDF (node.go), but for JSON literals,
// which toRDF leaves to json-gold.
func objectToRDF(item any, issuer *ld.IdentifierIssuer, graphName string, triples []*ld.Quad) (ld.Node, []*ld.Quad) {
	if ld.IsValue(item) {
		itemMap := item.(map[string]any)
		value := itemMap["@value"]
		datatype := itemMap["@type"]
		booleanVal, isBool := value.(bool)
		floatVal, isFloat := value.(float64)
		if !isBool && !isFloat {
			if number, isNumber := value.(json.Number); isNumber {
				var err error
				floatVal, err = number.Float64()
				isFloat = err == nil
			}
		}
		isInteger := isFloat && floatVal == float64(int64(floatVal))
		datatypeStr, _ := datatype.(string)
		switch {
		case isBool:
			if datatype == nil {
				return ld.NewLiteral(strconv.FormatBool(booleanVal), ld.XSDBoolean, ""), triples
			}
			return ld.NewLiteral(strconv.FormatBool(booleanVal), datatypeStr, ""), triples
		case isFloat && (!isInteger || datatypeStr == ld.XSDDouble):
			if datatype == nil {
				return ld.NewLiteral(ld.GetCanonicalDouble(floatVal), ld.XSDDouble, ""), triples
			}
			return ld.NewLiteral(ld.GetCanonicalDouble(floatVal), datatypeStr, ""), triples
		case isFloat:
			if datatype == nil {
				return ld.NewLiteral(fmt.Sprintf("%d", int64(floatVal)), ld.XSDInteger, ""), triples
			}
			return ld.NewLiteral(fmt.Sprintf("%d", int64(floatVal)), datatype.(string), ""), triples
		}
		if langVal, hasLang := itemMap["@language"]; hasLang {
			if datatype == nil {
				return ld.NewLiteral(value.(string), ld.RDFLangString, langVal.(string)), triples
			}
			return ld.NewLiteral(value.(string), datatype.(string), langVal.(string)), triples
		}
		if datatype == nil {
			return ld.NewLiteral(value.(string), ld.XSDString, ""), triples
		}
		return ld.NewLiteral(value.(string), datatype.(string), ""), triples
	}
	if ld.IsList(item) {
		return listToRDF(item.(map[string]any)["@list"].([]any), issuer, graphName, triples)
	}
	var id string
	if itemMap, isMap := item.(map[string]any); isMap {
		id = itemMap["@id"].(string)
		if isRelativeIRI(id) {
			return nil, triples
		}
	} else {
		id = item.(string)
	}
	if strings.HasPrefix(id, "_:") {
		return ld.NewBlankNode(id), triples
	}
	return ld.NewIRI(id), triples
}

var (
	rdfFirst = ld.NewIRI(ld.RDFFirst)
	rdfRest  = ld.NewIRI(ld.RDFRest)
	rdfNil   = ld.NewIRI(ld.RDFNil)
)

// listToRDF is json-gold's parseList.
func listToRDF(list []any, issuer *ld.IdentifierIssuer, graphName string, triples []*ld.Quad) (ld.Node, []*ld.Quad) {
	var res ld.Node
	var last any
	if len(list) > 0 {
		last = list[len(list)-1]
		res = ld.NewBlankNode(issuer.GetId(""))
	} else {
		res = rdfNil
	}
	subj := res
	var obj ld.Node
	for i := 0; i < len(list)-1; i++ {
		obj, triples = objectToRDF(list[i], issuer, graphName, triples)
		next := ld.NewBlankNode(issuer.GetId(""))
		triples = append(triples, ld.NewQuad(subj, rdfFirst, obj, graphName), ld.NewQuad(subj, rdfRest, next, graphName))
		subj = next
	}
	if last != nil {
		obj, triples = objectToRDF(last, issuer, graphName, triples)
		triples = append(triples, ld.NewQuad(subj, rdfFirst, obj, graphName), ld.NewQuad(subj, rdfRest, rdfNil, graphName))
	}
	return res, triples
}

// validQuad is json-gold's Quad.Valid.
func validQuad(q *ld.Quad) bool {
	for _, n := range [4]ld.Node{q.Subject, q.Predicate, q.Object, q.Graph} {
		switch v := n.(type) {
		case ld.IRI:
			if !validIRI(v.Value) {
				return false
			}
		case ld.Literal:
			if v.Language != "" && !validLanguage(v.Language) {
				return false
			}
			if v.Datatype != "" && !validIRI(v.Datatype) {
				return false
			}
		}
	}
	return true
}

// validIRI is json-gold's validIRI: an http(s) IRI must pass ld.IsURL.
func validIRI(iri string) bool {
	if !strings.HasPrefix(iri, "http://") && !strings.HasPrefix(iri, "https://") {
		return true
	}
	return iriFact(iri, factURL, ld.IsURL)
}

// validLanguageRegex is json-gold's, for language tags.
var validLanguageRegex = regexp.MustCompile("^[a-zA-Z]+(-[a-zA-Z0-9]+)*$")

func validLanguage(tag string) bool {
	return iriFact(tag, factLanguage, validLanguageRegex.MatchString)
}

// The facts remembered about a string.
const (
	factURL = iota
	factRelative
	factLanguage
)

// iriFacts remembers, for strings up to maxFactLen bytes, the results of
// the pure checks above. Longer strings (images as data URLs) are checked
// each time.
var iriFacts = func() *lru.Cache[factKey, bool] {
	c, err := lru.New[factKey, bool](iriFactsSize)
	if err != nil {
		panic(err)
	}
	return c
}()

const (
	iriFactsSize = 8192
	maxFactLen   = 256
)

type factKey struct {
	s    string
	fact int
}

// iriFact returns check(s), remembered when s is short.
func iriFact(s string, fact int, check func(string) bool) bool {
	if len(s) > maxFactLen {
		return check(s)
	}
	k := factKey{s, fact}
	// Peek, not Get: under a read lock, so that the cores of a batch
	// verification do not wait for each other (eviction is then by age).
	if v, ok := iriFacts.Peek(k); ok {
		return v
	}
	v := check(s)
	k.s = strings.Clone(s) // never pins a larger string
	iriFacts.Add(k, v)
	return v
}

// isRelativeIRI is ld.IsRelativeIri.
func isRelativeIRI(iri string) bool {
	if len(iri) > maxFactLen {
		if abs, ok := absoluteOpaque(iri); ok {
			return !abs
		}
	}
	return iriFact(iri, factRelative, ld.IsRelativeIri)
}

// absoluteOpaque is ld.IsAbsoluteIri (net/url.Parse succeeds and finds a
// scheme) for the shape of a long IRI, an image embedded as a data URL: a
// scheme, no fragment, and a path that does not start with "/", which
// net/url takes as opaque without reading it further, having checked only
// that the IRI holds no control character. ok is false for any other
// shape; the caller then asks net/url.
func absoluteOpaque(iri string) (abs, ok bool) {
	if strings.HasPrefix(iri, "_:") || strings.IndexByte(iri, '#') >= 0 {
		return false, false
	}
	i := 0
	for ; i < len(iri); i++ {
		c := iri[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.') {
			continue
		}
		break
	}
	if i == 0 || i == len(iri) || iri[i] != ':' {
		return false, false
	}
	rest := iri[i+1:]
	if strings.HasSuffix(rest, "?") && strings.Count(rest, "?") == 1 {
		rest = rest[:len(rest)-1]
	} else {
		rest, _, _ = strings.Cut(rest, "?")
	}
	if strings.HasPrefix(rest, "/") {
		return false, false
	}
	return !hasControl(iri), true
}

// hasControl reports whether s holds a byte below 0x20 or 0x7f, as
// net/url's stringContainsCTLByte does, eight bytes at a time.
func hasControl(s string) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; len(s) >= 8; s = s[8:] {
		b := s[:8]
		x := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
			uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
		// A byte below 0x20 (the "hasless" test), or a byte 0x7f (a zero
		// byte of x^0x7f7f...): each test is exact for the word as a whole.
		y := x ^ 0x7f*ones
		if (x-0x20*ones)&^x&highs != 0 || (y-ones)&^y&highs != 0 {
			return true
		}
	}
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] == 0x7f {
			return true
		}
	}
	return false
}
