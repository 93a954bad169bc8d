package badge

import (
	"encoding/json"
	"fmt"
	"iter"
	"regexp"
	"slices"
	"strings"
)

// Violation is one way a credential or presentation breaks a MUST of the W3C
// Verifiable Credentials Data Model (2.0, or 1.1 for a credential whose
// first context is the 1.1 one): where (a JSON pointer) and what.
type Violation struct {
	Pointer string
	Rule    string
}

func (v Violation) String() string {
	p := v.Pointer
	if p == "" {
		p = "/"
	}
	return p + ": " + v.Rule
}

// DataModelError lists the data model violations of a document. It wraps
// ErrMalformed.
type DataModelError struct {
	Violations []Violation
}

func (e *DataModelError) Error() string {
	parts := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		parts[i] = v.String()
	}
	return "breaks the Verifiable Credentials data model: " + strings.Join(parts, "; ")
}

// Unwrap returns ErrMalformed.
func (e *DataModelError) Unwrap() error { return ErrMalformed }

// CheckDataModel checks a credential or a presentation (JSON) against the
// MUSTs of the Verifiable Credentials Data Model that need no JSON-LD
// processing and no network: @context (present, the base context first,
// every entry a URL or an object), id values (a single URL), type (present,
// with VerifiableCredential or VerifiablePresentation, every value a
// non-empty string), issuer (a URL, or an object whose id is one),
// credentialSubject (present, every subject an object with at least one
// claim), validFrom and validUntil (date-time stamps with a time zone,
// validFrom not after validUntil; issuanceDate required by 1.1),
// credentialStatus, credentialSchema (id and type), termsOfUse, evidence,
// refreshService and proof objects (each with a type), name and
// description (a string or language value objects of @value, @language
// and @direction only), relatedResource (objects with a unique URL id and
// a digestSRI or digestMultibase of valid syntax), and a presentation's holder (a URL, or
// an object whose id is one) and verifiableCredential (objects: embedded
// credentials, each checked in turn, or EnvelopedVerifiableCredential
// objects whose id is a data: URL). It returns nil or a *DataModelError.
//
// It does not read the bytes' limits (parse first) and does no I/O.
func CheckDataModel(data []byte) error {
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return CheckDataModelDecoded(doc)
}

// CheckDataModelDecoded is CheckDataModel for a document already decoded
// with encoding/json into an any (numbers as float64 or json.Number), for
// callers that check the same document in several ways and decode it once.
// It does not change doc.
func CheckDataModelDecoded(doc any) error {
	m, ok := doc.(map[string]any)
	if !ok {
		return &DataModelError{[]Violation{{"", "a credential or presentation is a JSON object"}}}
	}
	var c dmCheck
	if hasType(m["type"], "VerifiablePresentation") {
		c.presentation("", m)
	} else {
		c.credential("", m)
	}
	if len(c.v) == 0 {
		return nil
	}
	return &DataModelError{c.v}
}

type dmCheck struct{ v []Violation }

// urlOrObject checks that member key of m (present) is a URL or an object
// whose id is one (an issuer, a holder), and returns the object, if it is
// one.
func (c *dmCheck) urlOrObject(ptr string, m map[string]any, key string) map[string]any {
	switch v := m[key].(type) {
	case nil:
		c.add(ptr+"/"+key, "MUST be a URL or an object with an id, got null")
	case string:
		if !IsURL(v) {
			c.add(ptr+"/"+key, "MUST be a URL, got %q", v)
		}
	case map[string]any:
		if s, ok := v["id"].(string); !ok || !IsURL(s) {
			c.add(ptr+"/"+key+"/id", "a"+article(key)+" "+key+" object MUST have an id that is a URL, got %s", show(v["id"]))
		}
		return v
	default:
		c.add(ptr+"/"+key, "MUST be a URL or an object with an id, got %s", show(v))
	}
	return nil
}

// article is "n" before a vowel ("an issuer"), else "" ("a holder").
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "n"
	}
	return ""
}

func (c *dmCheck) add(ptr, format string, args ...any) {
	c.v = append(c.v, Violation{ptr, fmt.Sprintf(format, args...)})
}

// IsURL reports whether s is an absolute URL as the data model means it: a
// scheme (RFC 3986: a letter, then letters, digits, "+", "-" and "."), a
// colon and at least one more character, with no white space and no control
// character anywhere (https://..., did:..., urn:uuid:...).
//
// It reads bytes: every byte it refuses after the colon (space, tab, line
// feed, form feed, carriage return, the other C0 controls and DEL) is
// ASCII, so a byte of a multi-byte or invalid UTF-8 sequence never is one.
func IsURL(s string) bool {
	if len(s) == 0 || !isAlpha(s[0]) {
		return false
	}
	i := 1
	for ; i < len(s) && s[i] != ':'; i++ {
		if c := s[i]; !isAlpha(c) && !('0' <= c && c <= '9') && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	if i+1 >= len(s) { // no colon, or nothing after it
		return false
	}
	for _, c := range []byte(s[i+1:]) {
		if c <= ' ' || c == 0x7f {
			return false
		}
	}
	return true
}

func isAlpha(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// dateTimeStamp is an XML Schema dateTimeStamp: a date-time with a zone.
var dateTimeStamp = regexp.MustCompile(`^-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$`)

// dateTime is an XML Schema dateTime: the zone is optional (VC 1.1).
var dateTime = regexp.MustCompile(`^-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?$`)

func hasType(v any, want string) bool {
	switch t := v.(type) {
	case string:
		return t == want
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok && s == want {
				return true
			}
		}
	}
	return false
}

// list returns v as a list: an array's items, or v alone.
func list(v any) []any {
	if a, ok := v.([]any); ok {
		return a
	}
	return []any{v}
}

// items yields the values of v (one value, or an array's items) with
// their JSON pointers: ptr for a single value, ptr/i for an array's.
func items(ptr string, v any) iter.Seq2[string, any] {
	return func(yield func(string, any) bool) {
		a, arr := v.([]any)
		if !arr {
			yield(ptr, v)
			return
		}
		for i, it := range a {
			if !yield(fmt.Sprintf("%s/%d", ptr, i), it) {
				return
			}
		}
	}
}

// context checks @context; it returns whether the document is VC 1.1.
func (c *dmCheck) context(ptr string, m map[string]any, base []string) bool {
	raw, ok := m["@context"]
	if !ok {
		c.add(ptr+"/@context", "missing: a credential or presentation MUST include @context")
		return false
	}
	vals := list(raw)
	if len(vals) == 0 {
		c.add(ptr+"/@context", "empty")
		return false
	}
	first, _ := vals[0].(string)
	if !slices.Contains(base, first) {
		c.add(ptr+"/@context/0", "the first context MUST be %s, got %v", base[0], vals[0])
	}
	for i, it := range vals {
		switch x := it.(type) {
		case string:
			if !IsURL(x) {
				c.add(fmt.Sprintf("%s/@context/%d", ptr, i), "%q is not a URL", x)
			}
		case map[string]any:
		default:
			c.add(fmt.Sprintf("%s/@context/%d", ptr, i), "a context is a URL or an object, got %v", it)
		}
	}
	return first == ContextV1
}

// types checks type: present, non-empty strings, including want (if set).
func (c *dmCheck) types(ptr string, v any, present bool, want string) {
	if !present {
		c.add(ptr+"/type", "missing: a type is REQUIRED")
		return
	}
	vals := list(v)
	if len(vals) == 0 {
		c.add(ptr+"/type", "empty: at least one type is REQUIRED")
	}
	for i, it := range vals {
		if s, ok := it.(string); !ok || s == "" {
			c.add(fmt.Sprintf("%s/type/%d", ptr, i), "a type is a non-empty string, got %v", it)
		}
	}
	if want != "" && !hasType(v, want) {
		c.add(ptr+"/type", "MUST include %s", want)
	}
}

// id checks an optional id: a single URL.
func (c *dmCheck) id(ptr string, m map[string]any) {
	v, ok := m["id"]
	if !ok {
		return
	}
	s, isStr := v.(string)
	if !isStr || !IsURL(s) {
		c.add(ptr+"/id", "an id MUST be a single URL, got %s", show(v))
	}
}

func show(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 80 {
		b = append(b[:77], "..."...)
	}
	return string(b)
}

// typedObjects checks a property whose values are objects, each with a
// type (and, with needID, an id); ids are single URLs.
func (c *dmCheck) typedObjects(ptr string, m map[string]any, name string, needID bool) {
	v, ok := m[name]
	if !ok {
		return
	}
	for p, it := range items(ptr+"/"+name, v) {
		o, ok := it.(map[string]any)
		if !ok {
			c.add(p, "a %s value MUST be an object, got %s", name, show(it))
			continue
		}
		t, has := o["type"]
		c.types(p, t, has, "")
		if _, has := o["id"]; needID && !has {
			c.add(p+"/id", "missing: each %s MUST have an id", name)
		}
		c.id(p, o)
	}
}

// text checks name or description: a string, a language value object, or
// an array of them.
func (c *dmCheck) text(ptr string, m map[string]any, name string) {
	v, ok := m[name]
	if !ok {
		return
	}
	for p, it := range items(ptr+"/"+name, v) {
		switch x := it.(type) {
		case string:
		case map[string]any:
			val, ok := x["@value"].(string)
			if !ok {
				c.add(p, "a language value object MUST have a string @value")
			}
			_ = val
			for k, kv := range x {
				switch k {
				case "@value":
				case "@language", "@direction":
					if s, ok := kv.(string); !ok || s == "" {
						c.add(p+"/"+k, "MUST be a non-empty string")
					}
				default:
					c.add(p+"/"+k, "a language value object holds only @value, @language and @direction")
				}
			}
		default:
			c.add(p, "%s MUST be a string or a language value object, got %s", name, show(it))
		}
	}
}

func (c *dmCheck) credential(ptr string, m map[string]any) {
	v11 := c.context(ptr, m, []string{ContextV2, ContextV1})
	c.id(ptr, m)
	t, has := m["type"]
	c.types(ptr, t, has, "VerifiableCredential")
	c.text(ptr, m, "name")
	c.text(ptr, m, "description")
	if _, present := m["issuer"]; !present {
		c.add(ptr+"/issuer", "missing: a credential MUST have an issuer")
	} else if is := c.urlOrObject(ptr, m, "issuer"); is != nil {
		c.text(ptr+"/issuer", is, "name")
		c.text(ptr+"/issuer", is, "description")
	}
	if subj, ok := m["credentialSubject"]; !ok {
		c.add(ptr+"/credentialSubject", "missing: a credential MUST have a credentialSubject")
	} else {
		if a, ok := subj.([]any); ok && len(a) == 0 {
			c.add(ptr+"/credentialSubject", "empty")
		}
		for p, it := range items(ptr+"/credentialSubject", subj) {
			o, ok := it.(map[string]any)
			switch {
			case !ok:
				c.add(p, "a credentialSubject MUST be an object, got %s", show(it))
			case len(o) == 0:
				c.add(p, "a credentialSubject MUST make at least one claim (an id or a property)")
			default:
				c.id(p, o)
			}
		}
	}
	// validFrom later than validUntil is refused by the parser, which
	// reads every zone.
	c.date(ptr, m, "validFrom", v11)
	c.date(ptr, m, "validUntil", v11)
	if v11 {
		c.date(ptr, m, "issuanceDate", true)
		c.date(ptr, m, "expirationDate", true)
		if _, ok := m["issuanceDate"]; !ok {
			c.add(ptr+"/issuanceDate", "missing: a VC 1.1 credential MUST have an issuanceDate")
		}
	}
	c.typedObjects(ptr, m, "credentialStatus", false)
	c.typedObjects(ptr, m, "credentialSchema", true)
	c.typedObjects(ptr, m, "termsOfUse", false)
	c.typedObjects(ptr, m, "evidence", false)
	c.typedObjects(ptr, m, "refreshService", false)
	c.typedObjects(ptr, m, "proof", false)
	if !v11 {
		c.proofDates(ptr, m)
	}
	c.relatedResource(ptr, m)
}

// proofDates checks that a VC 2.0 document's proofs date themselves with
// date-time stamps (Data Integrity: created and expires).
func (c *dmCheck) proofDates(ptr string, m map[string]any) {
	v, ok := m["proof"]
	if !ok {
		return
	}
	for p, it := range items(ptr+"/proof", v) {
		if o, ok := it.(map[string]any); ok {
			c.date(p, o, "created", false)
			c.date(p, o, "expires", false)
		}
	}
}

// CheckDateStamps checks only the dates of a VC 2.0 credential: validFrom,
// validUntil and each proof's created and expires must be XML Schema
// date-time stamps (with a time zone). A VC 1.1 document passes. It returns
// nil or a *DataModelError.
func CheckDateStamps(data []byte) error {
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if first, _ := list(m["@context"])[0].(string); first == ContextV1 {
		return nil
	}
	var c dmCheck
	c.date("", m, "validFrom", false)
	c.date("", m, "validUntil", false)
	c.proofDates("", m)
	if len(c.v) == 0 {
		return nil
	}
	return &DataModelError{c.v}
}

// date checks an optional date-time member and returns it ("" if absent).
func (c *dmCheck) date(ptr string, m map[string]any, name string, v11 bool) string {
	v, ok := m[name]
	if !ok {
		return ""
	}
	s, isStr := v.(string)
	re := dateTimeStamp
	if v11 {
		re = dateTime
	}
	if !isStr || !re.MatchString(s) {
		c.add(ptr+"/"+name, "MUST be an XML Schema date-time stamp (e.g. 2025-01-02T03:04:05Z), got %s", show(v))
		return ""
	}
	return s
}

func (c *dmCheck) relatedResource(ptr string, m map[string]any) {
	v, ok := m["relatedResource"]
	if !ok {
		return
	}
	seen := map[string]bool{}
	for p, it := range items(ptr+"/relatedResource", v) {
		o, ok := it.(map[string]any)
		if !ok {
			c.add(p, "a relatedResource MUST be an object, got %s", show(it))
			continue
		}
		id, ok := o["id"].(string)
		switch {
		case !ok || !IsURL(id):
			c.add(p+"/id", "a relatedResource MUST have an id that is a URL")
		case seen[id]:
			c.add(p+"/id", "%s is listed twice: relatedResource ids MUST be unique", id)
		}
		seen[id] = true
		_, sri := o["digestSRI"]
		_, mb := o["digestMultibase"]
		if !sri && !mb {
			c.add(p, "a relatedResource MUST have a digestSRI or a digestMultibase")
		}
		for _, k := range []string{"digestSRI", "digestMultibase", "mediaType"} {
			x, ok := o[k]
			if !ok {
				continue
			}
			s, isStr := x.(string)
			switch {
			case !isStr || s == "":
				c.add(p+"/"+k, "MUST be a non-empty string")
			case k != "mediaType":
				if bad := digestSyntax(k, s); bad != "" {
					c.add(p+"/"+k, "MUST be a %s digest: %s", map[string]string{"digestSRI": "Subresource Integrity", "digestMultibase": "multibase"}[k], bad)
				}
			}
		}
	}
}

func (c *dmCheck) presentation(ptr string, m map[string]any) {
	c.context(ptr, m, []string{ContextV2, ContextV1})
	c.id(ptr, m)
	t, has := m["type"]
	c.types(ptr, t, has, "VerifiablePresentation")
	if _, present := m["holder"]; present {
		c.urlOrObject(ptr, m, "holder")
	}
	c.typedObjects(ptr, m, "termsOfUse", false)
	c.typedObjects(ptr, m, "proof", false)
	v, ok := m["verifiableCredential"]
	if !ok {
		return // a presentation with no credential is a valid presentation
	}
	for p, it := range items(ptr+"/verifiableCredential", v) {
		o, ok := it.(map[string]any)
		if !ok {
			c.add(p, "a verifiableCredential value MUST be an object (a credential, or an EnvelopedVerifiableCredential), got %s", show(it))
			continue
		}
		if hasType(o["type"], "EnvelopedVerifiableCredential") {
			c.envelope(p, o)
			continue
		}
		c.credential(p, o)
	}
}

// envelope checks an EnvelopedVerifiableCredential: @context with the
// base context, type, and an id that is a data: URL.
func (c *dmCheck) envelope(ptr string, o map[string]any) {
	c.context(ptr, o, []string{ContextV2})
	if id, ok := o["id"].(string); !ok || !strings.HasPrefix(id, "data:") || !strings.Contains(id, ",") {
		c.add(ptr+"/id", "an EnvelopedVerifiableCredential's id MUST be a data: URL holding the secured credential")
	}
}
