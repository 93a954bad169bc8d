// Package verify answers "can I trust this badge, and why".
//
// Build one [Verifier] with [New] and the trust, key, anchor and status
// settings your service needs; it is safe for concurrent use and shares its
// caches across calls. [Verifier.Verify] takes the bytes of a credential or a
// presentation and always returns a [Report] — also for bad input — with one
// entry per check:
//
//   - format: the bytes parse as a credential (strict JSON, required properties)
//   - signature: every Data Integrity proof verifies with a key of its issuer
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
