package badge

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// fromDecoded sets *dst (a pointer) from v, a value of the parse's
// decoding (jsonx.Decode), as json.Unmarshal of the value's bytes would,
// without reading the bytes again. Its strings are copies: the decoding's
// are slices of one copy of the whole document, which a string kept for
// long (a cache key, a Report) would otherwise keep alive. It handles the shapes well-formed
// credentials have and reports false for anything else (a null, a type
// that does not match, a member name that matches a field only when case
// is ignored, a field that keeps raw bytes): the caller then zeroes *dst
// and decodes the bytes with encoding/json, which also words the error.
func fromDecoded(v any, dst any) bool {
	return setValue(v, reflect.ValueOf(dst).Elem())
}

func setValue(v any, dst reflect.Value) bool {
	if v == nil {
		return false
	}
	if dst.CanAddr() {
		switch p := dst.Addr().Interface().(type) {
		case *Strings:
			return setStrings(v, (*[]string)(p))
		case *Text:
			return setText(v, p)
		case *Image:
			if s, ok := v.(string); ok {
				p.ID = strings.Clone(s)
				return true
			}
			return setStruct(v, dst)
		case *Profile:
			if s, ok := v.(string); ok {
				p.ID = strings.Clone(s)
				return true
			}
			return setStruct(v, dst)
		case *Subject:
			return setSubject(v, p)
		case *List[Subject], *List[Status], *List[Schema], *List[Evidence]:
			// One value or an array (oneOrMany).
			if _, isArr := v.([]any); !isArr {
				v = []any{v}
			}
			return setSlice(v, dst)
		case *json.RawMessage:
			return false // the original bytes are not at hand
		case json.Unmarshaler:
			return false // a type of its own decoding not handled here
		}
	}
	switch dst.Kind() {
	case reflect.String:
		s, ok := v.(string)
		if ok {
			dst.SetString(strings.Clone(s))
		}
		return ok
	case reflect.Bool:
		b, ok := v.(bool)
		if ok {
			dst.SetBool(b)
		}
		return ok
	case reflect.Float64:
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil {
			return false
		}
		dst.SetFloat(f)
		return true
	case reflect.Pointer:
		e := reflect.New(dst.Type().Elem())
		if !setValue(v, e.Elem()) {
			return false
		}
		dst.Set(e)
		return true
	case reflect.Slice:
		return setSlice(v, dst)
	case reflect.Struct:
		return setStruct(v, dst)
	}
	return false
}

func setSlice(v any, dst reflect.Value) bool {
	a, ok := v.([]any)
	if !ok {
		return false
	}
	s := reflect.MakeSlice(dst.Type(), len(a), len(a))
	for i, e := range a {
		if !setValue(e, s.Index(i)) {
			return false
		}
	}
	dst.Set(s)
	return true
}

func setStrings(v any, dst *[]string) bool {
	switch x := v.(type) {
	case string:
		*dst = []string{strings.Clone(x)}
		return true
	case []any:
		out := make([]string, len(x))
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				return false
			}
			out[i] = strings.Clone(s)
		}
		*dst = out
		return true
	}
	return false
}

func setText(v any, t *Text) bool {
	items, isArr := v.([]any)
	if !isArr {
		items = []any{v}
	}
	t.Values = nil
	for _, it := range items {
		switch x := it.(type) {
		case string:
			t.Values = append(t.Values, LangValue{Value: strings.Clone(x)})
		case map[string]any:
			var lv LangValue
			if !setStruct(x, reflect.ValueOf(&lv).Elem()) {
				return false
			}
			t.Values = append(t.Values, lv)
		default:
			return false
		}
	}
	return true
}

func setSubject(v any, s *Subject) bool {
	m, ok := v.(map[string]any)
	if !ok || !setStructExcept(m, reflect.ValueOf(s).Elem(), "achievement") {
		return false
	}
	switch a := m["achievement"].(type) {
	case nil:
		if _, present := m["achievement"]; present {
			return false
		}
	case []any:
		return setSlice(a, reflect.ValueOf(&s.Achievements).Elem())
	case map[string]any:
		s.Achievement = new(Achievement)
		return setStruct(a, reflect.ValueOf(s.Achievement).Elem())
	default:
		return false
	}
	return true
}

func setStruct(v any, dst reflect.Value) bool {
	m, ok := v.(map[string]any)
	return ok && setStructExcept(m, dst, "")
}

// setStructExcept sets the fields of dst from the members of m, but for
// member skip.
func setStructExcept(m map[string]any, dst reflect.Value, skip string) bool {
	fs := fieldsOf(dst.Type())
	if fs.embedded {
		return false
	}
	for k, e := range m {
		if k == skip {
			continue
		}
		i, ok := fs.exact[k]
		if !ok {
			if fs.folded(k) {
				return false // encoding/json would set a field from it
			}
			continue // ignored, as encoding/json ignores it
		}
		if !setValue(e, dst.Field(i)) {
			return false
		}
	}
	return true
}

// structFields are the JSON names of a struct's fields.
type structFields struct {
	exact map[string]int
	names []string
	// embedded: the struct embeds another, whose fields encoding/json
	// promotes; not handled here.
	embedded bool
}

// folded reports whether k names a field when case is ignored.
func (f *structFields) folded(k string) bool {
	for _, n := range f.names {
		if strings.EqualFold(n, k) {
			return true
		}
	}
	return false
}

var fieldCache sync.Map // reflect.Type -> *structFields

func fieldsOf(t reflect.Type) *structFields {
	if f, ok := fieldCache.Load(t); ok {
		return f.(*structFields)
	}
	f := &structFields{exact: map[string]int{}}
	for i := range t.NumField() {
		sf := t.Field(i)
		if sf.Anonymous {
			f.embedded = true
		}
		if !sf.IsExported() || sf.Anonymous {
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		f.exact[name] = i
		f.names = append(f.names, name)
	}
	fieldCache.Store(t, f)
	return f
}
