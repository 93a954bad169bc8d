package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newFetcher(t *testing.T, opts Options) *Fetcher {
	t.Helper()
	f, err := New(opts)
	require.NoError(t, err)
	return f
}

func TestNewRejectsBadOptions(t *testing.T) {
	_, err := New(Options{Timeout: -1})
	assert.Error(t, err)
	_, err = New(Options{MaxBytes: -1})
	assert.Error(t, err)
	_, err = New(Options{HTTPClient: &http.Client{Transport: roundTripFunc(nil)}})
	assert.ErrorContains(t, err, "only *http.Transport")
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestRefusedBeforeConnecting lists URLs that must be refused by the checks;
// none of them is ever connected to (literal hosts are refused before a
// request is built, and the dial-time check refuses before connect).
func TestRefusedBeforeConnecting(t *testing.T) {
	tests := []struct {
		name string
		url  string
		opts Options
	}{
		{"loopback by default", "https://127.0.0.1/x", Options{}},
		{"loopback v6 by default", "https://[::1]/x", Options{}},
		{"private 10/8", "https://10.0.0.1/status", Options{}},
		{"private 10/8 with loopback allowed", "https://10.0.0.1/status", Options{AllowLoopback: true}},
		{"private 172.16/12", "https://172.20.1.1/", Options{}},
		{"private 192.168/16", "https://192.168.1.1/", Options{}},
		{"unique local v6", "https://[fd00::1]/", Options{}},
		{"cgnat", "https://100.64.0.1/", Options{}},
		{"metadata", "https://169.254.169.254/latest/meta-data/", Options{}},
		{"metadata even with private and loopback allowed", "https://169.254.169.254/", Options{AllowLoopback: true, AllowPrivate: true}},
		{"metadata over http", "http://169.254.169.254/latest/meta-data/", Options{AllowLoopback: true}},
		{"link-local v6", "https://[fe80::1]/", Options{AllowPrivate: true}},
		{"mapped private v6", "https://[::ffff:10.0.0.1]/", Options{}},
		{"mapped metadata v6", "https://[::ffff:169.254.169.254]/", Options{AllowPrivate: true}},
		{"mapped loopback v6", "https://[::ffff:127.0.0.1]/", Options{}},
		{"nat64 metadata", "https://[64:ff9b::a9fe:a9fe]/", Options{}},
		{"6to4 private", "https://[2002:0a00:0001::1]/", Options{}},
		{"unspecified", "https://0.0.0.0/", Options{AllowLoopback: true}},
		{"unspecified v6", "https://[::]/", Options{AllowLoopback: true}},
		{"multicast", "https://224.0.0.1/", Options{}},
		{"broadcast", "https://255.255.255.255/", Options{}},
		{"file", "file:///etc/passwd", Options{AllowLoopback: true, AllowPrivate: true}},
		{"ftp", "ftp://example.com/x", Options{}},
		{"data", "data:text/plain,hello", Options{}},
		{"gopher", "gopher://example.com/", Options{}},
		{"plain http public", "http://example.com/status", Options{AllowLoopback: true}},
		{"plain http loopback without opt-in", "http://127.0.0.1/", Options{}},
		{"no host", "https:///path", Options{}},
		{"user info", "https://user:pass@example.com/", Options{}},
		{"unparsable", "https://[::1/", Options{}},
		{"relative", "/status/1", Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFetcher(t, tt.opts)
			body, err := f.Get(context.Background(), tt.url, "")
			require.ErrorIs(t, err, ErrRefused)
			assert.Nil(t, body)
			assert.True(t, Refused(err))
			assert.False(t, Unavailable(err))
		})
	}
}

// TestDialControl exercises the check that runs on resolved addresses.
func TestDialControl(t *testing.T) {
	tests := []struct {
		addr    string
		p       policy
		refused bool
	}{
		{"93.184.215.14:443", policy{}, false},
		{"[2606:2800:21f:cb07:6820:80da:af6b:8b2c]:443", policy{}, false},
		{"127.0.0.1:443", policy{}, true},
		{"127.8.9.10:443", policy{allowLoopback: true}, false},
		{"[::1]:443", policy{allowLoopback: true}, false},
		{"10.0.0.1:443", policy{}, true},
		{"10.0.0.1:443", policy{allowPrivate: true}, false},
		{"100.100.100.100:443", policy{}, true},
		{"169.254.169.254:80", policy{allowPrivate: true, allowLoopback: true}, true},
		{"[::ffff:10.0.0.1]:443", policy{}, true},
		{"[::ffff:8.8.8.8]:443", policy{}, false},
		{"[fe80::1%eth0]:443", policy{allowPrivate: true}, true},
		{"[ff02::1]:443", policy{}, true},
		{"not-an-address:443", policy{allowPrivate: true, allowLoopback: true}, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%+v", tt.addr, tt.p), func(t *testing.T) {
			err := tt.p.control("tcp", tt.addr, nil)
			if tt.refused {
				assert.ErrorIs(t, err, ErrRefused)
			} else {
				assert.NoError(t, err)
			}
		})
	}
}

func TestClassifyEmbedded(t *testing.T) {
	c, _ := classify(netip.MustParseAddr("64:ff9b::808:808"))
	assert.Equal(t, classPublic, c, "NAT64 of a public address")
	c, _ = classify(netip.MustParseAddr("64:ff9b::7f00:1"))
	assert.Equal(t, classLoopback, c, "NAT64 of loopback")
	c, _ = classify(netip.MustParseAddr("2002:a9fe:a9fe::"))
	assert.Equal(t, classForbidden, c, "6to4 of metadata")
}

func TestLoopbackServer(t *testing.T) {
	var gotUA, gotAccept string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotUA, gotAccept = r.UserAgent(), r.Header.Get("Accept")
		fmt.Fprint(w, "hello")
	}))
	defer srv.Close()

	_, err := newFetcher(t, Options{}).Get(context.Background(), srv.URL, "")
	require.ErrorIs(t, err, ErrRefused, "loopback must be refused by default")

	f := newFetcher(t, Options{AllowLoopback: true, UserAgent: "test-agent"})
	body, err := f.Get(context.Background(), srv.URL+"/doc", "application/json")
	require.NoError(t, err)
	assert.Equal(t, "hello", string(body))
	assert.Equal(t, "test-agent", gotUA)
	assert.Equal(t, "application/json", gotAccept)
}

// TestHostnameCheckedAfterResolution: "localhost" is not a literal address,
// so only the dial-time check can refuse it.
func TestHostnameCheckedAfterResolution(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
	}))
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]

	f := newFetcher(t, Options{HTTPClient: srv.Client()})
	_, err := f.Get(context.Background(), "https://localhost:"+port+"/", "")
	require.ErrorIs(t, err, ErrRefused)
	assert.Equal(t, int32(0), hits.Load())
}

func TestTLSServerWithInjectedClient(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"ok":true}`)
	}))
	defer srv.Close()

	// Without the server's client the certificate is not trusted.
	_, err := newFetcher(t, Options{AllowLoopback: true}).Get(context.Background(), srv.URL, "")
	require.Error(t, err)
	assert.True(t, Unavailable(err))

	f := newFetcher(t, Options{AllowLoopback: true, HTTPClient: srv.Client()})
	body, err := f.Get(context.Background(), srv.URL, "")
	require.NoError(t, err)
	assert.Equal(t, `{"ok":true}`, string(body))
}

func TestRedirects(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/final", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "final") })
	mux.HandleFunc("/to-final", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/final", http.StatusFound)
	})
	mux.HandleFunc("/to-metadata", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
	})
	mux.HandleFunc("/to-metadata-https", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://169.254.169.254/latest/meta-data/", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/to-private", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://10.0.0.1/", http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("/to-file", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := newFetcher(t, Options{AllowLoopback: true})

	body, err := f.Get(context.Background(), srv.URL+"/to-final", "")
	require.NoError(t, err)
	assert.Equal(t, "final", string(body))

	for _, path := range []string{"/to-metadata", "/to-metadata-https", "/to-private", "/to-file", "/loop"} {
		t.Run(path, func(t *testing.T) {
			body, err := f.Get(context.Background(), srv.URL+path, "")
			require.ErrorIs(t, err, ErrRefused)
			assert.Nil(t, body)
		})
	}
}

// TestTimeout: the server stalls before its headers, or after the first
// bytes of the body; either way the one timeout ends the fetch.
func TestTimeout(t *testing.T) {
	for name, partial := range map[string]bool{"before headers": false, "during body": true} {
		t.Run(name, func(t *testing.T) {
			release := make(chan struct{})
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if partial {
					fmt.Fprint(w, "partial")
					w.(http.Flusher).Flush()
				}
				select {
				case <-r.Context().Done():
				case <-release:
				}
			}))
			defer srv.Close()
			defer close(release)

			f := newFetcher(t, Options{AllowLoopback: true, Timeout: 200 * time.Millisecond})
			body, err := f.Get(context.Background(), srv.URL, "")
			require.ErrorIs(t, err, ErrTimeout)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.True(t, Unavailable(err))
			assert.False(t, Refused(err))
			assert.Nil(t, body)
		})
	}
}

func TestCallerCancel(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	_, err := newFetcher(t, Options{AllowLoopback: true}).Get(ctx, srv.URL, "")
	require.ErrorIs(t, err, context.Canceled)
	assert.False(t, Unavailable(err))
}

func TestTooLarge(t *testing.T) {
	const total = 100 << 20
	chunk := make([]byte, 64<<10)
	written := make(chan int64, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n int64
		defer func() { written <- n }()
		for n < total {
			m, err := w.Write(chunk)
			n += int64(m)
			if err != nil {
				return
			}
		}
	}))
	defer srv.Close()

	f := newFetcher(t, Options{AllowLoopback: true, MaxBytes: 1 << 20})
	body, err := f.Get(context.Background(), srv.URL, "")
	require.ErrorIs(t, err, ErrTooLarge)
	assert.Nil(t, body)
	assert.False(t, Unavailable(err))

	select {
	case n := <-written:
		t.Logf("server wrote %d bytes before the connection closed", n)
		assert.Less(t, n, int64(total), "the server's write should have been cut short")
	case <-time.After(30 * time.Second):
		t.Fatal("server handler still writing 30s after the client gave up")
	}
}

func TestTooLargeDeclared(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "2000")
		w.Write(make([]byte, 2000))
	}))
	defer srv.Close()
	_, err := newFetcher(t, Options{AllowLoopback: true, MaxBytes: 1000}).Get(context.Background(), srv.URL, "")
	require.ErrorIs(t, err, ErrTooLarge)
}

func TestExactlyMaxBytes(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(make([]byte, 1000))
	}))
	defer srv.Close()
	body, err := newFetcher(t, Options{AllowLoopback: true, MaxBytes: 1000}).Get(context.Background(), srv.URL, "")
	require.NoError(t, err)
	assert.Len(t, body, 1000)
}

func TestHTTPStatus(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "gone", http.StatusNotFound)
	}))
	defer srv.Close()
	_, err := newFetcher(t, Options{AllowLoopback: true}).Get(context.Background(), srv.URL+"/x", "")
	require.ErrorIs(t, err, ErrHTTPStatus)
	var se *StatusError
	require.True(t, errors.As(err, &se))
	assert.Equal(t, http.StatusNotFound, se.Code)
	assert.True(t, Unavailable(err))
}

func TestConnectionRefusedIsUnavailable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	_, err := newFetcher(t, Options{AllowLoopback: true}).Get(context.Background(), url, "")
	require.Error(t, err)
	assert.True(t, Unavailable(err))
	assert.False(t, Refused(err))
}

func TestUnavailableNil(t *testing.T) {
	assert.False(t, Unavailable(nil))
	assert.False(t, Refused(nil))
}
