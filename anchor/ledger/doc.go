// Package ledger is the embedded ledger: an anchor "chain" kept in a local
// directory, for demonstrations, tests and sites without a blockchain. Its
// anchors are blink URIs blink:ledger:<ledger-id>:<sequence>.
//
// # Directory
//
// A ledger directory holds three files:
//
//   - ledger-id: 32 random lower-case hex digits, made when the ledger is
//     created. The id is the network part of every Ref and is sealed into
//     every record, so records cannot be moved between ledgers.
//   - records: the append-only log of fixed-size records ([RecordSize]
//     bytes), so record n is read with one positioned read at n*RecordSize.
//   - lock: the file [Ledger.Append] locks while it appends (flock on Unix,
//     LockFileEx on Windows), so that several processes may append.
//
// # Records
//
// A record holds its sequence number, the time (UTC, nanoseconds), the
// anchored root (1 to [MaxRootLen] bytes), the sender (1 to [MaxSenderLen]
// bytes of UTF-8: the issuer's DID or address), the hash of the previous
// record and its own seal, SHA-256 over the ledger id and all of the
// above. Each append is fsynced before it returns.
//
// # Damage
//
//   - Torn tail: a crash in the middle of an append leaves either bytes
//     short of a whole record or a last record that fails its seal. It is
//     ignored when reading (its sequence is not found, [Ledger.Len] does
//     not count it) and the next append cuts it off and writes in its place.
//   - Altered record: any other record that fails its seal, or whose links
//     to its neighbours do not hold, is reported, never served: reading it
//     returns an error wrapping anchor.ErrCorrupt. A record is served only
//     if it, its predecessor and its successor (where they exist) pass their
//     seals and the successor names its hash and it names the predecessor's.
//     So one damaged record makes itself and its two neighbours unreadable;
//     records further away still serve, each being sealed and linked on both
//     sides. This costs at most three reads per lookup. [Ledger.Verify]
//     checks the whole chain and names the first bad record.
//
// Whoever can write the directory can rewrite the newest records
// consistently; the ledger guards against accidents and against changes
// in the middle of the log, not against its owner.
//
// # Reading through a cache
//
// [Ledger.Reads] counts lookups, so that callers can check an
// anchor.Cache in front of the ledger reads each batch's record once.
package ledger
