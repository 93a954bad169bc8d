package obschema

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed ob_v3p0_achievementcredential_schema.json
var schemaJSON []byte

// SchemaID is the $id of the embedded schema.
const SchemaID = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json-ld/ob_v3p0_achievementcredential_schema.json"

// MaxSize is the largest document Validate accepts, in bytes.
const MaxSize = 1 << 20

var (
	// ErrInvalid: the document does not satisfy the schema. The error is a
	// *ValidationError listing each failure.
	ErrInvalid = errors.New("obschema: credential does not match the Open Badges 3.0 schema")
	// ErrMalformed: the input is not one JSON object within MaxSize.
	ErrMalformed = errors.New("obschema: malformed JSON")
)

// Failure is one schema violation.
type Failure struct {
	// Pointer is the JSON pointer of the offending value in the document
	// ("" for the root).
	Pointer string
	Message string
}

// ValidationError lists the schema violations, innermost first.
type ValidationError struct {
	Failures []Failure
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString(ErrInvalid.Error())
	for _, f := range e.Failures {
		p := f.Pointer
		if p == "" {
			p = "/"
		}
		fmt.Fprintf(&b, "; at %s: %s", p, f.Message)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

var compiled = sync.OnceValues(func() (*compiledSchema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	// Resolve nothing outside the embedded document.
	c.UseLoader(noLoader{})
	if err := c.AddResource(SchemaID, doc); err != nil {
		return nil, err
	}
	s, err := c.Compile(SchemaID)
	if err != nil {
		return nil, err
	}
	raw, ok := doc.(map[string]any)
	if !ok {
		return nil, errors.New("obschema: embedded schema is not a JSON object")
	}
	cs := &compiledSchema{schema: s, raw: raw}
	cs.plan = cs.compileWrap(raw, map[uintptr]*wrapPlan{})
	defs, _ := raw["$defs"].(map[string]any)
	if f, err := compileFast(raw, defs, map[string]*fastSchema{}); err == nil && cs.plan.single() {
		cs.fast = f
	}
	return cs, nil
})

type compiledSchema struct {
	schema *jsonschema.Schema
	raw    map[string]any
	// plan is wrapArrays compiled (wrapplan.go).
	plan *wrapPlan
	// fast answers "valid" for most documents at a fraction of the
	// library's cost (fast.go); nil if the schema has a keyword it does
	// not know.
	fast *fastSchema
}

type noLoader struct{}

func (noLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("obschema: refusing to load %s: only the embedded schema is used", url)
}

// Validate checks doc, an Open Badges 3.0 AchievementCredential (or
// OpenBadgeCredential), against the embedded schema after wrapping single
// values where the schema demands arrays.
func Validate(doc []byte) error {
	if len(doc) > MaxSize {
		return fmt.Errorf("%w: %d bytes, limit %d", ErrMalformed, len(doc), MaxSize)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return ValidateDecoded(v)
}

// ValidateDecoded is Validate for a document already decoded by
// encoding/json into an any with numbers as json.Number (a Decoder with
// UseNumber), for callers that check one document in several ways and
// decode it once. v is not changed (single values are wrapped into arrays
// in a copy of what contains them), so it may be shared.
func ValidateDecoded(v any) error {
	if _, ok := v.(map[string]any); !ok {
		return fmt.Errorf("%w: want a JSON object", ErrMalformed)
	}
	cs, err := compiled()
	if err != nil {
		return fmt.Errorf("obschema: embedded schema: %w", err)
	}
	if cs.fast != nil && cs.fast.validWrapped(v, cs.plan, 0, 0) {
		return nil
	}
	v = cs.plan.apply(v, 0)
	err = cs.schema.Validate(v)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return &ValidationError{Failures: leaves(ve)}
}

// leaves collects the innermost causes, which name the concrete problems.
func leaves(ve *jsonschema.ValidationError) []Failure {
	var out []Failure
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			msg := e.Error()
			// The library prefixes "at '<location>': "; the pointer says that.
			if strings.HasPrefix(msg, "at '") {
				if i := strings.Index(msg, "': "); i >= 0 {
					msg = msg[i+3:]
				}
			}
			out = append(out, Failure{Pointer: pointer(e.InstanceLocation), Message: strings.TrimSpace(msg)})
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pointer < out[j].Pointer })
	return out
}

func pointer(loc []string) string {
	var b strings.Builder
	for _, t := range loc {
		b.WriteByte('/')
		b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(t))
	}
	return b.String()
}

// maxWrapDepth bounds how deep wrapArrays follows the document.
const maxWrapDepth = 64

// wrapArrays wraps single values into arrays wherever sch (followed through
// $ref, properties, items, allOf and oneOf) declares type "array", and
// returns v or its wrapped form. ValidateDecoded applies it compiled
// (wrapPlan); this is its definition, which the tests hold the plan to. v is not changed: an object or array with
// a changed member is copied, so callers may share v (ValidateDecoded).
func (cs *compiledSchema) wrapArrays(v any, sch map[string]any, depth int) any {
	sch = cs.resolve(sch)
	if sch == nil || depth > maxWrapDepth {
		return v
	}
	if isArraySchema(sch, cs) {
		if _, isArr := v.([]any); !isArr && v != nil {
			v = []any{v}
		}
	}
	switch x := v.(type) {
	case []any:
		if items, _ := sch["items"].(map[string]any); items != nil {
			var out []any
			for i, e := range x {
				w := cs.wrapArrays(e, items, depth+1)
				if out == nil && !same(w, e) {
					out = slices.Clone(x)
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
		for _, s := range cs.objectSchemas(sch) {
			props, _ := s["properties"].(map[string]any)
			for k, ps := range props {
				cur := x
				if out != nil {
					cur = out
				}
				if e, ok := cur[k]; ok {
					if m, ok := ps.(map[string]any); ok {
						w := cs.wrapArrays(e, m, depth+1)
						if !same(w, e) {
							if out == nil {
								out = maps.Clone(x)
							}
							out[k] = w
						}
					}
				}
			}
		}
		if out != nil {
			return out
		}
	}
	return v
}

// same reports whether wrapArrays returned its input unchanged: the same
// scalar, or the same array or object (not a copy).
func same(a, b any) bool {
	switch x := a.(type) {
	case []any:
		y, ok := b.([]any)
		return ok && len(x) == len(y) && (len(x) == 0 || &x[0] == &y[0])
	case map[string]any:
		y, ok := b.(map[string]any)
		return ok && reflect.ValueOf(x).UnsafePointer() == reflect.ValueOf(y).UnsafePointer()
	}
	_, isArr := b.([]any)
	_, isMap := b.(map[string]any)
	return !isArr && !isMap
}

// objectSchemas returns sch and the object-typed members of its allOf and
// oneOf, resolved.
func (cs *compiledSchema) objectSchemas(sch map[string]any) []map[string]any {
	out := []map[string]any{sch}
	for _, k := range []string{"allOf", "oneOf"} {
		list, _ := sch[k].([]any)
		for _, m := range list {
			if ms, ok := m.(map[string]any); ok {
				if r := cs.resolve(ms); r != nil && r["type"] == "object" {
					out = append(out, r)
				}
			}
		}
	}
	return out
}

func isArraySchema(sch map[string]any, cs *compiledSchema) bool {
	if sch["type"] == "array" {
		return true
	}
	list, _ := sch["allOf"].([]any)
	for _, m := range list {
		if ms, ok := m.(map[string]any); ok {
			if r := cs.resolve(ms); r != nil && r["type"] == "array" {
				return true
			}
		}
	}
	return false
}

// resolve follows local "#/$defs/..." references.
func (cs *compiledSchema) resolve(sch map[string]any) map[string]any {
	for range 8 {
		ref, ok := sch["$ref"].(string)
		if !ok {
			return sch
		}
		name, ok := strings.CutPrefix(ref, "#/$defs/")
		if !ok {
			return nil
		}
		defs, _ := cs.raw["$defs"].(map[string]any)
		next, _ := defs[name].(map[string]any)
		if next == nil {
			return nil
		}
		sch = next
	}
	return nil
}
