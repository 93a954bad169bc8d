// Package store keeps short-lived, single-use state that several verifier
// instances may share: OpenID4VP transactions and their nonces, and the
// challenges a verifier hands out for presentations.
//
// # The contract
//
// A [Store] holds entries under string keys, each with a time to live:
//
//   - [Store.Create] adds an entry only if the key is free (set-if-absent):
//     of two concurrent creations of one key exactly one succeeds, the other
//     gets [ErrExists]. A verifier that mints stateless, MAC-protected
//     challenges can therefore spend one by creating its key: the first use
//     wins, a replay gets ErrExists.
//   - [Store.Load] returns the entry, or [ErrNotFound] once it has expired.
//   - [Store.Complete] marks an entry completed, storing a result, exactly
//     once: of two concurrent completions one succeeds and the other gets
//     [ErrCompleted]. The entry stays loadable, completed, until it expires.
//   - Entries disappear when their time to live ends; nothing else removes them.
//
// [NewMemory] is the default, for one process; [redisstore.New] shares the
// state through Redis, so that a transaction started on one instance behind
// a load balancer can be completed on another, and completed once only.
package store
