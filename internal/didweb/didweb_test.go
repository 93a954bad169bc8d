package didweb

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/badgeproof/badgeproof/internal/fetch"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestURL(t *testing.T) {
	good := []struct{ did, url string }{
		{"did:web:example.com", "https://example.com/.well-known/did.json"},
		{"did:web:w3c-ccg.github.io", "https://w3c-ccg.github.io/.well-known/did.json"},
		{"did:web:example.com:user:alice", "https://example.com/user/alice/did.json"},
		{"did:web:w3c-ccg.github.io:user:alice", "https://w3c-ccg.github.io/user/alice/did.json"},
		{"did:web:example.com%3A3000", "https://example.com:3000/.well-known/did.json"},
		{"did:web:example.com%3a3000:user:alice", "https://example.com:3000/user/alice/did.json"},
		{"did:web:q-net.or.kr:issuers:hrdk", "https://q-net.or.kr/issuers/hrdk/did.json"},
		{"did:web:localhost%3A8443", "https://localhost:8443/.well-known/did.json"},
		{"did:web:example.com:a_b:c-d.e", "https://example.com/a_b/c-d.e/did.json"},
	}
	for _, tt := range good {
		t.Run(tt.did, func(t *testing.T) {
			got, err := URL(tt.did)
			require.NoError(t, err)
			assert.Equal(t, tt.url, got)
		})
	}

	bad := []string{
		"",
		"did:web:",
		"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
		"did:WEB:example.com",
		"did:web:example.com#key-1",
		"did:web:example.com?service=x",
		"did:web:example.com/path",
		"did:web:127.0.0.1",
		"did:web:10.0.0.1%3A443",
		"did:web:169.254.169.254",
		"did:web:[::1]",
		"did:web:example.com%3A",
		"did:web:example.com%3A0",
		"did:web:example.com%3A65536",
		"did:web:example.com%3Aabc",
		"did:web:example.com%3A-1",
		"did:web:example.com%3A08443",
		"did:web:example%2Ecom",
		"did:web:example.com%40evil.com",
		"did:web:user@example.com",
		"did:web:example.com::alice",
		"did:web:example.com:",
		"did:web::example.com",
		"did:web:example.com:..:admin",
		"did:web:example.com:%2E%2E",
		"did:web:example.com:a%2Fb",
		"did:web:example.com:a%zz",
		"did:web:-example.com",
		"did:web:example..com",
		"did:web:exa_mple.com",
		"did:web:example.com.",
		"did:web:" + strings.Repeat("a", 64) + ".com",
		"did:web:" + strings.Repeat("a.", 130) + "com",
		"did:web:ex ample.com",
		"did:web:exämple.com",
		"did:web:1234",
	}
	for _, did := range bad {
		t.Run("bad/"+did, func(t *testing.T) {
			_, err := URL(did)
			require.ErrorIs(t, err, ErrInvalidDID)
		})
	}
}

const docTemplate = `{
  "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
  "id": "%[1]s",
  "verificationMethod": [
    {"id": "%[1]s#key-1", "type": "Multikey", "controller": "%[1]s",
     "publicKeyMultibase": "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"},
    {"id": "#key-auth", "type": "Multikey", "controller": "%[1]s",
     "publicKeyMultibase": "z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG"},
    {"id": "%[1]s#key-jwk", "type": "JsonWebKey2020", "controller": "%[1]s",
     "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}}
  ],
  "assertionMethod": ["%[1]s#key-1", "#key-jwk",
    {"id": "#key-embedded", "type": "Ed25519VerificationKey2020", "controller": "%[1]s",
     "publicKeyMultibase": "z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf"}],
  "authentication": ["#key-auth"]
}`

func exampleDoc(did string) []byte { return []byte(fmt.Sprintf(docTemplate, did)) }

func TestParse(t *testing.T) {
	const did = "did:web:example.com:issuers:hrdk"
	d, err := Parse(did, exampleDoc(did))
	require.NoError(t, err)
	assert.Equal(t, did, d.ID)
	assert.Len(t, d.Methods, 3)
	assert.Equal(t, []string{did + "#key-1", did + "#key-jwk", did + "#key-embedded"}, d.AssertionMethodIDs)
	assert.Equal(t, []string{did + "#key-auth"}, d.AuthenticationIDs)

	m, err := d.AssertionMethod(did + "#key-1")
	require.NoError(t, err)
	assert.Equal(t, "Multikey", m.Type)
	assert.Equal(t, "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", m.PublicKeyMultibase)

	m, err = d.AssertionMethod("#key-jwk")
	require.NoError(t, err)
	assert.Equal(t, "JsonWebKey2020", m.Type)
	assert.JSONEq(t, `{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`, string(m.PublicKeyJwk))
	assert.Empty(t, m.PublicKeyMultibase)

	m, err = d.AssertionMethod(did + "#key-embedded")
	require.NoError(t, err)
	assert.Equal(t, "Ed25519VerificationKey2020", m.Type)

	// The authentication key exists but may not verify credentials.
	m, err = d.VerificationMethod("#key-auth")
	require.NoError(t, err)
	assert.Equal(t, did+"#key-auth", m.ID)
	_, err = d.AssertionMethod("#key-auth")
	require.ErrorIs(t, err, ErrNotAssertionMethod)
	assert.False(t, d.IsAssertionMethod(did+"#key-auth"))
	assert.True(t, d.IsAssertionMethod("#key-1"))

	for _, id := range []string{"#nope", did + "#nope", "did:web:evil.com#key-1", "key-1", ""} {
		_, err = d.AssertionMethod(id)
		assert.ErrorIs(t, err, ErrMethodNotFound, id)
		assert.False(t, d.IsAssertionMethod(id), id)
	}
}

func TestParseRejects(t *testing.T) {
	const did = "did:web:example.com"
	vm := func(extra string) string {
		return `{"id":"did:web:example.com","verificationMethod":[` + extra + `]}`
	}
	tests := []struct {
		name, doc string
		want      error
	}{
		{"not json", `{"id":`, ErrMalformed},
		{"array", `[]`, ErrMalformed},
		{"trailing data", `{"id":"did:web:example.com"} {}`, ErrMalformed},
		{"invalid utf8", "{\"id\":\"did:web:example.com\",\"x\":\"\xff\"}", ErrMalformed},
		{"duplicate id key", `{"id":"did:web:evil.com","id":"did:web:example.com"}`, ErrMalformed},
		{"duplicate nested key", vm(`{"id":"#k","type":"Multikey","controller":"did:web:example.com","publicKeyMultibase":"z1","publicKeyMultibase":"z2"}`), ErrMalformed},
		{"deep nesting", `{"id":"did:web:example.com","x":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`, ErrMalformed},
		{"other id", `{"id":"did:web:evil.com"}`, ErrIDMismatch},
		{"no id", `{}`, ErrIDMismatch},
		{"case differs", `{"id":"did:web:EXAMPLE.com"}`, ErrIDMismatch},
		{"method without id", vm(`{"type":"Multikey","controller":"did:web:example.com"}`), ErrMalformed},
		{"method of other DID", vm(`{"id":"did:web:evil.com#k","type":"Multikey","controller":"did:web:evil.com"}`), ErrMalformed},
		{"method id prefix trick", vm(`{"id":"did:web:example.com.evil.com#k","type":"Multikey","controller":"x"}`), ErrMalformed},
		{"method without type", vm(`{"id":"#k","controller":"did:web:example.com"}`), ErrMalformed},
		{"method without controller", vm(`{"id":"#k","type":"Multikey"}`), ErrMalformed},
		{"duplicate method", vm(`{"id":"#k","type":"Multikey","controller":"c"},{"id":"did:web:example.com#k","type":"Multikey","controller":"c"}`), ErrMalformed},
		{"method not object", vm(`"#k"`), ErrMalformed},
		{"bad assertion entry", `{"id":"did:web:example.com","assertionMethod":[42]}`, ErrMalformed},
		{"external assertion ref", `{"id":"did:web:example.com","assertionMethod":["did:web:evil.com#k"]}`, ErrMalformed},
		{"embedded duplicates listed", `{"id":"did:web:example.com","verificationMethod":[{"id":"#k","type":"Multikey","controller":"c"}],"assertionMethod":[{"id":"#k","type":"Multikey","controller":"c"}]}`, ErrMalformed},
		{"controller number", `{"id":"did:web:example.com","controller":5}`, ErrMalformed},
		// Keys differing only in case: Go's decoder would read one,
		// JSON-LD processors the other (issue 11).
		{"AssertionMethod beside assertionMethod", `{"id":"did:web:example.com","assertionMethod":["#a"],"AssertionMethod":["#b"]}`, ErrMalformed},
		{"ID beside id", `{"id":"did:web:example.com","ID":"did:web:evil.com"}`, ErrMalformed},
		{"publicKeyMultiBase beside publicKeyMultibase", vm(`{"id":"#k","type":"Multikey","controller":"c","publicKeyMultibase":"z1","publicKeyMultiBase":"z2"}`), ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse(did, []byte(tt.doc))
			require.ErrorIs(t, err, tt.want)
			assert.Nil(t, d)
		})
	}
}

func TestAssertionMethodKeyForm(t *testing.T) {
	const did = "did:web:example.com"
	doc := `{"id":"did:web:example.com","verificationMethod":[
		{"id":"#none","type":"Ed25519VerificationKey2018","controller":"did:web:example.com","publicKeyBase58":"abc"},
		{"id":"#both","type":"Multikey","controller":"did:web:example.com","publicKeyMultibase":"z1","publicKeyJwk":{"kty":"OKP"}}],
		"assertionMethod":["#none","#both"]}`
	d, err := Parse(did, []byte(doc))
	require.NoError(t, err)
	_, err = d.AssertionMethod("#none")
	assert.ErrorIs(t, err, ErrNoKey)
	_, err = d.AssertionMethod("#both")
	assert.ErrorIs(t, err, ErrNoKey)
}

// tlsFetcher serves did documents from an httptest TLS server on loopback;
// the DID names "localhost", so the client checks the certificate against
// the name the test certificate carries.
func tlsFetcher(t *testing.T, h http.Handler, opts fetch.Options) (*fetch.Fetcher, string) {
	t.Helper()
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	tr := srv.Client().Transport.(*http.Transport).Clone()
	tr.TLSClientConfig = tr.TLSClientConfig.Clone()
	tr.TLSClientConfig.ServerName = "example.com"
	tr.TLSClientConfig.MinVersion = tls.VersionTLS12
	opts.HTTPClient = &http.Client{Transport: tr}
	f, err := fetch.New(opts)
	require.NoError(t, err)
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	return f, "did:web:localhost%3A" + port
}

func TestResolve(t *testing.T) {
	var paths []string
	var hostDID atomic.Value
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path)
		did := hostDID.Load().(string)
		switch r.URL.Path {
		case "/.well-known/did.json":
			w.Header().Set("Content-Type", "application/did+json")
			w.Write(exampleDoc(did))
		case "/issuers/hrdk/did.json":
			w.Write(exampleDoc(did + ":issuers:hrdk"))
		case "/wrong/did.json":
			w.Write(exampleDoc("did:web:example.com"))
		case "/big/did.json":
			w.Write([]byte(`{"id":"` + did + `:big","pad":"` + strings.Repeat("x", 4096) + `"}`))
		default:
			http.NotFound(w, r)
		}
	})
	f, did := tlsFetcher(t, h, fetch.Options{AllowLoopback: true, MaxBytes: 4096})
	hostDID.Store(did)
	ctx := context.Background()

	d, err := Resolve(ctx, f, did)
	require.NoError(t, err)
	assert.Equal(t, did, d.ID)
	m, err := d.AssertionMethod("#key-1")
	require.NoError(t, err)
	assert.Equal(t, "Multikey", m.Type)

	d, err = Resolve(ctx, f, did+":issuers:hrdk")
	require.NoError(t, err)
	assert.Equal(t, did+":issuers:hrdk", d.ID)
	assert.Equal(t, []string{"/.well-known/did.json", "/issuers/hrdk/did.json"}, paths)

	_, err = Resolve(ctx, f, did+":wrong")
	assert.ErrorIs(t, err, ErrIDMismatch)

	_, err = Resolve(ctx, f, did+":big")
	assert.ErrorIs(t, err, fetch.ErrTooLarge)

	_, err = Resolve(ctx, f, did+":missing")
	assert.ErrorIs(t, err, fetch.ErrHTTPStatus)
	assert.True(t, fetch.Unavailable(err))

	_, err = Resolve(ctx, f, "did:web:127.0.0.1")
	assert.ErrorIs(t, err, ErrInvalidDID)
}

func TestResolveRefusesLoopbackByDefault(t *testing.T) {
	var hits atomic.Int32
	f, did := tlsFetcher(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
	}), fetch.Options{})
	_, err := Resolve(context.Background(), f, did)
	require.ErrorIs(t, err, fetch.ErrRefused)
	assert.False(t, fetch.Unavailable(err))
	assert.Equal(t, int32(0), hits.Load())
}

func TestResolveTimeout(t *testing.T) {
	f, did := tlsFetcher(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
		panic(http.ErrAbortHandler) // a stall sends nothing, not even an empty answer
	}), fetch.Options{AllowLoopback: true, Timeout: 200 * time.Millisecond})
	_, err := Resolve(context.Background(), f, did)
	require.ErrorIs(t, err, fetch.ErrTimeout)
	assert.True(t, fetch.Unavailable(err))
}

func FuzzParse(f *testing.F) {
	const did = "did:web:example.com"
	f.Add([]byte(exampleDoc(did)))
	f.Add([]byte(`{"id":"did:web:example.com"}`))
	f.Add([]byte(`{"id":"did:web:example.com","assertionMethod":[{"id":"#k","type":"Multikey","controller":"c","publicKeyJwk":{}}]}`))
	f.Add([]byte(`{"id":"did:web:example.com","id":"x"}`))
	f.Add([]byte(`[[[[{"a":1}]]]]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(did, data)
		if err != nil {
			return
		}
		if d.ID != did {
			t.Fatalf("accepted document with id %q", d.ID)
		}
		for _, id := range d.AssertionMethodIDs {
			if !strings.HasPrefix(id, did+"#") {
				t.Fatalf("assertion method %q outside the document", id)
			}
			if _, err := d.VerificationMethod(id); err != nil {
				t.Fatalf("listed assertion method %q not found: %v", id, err)
			}
		}
	})
}

func FuzzURL(f *testing.F) {
	for _, s := range []string{"did:web:example.com", "did:web:example.com%3A3000:user:alice", "did:web:127.0.0.1", "did:web:a:..:b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, did string) {
		u, err := URL(did)
		if err != nil {
			return
		}
		if !strings.HasPrefix(u, "https://") || !strings.HasSuffix(u, "/did.json") {
			t.Fatalf("URL(%q) = %q", did, u)
		}
		if strings.Contains(u[len("https://"):], "@") || strings.Contains(u, "/../") {
			t.Fatalf("URL(%q) = %q", did, u)
		}
	})
}

func TestParseRejectsLoneSurrogate(t *testing.T) {
	doc := `{"id":"did:web:example.com","verificationMethod":[{"id":"did:web:example.com#k","type":"Multikey","controller":"did:web:example.com","publicKeyMultibase":"z\ud800"}]}`
	_, err := Parse("did:web:example.com", []byte(doc))
	require.ErrorIs(t, err, ErrMalformed)
	require.ErrorContains(t, err, "lone high surrogate")
}
