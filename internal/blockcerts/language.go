package blockcerts

// dropNodeLanguage returns v with every "@language" member of a node
// object (an object without "@value") left out, as jsonld.js, which
// Blockcerts issuers hash with, ignores it: a certificate whose
// credentialSubject objects carry "@language" (one subject per language)
// then hashes as its issuer hashed it. json-gold rejects such objects. v is
// not modified; value objects keep their "@language".
func dropNodeLanguage(v any) any {
	switch x := v.(type) {
	case map[string]any:
		_, isValue := x["@value"]
		_, hasLang := x["@language"]
		out := make(map[string]any, len(x))
		for k, c := range x {
			switch {
			case k == "@context":
				out[k] = c
			case k == "@language" && !isValue && hasLang:
				// dropped
			default:
				out[k] = dropNodeLanguage(c)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, c := range x {
			out[i] = dropNodeLanguage(c)
		}
		return out
	}
	return v
}
