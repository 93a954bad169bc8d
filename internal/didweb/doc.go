// Package didweb resolves did:web identifiers (W3C CCG did:web method).
//
// [URL] maps a DID to the HTTPS address of its DID document:
//
//	did:web:example.com                  → https://example.com/.well-known/did.json
//	did:web:example.com:user:alice       → https://example.com/user/alice/did.json
//	did:web:example.com%3A8443:user:bob  → https://example.com:8443/user/bob/did.json
//
// The domain must be a DNS name: the method forbids IP addresses, and this
// package rejects them as well as empty, "." and ".." path segments.
//
// [Resolve] fetches the document through a [fetch.Fetcher], so the address,
// size and time limits for attacker-chosen URLs apply, and [Parse] checks it
// strictly: valid UTF-8 JSON without duplicate keys, id equal to the DID,
// verification method ids unique and inside the document.
//
// A key is fit to verify credentials only if the document lists it under
// assertionMethod: use [Document.AssertionMethod], not
// [Document.VerificationMethod], when checking a credential's proof. Key
// bytes are not decoded here: a [VerificationMethod] carries the raw
// publicKeyMultibase or publicKeyJwk.
package didweb
