package fetch

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"
)

// PostForm posts form to rawURL under the same address rules, timeout and
// response size cap as Get, and returns the status code and body of any
// answer (a wallet reads the relying party's error responses too).
func (f *Fetcher) PostForm(ctx context.Context, rawURL string, form url.Values) (int, []byte, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return 0, nil, fmt.Errorf("%w: invalid URL: %v", ErrRefused, err)
	}
	if err := f.policy.checkURL(u); err != nil {
		return 0, nil, err
	}
	if err := ctx.Err(); err != nil {
		return 0, nil, fmt.Errorf("post %s not started: %w", u.Redacted(), err)
	}
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	release, err := f.slots.acquire(ctx, strings.ToLower(u.Host))
	if err != nil {
		return 0, nil, f.wrapErr(ctx, u, err)
	}
	defer release()
	resp, err := f.client.R().SetContext(ctx).SetDoNotParseResponse(true).
		SetHeader("User-Agent", f.userAgent).
		SetHeader("Content-Type", "application/x-www-form-urlencoded").
		SetBody(form.Encode()).Post(u.String())
	if resp != nil && resp.RawBody() != nil {
		defer resp.RawBody().Close()
	}
	if err != nil {
		return 0, nil, f.wrapErr(ctx, u, err)
	}
	raw := resp.RawResponse
	body, err := io.ReadAll(io.LimitReader(raw.Body, f.maxBytes+1))
	if err != nil {
		return 0, nil, f.wrapErr(ctx, u, err)
	}
	if int64(len(body)) > f.maxBytes {
		return 0, nil, fmt.Errorf("%w: %s sent more than %d bytes", ErrTooLarge, u.Redacted(), f.maxBytes)
	}
	return raw.StatusCode, body, nil
}
