// Package decoded hands the SDK's own packages the decoding that package
// badge keeps of a parsed credential or presentation (the one pass of
// jsonx.Decode over its bytes), so that the format check, the JCS of the
// document and the Merkle leaf work on it instead of decoding the bytes
// again. It is not public API: the decoding is shared and must not be
// changed by anyone who reads it.
package decoded

import "encoding/json"

// Of returns the decoded top-level object of a *badge.Credential or
// *badge.Presentation, or nil when it has none (a value built without
// parsing). Package badge sets it once, when it is initialized.
var Of func(v any) map[string]any

// Value returns Of(v), or nil before package badge set Of.
func Value(v any) map[string]any {
	if Of == nil {
		return nil
	}
	return Of(v)
}

// Members returns the original members of a *badge.Credential,
// *badge.Presentation or *badge.Proof as parsing kept them, without the
// copy their Members methods make: read them, never change them. Package
// badge sets it once, when it is initialized.
var Members func(v any) map[string]json.RawMessage

// RawMembers returns Members(v), or nil before package badge set it.
func RawMembers(v any) map[string]json.RawMessage {
	if Members == nil {
		return nil
	}
	return Members(v)
}
