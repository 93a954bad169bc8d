// Package fetch is the only way the SDK fetches remote documents such as
// status list credentials and did:web documents.
//
// The URLs it is given come from badges, so an attacker chooses them. A
// [Fetcher] therefore enforces, on every request and on every redirect hop:
//
//   - Scheme: only https. Plain http is accepted only for a loopback host
//     (127.0.0.0/8, ::1 or "localhost") and only when
//     [Options.AllowLoopback] is set, for local tests and on-premise servers.
//     file:, ftp:, data: and every other scheme are refused.
//   - Destination address: checked at dial time, after DNS resolution, on the
//     address the socket is about to connect to, so DNS rebinding cannot
//     slip past it. Loopback is refused unless [Options.AllowLoopback];
//     private ranges (10/8, 172.16/12, 192.168/16, fc00::/7) and carrier-grade
//     NAT (100.64/10) unless [Options.AllowPrivate]; link-local (including the
//     cloud metadata address 169.254.169.254), unspecified, multicast,
//     broadcast, documentation and reserved ranges always. IPv4-mapped IPv6,
//     NAT64 and 6to4 forms are judged by the IPv4 address they carry.
//     A refused dial fails before any packet is sent.
//   - Redirects: at most [MaxRedirects], each hop re-checked by the same rules.
//   - Size: the body is read through a limit of [Options.MaxBytes]; a larger
//     body is cut off and [ErrTooLarge] returned, so memory stays bounded.
//   - Time: one total timeout covers connecting, redirects and reading the body.
//
// Errors wrap the sentinels [ErrRefused], [ErrTooLarge], [ErrTimeout] and
// [ErrHTTPStatus] for use with errors.Is. [Unavailable] tells a document
// that could not be had right now (network down, timeout, server error) from
// one the SDK refused to fetch: a verifier reports the first as
// indeterminate and the second as a failure.
package fetch
