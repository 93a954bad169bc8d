package verify

import (
	"bytes"
	"context"
	"testing"

	"github.com/badgeproof/badgeproof/badge"
	"github.com/badgeproof/badgeproof/keys"
	"github.com/stretchr/testify/require"
)

// BenchmarkVerifyRDFCvsJCS verifies the same Open Badges 3.0 credential
// signed two ways: the 1EdTech eddsa-rdfc-2022 vector (two RDF
// canonicalizations per verification) and the same unsigned credential
// signed with eddsa-jcs-2022 by a fresh key (two JCS canonicalizations).
// Both are verified with a trust list, schema validation included.
//
//	go test ./verify -run '^$' -bench VerifyRDFCvsJCS -benchmem
func BenchmarkVerifyRDFCvsJCS(b *testing.B) {
	rdfcDoc := readVector(b, "openbadges/eddsa-rdfc-2022-testvector/obv3p0-signed-credential.json")
	rdfcV := newVerifier(b, WithTrustList(obTrust(b, rdfcDoc)))

	is := newTestIssuer(b, keys.Ed25519)
	unsigned := readVector(b, "openbadges/eddsa-rdfc-2022-testvector/obv3p0-unsigned-credential.json")
	unsigned = bytes.Replace(unsigned, []byte("https://example.edu/issuers/565049"), []byte(is.did()), 1)
	c, err := badge.ParseCredential(unsigned, badge.Limits{})
	require.NoError(b, err)
	jcsDoc := is.sign(b, c)
	jcsV := newVerifier(b, WithTrustList(trustList(b, is.trusted())))

	for _, bc := range []struct {
		name string
		v    *Verifier
		doc  []byte
	}{{"eddsa-rdfc-2022", rdfcV, rdfcDoc}, {"eddsa-jcs-2022", jcsV, jcsDoc}} {
		r := bc.v.Verify(context.Background(), bc.doc, Binding{})
		require.Equal(b, StatusVerified, r.Status, "%s: %+v", bc.name, r.Checks)
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.doc)))
			b.ReportAllocs()
			for b.Loop() {
				if r := bc.v.Verify(context.Background(), bc.doc, Binding{}); r.Status != StatusVerified {
					b.Fatal(r.Status)
				}
			}
		})
	}
}
