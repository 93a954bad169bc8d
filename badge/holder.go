package badge

import (
	"encoding/json"
	"errors"
)

// holderID decodes a presentation's holder: a URL, or an object whose id
// is one (VC Data Model 2.0); Presentation.Holder keeps the id.
type holderID string

func (h *holderID) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*h = holderID(s)
		return nil
	}
	var o struct {
		ID *string `json:"id"`
	}
	if err := json.Unmarshal(b, &o); err != nil || o.ID == nil {
		return errors.New("want a URL or an object with an id")
	}
	*h = holderID(*o.ID)
	return nil
}
