package wallet

import (
	"encoding/json"

	"github.com/badgeproof/badgeproof/verify/openid4vp"
)

// ReadDCAPI checks a request the browser's Digital Credentials API handed
// over from a page of origin (the browser, not the page, says which) and
// matches it against the held badges, as Fetch does for a link.
// Presentations will be bound to Request.ClientID: the client identifier of
// a signed request, or "origin:" and origin for an unsigned one.
func (w *Wallet) ReadDCAPI(req openid4vp.DCAPIRequest, origin string) (*Request, error) {
	ar, err := openid4vp.VerifyDCAPIRequest(req, origin, w.policy)
	if err != nil {
		return nil, err
	}
	return w.match(ar)
}

// DCAPIResponse builds the data the wallet returns to the browser for req:
// {"response": JWE} for dc_api.jwt, {"vp_token": ...} for dc_api.
func (w *Wallet) DCAPIResponse(req *Request, sel Selection) (json.RawMessage, error) {
	form, err := w.Response(req, sel)
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	if jwe := form.Get("response"); jwe != "" {
		out["response"] = jwe
	} else {
		out["vp_token"] = json.RawMessage(form.Get("vp_token"))
	}
	return json.Marshal(out)
}
