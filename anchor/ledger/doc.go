// Package ledger is the embedded ledger: an anchor "chain" kept in a local
// directory, for demonstrations, tests and sites without a blockchain. Its
// anchors are blink URIs blink:ledger:<ledger-id>:<sequence>.
//
// # Directory
//
// A ledger directory holds these files:
//
//   - ledger-id: 32 random lower-case hex digits, made when the ledger is
//     created. The id is the network part of every Ref and is sealed into
//     every record, so records cannot be moved between ledgers.
//   - records: the append-only log of fixed-size records ([RecordSize]
//     bytes), so record n is read with one positioned read at n*RecordSize.
//   - head: how many records are committed and the hash of the last one,
//     sealed with the ledger id; replaced atomically after each append's
//     record is on disk. An append hands out its sequence number only
//     once the head commits it.
//   - lock: the file [Ledger.Append] locks while it appends (flock on Unix,
//     LockFileEx on Windows), so that several processes may append.
//
// [Open] creates a ledger in a directory that holds none (the issuer's
// side); [OpenReadOnly] opens an existing one for reading and creates
// nothing, so a mistyped directory is an error, never a new empty ledger.
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
//   - Interrupted append: a crash in the middle of an append leaves bytes
//     of record n after the n committed ones, the head not yet updated. The
//     number was never handed out: reads do not see it and the next append
//     cuts it off and writes in its place (or keeps it, when the whole
//     record made it to disk linked to the last one).
//   - Damaged tail: a log shorter than the head says (truncation), or whose
//     last committed record fails its seal or is not the one the head
//     names, has lost records whose numbers anchored badges carry. [Open],
//     [OpenReadOnly], [Ledger.Verify] and [Ledger.Len] report it (errors
//     wrapping anchor.ErrCorrupt) and [Ledger.Append] refuses, so a number
//     is never handed out twice.
//   - Trailing garbage: bytes after the committed records that are not an
//     append under way never hide the last record (reads stop where the
//     head says); they are reported the same way and block appends.
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
// # Recovery
//
// Recovery is explicit: [Repair] cuts trailing garbage or an interrupted
// append (keeping a copy of what it cuts) once every committed record has
// been checked, and refuses when committed records are lost or altered:
// then restore the records file from a backup, or retire the directory and
// anchor new batches on a new ledger, whose new id keeps its blink URIs
// apart from the old ones. A directory from before head files has none; it
// is read as before (a last record failing its seal is taken for an
// interrupted append) until its next append writes one.
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
