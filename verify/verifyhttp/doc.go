// Package verifyhttp serves a [verify.Verifier] over HTTP: a JSON API and a
// web page, for a recruitment site to mount in its own server or to run on
// its own.
//
// # Routes
//
//	POST /v1/verify        body: one credential or presentation (JSON) → a verify.Report
//	POST /v1/verify/batch  body: a JSON array of documents → an array of Reports
//	GET  /v1/challenge     → {"challenge", "domain", "expires"}
//	GET  /healthz          → {"status": "ok"}
//	GET  /                 the web page: paste or drop a badge, see the verdict in Korean and English
//
// Every verification answers 200 with its Report, whatever the verdict
// (verified, failed and indeterminate are all answers). A body that is not a
// document at all gets a Report whose format check failed and 400; a body
// over the limit gets 413 (1 MiB per document by default, see
// [WithMaxBodyBytes] and [WithBatchLimits]). Input never causes a 5xx: a
// 500 means a bug, and is logged with its stack.
//
// # Presentations
//
// A job seeker's presentation must be bound to a challenge this handler
// issued: the employer's page asks GET /v1/challenge, the applicant's wallet
// signs a presentation with that challenge and the domain ([WithDomain]),
// and POST /v1/verify checks it. Each challenge is single-use and expires
// ([WithChallenges]); a replayed, unknown or expired challenge fails the
// holder check.
//
// # Serving
//
// [Server] returns an *http.Server whose timeouts cut off slow clients;
// [Serve] runs it until a context ends and shuts it down gracefully. Each
// request writes one log line with log/slog: request id, method, path,
// status, duration and the verdict.
package verifyhttp
