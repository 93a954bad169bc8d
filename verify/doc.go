// Package verify answers "can I trust this badge, and why".
//
// Build one [Verifier] with [New] and the trust, key, anchor and status
// settings your service needs; it is safe for concurrent use and shares its
// caches across calls. [Verifier.Verify] takes the bytes of a credential or a
// presentation and always returns a [Report] — also for bad input — with one
// entry per check:
//
//   - format: the bytes parse as a credential (strict JSON, required properties)
//   - signature: every proof verifies, and at least one is by a key of the issuer
//   - merkle: the badge's hash is a leaf of the batch's Merkle tree
//   - anchor: the tree's root is on the chain, written by the issuer
//   - issuer: the issuer is in the trust list, with that key, for that achievement
//   - status: the badge is not revoked or suspended
//   - validity: now is within validFrom..validUntil
//   - holder: the presenter of a presentation is each badge's subject
//
// Every check that can run does run, so a report shows all that is wrong.
// The overall status is verified only when nothing failed and nothing was
// indeterminate; a node that cannot be reached makes a genuine badge
// indeterminate, never failed; a forged badge is never verified. Failed and
// indeterminate checks carry errors that match this package's sentinels with
// errors.Is.
//
// # Proofs, keys and contexts
//
// The proof kinds checked ([Cryptosuites], restricted with
// [WithCryptosuites]) are the W3C Data Integrity suites eddsa-jcs-2022,
// ecdsa-jcs-2019, eddsa-rdfc-2022, ecdsa-rdfc-2019 and ecdsa-sd-2023
// (derived proofs: a base proof is the holder's and is refused), the legacy
// Ed25519Signature2020 and EcdsaSecp256k1Signature2019, this SDK's Merkle
// batch proof and the Blockcerts proofs. In a proof set every proof must
// verify and at least one must be by a key of the issuer; valid proofs by
// other keys (an endorser, a witness) are named in [Report.Signers] and
// never counted as the issuer's. A proof naming previousProof covers the
// proofs it names, as the Data Integrity specification chains them; one
// naming a proof the set does not hold fails.
//
// Keys come from the trust list, did:key, did:web, https verification
// methods (the issuer's controller document or Open Badges profile,
// fetched and cached) and documents the caller gives
// ([WithControllerDocuments]), which also serve offline. JSON-LD contexts
// are never fetched: the ones listed by [KnownContexts] are held locally
// and [WithContexts] adds more; an unknown context fails the format check,
// naming its URL. The format check also enforces the MUSTs of the VC Data
// Model 2.0 (and 1.1 for 1.1 credentials) that badge.CheckDataModel lists,
// and the JSON-LD rules that no context redefines a protected term and
// that every type is defined.
//
// Status lists and JSON schemas can be held locally too:
// [WithStatusListCredential] gives the status list credential served at a
// URL (used instead of fetching it, and offline), and
// [WithCredentialSchemas] gives the JSON schemas a credentialSchema names,
// which are never fetched: a credential whose schema is given is validated
// against it in the format check (each credentialSubject of a Blockcerts
// credential, as cert-verifier-js validates them).
//
// # Hostile input
//
// Every verification runs under a work budget ([WithWorkBudget]) charged by
// RDF canonicalization (each quad, hash and permutation of RDFC-1.0), by
// proofs and by status entries, and under a deadline for all its fetches and
// look-ups ([WithTimeout]); the caller's context ends it sooner. A document
// with more proofs ([WithMaxProofs]) or status entries
// ([WithMaxStatusEntries]) than allowed is refused before the work they
// would cost; fetches are capped per Verifier and per host
// ([WithFetchConcurrency]) and none starts once the deadline has passed. An
// input that spends the budget fails with [ErrBudgetExceeded] (the input is
// abusive, not the network); an ended context leaves what was not decided
// indeterminate ([ErrCanceled]). A check that depends on an undecided one
// (the issuer on a signature whose key could not be fetched, the holder on
// a presentation proof) is undecided too, never failed. The defaults
// verify every real badge and every vector the SDK tests against.
package verify
