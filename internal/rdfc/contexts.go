package rdfc

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"sync"

	"github.com/piprate/json-gold/ld"
)

// contextFS holds the JSON-LD contexts this package serves, byte-identical
// to their published versions.
//
//go:embed contexts/*.json contexts/*.jsonld
var contextFS embed.FS

// contextFiles maps each served context URL to its file in contextFS. Only
// exact URLs are served: no normalisation, no redirects, no network.
var contextFiles = map[string]string{
	// W3C Verifiable Credentials.
	"https://www.w3.org/2018/credentials/v1": "3.0_credential.json",
	"https://www.w3.org/ns/credentials/v2":   "3.2_credential_v2.json",
	// The VC 1.1 examples context (w3c/vc-data-model @979c4af1 :
	// contexts/credentials/examples/v1), which Blockcerts' 3.0-alpha
	// certificate names; not in the vectors' index.
	"https://www.w3.org/2018/credentials/examples/v1": "credentials-examples-v1.jsonld",
	// The context a VC 2.0 document names last when it uses terms no other
	// context defines, mapping them to
	// https://www.w3.org/ns/credentials/undefined-term# (w3c/vc-data-model
	// @979c4af1 : contexts/credentials/undefined-terms/v2).
	"https://www.w3.org/ns/credentials/undefined-terms/v2": "credentials-undefined-terms-v2.jsonld",

	// Blockcerts v2 and v2.1 (three URLs each, as published by cert-schema).
	"https://w3id.org/blockcerts/v2":                      "2.0_context.json",
	"https://w3id.org/blockcerts/schema/2.0/context.json": "2.0_context.json",
	"https://www.blockcerts.org/schema/2.0/context.json":  "2.0_context.json",
	"https://w3id.org/blockcerts/v2.1":                    "2.1_context.json",
	"https://w3id.org/blockcerts/schema/2.1/context.json": "2.1_context.json",
	"https://www.blockcerts.org/schema/2.1/context.json":  "2.1_context.json",
	"https://w3id.org/openbadges/v2":                      "2.1_obi.json",
	"https://openbadgespec.org/v2/context.json":           "2.1_obi.json",

	// Blockcerts v3, v3.1, v3.2.
	"https://w3id.org/blockcerts/v3":                      "3.0_context.json",
	"https://w3id.org/blockcerts/schema/3.0/context.json": "3.0_context.json",
	"https://www.blockcerts.org/schema/3.0/context.json":  "3.0_context.json",
	"https://w3id.org/blockcerts/v3.1":                    "3.1_context.json",
	"https://w3id.org/blockcerts/schema/3.1/context.json": "3.1_context.json",
	"https://www.blockcerts.org/schema/3.1/context.json":  "3.1_context.json",
	"https://w3id.org/blockcerts/v3.2":                    "3.2_context.json",
	"https://w3id.org/blockcerts/schema/3.2/context.json": "3.2_context.json",
	"https://www.blockcerts.org/schema/3.2/context.json":  "3.2_context.json",

	// Proof suites and status lists.
	"https://w3id.org/security/suites/merkle-2019/v1":  "3.1_merkleProof2019Context.json",
	"https://w3id.org/security/suites/chained-2021/v1": "3.1_chainedProof2021Context.json",
	"https://w3id.org/vc/status-list/2021/v1":          "3.1_statusList2021Context.json",
	"https://w3id.org/security/data-integrity/v2":      "3.2_dataIntegrityProof.json",
	"https://w3id.org/security/suites/jws-2020/v1":     "jws-2020-v1.jsonld",
	"https://www.w3.org/ns/cid/v1":                     "cid-v1.jsonld",

	// Open Badges 3.0.
	"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-context-3.0.3.json",
}

// KnownContexts returns the context URLs the document loader serves, sorted.
func KnownContexts() []string {
	urls := make([]string, 0, len(contextFiles))
	for u := range contextFiles {
		urls = append(urls, u)
	}
	if m, err := indexed(); err == nil {
		for u := range m {
			if _, dup := contextFiles[u]; !dup {
				urls = append(urls, u)
			}
		}
	}
	for u := range indexedAliases {
		urls = append(urls, u)
	}
	sort.Strings(urls)
	return urls
}

// parsedContexts caches each embedded context parsed once. json-gold only
// reads the documents it is given (TestLoaderDocumentsNotMutated checks it).
var parsedContexts sync.Map // file name -> *parsedContext

type parsedContext struct {
	once sync.Once
	doc  any
	// served is doc as the loader hands it to json-gold, with the
	// graph-container rewrite (graphcontainer.go); doc stays as published.
	served any
	err    error
}

func loadEmbedded(file string) (any, error) {
	v, _ := parsedContexts.LoadOrStore(file, &parsedContext{})
	pc := v.(*parsedContext)
	pc.once.Do(func() {
		b, err := contextFS.ReadFile("contexts/" + file)
		if err != nil {
			pc.err = err
			return
		}
		pc.err = json.Unmarshal(b, &pc.doc)
		pc.served, _ = rewriteGraphContainers(pc.doc)
	})
	return pc.doc, pc.err
}

// servedDoc is the document the loader serves for a cached context,
// loaded by load.
func servedDoc(key, file string, load func(string) (any, error)) (any, error) {
	if _, err := load(file); err != nil {
		return nil, err
	}
	v, _ := parsedContexts.Load(key)
	return v.(*parsedContext).served, nil
}

// embeddedLoader is a json-gold DocumentLoader that serves only the embedded
// contexts and never touches the network.
type embeddedLoader struct {
	extra *Contexts // the caller's, after the embedded ones
}

var _ ld.DocumentLoader = embeddedLoader{}

func (l embeddedLoader) LoadDocument(u string) (*ld.RemoteDocument, error) {
	file, ok := contextFiles[u]
	if !ok {
		if f, ok := indexedFile(u); ok {
			doc, err := servedDoc("w3c/"+f, f, loadIndexed)
			if err != nil {
				return nil, fmt.Errorf("rdfc: embedded context %s: %w", u, err)
			}
			return &ld.RemoteDocument{DocumentURL: u, Document: doc}, nil
		}
		if doc, ok := l.extra.lookup(u); ok {
			return &ld.RemoteDocument{DocumentURL: u, Document: doc}, nil
		}
		return nil, &UnknownContextError{URL: u}
	}
	doc, err := servedDoc(file, file, loadEmbedded)
	if err != nil {
		return nil, fmt.Errorf("rdfc: embedded context %s: %w", u, err)
	}
	return &ld.RemoteDocument{DocumentURL: u, Document: doc}, nil
}
