// Package rdfc canonicalizes JSON-LD documents with RDF Dataset
// Canonicalization (RDFC-1.0, the algorithm formerly called URDNA2015) and
// serializes the result as canonical N-Quads.
//
// It serves the eddsa-rdfc-2022 cryptosuite (Open Badges 3.0 conformance)
// and Blockcerts target hashes (MerkleProof2017, MerkleProof2019).
//
// # Contexts
//
// The document loader never touches the network. It serves only the JSON-LD
// contexts embedded in this package (see [KnownContexts]): the W3C VC 1.1 and
// 2.0 contexts and the VC 2.0 examples context, Blockcerts v2 to v3.2 and
// their alpha and beta drafts, Open Badges 2.0 and 3.0.1 to 3.0.3 with the
// 1EdTech extensions, CLR 2.0, Data Integrity v1 and v2, security v1 and v2,
// DID v1, the Ed25519 2018 and 2020, secp256k1 2019, JWS 2020, BBS,
// MerkleProof2019, ChainedProof2021 and Status List 2021 suites, ODRL and
// Controlled Identifiers (contexts/w3c/index.json names the source of
// each). A caller adds its own with [ParseContexts] and [Options.Contexts]
// (an embedded URL cannot be replaced). Any other URL fails with an
// [*UnknownContextError], which matches [ErrUnknownContext]. The active
// context a document's @context produces is kept in a small bounded cache,
// so that the certificates of one issuer, which name the same contexts,
// do not process them again.
//
// # Cost
//
// A certificate embeds its images as data URLs and sometimes a page of
// HTML: megabytes of literals that pass through unchanged. They are never
// copied on their way to the canonical form: its lines hold them in
// pieces, escaped as they are written, and
// [Options.CanonicalizeObjectTo] streams the canonical form into a hash.
//
// # Hostile input
//
// Inputs are limited in size and nesting depth ([Options]). With
// [Options.Strict], properties that no context defines fail the call instead
// of silently vanishing from the canonical form. [Options.DetectUnmapped]
// implements the Blockcerts rule: a fallback @vocab is appended to @context
// and any quad that uses it fails the call. RDFC-1.0 has inputs with a few
// blank nodes whose canonicalization takes minutes (Hash N-Degree Quads
// tries every permutation, recursively): json-gold's implementation has no
// work limit, so this package canonicalizes the dataset itself, paying for
// every serialized quad, hash and permutation from a budget
// ([Options.Budget], [DefaultMaxWork] per call by default) and honouring
// the context ([Options.CanonicalizeContext]). A spent budget fails the
// call with an error wrapping budget.ErrExhausted. json-gold panics on some
// documents (it asserts the types of what it reads); such a document fails
// with [ErrCanonicalize].
package rdfc
