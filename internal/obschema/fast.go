package obschema

import (
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"strings"
)

// fastSchema is the embedded schema compiled for the question "is this
// document valid?", answered without the library's bookkeeping (scopes,
// annotations, error trees). It knows exactly the keywords the embedded
// schema uses; the library still validates every document it does not
// find valid, so each failure is reported with the library's words, and a
// test holds both to the same verdict on the vectors and on mutations of
// them. "format" is an annotation in draft 2019-09 (the library does not
// assert it unless told to), so it is not checked here either.
type fastSchema struct {
	types      []string // "type"; nil: any
	enum       []any
	properties map[string]*fastSchema
	required   []string
	// additional: nil allows any other member; noAdditional refuses them.
	additional   *fastSchema
	noAdditional bool
	items        *fastSchema   // one schema for every item
	tuple        []*fastSchema // "items" as an array
	addItems     *fastSchema   // "additionalItems"
	minItems     int
	contains     *fastSchema
	pattern      *regexp.Regexp
	ref          *fastSchema
	oneOf, allOf []*fastSchema
}

// compileFast compiles sch (a schema of the embedded document, whose
// $defs are defs); an error names a keyword it does not know, and then
// there is no fast path.
func compileFast(sch any, defs map[string]any, done map[string]*fastSchema) (*fastSchema, error) {
	m, ok := sch.(map[string]any)
	if !ok {
		if b, ok := sch.(bool); ok && b {
			return &fastSchema{}, nil
		}
		return nil, fmt.Errorf("schema %v", sch)
	}
	f := &fastSchema{}
	for k, v := range m {
		var err error
		switch k {
		case "description", "$comment", "title", "$schema", "$id", "$defs", "format":
		case "type":
			switch t := v.(type) {
			case string:
				f.types = []string{t}
			case []any:
				for _, e := range t {
					s, ok := e.(string)
					if !ok {
						return nil, fmt.Errorf("type %v", v)
					}
					f.types = append(f.types, s)
				}
			default:
				return nil, fmt.Errorf("type %v", v)
			}
		case "enum":
			if f.enum, ok = v.([]any); !ok {
				return nil, fmt.Errorf("enum %v", v)
			}
		case "properties":
			props, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("properties %v", v)
			}
			f.properties = map[string]*fastSchema{}
			for name, ps := range props {
				if f.properties[name], err = compileFast(ps, defs, done); err != nil {
					return nil, err
				}
			}
		case "required":
			list, ok := v.([]any)
			if !ok {
				return nil, fmt.Errorf("required %v", v)
			}
			for _, e := range list {
				s, ok := e.(string)
				if !ok {
					return nil, fmt.Errorf("required %v", v)
				}
				f.required = append(f.required, s)
			}
		case "additionalProperties":
			switch a := v.(type) {
			case bool:
				f.noAdditional = !a
			default:
				f.additional, err = compileFast(a, defs, done)
			}
		case "items":
			if list, ok := v.([]any); ok {
				for _, e := range list {
					s, err := compileFast(e, defs, done)
					if err != nil {
						return nil, err
					}
					f.tuple = append(f.tuple, s)
				}
			} else {
				f.items, err = compileFast(v, defs, done)
			}
		case "additionalItems":
			f.addItems, err = compileFast(v, defs, done)
		case "minItems":
			n, ok := v.(json.Number)
			i, perr := n.Int64()
			if !ok || perr != nil {
				return nil, fmt.Errorf("minItems %v", v)
			}
			f.minItems = int(i)
		case "contains":
			f.contains, err = compileFast(v, defs, done)
		case "pattern":
			s, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("pattern %v", v)
			}
			f.pattern, err = regexp.Compile(s)
		case "$ref":
			s, ok := v.(string)
			name, local := strings.CutPrefix(s, "#/$defs/")
			if !ok || !local {
				return nil, fmt.Errorf("$ref %v", v)
			}
			if d, seen := done[name]; seen {
				f.ref = d
				break
			}
			d := &fastSchema{}
			done[name] = d // before compiling: definitions may refer to themselves
			def, ok := defs[name]
			if !ok {
				return nil, fmt.Errorf("$ref %v", v)
			}
			c, err := compileFast(def, defs, done)
			if err != nil {
				return nil, err
			}
			*d = *c
			f.ref = d
		case "oneOf", "allOf":
			list, ok := v.([]any)
			if !ok {
				return nil, fmt.Errorf("%s %v", k, v)
			}
			for _, e := range list {
				s, err := compileFast(e, defs, done)
				if err != nil {
					return nil, err
				}
				if k == "oneOf" {
					f.oneOf = append(f.oneOf, s)
				} else {
					f.allOf = append(f.allOf, s)
				}
			}
		default:
			return nil, fmt.Errorf("keyword %q", k)
		}
		if err != nil {
			return nil, err
		}
	}
	if f.addItems != nil && f.tuple == nil {
		f.addItems = nil // additionalItems applies only beside an items array
	}
	return f, nil
}

// valid reports whether v satisfies f, within depth.
func (f *fastSchema) valid(v any, depth int) bool { return f.validWrapped(v, nil, 0, depth) }

// validWrapped reports whether v, wrapped by plan p as wrapArrays wraps it
// (v is at depth d of the document), satisfies f: the wrapping is applied
// where the validation reaches, without copying the document. p must be
// single (wrapPlan.single).
func (f *fastSchema) validWrapped(v any, p *wrapPlan, d, depth int) bool {
	if p != nil && d <= maxWrapDepth && p.wrap {
		if _, isArr := v.([]any); !isArr && v != nil {
			v = []any{v}
		}
	}
	return f.check(v, p, d, depth)
}

// check is validWrapped for v already wrapped at its own place; depth
// counts the schemas followed.
func (f *fastSchema) check(v any, p *wrapPlan, d, depth int) bool {
	if depth > maxWrapDepth*4 {
		return false // the library decides
	}
	depth++
	if f.types != nil && !hasType(v, f.types) {
		return false
	}
	if f.enum != nil && !inEnum(v, f.enum) {
		return false
	}
	if f.ref != nil && !f.ref.check(v, p, d, depth) {
		return false
	}
	for _, s := range f.allOf {
		if !s.check(v, p, d, depth) {
			return false
		}
	}
	if f.oneOf != nil {
		n := 0
		for _, s := range f.oneOf {
			if s.check(v, p, d, depth) {
				n++
			}
		}
		if n != 1 {
			return false
		}
	}
	// The plans of the values inside v.
	var items *wrapPlan
	var props map[string][]*wrapPlan
	if p != nil {
		items, props = p.items, p.props
	}
	switch x := v.(type) {
	case string:
		if f.pattern != nil && !f.pattern.MatchString(x) {
			return false
		}
	case map[string]any:
		for _, r := range f.required {
			if _, ok := x[r]; !ok {
				return false
			}
		}
		for k, e := range x {
			var cp *wrapPlan
			if pl := props[k]; len(pl) > 0 {
				cp = pl[0]
			}
			if ps, ok := f.properties[k]; ok {
				if !ps.validWrapped(e, cp, d+1, depth) {
					return false
				}
				continue
			}
			if f.noAdditional || f.additional != nil && !f.additional.validWrapped(e, cp, d+1, depth) {
				return false
			}
		}
	case []any:
		if len(x) < f.minItems {
			return false
		}
		for i, e := range x {
			var s *fastSchema
			switch {
			case f.tuple != nil && i < len(f.tuple):
				s = f.tuple[i]
			case f.tuple != nil:
				s = f.addItems
			default:
				s = f.items
			}
			if s != nil && !s.validWrapped(e, items, d+1, depth) {
				return false
			}
		}
		if f.contains != nil {
			found := false
			for _, e := range x {
				if f.contains.validWrapped(e, items, d+1, depth) {
					found = true
					break
				}
			}
			if !found {
				return false
			}
		}
	}
	return true
}

func hasType(v any, types []string) bool {
	for _, t := range types {
		switch x := v.(type) {
		case nil:
			if t == "null" {
				return true
			}
		case bool:
			if t == "boolean" {
				return true
			}
		case string:
			if t == "string" {
				return true
			}
		case json.Number:
			if t == "number" || t == "integer" && isInteger(x) {
				return true
			}
		case map[string]any:
			if t == "object" {
				return true
			}
		case []any:
			if t == "array" {
				return true
			}
		}
	}
	return false
}

func isInteger(n json.Number) bool {
	r, ok := new(big.Rat).SetString(string(n))
	return ok && r.IsInt()
}

func inEnum(v any, enum []any) bool {
	for _, e := range enum {
		if jsonEqual(v, e) {
			return true
		}
	}
	return false
}

// jsonEqual compares two decoded JSON values as JSON Schema does: numbers
// by value.
func jsonEqual(a, b any) bool {
	switch x := a.(type) {
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		rx, ok1 := new(big.Rat).SetString(string(x))
		ry, ok2 := new(big.Rat).SetString(string(y))
		return ok1 && ok2 && rx.Cmp(ry) == 0
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !jsonEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, e := range x {
			f, ok := y[k]
			if !ok || !jsonEqual(e, f) {
				return false
			}
		}
		return true
	}
	return a == b
}
