package issuer

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"maps"
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

// signed is one credential signed by a worker, waiting to be spooled. Its
// buffers are used again for a later credential once it is spooled.
type signed struct {
	id   string
	doc  []byte // the badge in JCS form, its proof set open where the batch proof goes
	at   int    // where the batch proof goes in doc
	leaf [32]byte

	member   []byte                   // the badge's proof member, while it is assembled
	context  []byte                   // the JCS form of the document's @context
	hashData [2 * sha512.Size384]byte // the hash data signed (two hashes)
}

// signItem prepares, checks and signs one credential into out: the badge
// in JCS form with its proof set open where the batch proof goes (at), and
// the Merkle leaf: the hash of the JCS form of the badge with the proofs
// before the batch proof. It reuses the buffers out holds.
func (s *Stream) signItem(it Item, bs *batchSigning, out *signed) error {
	c, err := s.prepare(it)
	if err != nil {
		return err
	}
	raw := c.Raw()
	if len(raw) == 0 { // a credential not parsed from bytes
		if raw, err = json.Marshal(c.Members()); err != nil {
			return fmt.Errorf("%w: %v", ErrDataModel, err)
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
			return fmt.Errorf("%w: %v", ErrDataModel, err)
		}
	}
	// The same refusals as Signer.SignCredential: nothing that breaks the
	// data model is signed (the JSON-LD terms are checked once per shape
	// of credential, see rdfc.TermCache).
	if err := s.signer.checkDecoded(raw, v); err != nil {
		return err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("%w: not a JSON object", ErrDataModel)
	}
	// As Signer.SignCredential does, a document with no proof whose
	// context does not define Data Integrity proofs gets
	// DataIntegrityContext (in a copy: the decoding is shared).
	doc := m
	if ctx, present := m["@context"]; present && m["proof"] == nil {
		if ctx, changed := withDataIntegrityContext(ctx); changed {
			doc = maps.Clone(m)
			doc["@context"] = ctx
		}
	}

	// The document without its proof in JCS form; the badge is the same
	// bytes with the proof member inserted at off, followed by a comma
	// when other members follow it, else preceded by one (unless the
	// object is otherwise empty).
	full, off, err := canon.AppendJCSAt(out.doc[:0], doc, "proof")
	if err != nil {
		return fmt.Errorf("%w: %v", ErrDataModel, err)
	}
	out.doc = full
	last := full[off] == '}'
	commaBefore := last && off > 1
	// Both the document and the badge begin with full[:off]: its hash is
	// computed once for the two when the suite hashes with SHA-256 too.
	lh := sha256.New()
	lh.Write(full[:off])

	// The proof member: the proofs the credential had, the new one, and
	// (in the badge, not in the leaf) the batch proof.
	member := append(out.member[:0], `"proof":[`...)
	switch p := m["proof"].(type) {
	case nil:
	case []any:
		for _, e := range p {
			if member, err = canon.AppendJCS(member, e); err != nil {
				return fmt.Errorf("%w: proof: %v", ErrDataModel, err)
			}
			member = append(member, ',')
		}
	default:
		if member, err = canon.AppendJCS(member, p); err != nil {
			return fmt.Errorf("%w: proof: %v", ErrDataModel, err)
		}
		member = append(member, ',')
	}

	// The new proof, in JCS form.
	if s.signer.jcsSuite() {
		var docContext []byte
		if ctx, present := doc["@context"]; present {
			if b, err := canon.AppendJCS(out.context[:0], ctx); err == nil {
				out.context, docContext = b, b
			}
		}
		cfg, err := bs.config(s.signer, docContext)
		if err != nil {
			return err
		}
		var h hash.Hash
		if s.signer.pub.Type() == keys.P384 {
			h = sha512.New384()
			h.Write(full[:off])
		} else if h, err = lh.(hash.Cloner).Clone(); err != nil {
			return err
		}
		h.Write(full[off:])
		hashData := h.Sum(append(out.hashData[:0], cfg.hash...))
		sig, err := dataintegrity.SignHashData(s.signer.key, s.signer.pub.Type(), hashData)
		if err != nil {
			return fmt.Errorf("issuer: signing: %w", err)
		}
		if s.signer.external {
			if err := dataintegrity.VerifyHashData(s.signer.pub, hashData, sig); err != nil {
				return fmt.Errorf("issuer: signing: the signing key returned a signature that does not verify with its public key %s: %w", s.signer.pub.Multibase(), err)
			}
		}
		member = append(member, cfg.head...)
		member = append(member, '"')
		member = append(member, dataintegrity.EncodeProofValue(sig)...)
		member = append(member, '"')
		member = append(member, cfg.tail...)
	} else {
		members := c.Members()
		if err := injectDataIntegrityContext(members); err != nil {
			return err
		}
		delete(members, "proof")
		p, err := s.signer.proofAt(members, dataintegrity.Options{}, bs.created)
		if err != nil {
			return err
		}
		proof, err := canon.JCS(p)
		if err != nil {
			return err
		}
		member = append(member, proof...)
	}
	out.member = member

	if commaBefore {
		lh.Write([]byte{','})
	}
	lh.Write(member)
	lh.Write([]byte{']'})
	if !last {
		lh.Write([]byte{','})
	}
	lh.Write(full[off:])
	lh.Sum(out.leaf[:0])

	// The badge: member + ",]" goes in at off, with its comma; the batch
	// proof goes in before the ']'.
	n := len(member) + 3
	if last && !commaBefore {
		n--
	}
	badge := splice(full, off, 0, n)
	w := badge[off:off]
	if commaBefore {
		w = append(w, ',')
	}
	w = append(w, member...)
	w = append(w, ',', ']')
	if !last {
		w = append(w, ',')
	}
	out.at = off + len(w) - 1
	if !last {
		out.at--
	}
	out.doc, out.id = badge, c.ID
	return nil
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

// insert returns a new slice of its exact size holding doc with the batch
// proof whose proofValue is pv inserted at offset at.
func (b *batchProofJCS) insert(doc []byte, at int, pv string) []byte {
	out := make([]byte, 0, len(doc)+len(b.head)+len(pv)+2+len(b.tail))
	out = append(out, doc[:at]...)
	out = append(out, b.head...)
	out = append(out, '"')
	out = append(out, pv...)
	out = append(out, '"')
	out = append(out, b.tail...)
	return append(out, doc[at:]...)
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
