package openid4vp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/badgeproof/badgeproof/verify"
)

// Credential formats of DCQL queries (OpenID4VP 1.0 appendix B).
const (
	// FormatLDPVC is a W3C credential secured with Data Integrity, presented
	// in a VerifiablePresentation whose proof binds the nonce (challenge) and
	// the client identifier (domain): the format of this SDK's badges.
	FormatLDPVC = "ldp_vc"
	// FormatJWTVCJSON is a W3C credential secured as a JWT (VC-JWT, the VC
	// 1.1 JWT encoding), presented in a VC 1.1 presentation JWT signed by
	// the holder whose nonce claim is the request's nonce and whose aud is
	// the client identifier; claim paths start at the vc object.
	FormatJWTVCJSON = "jwt_vc_json"
	// FormatSDJWTVC is an IETF SD-JWT VC.
	FormatSDJWTVC = "dc+sd-jwt"
)

// Bounds of a query: enough for any employer's request, small enough that
// matching costs nothing.
const (
	MaxCredentialQueries = 16
	MaxClaimsPerQuery    = 32
	MaxPathLength        = 16
	MaxValues            = 16
	MaxSetOptions        = 16
)

// Query is a DCQL query: which credentials, with which claims, the relying
// party asks for.
type Query struct {
	Credentials    []CredentialQuery    `json:"credentials"`
	CredentialSets []CredentialSetQuery `json:"credential_sets,omitempty"`
}

// CredentialQuery asks for one credential (or several, when Multiple).
type CredentialQuery struct {
	// ID names the query; the response's vp_token is keyed by it.
	ID     string `json:"id"`
	Format string `json:"format"`
	// Multiple allows more than one presentation for this query.
	Multiple bool `json:"multiple,omitempty"`
	Meta     Meta `json:"meta"`
	// TrustedAuthorities names issuers the relying party trusts; the
	// Verifier's trust list decides in the end.
	TrustedAuthorities []TrustedAuthority `json:"trusted_authorities,omitempty"`
	// RequireCryptographicHolderBinding defaults to true.
	RequireCryptographicHolderBinding *bool `json:"require_cryptographic_holder_binding,omitempty"`
	// Claims are required unless ClaimSets names alternatives.
	Claims    []ClaimQuery `json:"claims,omitempty"`
	ClaimSets [][]string   `json:"claim_sets,omitempty"`
}

// Meta restricts the credentials a query matches: by W3C type (ldp_vc,
// jwt_vc_json) or by SD-JWT VC type (dc+sd-jwt).
type Meta struct {
	// TypeValues: the credential matches when it has every type of one of
	// the inner lists. Types are given as full IRIs (as the specification
	// says) or as the short names of the W3C and Open Badges contexts.
	TypeValues [][]string `json:"type_values,omitempty"`
	// VCTValues: an SD-JWT VC matches when its vct is one of them.
	VCTValues []string `json:"vct_values,omitempty"`
}

// TrustedAuthority names trusted issuers by a kind of identifier.
type TrustedAuthority struct {
	Type   string   `json:"type"`
	Values []string `json:"values"`
}

// AuthorityIssuerID is this SDK's trusted authority type (an extension of
// DCQL's trusted_authorities, whose aki, etsi_tl and openid_federation types
// name X.509 and federation trust, not issuers of W3C credentials): its
// values are issuer identifiers (DIDs) and a credential matches only when
// its issuer is one of them. Wallets that do not know the type ignore it;
// this package's wallet and relying party enforce it.
const AuthorityIssuerID = "issuer_id"

// TrustedIssuers is the trusted authority listing the issuers of a trust
// list, to put in a credential query's TrustedAuthorities.
func TrustedIssuers(tl *verify.TrustList) TrustedAuthority {
	ta := TrustedAuthority{Type: AuthorityIssuerID}
	if tl != nil {
		for _, is := range tl.Issuers {
			ta.Values = append(ta.Values, is.ID)
		}
	}
	return ta
}

// ClaimQuery asks for one claim by its path in the credential: strings
// select object members, integers array elements and null every element.
type ClaimQuery struct {
	ID   string `json:"id,omitempty"`
	Path []any  `json:"path"`
	// Values, when given, are the only acceptable values (strings,
	// numbers, booleans).
	Values []any `json:"values,omitempty"`
}

// CredentialSetQuery: one of Options (each a list of credential query ids)
// must be satisfied, unless Required is false.
type CredentialSetQuery struct {
	Options  [][]string `json:"options"`
	Required *bool      `json:"required,omitempty"`
}

var idRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// Validate checks the query as OpenID4VP 1.0 section 6 describes it, within
// this package's bounds.
func (q *Query) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("dcql: "+format, args...)
	}
	if len(q.Credentials) == 0 || len(q.Credentials) > MaxCredentialQueries {
		return bad("%d credential queries, want 1 to %d", len(q.Credentials), MaxCredentialQueries)
	}
	ids := map[string]bool{}
	for _, c := range q.Credentials {
		if !idRE.MatchString(c.ID) {
			return bad("credential query id %q: use 1 to 64 letters, digits, _ or -", c.ID)
		}
		if ids[c.ID] {
			return bad("credential query id %q used twice", c.ID)
		}
		ids[c.ID] = true
		if c.Format == "" {
			return bad("credential query %q has no format", c.ID)
		}
		if len(c.Meta.TypeValues) > MaxSetOptions || len(c.Meta.VCTValues) > MaxSetOptions {
			return bad("credential query %q: too many meta values", c.ID)
		}
		switch c.Format {
		case FormatLDPVC, FormatJWTVCJSON:
			if len(c.Meta.TypeValues) == 0 {
				return bad("credential query %q: format %s needs meta.type_values", c.ID, c.Format)
			}
		case FormatSDJWTVC:
			if len(c.Meta.VCTValues) == 0 {
				return bad("credential query %q: format %s needs meta.vct_values", c.ID, c.Format)
			}
		}
		if len(c.TrustedAuthorities) > MaxSetOptions {
			return bad("credential query %q: too many trusted authorities", c.ID)
		}
		for _, ta := range c.TrustedAuthorities {
			if ta.Type == "" || len(ta.Values) == 0 || len(ta.Values) > 256 {
				return bad("credential query %q: a trusted authority needs a type and 1 to 256 values", c.ID)
			}
		}
		if len(c.Claims) > MaxClaimsPerQuery {
			return bad("credential query %q: %d claims, at most %d", c.ID, len(c.Claims), MaxClaimsPerQuery)
		}
		claimIDs := map[string]bool{}
		for _, cl := range c.Claims {
			if err := validPath(cl.Path); err != nil {
				return bad("credential query %q: %v", c.ID, err)
			}
			if len(cl.Values) > MaxValues {
				return bad("credential query %q: a claim lists %d values, at most %d", c.ID, len(cl.Values), MaxValues)
			}
			for _, v := range cl.Values {
				switch v.(type) {
				case string, float64, json.Number, bool, int, int64:
				default:
					return bad("credential query %q: claim values must be strings, numbers or booleans", c.ID)
				}
			}
			if cl.ID != "" {
				if !idRE.MatchString(cl.ID) || claimIDs[cl.ID] {
					return bad("credential query %q: claim id %q is invalid or used twice", c.ID, cl.ID)
				}
				claimIDs[cl.ID] = true
			} else if len(c.ClaimSets) > 0 {
				return bad("credential query %q: claim_sets need an id on every claim", c.ID)
			}
		}
		if len(c.ClaimSets) > 0 && len(c.Claims) == 0 {
			return bad("credential query %q: claim_sets without claims", c.ID)
		}
		if len(c.ClaimSets) > MaxSetOptions {
			return bad("credential query %q: too many claim sets", c.ID)
		}
		for _, set := range c.ClaimSets {
			if len(set) == 0 {
				return bad("credential query %q: an empty claim set", c.ID)
			}
			for _, id := range set {
				if !claimIDs[id] {
					return bad("credential query %q: claim set names unknown claim %q", c.ID, id)
				}
			}
		}
	}
	if len(q.CredentialSets) > MaxSetOptions {
		return bad("too many credential sets")
	}
	for _, s := range q.CredentialSets {
		if len(s.Options) == 0 || len(s.Options) > MaxSetOptions {
			return bad("a credential set has %d options, want 1 to %d", len(s.Options), MaxSetOptions)
		}
		for _, opt := range s.Options {
			if len(opt) == 0 {
				return bad("a credential set has an empty option")
			}
			for _, id := range opt {
				if !ids[id] {
					return bad("a credential set names unknown credential query %q", id)
				}
			}
		}
	}
	return nil
}

func validPath(p []any) error {
	if len(p) == 0 || len(p) > MaxPathLength {
		return fmt.Errorf("a claim path of %d elements, want 1 to %d", len(p), MaxPathLength)
	}
	for _, e := range p {
		switch v := e.(type) {
		case nil, string:
		case float64:
			if v < 0 || v != float64(int(v)) {
				return fmt.Errorf("claim path index %v is not a non-negative integer", v)
			}
		case int:
			if v < 0 {
				return fmt.Errorf("claim path index %d is negative", v)
			}
		default:
			return fmt.Errorf("claim path element %v is not a string, an index or null", e)
		}
	}
	return nil
}

// ParseQuery parses and validates a DCQL query.
func ParseQuery(data []byte) (*Query, error) {
	if len(data) > 64<<10 {
		return nil, fmt.Errorf("dcql: query of %d bytes, more than 64 KiB", len(data))
	}
	var q Query
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&q); err != nil {
		return nil, fmt.Errorf("dcql: %w", err)
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	return &q, nil
}

// Credential is what DCQL matching sees of one credential: its format, its
// types (W3C types, or the vct of an SD-JWT VC) and its claims as JSON
// (the whole W3C credential, or the disclosed claims of an SD-JWT).
type Credential struct {
	Format string
	Types  []string
	// Issuer is the issuer's identifier, for trusted_authorities of type
	// AuthorityIssuerID.
	Issuer string
	Claims json.RawMessage
}

// Match says whether cred satisfies query cq: same format, matching meta,
// and every required claim present (with an allowed value). It returns the
// claim paths that satisfy it, for a wallet's consent screen, or an error
// wrapping ErrUnrequestedCredential (format, type) or ErrMissingClaim.
func (cq *CredentialQuery) Match(cred Credential) ([][]any, error) {
	if cred.Format != cq.Format {
		return nil, fmt.Errorf("%w: format %s, the query %q asks for %s", ErrUnrequestedCredential, cred.Format, cq.ID, cq.Format)
	}
	if !cq.metaMatches(cred) {
		return nil, fmt.Errorf("%w: types %v are not the ones query %q asks for", ErrUnrequestedCredential, cred.Types, cq.ID)
	}
	for _, ta := range cq.TrustedAuthorities {
		if ta.Type == AuthorityIssuerID && !slices.Contains(ta.Values, cred.Issuer) {
			return nil, fmt.Errorf("%w: issuer %s is not one of the trusted issuers query %q names", ErrUnrequestedCredential, cred.Issuer, cq.ID)
		}
	}
	var doc any
	dec := json.NewDecoder(bytes.NewReader(cred.Claims))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%w: claims are not JSON: %v", ErrMalformedResponse, err)
	}
	if len(cq.Claims) == 0 {
		return nil, nil
	}
	present := map[int]bool{}
	var firstMissing string
	for i, cl := range cq.Claims {
		if claimPresent(doc, cl) {
			present[i] = true
		} else if firstMissing == "" {
			firstMissing = pathString(cl.Path)
		}
	}
	pick := func(idx []int) [][]any {
		out := make([][]any, 0, len(idx))
		for _, i := range idx {
			out = append(out, cq.Claims[i].Path)
		}
		return out
	}
	if len(cq.ClaimSets) == 0 {
		if firstMissing != "" {
			return nil, fmt.Errorf("%w: %s (query %q)", ErrMissingClaim, firstMissing, cq.ID)
		}
		all := make([]int, len(cq.Claims))
		for i := range all {
			all[i] = i
		}
		return pick(all), nil
	}
	for _, set := range cq.ClaimSets {
		var idx []int
		ok := true
		for _, id := range set {
			i := slices.IndexFunc(cq.Claims, func(c ClaimQuery) bool { return c.ID == id })
			if i < 0 || !present[i] {
				ok = false
				break
			}
			idx = append(idx, i)
		}
		if ok {
			return pick(idx), nil
		}
	}
	return nil, fmt.Errorf("%w: no claim set of query %q is satisfied (first missing: %s)", ErrMissingClaim, cq.ID, firstMissing)
}

func pathString(p []any) string {
	parts := make([]string, len(p))
	for i, e := range p {
		switch v := e.(type) {
		case nil:
			parts[i] = "*"
		case string:
			parts[i] = v
		default:
			parts[i] = fmt.Sprint(v)
		}
	}
	return strings.Join(parts, ".")
}

// PathString renders a claim path for people: members joined by dots, null as *.
func PathString(p []any) string { return pathString(p) }

// claimPresent evaluates the path (section 7 of OpenID4VP 1.0): a claim is
// present when the path selects at least one non-null element, and, when
// values are given, one of them equals a selected element.
func claimPresent(doc any, cl ClaimQuery) bool {
	sel := []any{doc}
	for _, e := range cl.Path {
		var next []any
		for _, cur := range sel {
			switch k := e.(type) {
			case string:
				if m, ok := cur.(map[string]any); ok {
					if v, ok := m[k]; ok {
						next = append(next, v)
					}
				}
			case nil:
				if a, ok := cur.([]any); ok {
					next = append(next, a...)
				}
			default:
				i := toIndex(k)
				if a, ok := cur.([]any); ok && i >= 0 && i < len(a) {
					next = append(next, a[i])
				}
			}
		}
		sel = next
		if len(sel) == 0 {
			return false
		}
	}
	for _, v := range sel {
		if v == nil {
			continue
		}
		if len(cl.Values) == 0 {
			return true
		}
		for _, want := range cl.Values {
			if scalarEqual(v, want) {
				return true
			}
		}
	}
	return false
}

func toIndex(v any) int {
	switch n := v.(type) {
	case float64:
		return int(n)
	case int:
		return n
	case json.Number:
		i, err := n.Int64()
		if err != nil {
			return -1
		}
		return int(i)
	}
	return -1
}

func scalarEqual(got, want any) bool {
	switch g := got.(type) {
	case string:
		w, ok := want.(string)
		return ok && g == w
	case bool:
		w, ok := want.(bool)
		return ok && g == w
	case json.Number:
		gf, err := g.Float64()
		if err != nil {
			return false
		}
		switch w := want.(type) {
		case float64:
			return gf == w
		case int:
			return gf == float64(w)
		case json.Number:
			wf, err := w.Float64()
			return err == nil && gf == wf
		}
	}
	return false
}

// typeIRIs maps the short type names of the W3C credentials and Open Badges
// contexts to the IRIs they expand to, so that type_values match either.
var typeIRIs = map[string]string{
	"VerifiableCredential":   "https://www.w3.org/2018/credentials#VerifiableCredential",
	"VerifiablePresentation": "https://www.w3.org/2018/credentials#VerifiablePresentation",
	"OpenBadgeCredential":    "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential",
	"AchievementCredential":  "https://purl.imsglobal.org/spec/vc/ob/vocab.html#AchievementCredential",
	"EndorsementCredential":  "https://purl.imsglobal.org/spec/vc/ob/vocab.html#EndorsementCredential",
	"ClrCredential":          "https://purl.imsglobal.org/spec/clr/vocab.html#ClrCredential",
}

func (cq *CredentialQuery) metaMatches(cred Credential) bool {
	switch cq.Format {
	case FormatSDJWTVC:
		for _, v := range cq.Meta.VCTValues {
			if slices.Contains(cred.Types, v) {
				return true
			}
		}
		return false
	}
	have := map[string]bool{}
	for _, t := range cred.Types {
		have[t] = true
		if iri, ok := typeIRIs[t]; ok {
			have[iri] = true
		}
	}
	for _, alt := range cq.Meta.TypeValues {
		ok := len(alt) > 0
		for _, t := range alt {
			if !have[t] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// Missing says what a response answering the credential queries in
// answered would lack: "" when it satisfies the query (every credential
// query when there are no credential sets, else one option of every
// required set), or the first unsatisfied query or set, described.
func (q *Query) Missing(answered map[string]bool) string { return q.unsatisfied(answered) }

func (q *Query) unsatisfied(answered map[string]bool) string {
	if len(q.CredentialSets) == 0 {
		for _, c := range q.Credentials {
			if !answered[c.ID] {
				return fmt.Sprintf("credential query %q", c.ID)
			}
		}
		return ""
	}
	for _, s := range q.CredentialSets {
		if s.Required != nil && !*s.Required {
			continue
		}
		ok := false
		for _, opt := range s.Options {
			all := true
			for _, id := range opt {
				all = all && answered[id]
			}
			if all {
				ok = true
				break
			}
		}
		if !ok {
			return fmt.Sprintf("credential set with options %v", s.Options)
		}
	}
	return ""
}

func (q *Query) credential(id string) *CredentialQuery {
	for i := range q.Credentials {
		if q.Credentials[i].ID == id {
			return &q.Credentials[i]
		}
	}
	return nil
}
