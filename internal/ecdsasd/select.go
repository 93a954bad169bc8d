package ecdsasd

import (
	"fmt"
	"strconv"
	"strings"
)

// parsePointer splits a JSON pointer (RFC 6901) into its unescaped tokens.
func parsePointer(p string) ([]string, error) {
	if p == "" {
		return nil, nil
	}
	if !strings.HasPrefix(p, "/") {
		return nil, fmt.Errorf("%w: JSON pointer %q does not start with /", ErrMalformed, p)
	}
	parts := strings.Split(p[1:], "/")
	for i, s := range parts {
		if strings.Contains(strings.ReplaceAll(strings.ReplaceAll(s, "~0", ""), "~1", ""), "~") {
			return nil, fmt.Errorf("%w: JSON pointer %q has an invalid escape", ErrMalformed, p)
		}
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
	}
	return parts, nil
}

// sparse is a selected array whose items are filled in by index, holes
// removed when the selection is done.
type sparse struct{ items map[int]any }

// child returns the member path of a JSON value (object member or array
// index), and whether it exists.
func child(v any, path string) (any, bool) {
	switch x := v.(type) {
	case map[string]any:
		c, ok := x[path]
		return c, ok
	case []any:
		i, err := strconv.Atoi(path)
		if err != nil || i < 0 || i >= len(x) || strconv.Itoa(i) != path {
			return nil, false
		}
		return x[i], true
	}
	return nil, false
}

// selChild and setSelChild read and write the selection document.
func selChild(sel any, path string) (any, bool) {
	switch x := sel.(type) {
	case map[string]any:
		c, ok := x[path]
		return c, ok
	case *sparse:
		i, err := strconv.Atoi(path)
		if err != nil {
			return nil, false
		}
		c, ok := x.items[i]
		return c, ok
	}
	return nil, false
}

func setSelChild(sel any, path string, v any) error {
	switch x := sel.(type) {
	case map[string]any:
		x[path] = v
		return nil
	case *sparse:
		i, err := strconv.Atoi(path)
		if err != nil {
			return fmt.Errorf("%w: %q is not an array index", ErrMalformed, path)
		}
		x.items[i] = v
		return nil
	}
	return fmt.Errorf("%w: cannot select into a %T", ErrMalformed, sel)
}

// initSelection starts the selection of an object on a pointer's path: its
// id (unless a blank node id) and its type, so that the selected
// statements keep their subjects.
func initSelection(source any) map[string]any {
	sel := map[string]any{}
	if m, ok := source.(map[string]any); ok {
		if id, ok := m["id"].(string); ok && !strings.HasPrefix(id, "_:") {
			sel["id"] = id
		}
		if t, ok := m["type"]; ok {
			sel["type"] = deepCopy(t)
		}
	}
	return sel
}

// selectJSONLD returns the part of document the pointers select: its
// @context, every object on each pointer's path with its id and type, and
// each pointer's value whole (the Data Integrity selective disclosure
// "select JSON-LD" algorithm). No pointer selects nothing (nil); an empty
// pointer selects the whole document.
func selectJSONLD(document map[string]any, pointers []string) (map[string]any, error) {
	if len(pointers) == 0 {
		return nil, nil
	}
	// The document itself is on every pointer's path: its id and type.
	sel := initSelection(document)
	if c, ok := document["@context"]; ok {
		sel["@context"] = deepCopy(c)
	}
	for _, p := range pointers {
		paths, err := parsePointer(p)
		if err != nil {
			return nil, err
		}
		if len(paths) == 0 {
			return deepCopy(document).(map[string]any), nil
		}
		var value any = document
		var selValue any = sel
		var selParent any
		for _, path := range paths {
			selParent = selValue
			next, ok := child(value, path)
			if !ok {
				return nil, fmt.Errorf("%w: JSON pointer %q does not match the document", ErrPointer, p)
			}
			value = next
			cur, ok := selChild(selParent, path)
			if !ok {
				if _, isArr := value.([]any); isArr {
					cur = &sparse{items: map[int]any{}}
				} else {
					cur = initSelection(value)
				}
				if err := setSelChild(selParent, path, cur); err != nil {
					return nil, err
				}
			}
			selValue = cur
		}
		var leaf any
		switch x := value.(type) {
		case map[string]any:
			merged := map[string]any{}
			if m, ok := selValue.(map[string]any); ok {
				for k, v := range m {
					merged[k] = v
				}
			}
			for k, v := range x {
				merged[k] = deepCopy(v)
			}
			leaf = merged
		default:
			leaf = deepCopy(x)
		}
		if err := setSelChild(selParent, paths[len(paths)-1], leaf); err != nil {
			return nil, err
		}
	}
	return densify(sel).(map[string]any), nil
}

// densify turns sparse arrays into arrays, in index order, holes removed.
func densify(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			x[k] = densify(c)
		}
		return x
	case []any:
		for i, c := range x {
			x[i] = densify(c)
		}
		return x
	case *sparse:
		idx := make([]int, 0, len(x.items))
		for i := range x.items {
			idx = append(idx, i)
		}
		sortInts(idx)
		out := make([]any, 0, len(idx))
		for _, i := range idx {
			out = append(out, densify(x.items[i]))
		}
		return out
	}
	return v
}

func sortInts(a []int) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, c := range x {
			m[k] = deepCopy(c)
		}
		return m
	case []any:
		a := make([]any, len(x))
		for i, c := range x {
			a[i] = deepCopy(c)
		}
		return a
	}
	return v
}

// skolemPrefix names the blank nodes given ids for grouping.
const skolemPrefix = "urn:bnid:"

// skolemize returns a copy of the compact JSON-LD document in which every
// node object without an id gets one (urn:bnid:_:bN), so that statements
// selected from it can be matched with the whole document's.
func skolemize(doc map[string]any) map[string]any {
	n := 0
	var walk func(v any, top bool) any
	walk = func(v any, top bool) any {
		switch x := v.(type) {
		case map[string]any:
			m := make(map[string]any, len(x)+1)
			for k, c := range x {
				if k == "@context" {
					m[k] = deepCopy(c)
					continue
				}
				m[k] = walk(c, false)
			}
			_, isValue := x["@value"]
			_, hasID := x["id"]
			_, hasAtID := x["@id"]
			if !isValue && !hasID && !hasAtID {
				m["id"] = fmt.Sprintf("%s_:b%d", skolemPrefix, n)
				n++
			}
			return m
		case []any:
			a := make([]any, len(x))
			for i, c := range x {
				a[i] = walk(c, false)
			}
			return a
		}
		return v
	}
	return walk(doc, true).(map[string]any)
}

// deskolemize turns the skolem IRIs of N-Quads lines back into blank nodes.
func deskolemize(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		for {
			j := strings.Index(l, "<"+skolemPrefix+"_:")
			if j < 0 {
				break
			}
			k := strings.IndexByte(l[j:], '>')
			if k < 0 {
				break
			}
			l = l[:j] + l[j+1+len(skolemPrefix):j+k] + l[j+k+1:]
		}
		out[i] = l
	}
	return out
}
