// Package sdjwt implements Selective Disclosure for JWTs (RFC 9901) as SD-JWT
// VCs use it: issuing with chosen selectively-disclosable claims and decoy
// digests, presenting a chosen subset with a key binding JWT, and checking a
// presentation's disclosures against the issuer-signed digests.
//
// Bounds come before work: the whole presentation, the number and size of
// disclosures and the nesting of the claims are limited, and each disclosure
// must be referenced exactly once.
package sdjwt

import (
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/badgeproof/badgeproof/internal/jsonx"
	"github.com/badgeproof/badgeproof/internal/jws"
)

// HashAlg is the only _sd_alg issued and accepted: sha-256, the default of
// RFC 9901 and what every wallet implements.
const HashAlg = "sha-256"

// KBType is the typ of a key binding JWT.
const KBType = "kb+jwt"

// Limits on a presentation, checked before any decoding.
const (
	MaxDisclosures    = 256     // disclosures in one presentation
	MaxDisclosureSize = 8 << 10 // bytes of one encoded disclosure
	maxDepth          = 16      // nesting of the reconstructed claims
	maxDigests        = 1024    // digests in all _sd arrays together
)

// Errors, for errors.Is.
var (
	ErrMalformed  = errors.New("sd-jwt: malformed")
	ErrDisclosure = errors.New("sd-jwt: disclosure does not match the issuer's digests")
	ErrKeyBinding = errors.New("sd-jwt: key binding invalid")
	ErrNonce      = errors.New("sd-jwt: key binding nonce or audience mismatch")
)

// SDJWT is a parsed SD-JWT or SD-JWT+KB, not yet verified.
type SDJWT struct {
	JWT         *jws.Token
	Disclosures []string // encoded, as presented
	KB          *jws.Token
	kbRaw       string
	presented   string // the SD-JWT part the KB-JWT's sd_hash covers (ends with ~)
}

// Parse splits a presentation <JWT>~<D>~...~[<KB-JWT>] and parses its JWTs.
// Nothing is verified here.
func Parse(s string) (*SDJWT, error) {
	s = strings.TrimSpace(s)
	if len(s) > jws.MaxTokenBytes {
		return nil, fmt.Errorf("%w: %d bytes", jws.ErrTooLarge, len(s))
	}
	if !strings.Contains(s, "~") {
		return nil, fmt.Errorf("%w: no ~ separator: not an SD-JWT", ErrMalformed)
	}
	if n := strings.Count(s, "~"); n > MaxDisclosures+1 {
		return nil, fmt.Errorf("%w: %d disclosures, at most %d", ErrMalformed, n-1, MaxDisclosures)
	}
	parts := strings.Split(s, "~")
	out := &SDJWT{}
	last := parts[len(parts)-1]
	mid := parts[1 : len(parts)-1]
	out.presented = s[:len(s)-len(last)]
	t, err := jws.Parse(parts[0], 0)
	if err != nil {
		return nil, fmt.Errorf("issuer-signed JWT: %w", err)
	}
	out.JWT = t
	for i, d := range mid {
		if d == "" {
			return nil, fmt.Errorf("%w: disclosure %d is empty", ErrMalformed, i)
		}
		if len(d) > MaxDisclosureSize {
			return nil, fmt.Errorf("%w: disclosure %d is %d bytes, at most %d", ErrMalformed, i, len(d), MaxDisclosureSize)
		}
		out.Disclosures = append(out.Disclosures, d)
	}
	if last != "" {
		kb, err := jws.Parse(last, 64<<10)
		if err != nil {
			return nil, fmt.Errorf("key binding JWT: %w", err)
		}
		out.KB, out.kbRaw = kb, last
	}
	return out, nil
}

// Digest is base64url(SHA-256(ASCII(disclosure))).
func Digest(disclosure string) string {
	sum := sha256.Sum256([]byte(disclosure))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// disclosure is one decoded disclosure.
type disclosure struct {
	enc   string
	name  string // "" for an array element
	value json.RawMessage
	isArr bool
	used  bool
}

func decodeDisclosure(enc string) (*disclosure, error) {
	raw, err := base64.RawURLEncoding.Strict().DecodeString(enc)
	if err != nil {
		return nil, fmt.Errorf("%w: disclosure is not base64url: %v", ErrMalformed, err)
	}
	if err := jsonx.Check(raw, jsonx.Limits{MaxBytes: MaxDisclosureSize, MaxDepth: maxDepth}); err != nil {
		return nil, fmt.Errorf("%w: disclosure: %v", ErrMalformed, err)
	}
	var arr []json.RawMessage
	if err := json.Unmarshal(raw, &arr); err != nil {
		return nil, fmt.Errorf("%w: disclosure is not a JSON array: %v", ErrMalformed, err)
	}
	d := &disclosure{enc: enc}
	var salt string
	switch len(arr) {
	case 3:
		if err := json.Unmarshal(arr[0], &salt); err != nil {
			return nil, fmt.Errorf("%w: disclosure salt is not a string", ErrMalformed)
		}
		if err := json.Unmarshal(arr[1], &d.name); err != nil {
			return nil, fmt.Errorf("%w: disclosure claim name is not a string", ErrMalformed)
		}
		if d.name == "_sd" || d.name == "..." || d.name == "_sd_alg" {
			return nil, fmt.Errorf("%w: disclosure names the reserved claim %q", ErrMalformed, d.name)
		}
		d.value = arr[2]
	case 2:
		if err := json.Unmarshal(arr[0], &salt); err != nil {
			return nil, fmt.Errorf("%w: disclosure salt is not a string", ErrMalformed)
		}
		d.value, d.isArr = arr[1], true
	default:
		return nil, fmt.Errorf("%w: disclosure has %d elements, want 2 or 3", ErrMalformed, len(arr))
	}
	return d, nil
}

// Claims checks the disclosures against the digests in the issuer-signed
// payload and returns the payload with the disclosed claims put back and
// every _sd, _sd_alg and undisclosed digest removed (RFC 9901 §7.1). The
// JWT's signature must be checked separately, before this result is
// trusted.
func (s *SDJWT) Claims() (map[string]any, error) {
	var payload map[string]json.RawMessage
	if err := jsonx.Check(s.JWT.Payload, jsonx.Limits{MaxBytes: jws.MaxTokenBytes, MaxDepth: maxDepth}); err != nil {
		return nil, fmt.Errorf("%w: payload: %v", ErrMalformed, err)
	}
	if err := json.Unmarshal(s.JWT.Payload, &payload); err != nil {
		return nil, fmt.Errorf("%w: payload is not an object: %v", ErrMalformed, err)
	}
	if raw, ok := payload["_sd_alg"]; ok {
		var alg string
		if json.Unmarshal(raw, &alg) != nil || alg != HashAlg {
			return nil, fmt.Errorf("%w: _sd_alg %s is not supported (only %s)", ErrMalformed, raw, HashAlg)
		}
	}
	byDigest := map[string]*disclosure{}
	for _, enc := range s.Disclosures {
		d, err := decodeDisclosure(enc)
		if err != nil {
			return nil, err
		}
		dg := Digest(enc)
		if byDigest[dg] != nil {
			return nil, fmt.Errorf("%w: the same disclosure is presented twice", ErrDisclosure)
		}
		byDigest[dg] = d
	}
	var root any
	dec := json.NewDecoder(strings.NewReader(string(s.JWT.Payload)))
	dec.UseNumber()
	if err := dec.Decode(&root); err != nil {
		return nil, fmt.Errorf("%w: payload: %v", ErrMalformed, err)
	}
	obj, ok := root.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: payload is not a JSON object", ErrMalformed)
	}
	w := &walker{byDigest: byDigest, seen: map[string]bool{}}
	out, err := w.object(obj, 0)
	if err != nil {
		return nil, err
	}
	delete(out, "_sd_alg")
	for dg, d := range byDigest {
		if !d.used {
			return nil, fmt.Errorf("%w: disclosure %s (digest %s) is not referenced by the issuer-signed JWT or its disclosures: it was changed or does not belong to this credential", ErrDisclosure, describeDisclosure(d), dg)
		}
	}
	return out, nil
}

func describeDisclosure(d *disclosure) string {
	if d.isArr {
		return "of an array element"
	}
	return fmt.Sprintf("of claim %q", d.name)
}

type walker struct {
	byDigest map[string]*disclosure
	seen     map[string]bool // every digest met, to refuse one used twice
	digests  int
}

func (w *walker) value(v any, depth int) (any, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("%w: claims nested deeper than %d", ErrMalformed, maxDepth)
	}
	switch t := v.(type) {
	case map[string]any:
		return w.object(t, depth+1)
	case []any:
		return w.array(t, depth+1)
	}
	return v, nil
}

func (w *walker) digest(v any) (string, error) {
	dg, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%w: a digest is not a string", ErrMalformed)
	}
	w.digests++
	if w.digests > maxDigests {
		return "", fmt.Errorf("%w: more than %d digests", ErrMalformed, maxDigests)
	}
	if w.seen[dg] {
		return "", fmt.Errorf("%w: digest %s appears twice", ErrDisclosure, dg)
	}
	w.seen[dg] = true
	return dg, nil
}

func (w *walker) object(m map[string]any, depth int) (map[string]any, error) {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if k == "_sd" {
			continue
		}
		if k == "..." {
			return nil, fmt.Errorf("%w: \"...\" outside an array element", ErrMalformed)
		}
		r, err := w.value(v, depth)
		if err != nil {
			return nil, err
		}
		out[k] = r
	}
	if sd, ok := m["_sd"]; ok {
		list, ok := sd.([]any)
		if !ok {
			return nil, fmt.Errorf("%w: _sd is not an array", ErrMalformed)
		}
		for _, e := range list {
			dg, err := w.digest(e)
			if err != nil {
				return nil, err
			}
			d := w.byDigest[dg]
			if d == nil {
				continue // undisclosed or a decoy
			}
			if d.isArr {
				return nil, fmt.Errorf("%w: an array element disclosure is referenced from an object", ErrDisclosure)
			}
			if _, clash := out[d.name]; clash {
				return nil, fmt.Errorf("%w: disclosed claim %q already exists", ErrDisclosure, d.name)
			}
			d.used = true
			val, err := decodeValue(d.value)
			if err != nil {
				return nil, err
			}
			r, err := w.value(val, depth)
			if err != nil {
				return nil, err
			}
			out[d.name] = r
		}
	}
	return out, nil
}

func (w *walker) array(a []any, depth int) ([]any, error) {
	out := make([]any, 0, len(a))
	for _, e := range a {
		if m, ok := e.(map[string]any); ok && len(m) == 1 {
			if ref, ok := m["..."]; ok {
				dg, err := w.digest(ref)
				if err != nil {
					return nil, err
				}
				d := w.byDigest[dg]
				if d == nil {
					continue
				}
				if !d.isArr {
					return nil, fmt.Errorf("%w: an object property disclosure is referenced from an array", ErrDisclosure)
				}
				d.used = true
				val, err := decodeValue(d.value)
				if err != nil {
					return nil, err
				}
				r, err := w.value(val, depth)
				if err != nil {
					return nil, err
				}
				out = append(out, r)
				continue
			}
		}
		r, err := w.value(e, depth)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func decodeValue(raw json.RawMessage) (any, error) {
	var v any
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%w: disclosure value: %v", ErrMalformed, err)
	}
	return v, nil
}

// KeyBindingClaims are what a key binding JWT says.
type KeyBindingClaims struct {
	IAT    int64  `json:"iat"`
	Aud    string `json:"aud"`
	Nonce  string `json:"nonce"`
	SDHash string `json:"sd_hash"`
}

// VerifyKeyBinding checks the KB-JWT: present, typ kb+jwt, signed by holder
// with an accepted alg, sd_hash over the presented SD-JWT, iat within
// maxAge of now (and not in the future beyond skew), and then the nonce and
// audience the verifier expects.
func (s *SDJWT) VerifyKeyBinding(holder crypto.PublicKey, accepted []string, aud, nonce string, now time.Time, maxAge time.Duration) (*KeyBindingClaims, error) {
	if s.KB == nil {
		return nil, fmt.Errorf("%w: no key binding JWT: the presenter did not prove holding the credential's key", ErrKeyBinding)
	}
	if s.KB.Header.Typ != KBType {
		return nil, fmt.Errorf("%w: key binding JWT typ is %q, want %q", ErrKeyBinding, s.KB.Header.Typ, KBType)
	}
	if err := s.KB.Verify(holder, accepted); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKeyBinding, err)
	}
	var c KeyBindingClaims
	if err := json.Unmarshal(s.KB.Payload, &c); err != nil {
		return nil, fmt.Errorf("%w: claims: %v", ErrKeyBinding, err)
	}
	sum := sha256.Sum256([]byte(s.presented))
	if want := base64.RawURLEncoding.EncodeToString(sum[:]); c.SDHash != want {
		return nil, fmt.Errorf("%w: sd_hash %q does not cover the presented SD-JWT (want %q): disclosures were added or removed after the holder signed", ErrKeyBinding, c.SDHash, want)
	}
	const skew = 5 * time.Minute
	iat := time.Unix(c.IAT, 0)
	switch {
	case c.IAT == 0:
		return &c, fmt.Errorf("%w: key binding JWT has no iat", ErrKeyBinding)
	case iat.After(now.Add(skew)):
		return &c, fmt.Errorf("%w: key binding JWT issued at %s, in the future (now %s)", ErrKeyBinding, iat.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	case maxAge > 0 && now.Sub(iat) > maxAge:
		return &c, fmt.Errorf("%w: key binding JWT issued at %s, older than %s", ErrKeyBinding, iat.UTC().Format(time.RFC3339), maxAge)
	}
	if c.Nonce != nonce {
		return &c, fmt.Errorf("%w: nonce is %q, this verifier's is %q", ErrNonce, c.Nonce, nonce)
	}
	if c.Aud != aud {
		return &c, fmt.Errorf("%w: audience is %q, this verifier is %q", ErrNonce, c.Aud, aud)
	}
	return &c, nil
}

// Issue signs claims as an SD-JWT: each path in disclose ("name", or
// "address/street" for a nested object member) becomes a disclosure, and
// decoys random digests are added to each _sd array. It returns the SD-JWT
// with every disclosure (the form an issuer hands to the holder).
func Issue(signer crypto.Signer, header map[string]any, claims map[string]any, disclose []string, decoys int) (string, error) {
	if decoys < 0 || decoys > 64 {
		return "", fmt.Errorf("sd-jwt: %d decoys, 0 to 64", decoys)
	}
	root := deepCopy(claims).(map[string]any)
	var discs []string
	// Deepest paths first, so that a nested disclosure is inside its parent's.
	paths := append([]string(nil), disclose...)
	sort.SliceStable(paths, func(i, j int) bool { return strings.Count(paths[i], "/") > strings.Count(paths[j], "/") })
	sdParents := []map[string]any{}
	for _, p := range paths {
		segs := strings.Split(p, "/")
		parent := root
		for _, s := range segs[:len(segs)-1] {
			next, ok := parent[s].(map[string]any)
			if !ok {
				return "", fmt.Errorf("sd-jwt: %s: %s is not an object", p, s)
			}
			parent = next
		}
		name := segs[len(segs)-1]
		switch name {
		case "iss", "nbf", "exp", "cnf", "vct", "status", "_sd", "_sd_alg", "...":
			if len(segs) == 1 || name == "_sd" || name == "_sd_alg" || name == "..." {
				return "", fmt.Errorf("sd-jwt: claim %q may not be selectively disclosable", p)
			}
		}
		v, ok := parent[name]
		if !ok {
			return "", fmt.Errorf("sd-jwt: no claim %s to make disclosable", p)
		}
		enc, err := newDisclosure(name, v)
		if err != nil {
			return "", err
		}
		delete(parent, name)
		sd, _ := parent["_sd"].([]any)
		if sd == nil {
			sdParents = append(sdParents, parent)
		}
		parent["_sd"] = append(sd, Digest(enc))
		discs = append(discs, enc)
	}
	for _, parent := range sdParents {
		sd := parent["_sd"].([]any)
		for i := 0; i < decoys; i++ {
			b := make([]byte, 32)
			if _, err := rand.Read(b); err != nil {
				return "", err
			}
			sum := sha256.Sum256(b)
			sd = append(sd, base64.RawURLEncoding.EncodeToString(sum[:]))
		}
		// Digests are sorted so that their order says nothing about the claims.
		sort.Slice(sd, func(i, j int) bool { return sd[i].(string) < sd[j].(string) })
		parent["_sd"] = sd
	}
	if len(discs) > 0 {
		root["_sd_alg"] = HashAlg
	}
	payload, err := json.Marshal(root)
	if err != nil {
		return "", err
	}
	jwt, err := jws.Sign(signer, header, payload)
	if err != nil {
		return "", err
	}
	return jwt + "~" + strings.Join(append(discs, ""), "~"), nil
}

func newDisclosure(name string, v any) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	raw, err := json.Marshal([]any{base64.RawURLEncoding.EncodeToString(salt), name, v})
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(raw), nil
}

func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		a := make([]any, len(t))
		for i, e := range t {
			a[i] = deepCopy(e)
		}
		return a
	}
	return v
}

// DisclosedNames decodes the claim names of the disclosures (array
// element disclosures have none).
func DisclosedNames(sdjwt string) ([]string, error) {
	s, err := Parse(sdjwt)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, enc := range s.Disclosures {
		d, err := decodeDisclosure(enc)
		if err != nil {
			return nil, err
		}
		out = append(out, d.name)
	}
	return out, nil
}

// Present keeps the disclosures whose claim name keep accepts (and drops
// any key binding JWT), returning <JWT>~<D>~...~, ready for KeyBind.
func Present(sdjwt string, keep func(name string) bool) (string, error) {
	s, err := Parse(sdjwt)
	if err != nil {
		return "", err
	}
	parts := strings.Split(strings.TrimSpace(sdjwt), "~")
	out := []string{parts[0]}
	for _, enc := range s.Disclosures {
		d, err := decodeDisclosure(enc)
		if err != nil {
			return "", err
		}
		if keep(d.name) {
			out = append(out, enc)
		}
	}
	return strings.Join(append(out, ""), "~"), nil
}

// KeyBind appends a key binding JWT signed by holder to a presentation
// ending in ~, bound to aud and nonce, issued at iat.
func KeyBind(presentation string, holder crypto.Signer, aud, nonce string, iat time.Time) (string, error) {
	if !strings.HasSuffix(presentation, "~") {
		return "", fmt.Errorf("%w: a presentation to bind ends with ~", ErrMalformed)
	}
	sum := sha256.Sum256([]byte(presentation))
	payload, err := json.Marshal(KeyBindingClaims{IAT: iat.Unix(), Aud: aud, Nonce: nonce, SDHash: base64.RawURLEncoding.EncodeToString(sum[:])})
	if err != nil {
		return "", err
	}
	kb, err := jws.Sign(holder, map[string]any{"typ": KBType}, payload)
	if err != nil {
		return "", err
	}
	return presentation + kb, nil
}
