// Package badge holds the typed models of the credentials this SDK verifies —
// W3C Verifiable Credentials 2.0 (and 1.1 dates), Open Badges 3.0
// OpenBadgeCredential / AchievementCredential, CLR 2.0 ClrCredential — and of
// VerifiablePresentation, with strict parsing.
//
// # Parsing
//
// [ParseCredential] and [ParsePresentation] first check the raw bytes
// (size limit, nesting limit, duplicate keys, invalid UTF-8, lone
// surrogates), then decode them. The original bytes are kept: signatures and
// hashes are computed over what was signed ([Credential.Raw],
// [Credential.Members]), never over a re-marshalled struct, so properties
// this package does not model survive untouched.
//
// Credentials typed as Open Badges must carry the Open Badges 3.0 required
// properties; any other well-formed credential parses as a plain VC.
//
// # Korean badge profiles
//
// [NationalQualification], [AcademicRecord], [WorkExperience] and
// [TrainingCompletion] build unsigned credentials for the four kinds of
// badge of South Korea's digital badge programme, Korean first with English
// alongside.
//
// This package does no I/O and no cryptography.
package badge
