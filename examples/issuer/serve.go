package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/badgeproof/badgeproof/issuer"
	"github.com/badgeproof/badgeproof/issuer/issuehttp"
	"github.com/badgeproof/badgeproof/keys"
)

// repeated collects the values of a flag given more than once.
type repeated []string

func (r *repeated) String() string { return strings.Join(*r, ",") }

func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

// serveCmd runs the VC-API issuing service: POST /credentials/issue signs
// with one of the configured keys and cryptosuites, as the request's
// options choose.
func serveCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	addr := fs.String("addr", "127.0.0.1:8090", "listen on `ADDR`")
	var keyFiles, suites, related repeated
	fs.Var(&keyFiles, "key", "sign with the key in `KEYFILE` (repeatable)")
	fs.Var(&related, "related-resource", "the content of a resource credentials pin in relatedResource, as `URL=FILE`: a credential whose digest does not match is refused; repeatable")
	fs.Var(&suites, "suite", "offer `CRYPTOSUITE` for the keys that can sign it (repeatable; default: every suite each key can sign): "+strings.Join(issuer.Cryptosuites(), ", "))
	statusURL := fs.String("status-url", "", "give each credential an entry in the status list served at `URL` (its path is served here; POST /credentials/status changes a status)")
	statusDir := fs.String("status-dir", "", "keep the status list in `DIR` (with --status-url)")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if (*statusURL == "") != (*statusDir == "") {
		return usageError{"--status-url and --status-dir go together"}
	}
	if len(keyFiles) == 0 || fs.NArg() > 0 {
		return usageError{"serve needs --key KEYFILE and no arguments"}
	}
	for _, s := range suites {
		if !slices.Contains(issuer.Cryptosuites(), s) {
			return usageError{fmt.Sprintf("unknown --suite %q (known: %s)", s, strings.Join(issuer.Cryptosuites(), ", "))}
		}
	}
	opts := []issuer.SignerOption{nil}
	if len(related) > 0 {
		content := map[string][]byte{}
		for _, kv := range related {
			url, path, ok := strings.Cut(kv, "=")
			if !ok {
				return usageError{fmt.Sprintf("--related-resource wants URL=FILE, got %q", kv)}
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return fmt.Errorf("--related-resource: %w", err)
			}
			content[url] = b
		}
		opts = append(opts, issuer.WithRelatedResources(content))
	}
	var signers []*issuer.Signer
	for _, path := range keyFiles {
		key, err := keys.ReadFile(path)
		if err != nil {
			return err
		}
		for _, suite := range issuer.Cryptosuites() {
			if len(suites) > 0 && !slices.Contains(suites, suite) {
				continue
			}
			opts[0] = issuer.WithCryptosuite(suite)
			s, err := issuer.NewSigner(key, opts...)
			if err != nil {
				continue // this key's type cannot sign this suite
			}
			signers = append(signers, s)
		}
	}
	if len(signers) == 0 {
		return usageError{"no key can sign any of the chosen suites"}
	}
	var hopts []issuehttp.Option
	if *statusURL != "" {
		// The list is signed by the first key's default suite.
		l, err := issuer.OpenStatusList(*statusDir, signers[0], issuer.StatusListConfig{URL: *statusURL})
		if err != nil {
			return err
		}
		defer l.Close()
		hopts = append(hopts, issuehttp.WithStatusList(l))
	}
	h, err := issuehttp.NewHandler(signers, hopts...)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second}
	fmt.Fprintf(stdout, "issuing service on http://%s/credentials/issue\n", ln.Addr())
	for _, s := range signers {
		fmt.Fprintf(stdout, "  %s  %s\n", s.Cryptosuite(), s.VerificationMethod())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shut)
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}
