package badge

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash"
	"strings"

	"github.com/multiformats/go-multibase"
)

// A relatedResource entry pins the content of a resource the credential
// names (a context, an image, a transcript) by its digest: digestSRI, a
// Subresource Integrity metadata string ("sha384-" and the standard base64
// of the digest), and digestMultibase, the multibase encoding of a digest
// (a multihash, or the bare SHA-256, SHA-384 or SHA-512 digest). The data
// model check (CheckDataModel) checks their syntax;
// CheckRelatedResources checks them against content the caller has.

// sriAlgorithms are the hash functions Subresource Integrity names, by
// strength (a larger value is stronger).
var sriAlgorithms = map[string]struct {
	new      func() hash.Hash
	size     int
	strength int
}{
	"sha256": {sha256.New, sha256.Size, 1},
	"sha384": {sha512.New384, sha512.Size384, 2},
	"sha512": {sha512.New, sha512.Size, 3},
}

// sriExpression is one hash expression of an SRI metadata string.
type sriExpression struct {
	alg    string
	digest []byte
}

// parseSRI parses SRI metadata: hash expressions separated by white space,
// each "alg-base64" with optional "?options" (ignored). Every expression
// must name sha256, sha384 or sha512 and carry a digest of its length.
func parseSRI(s string) ([]sriExpression, error) {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return nil, fmt.Errorf("no hash expression")
	}
	out := make([]sriExpression, 0, len(fields))
	for _, f := range fields {
		f, _, _ = strings.Cut(f, "?")
		alg, b64, ok := strings.Cut(f, "-")
		a, known := sriAlgorithms[alg]
		if !ok || !known {
			return nil, fmt.Errorf("%q is not sha256-, sha384- or sha512- followed by a digest", f)
		}
		d, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			return nil, fmt.Errorf("%q: the digest is not standard base64", f)
		}
		if len(d) != a.size {
			return nil, fmt.Errorf("%q: a %s digest is %d bytes, got %d", f, alg, a.size, len(d))
		}
		out = append(out, sriExpression{alg, d})
	}
	return out, nil
}

// multihash codes of the digests digestMultibase may carry.
var multihashAlgorithms = map[byte]string{0x12: "sha256", 0x20: "sha384", 0x13: "sha512"}

// parseDigestMultibase decodes digestMultibase: a multihash of SHA-256,
// SHA-384 or SHA-512, or a bare digest of one of their lengths.
func parseDigestMultibase(s string) (sriExpression, error) {
	_, d, err := multibase.Decode(s)
	if err != nil {
		return sriExpression{}, fmt.Errorf("not a multibase string: %v", err)
	}
	if len(d) >= 2 {
		if alg, ok := multihashAlgorithms[d[0]]; ok && int(d[1]) == sriAlgorithms[alg].size && len(d) == 2+int(d[1]) {
			return sriExpression{alg, d[2:]}, nil
		}
	}
	for alg, a := range sriAlgorithms {
		if len(d) == a.size {
			return sriExpression{alg, d}, nil
		}
	}
	return sriExpression{}, fmt.Errorf("%d bytes: neither a SHA-256, SHA-384 or SHA-512 multihash nor such a digest", len(d))
}

// digestSyntax returns what is wrong with a relatedResource's digestSRI or
// digestMultibase value, or "".
func digestSyntax(key, value string) string {
	var err error
	if key == "digestSRI" {
		_, err = parseSRI(value)
	} else {
		_, err = parseDigestMultibase(value)
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

// CheckRelatedResources checks the relatedResource digests of a credential,
// or of a presentation and the credentials embedded in it, against the
// content the caller holds, by resource id: a digest that does not match
// is a violation. Resources absent from content are not checked (they are
// never fetched). It returns nil or a *DataModelError.
func CheckRelatedResources(doc []byte, content map[string][]byte) error {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return CheckRelatedResourcesDecoded(v, content)
}

// CheckRelatedResourcesDecoded is CheckRelatedResources for a document
// already decoded with encoding/json.
func CheckRelatedResourcesDecoded(doc any, content map[string][]byte) error {
	if len(content) == 0 {
		return nil
	}
	var c dmCheck
	c.relatedDigests("", doc, content)
	if m, ok := doc.(map[string]any); ok && hasType(m["type"], "VerifiablePresentation") {
		for p, it := range items("/verifiableCredential", m["verifiableCredential"]) {
			c.relatedDigests(p, it, content)
		}
	}
	if len(c.v) > 0 {
		return &DataModelError{c.v}
	}
	return nil
}

func (c *dmCheck) relatedDigests(ptr string, doc any, content map[string][]byte) {
	m, ok := doc.(map[string]any)
	if !ok {
		return
	}
	v, ok := m["relatedResource"]
	if !ok {
		return
	}
	for p, it := range items(ptr+"/relatedResource", v) {
		o, _ := it.(map[string]any)
		id, _ := o["id"].(string)
		body, held := content[id]
		if !held {
			continue
		}
		if s, ok := o["digestSRI"].(string); ok {
			exprs, err := parseSRI(s)
			switch {
			case err != nil:
				c.add(p+"/digestSRI", "%v", err)
			case !sriMatches(exprs, body):
				c.add(p+"/digestSRI", "does not match the content of %s", id)
			}
		}
		if s, ok := o["digestMultibase"].(string); ok {
			e, err := parseDigestMultibase(s)
			switch {
			case err != nil:
				c.add(p+"/digestMultibase", "%v", err)
			case !sriMatches([]sriExpression{e}, body):
				c.add(p+"/digestMultibase", "does not match the content of %s", id)
			}
		}
	}
}

// sriMatches applies the Subresource Integrity rule: the content matches
// when it matches one of the expressions of the strongest algorithm given.
func sriMatches(exprs []sriExpression, body []byte) bool {
	strongest := 0
	for _, e := range exprs {
		strongest = max(strongest, sriAlgorithms[e.alg].strength)
	}
	for _, e := range exprs {
		a := sriAlgorithms[e.alg]
		if a.strength != strongest {
			continue
		}
		h := a.new()
		h.Write(body)
		if bytes.Equal(h.Sum(nil), e.digest) {
			return true
		}
	}
	return false
}
