package verify

import (
	"context"
	"strings"
	"testing"
)

// A Blockcerts certificate that makes the JSON-LD library panic (a node
// without a type carrying a member named "", which it reads as the node's
// @type) gets a failed report, v2 and v3 alike: the Verifier never panics
// on input.
func TestBlockcertsJSONLDPanicIsAFailure(t *testing.T) {
	v := newVerifier(t, WithOffline(), WithAllowTestAnchors())
	for name, edit := range map[string][2]string{
		"blockcerts/v2/mocknet-valid-2.0.json": {`"@context"`, `"evidence": {"": [true]}, "@context"`},
		"blockcerts/v3/mocknet-v3-valid.json":  {`"issuanceDate"`, `"evidence": {"": [true]}, "issuanceDate"`},
	} {
		doc := string(readVector(t, name))
		edited := strings.Replace(doc, edit[0], edit[1], 1)
		if edited == doc {
			t.Fatalf("%s: edit did not apply", name)
		}
		r := v.Verify(context.Background(), []byte(edited), Binding{})
		if r.Status != StatusFailed {
			t.Errorf("%s: status %s, want failed: %+v", name, r.Status, r.Checks)
		}
		if c := r.Check(CheckMerkle); c == nil || c.Status == StatusPassed {
			t.Errorf("%s: merkle check %+v, want not passed", name, c)
		}
	}
}
