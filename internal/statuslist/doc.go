// Package statuslist implements the W3C Bitstring Status List v1.0 data
// model: the compressed bitstring published in a status list credential,
// the BitstringStatusListEntry a badge carries in credentialStatus, and an
// index allocator for issuers.
//
// # Bitstring
//
// An encodedList is the multibase base64url (no padding, prefix 'u') form of
// the GZIP-compressed bitstring. Index 0 is the most significant bit of the
// first byte. [Decode] enforces the specification's minimum of 131,072 bits
// (16 KiB) and returns [ErrTooShort] for a shorter list, which is what the
// specification's validation algorithm calls STATUS_LIST_LENGTH_ERROR. Lists
// made by older implementations can still be read with [DecodeAnyLength].
// Decompression stops at [MaxBytes] so a small zip bomb cannot exhaust
// memory.
//
// # Entries
//
// [ParseEntry] reads one credentialStatus object of type
// BitstringStatusListEntry. Only statusSize 1 is supported; a larger status
// size is rejected with [ErrUnsupported] rather than misread.
//
// # Allocation
//
// [Allocator] hands out unused indexes at random: random indexes keep the
// position of a badge in the list from revealing when it was issued, as the
// specification's privacy considerations recommend. It holds no storage of
// its own; the issuer persists [Allocator.Used] and passes it back to
// [NewAllocator].
package statuslist
