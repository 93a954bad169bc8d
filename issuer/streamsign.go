package issuer

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"sync"
	"time"

	"github.com/badgeproof/badgeproof/internal/canon"
	"github.com/badgeproof/badgeproof/internal/dataintegrity"
	"github.com/badgeproof/badgeproof/internal/decoded"
	"github.com/badgeproof/badgeproof/keys"
)

// A Stream writes each badge in its JCS form (RFC 8785: one line, members
// sorted), which is also the form that is signed and hashed: the document
// is canonicalized once, from the one decoding of its bytes, and the proof
// set is added to the canonical bytes instead of marshalling the badge
// again.

// batchSigning is what the badges of one batch share: the proofs' created
// time and, for each @context, the canonical proof configuration and its
// hash, computed once.
type batchSigning struct {
	created time.Time
	marker  string // stands for the proofValue while the configuration is cut in two
	mu      sync.Mutex
	configs map[string]*proofConfig // by the JCS of the document's @context
}

// proofConfig is the proof of the signer's JCS suite for one @context.
type proofConfig struct {
	hash []byte // of the canonical proof configuration (without proofValue)
	// head and tail are the canonical proof around its proofValue's value:
	// head + `"z…"` + tail is the proof's JCS form.
	head, tail []byte
}

func newBatchSigning(created time.Time) (*batchSigning, error) {
	marker, err := newMarker()
	if err != nil {
		return nil, err
	}
	return &batchSigning{created: created, marker: marker, configs: map[string]*proofConfig{}}, nil
}

// suiteHash is the hash the signer's JCS suite uses (SHA-384 for P-384).
func suiteHash(t keys.Type) func() hash.Hash {
	if t == keys.P384 {
		return sha512.New384
	}
	return sha256.New
}

// config returns the proof configuration for a document whose @context has
// the JCS form docContext (nil: the document has none).
func (b *batchSigning) config(s *Signer, docContext []byte) (*proofConfig, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if c := b.configs[string(docContext)]; c != nil {
		return c, nil
	}
	str := func(v string) json.RawMessage { out, _ := json.Marshal(v); return out }
	config := map[string]json.RawMessage{
		"type":               str(dataintegrity.ProofType),
		"cryptosuite":        str(dataintegrity.SuiteFor(s.pub.Type())),
		"verificationMethod": str(s.vm),
		"proofPurpose":       str("assertionMethod"),
		"created":            str(b.created.UTC().Format(time.RFC3339)),
	}
	if docContext != nil {
		config["@context"] = docContext
	}
	canonConfig, err := canon.JCSMembers(config)
	if err != nil {
		return nil, err
	}
	h := suiteHash(s.pub.Type())()
	h.Write(canonConfig)
	config["proofValue"] = str(b.marker)
	proof, err := canon.JCSMembers(config)
	if err != nil {
		return nil, err
	}
	quoted := str(b.marker)
	at := bytes.Index(proof, quoted)
	if at < 0 {
		return nil, errors.New("issuer: proofValue placeholder not found")
	}
	c := &proofConfig{hash: h.Sum(nil), head: proof[:at], tail: proof[at+len(quoted):]}
	b.configs[string(docContext)] = c
	return c, nil
}

// signItem prepares, checks and signs one credential. It returns the
// badge in JCS form with its proof set open where the batch proof goes
// (at), and the Merkle leaf: the hash of the JCS form of the badge with
// the proofs before the batch proof.
func (s *Stream) signItem(it Item, bs *batchSigning) (signed, error) {
	c, err := s.prepare(it)
	if err != nil {
		return signed{}, err
	}
	raw := c.Raw()
	if len(raw) == 0 { // a credential not parsed from bytes
		if raw, err = json.Marshal(c.Members()); err != nil {
			return signed{}, fmt.Errorf("%w: %v", ErrDataModel, err)
		}
	}
	// The decoding parsing kept, or else one of our own; either way it is
	// read, never changed.
	var v any
	if d := decoded.Value(c); d != nil {
		v = d
	} else {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			return signed{}, fmt.Errorf("%w: %v", ErrDataModel, err)
		}
	}
	// The same refusals as Signer.SignCredential: nothing that breaks the
	// data model is signed (the JSON-LD terms are checked once per shape
	// of credential, see rdfc.TermCache).
	if err := s.signer.checkDecoded(raw, v); err != nil {
		return signed{}, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return signed{}, fmt.Errorf("%w: not a JSON object", ErrDataModel)
	}

	// The badge in JCS form is a + the proof member + b; the document
	// without its proof is a + b with one comma less.
	withMarker := make(map[string]any, len(m)+1)
	for k, x := range m {
		withMarker[k] = x
	}
	withMarker["proof"] = bs.marker
	// As Signer.SignCredential does, a document with no proof whose
	// context does not define Data Integrity proofs gets
	// DataIntegrityContext.
	if ctx, present := m["@context"]; present && m["proof"] == nil {
		if ctx, changed := withDataIntegrityContext(ctx); changed {
			withMarker["@context"] = ctx
		}
	}
	full, err := canon.AppendJCS(getBuffer(len(raw)+2048), withMarker)
	if err != nil {
		return signed{}, fmt.Errorf("%w: %v", ErrDataModel, err)
	}
	// The marker's value, searched for on its own: a needle of at most 63
	// bytes is found by the vector search.
	placeholder := `"proof":"` + bs.marker + `"`
	i := bytes.Index(full, []byte(placeholder[len(`"proof"`):])) - len(`"proof"`)
	if i < 0 || string(full[i:i+len(placeholder)]) != placeholder {
		return signed{}, errors.New("issuer: proof placeholder not found")
	}
	a, b := full[:i], full[i+len(placeholder):]
	// Both documents begin with a (less its comma, if it ends with one):
	// its hash is computed once for the two when the suite hashes with
	// SHA-256 too.
	shared, comma := a, ""
	if a[len(a)-1] == ',' {
		shared, comma = a[:len(a)-1], ","
	}
	rest := b // the document without its proof, after shared
	if comma == "" && b[0] == ',' {
		rest = b[1:]
	}
	lh := sha256.New()
	lh.Write(shared)

	// The new proof, in JCS form.
	var sig []byte
	if s.signer.jcsSuite() {
		docContext, err := canon.AppendJCS(nil, withMarker["@context"])
		if _, present := withMarker["@context"]; !present || err != nil {
			docContext = nil
		}
		cfg, err := bs.config(s.signer, docContext)
		if err != nil {
			return signed{}, err
		}
		var h hash.Hash
		if s.signer.pub.Type() == keys.P384 {
			h = sha512.New384()
			h.Write(shared)
		} else if h, err = lh.(hash.Cloner).Clone(); err != nil {
			return signed{}, err
		}
		h.Write(rest)
		hashData := h.Sum(bytes.Clone(cfg.hash))
		raw, err := dataintegrity.SignHashData(s.signer.key, s.signer.pub.Type(), hashData)
		if err != nil {
			return signed{}, fmt.Errorf("issuer: signing: %w", err)
		}
		if s.signer.external {
			if err := dataintegrity.VerifyHashData(s.signer.pub, hashData, raw); err != nil {
				return signed{}, fmt.Errorf("issuer: signing: the signing key returned a signature that does not verify with its public key %s: %w", s.signer.pub.Multibase(), err)
			}
		}
		sig = append(sig, cfg.head...)
		sig = append(sig, '"')
		sig = append(sig, dataintegrity.EncodeProofValue(raw)...)
		sig = append(sig, '"')
		sig = append(sig, cfg.tail...)
	} else {
		members := c.Members()
		if err := injectDataIntegrityContext(members); err != nil {
			return signed{}, err
		}
		delete(members, "proof")
		p, err := s.signer.proofAt(members, dataintegrity.Options{}, bs.created)
		if err != nil {
			return signed{}, err
		}
		if sig, err = canon.JCS(p); err != nil {
			return signed{}, err
		}
	}

	// The proof member: the proofs the credential had, the new one, and
	// (in the badge, not in the leaf) the batch proof.
	member := []byte(`"proof":[`)
	switch p := m["proof"].(type) {
	case nil:
	case []any:
		for _, e := range p {
			if member, err = canon.AppendJCS(member, e); err != nil {
				return signed{}, fmt.Errorf("%w: proof: %v", ErrDataModel, err)
			}
			member = append(member, ',')
		}
	default:
		if member, err = canon.AppendJCS(member, p); err != nil {
			return signed{}, fmt.Errorf("%w: proof: %v", ErrDataModel, err)
		}
		member = append(member, ',')
	}
	member = append(member, sig...)

	lh.Write([]byte(comma))
	lh.Write(member)
	lh.Write([]byte{']'})
	lh.Write(b)
	var leaf [32]byte
	lh.Sum(leaf[:0])

	// The badge: the placeholder member becomes member + ",]", in place.
	tail := len(b)
	out := splice(full, i, len(placeholder), len(member)+2)
	copy(out[i:], member)
	at := i + len(member) + 1
	out[at-1], out[at] = ',', ']'
	if len(out) != i+len(member)+2+tail {
		return signed{}, errors.New("issuer: badge assembled to the wrong length")
	}
	return signed{id: c.ID, doc: out, at: at, leaf: leaf}, nil
}

// buffers holds the buffers badges are assembled in while they are signed,
// given back once a badge is in the spool.
var buffers sync.Pool

// getBuffer returns an empty buffer of at least size bytes' capacity.
func getBuffer(size int) []byte {
	if b, ok := buffers.Get().(*[]byte); ok && cap(*b) >= size {
		return (*b)[:0]
	}
	return make([]byte, 0, size)
}

// putBuffer gives b back for another badge; b must not be used afterwards.
func putBuffer(b []byte) {
	b = b[:0]
	buffers.Put(&b)
}

// batchProofJCS is a batch proof in JCS form, cut around its proofValue's
// value.
type batchProofJCS struct{ head, tail []byte }

func newBatchProofJCS(rec *BatchRecord, vm string) (*batchProofJCS, error) {
	marker, err := newMarker()
	if err != nil {
		return nil, err
	}
	p, err := json.Marshal(batchProof{Type: dataintegrity.ProofType, Cryptosuite: BatchCryptosuite, Created: rec.Created,
		VerificationMethod: vm, ProofPurpose: "assertionMethod", ProofValue: marker})
	if err != nil {
		return nil, err
	}
	if p, err = canon.JCS(p); err != nil {
		return nil, err
	}
	quoted, _ := json.Marshal(marker)
	at := bytes.Index(p, quoted)
	if at < 0 {
		return nil, errors.New("issuer: batch proofValue placeholder not found")
	}
	return &batchProofJCS{head: p[:at], tail: p[at+len(quoted):]}, nil
}

// insert puts the batch proof whose proofValue is pv into doc at offset
// at, in doc's spare capacity when it has enough.
func (b *batchProofJCS) insert(doc []byte, at int, pv string) []byte {
	out := splice(doc, at, 0, len(b.head)+len(pv)+2+len(b.tail))
	w := out[at:at]
	w = append(w, b.head...)
	w = append(w, '"')
	w = append(w, pv...)
	w = append(w, '"')
	_ = append(w, b.tail...)
	return out
}

// splice returns buf with its n bytes at offset at replaced by room for m
// bytes (their content is unspecified), moving what follows; it works in
// buf's capacity when it can.
func splice(buf []byte, at, n, m int) []byte {
	size := len(buf) - n + m
	out := buf
	if cap(buf) < size {
		out = make([]byte, len(buf), size+size/8)
		copy(out, buf)
	}
	end := len(buf)
	out = out[:max(end, size)]
	copy(out[at+m:], out[at+n:end])
	return out[:size]
}
