// Package ttlcache is the one in-memory cache the SDK keeps for answers
// that are expensive to get again: anchor records, status lists and DID
// documents.
//
// # What it does
//
// A [Cache] holds at most a fixed number of entries and evicts the least
// recently used one beyond that. Each entry lives until an expiry time the
// loader chooses when it produces the value, so one cache can keep a
// confirmed record for minutes and a failure for seconds. Concurrent
// [Cache.Get] calls for one key that miss run the loader once and share
// its answer.
//
// # Contexts
//
// The loader runs on a context that keeps the first caller's values but
// not its cancellation, since other callers may be waiting for the same
// answer; a loader that needs a deadline sets its own. Each caller still
// returns as soon as its own context is done, with that context's error,
// while the load goes on for the others and its answer is kept.
//
// # Copies
//
// Values are stored and handed out by assignment: a value holding pointers,
// slices or maps shares them with the cache and with every other caller.
// Such values must either be treated as read-only by everyone, or the cache
// must be given a clone function ([Options.Clone]), which it applies to the
// loaded value before keeping it and to every value it hands out.
package ttlcache
