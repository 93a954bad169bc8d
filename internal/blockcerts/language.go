package blockcerts

import (
	"encoding/json"
	"strconv"
)

// prepare readies a freshly decoded certificate for hashing, in place:
//
//   - every "@language" member of a node object (an object without
//     "@value") outside @context is removed, as jsonld.js, which Blockcerts
//     issuers hash with, ignores it: a certificate whose credentialSubject
//     objects carry "@language" (one subject per language) then hashes as
//     its issuer hashed it. json-gold rejects such objects. Value objects
//     keep their "@language", and so do contexts (a default language);
//   - every number becomes the float64 encoding/json gives it, which is
//     what JSON-LD processing reads (a context's "@version": 1.1 too).
//
// Both are idempotent, so a certificate prepared once serves every proof.
func prepare(v any, inContext bool) any {
	switch x := v.(type) {
	case map[string]any:
		if !inContext {
			if _, isValue := x["@value"]; !isValue {
				delete(x, "@language")
			}
		}
		for k, c := range x {
			x[k] = prepare(c, inContext || k == "@context")
		}
	case []any:
		for i, c := range x {
			x[i] = prepare(c, inContext)
		}
	case json.Number:
		// jsonx.Decode has refused numbers no float64 holds exactly.
		f, err := strconv.ParseFloat(string(x), 64)
		if err == nil {
			return f
		}
	}
	return v
}
