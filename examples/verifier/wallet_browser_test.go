package main

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/verify"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startWalletDemo serves the employer's and the wallet's pages over the
// demo badges on a loopback server.
func startWalletDemo(t *testing.T) string {
	t.Helper()
	d, err := newDemo(context.Background(), t.TempDir(), "")
	require.NoError(t, err)
	t.Cleanup(func() { d.Close() })
	v, err := verify.New(verify.WithTrustList(d.trust), verify.WithAnchorResolver(d.ledger), verify.WithAllowLoopback())
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	base := "http://" + ln.Addr().String()
	wd, err := newWalletDemo(d, v, base)
	require.NoError(t, err)
	mux := http.NewServeMux()
	wd.register(mux)
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: mux}}
	srv.Start()
	t.Cleanup(srv.Close)
	return base
}

// browser starts headless Chromium for chromedp.
func browser(t *testing.T) context.Context {
	chromium := findChromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(420, 900))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// text and js read one value from a tab.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	require.NoError(t, err, sel)
	return s
}

func js[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	require.NoError(t, err, expr)
	return v
}

// TestBrowserWalletFlow walks the demo's OpenID4VP flow in headless
// Chromium: on the employer's page the "request badges" button shows a QR
// code and a same-device link; the link opens Kim Ji-won's wallet page,
// which reads the signed request, shows which claims of which badges go to
// which employer, and sends them on consent; the employer's page then shows
// the verified reports. A second request, pasted into the wallet and
// declined, shows the refusal on the employer's page.
func TestBrowserWalletFlow(t *testing.T) {
	base := startWalletDemo(t)
	employer := browser(t)

	require.NoError(t, chromedp.Do(employer,
		chromedp.Navigate(base+"/employer"),
		chromedp.WaitVisible(chromedp.CSS("#request-badges")),
		chromedp.Click(chromedp.CSS("#request-badges")),
		chromedp.WaitVisible(chromedp.CSS("#qr")),
	))
	_, err := chromedp.Run(employer, chromedp.Poll[bool](`document.getElementById('qr').naturalWidth > 0`))
	require.NoError(t, err)
	assert.GreaterOrEqual(t, js[int](t, employer, `document.getElementById('qr').naturalWidth`), 200, "the QR code image is rendered")
	reqURL := text(t, employer, "#request-url")
	link := js[string](t, employer, `document.getElementById('same-device').getAttribute('href')`)
	assert.True(t, strings.HasPrefix(reqURL, "openid4vp://?client_id=x509_hash%3A"), reqURL)
	require.Contains(t, link, "/wallet?request=openid4vp")

	// The same-device link, in another tab of the same browser.
	wallet, cancel := chromedp.NewContext(employer)
	defer cancel()
	require.NoError(t, chromedp.Do(wallet, chromedp.Navigate(base+link), chromedp.WaitVisible(chromedp.CSS("#consent"))))
	consent := text(t, wallet, "#consent")
	badges := js[int](t, wallet, `document.querySelectorAll('#badges .badge').length`)
	candidates := js[int](t, wallet, `document.querySelectorAll('#queries .candidate').length`)
	assert.Contains(t, consent, "한빛소프트 채용", "the employer's name")
	assert.Contains(t, consent, "x509_hash:", "the checked client identifier")
	assert.Contains(t, consent, "credentialSubject.licenseNumber", "which claims go")
	assert.Contains(t, consent, "국가기술자격 (필수)")
	assert.Equal(t, 2, candidates, "the qualification and the work-experience badge")
	assert.Equal(t, 4, badges, "the four demo badges are held")
	assert.Contains(t, text(t, wallet, "#badges"), "정보처리")

	require.NoError(t, chromedp.Do(wallet, chromedp.Click(chromedp.CSS("#share")), chromedp.WaitVisible(chromedp.CSS(`#sent[data-status="sent"]`))))
	assert.Contains(t, text(t, wallet, "#sent"), "전송했습니다")

	require.NoError(t, chromedp.Do(employer, chromedp.WaitVisible(chromedp.CSS(`#verdict[data-status="verified"]`))))
	assert.Equal(t, "검증됨 · Verified", text(t, employer, "#verdict"))
	presented := text(t, employer, "#presented")
	assert.Equal(t, 2, js[int](t, employer, `document.querySelectorAll('#presented li[data-status="verified"]').length`), presented)
	assert.Contains(t, presented, "정보처리")

	// A second request, its URL pasted into the wallet (in English), declined.
	require.NoError(t, chromedp.Do(employer, chromedp.Click(chromedp.CSS("#request-badges"))))
	_, err = chromedp.Run(employer, chromedp.Poll[bool](`document.getElementById('request-url').textContent !== `+jsString(reqURL)))
	require.NoError(t, err)
	reqURL2 := text(t, employer, "#request-url")
	require.NoError(t, chromedp.Do(wallet,
		chromedp.Navigate(base+"/wallet?lang=en"),
		chromedp.WaitVisible(chromedp.CSS("#scan")),
		chromedp.SendKeys(chromedp.CSS("#request-url"), reqURL2),
		chromedp.Click(chromedp.CSS("#scan")),
		chromedp.WaitVisible(chromedp.CSS("#consent")),
	))
	assert.Equal(t, "My badge wallet — Kim Ji-won", text(t, wallet, "h1"))
	require.NoError(t, chromedp.Do(wallet, chromedp.Click(chromedp.CSS("#decline")), chromedp.WaitVisible(chromedp.CSS(`#sent[data-status="declined"]`))))
	require.NoError(t, chromedp.Do(employer, chromedp.WaitVisible(chromedp.CSS(`#verdict[data-status="failed"]`))))
	assert.Equal(t, "wallet_error", text(t, employer, "#result-code"))
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
