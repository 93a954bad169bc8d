package obschema

import "reflect"

// wrapPlan is what wrapArrays reads of the schema at one place of the
// document, compiled once: whether a single value is wrapped there, the
// plan of an array's items, and the plans of an object's members (one per
// object schema that names the member, applied in wrapArrays' order).
type wrapPlan struct {
	wrap  bool
	items *wrapPlan
	props map[string][]*wrapPlan
}

// compileWrap compiles the plan of schema sch; plans are shared by
// schema, so recursive definitions make cyclic plans.
func (cs *compiledSchema) compileWrap(sch map[string]any, memo map[uintptr]*wrapPlan) *wrapPlan {
	sch = cs.resolve(sch)
	if sch == nil {
		return nil
	}
	key := reflect.ValueOf(sch).Pointer()
	if p, ok := memo[key]; ok {
		return p
	}
	p := &wrapPlan{wrap: isArraySchema(sch, cs)}
	memo[key] = p
	if items, _ := sch["items"].(map[string]any); items != nil {
		p.items = cs.compileWrap(items, memo)
		if p.items == nil {
			p.items = &wrapPlan{} // items that resolve to nothing: left as they are
		}
	}
	for _, s := range cs.objectSchemas(sch) {
		props, _ := s["properties"].(map[string]any)
		for k, ps := range props {
			m, ok := ps.(map[string]any)
			if !ok {
				continue
			}
			if p.props == nil {
				p.props = map[string][]*wrapPlan{}
			}
			p.props[k] = append(p.props[k], cs.compileWrap(m, memo))
		}
	}
	return p
}

// apply is wrapArrays by the plan: v or its wrapped form, v unchanged.
func (p *wrapPlan) apply(v any, depth int) any {
	if p == nil || depth > maxWrapDepth {
		return v
	}
	if p.wrap {
		if _, isArr := v.([]any); !isArr && v != nil {
			v = []any{v}
		}
	}
	switch x := v.(type) {
	case []any:
		if p.items != nil {
			var out []any
			for i, e := range x {
				w := p.items.apply(e, depth+1)
				if out == nil && !same(w, e) {
					out = append([]any(nil), x...)
				}
				if out != nil {
					out[i] = w
				}
			}
			if out != nil {
				return out
			}
		}
	case map[string]any:
		var out map[string]any
		for k, plans := range p.props {
			for _, pp := range plans {
				cur := x
				if out != nil {
					cur = out
				}
				e, ok := cur[k]
				if !ok {
					continue
				}
				w := pp.apply(e, depth+1)
				if !same(w, e) {
					if out == nil {
						out = make(map[string]any, len(x))
						for k2, e2 := range x {
							out[k2] = e2
						}
					}
					out[k] = w
				}
			}
		}
		if out != nil {
			return out
		}
	}
	return v
}

// single reports whether no member has more than one plan anywhere in p:
// then a member's wrapping is its one plan's, which the fast path applies
// as it validates (fastSchema.validWrapped).
func (p *wrapPlan) single() bool {
	seen := map[*wrapPlan]bool{}
	var walk func(*wrapPlan) bool
	walk = func(q *wrapPlan) bool {
		if q == nil || seen[q] {
			return true
		}
		seen[q] = true
		if !walk(q.items) {
			return false
		}
		for _, plans := range q.props {
			if len(plans) > 1 {
				return false
			}
			for _, pp := range plans {
				if !walk(pp) {
					return false
				}
			}
		}
		return true
	}
	return walk(p)
}
