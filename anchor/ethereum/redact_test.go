package ethereum

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// Provider URLs carry API keys in the path, the query or the user info;
// no error, and so no verification report or log line, may show them.
func TestErrorsDoNotShowEndpointSecrets(t *testing.T) {
	const secret = "S3CRETKEY"
	withSecret := func(base string) string {
		return strings.Replace(base, "://", "://user:"+secret+"@", 1) + "/v3/" + secret + "?apikey=" + secret
	}

	// A port nothing listens on.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()

	// A server slower than the request timeout.
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer slow.Close()
	defer close(release)

	// A server that fails every request.
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusServiceUnavailable)
	}))
	defer down.Close()

	for name, base := range map[string]string{"refused": closed, "timeout": slow.URL, "503": down.URL} {
		t.Run(name, func(t *testing.T) {
			endpoint := withSecret(base)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			opts := []Option{WithTimeout(100 * time.Millisecond), WithRetries(1, time.Millisecond)}

			r, err := NewResolver("1337", []string{endpoint}, opts...)
			if err != nil {
				t.Fatal(err)
			}
			_, err = r.Resolve(ctx, cannedRef)
			if err == nil {
				t.Fatal("Resolve: no error")
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("Resolve error shows the secret: %v", err)
			}
			if !strings.Contains(err.Error(), base) {
				t.Errorf("Resolve error %q does not name the endpoint %s", err, base)
			}

			p, err := NewPublisher("1337", endpoint, append(opts, WithPollInterval(time.Millisecond))...)
			if err != nil {
				t.Fatal(err)
			}
			_, err = p.Publish(ctx, []byte{1})
			if err == nil {
				t.Fatal("Publish: no error")
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("Publish error shows the secret: %v", err)
			}
		})
	}

}
