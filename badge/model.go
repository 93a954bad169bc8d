package badge

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/badgeproof/badgeproof/internal/decoded"
)

// Strings is a JSON value that may be one string or an array of strings.
type Strings []string

// UnmarshalJSON accepts "x" or ["x", ...].
func (s *Strings) UnmarshalJSON(b []byte) error {
	return oneOrMany(b, (*[]string)(s))
}

// MarshalJSON writes a single value as a plain string.
func (s Strings) MarshalJSON() ([]byte, error) {
	if len(s) == 1 {
		return json.Marshal(s[0])
	}
	return json.Marshal([]string(s))
}

// Has reports whether v is among s.
func (s Strings) Has(v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// List is a JSON value that may be one object or an array of objects.
type List[T any] []T

// UnmarshalJSON accepts {...} or [{...}, ...].
func (l *List[T]) UnmarshalJSON(b []byte) error {
	return oneOrMany(b, (*[]T)(l))
}

func oneOrMany[T any](b []byte, out *[]T) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		return json.Unmarshal(b, out)
	}
	var one T
	if err := json.Unmarshal(b, &one); err != nil {
		return err
	}
	*out = []T{one}
	return nil
}

// Text is a natural-language value: a plain string, a language value object
// ({"@value": ..., "@language": ...}) or an array of them.
type Text struct {
	Values []LangValue
}

// LangValue is one string with its language tag ("" when untagged).
type LangValue struct {
	Value    string `json:"@value"`
	Language string `json:"@language,omitempty"`
}

// UnmarshalJSON accepts the three forms.
func (t *Text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	var items []json.RawMessage
	if len(b) > 0 && b[0] == '[' {
		if err := json.Unmarshal(b, &items); err != nil {
			return err
		}
	} else {
		items = []json.RawMessage{b}
	}
	t.Values = t.Values[:0]
	for _, it := range items {
		if len(it) > 0 && it[0] == '"' {
			var s string
			if err := json.Unmarshal(it, &s); err != nil {
				return err
			}
			t.Values = append(t.Values, LangValue{Value: s})
			continue
		}
		var lv LangValue
		if err := json.Unmarshal(it, &lv); err != nil {
			return err
		}
		t.Values = append(t.Values, lv)
	}
	return nil
}

// MarshalJSON writes a single untagged value as a plain string.
func (t Text) MarshalJSON() ([]byte, error) {
	if len(t.Values) == 1 && t.Values[0].Language == "" {
		return json.Marshal(t.Values[0].Value)
	}
	return json.Marshal(t.Values)
}

// String returns the first value (Korean-first documents list Korean first).
func (t Text) String() string {
	if len(t.Values) == 0 {
		return ""
	}
	return t.Values[0].Value
}

// In returns the value tagged with lang, else the first value.
func (t Text) In(lang string) string {
	for _, v := range t.Values {
		if v.Language == lang {
			return v.Value
		}
	}
	return t.String()
}

// IsZero reports an absent value.
func (t Text) IsZero() bool { return len(t.Values) == 0 }

// NewText builds a Korean-first bilingual value as one plain string,
// "Korean (English)", which every Open Badges consumer and the Open Badges
// JSON schema accept; an empty English part is left out.
func NewText(ko, en string) Text {
	v := ko
	if en != "" && en != ko {
		v += " (" + en + ")"
	}
	return Text{Values: []LangValue{{Value: v}}}
}

// Image is an image reference: a URI or an object with id.
type Image struct {
	ID      string `json:"id"`
	Type    string `json:"type,omitempty"`
	Caption string `json:"caption,omitempty"`
}

// UnmarshalJSON accepts a URI string or an object.
func (i *Image) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &i.ID)
	}
	type plain Image
	return json.Unmarshal(b, (*plain)(i))
}

// Profile is an issuer, creator or other party (Open Badges Profile).
type Profile struct {
	ID              string            `json:"id"`
	Type            Strings           `json:"type,omitempty"`
	Name            Text              `json:"name,omitzero"`
	URL             string            `json:"url,omitempty"`
	Email           string            `json:"email,omitempty"`
	Phone           string            `json:"phone,omitempty"`
	Description     Text              `json:"description,omitzero"`
	Image           *Image            `json:"image,omitempty"`
	OtherIdentifier []IdentifierEntry `json:"otherIdentifier,omitempty"`
}

// UnmarshalJSON accepts an issuer given as a bare URI.
func (p *Profile) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &p.ID)
	}
	type plain Profile
	return json.Unmarshal(b, (*plain)(p))
}

// IdentifierEntry is an Open Badges IdentifierEntry.
type IdentifierEntry struct {
	Type           string `json:"type"`
	Identifier     string `json:"identifier"`
	IdentifierType string `json:"identifierType"`
}

// Criteria says how the achievement is earned.
type Criteria struct {
	ID        string `json:"id,omitempty"`
	Narrative Text   `json:"narrative,omitzero"`
}

// Alignment links an achievement or result to a framework.
type Alignment struct {
	Type              Strings `json:"type"`
	TargetName        Text    `json:"targetName,omitzero"`
	TargetURL         string  `json:"targetUrl,omitempty"`
	TargetCode        string  `json:"targetCode,omitempty"`
	TargetDescription Text    `json:"targetDescription,omitzero"`
	TargetFramework   string  `json:"targetFramework,omitempty"`
	TargetType        string  `json:"targetType,omitempty"`
}

// ResultDescription describes a possible result of an achievement.
type ResultDescription struct {
	ID                   string          `json:"id"`
	Type                 Strings         `json:"type"`
	Name                 Text            `json:"name,omitzero"`
	ResultType           string          `json:"resultType,omitempty"`
	AllowedValue         []string        `json:"allowedValue,omitempty"`
	RequiredLevel        string          `json:"requiredLevel,omitempty"`
	RequiredValue        string          `json:"requiredValue,omitempty"`
	ValueMax             string          `json:"valueMax,omitempty"`
	ValueMin             string          `json:"valueMin,omitempty"`
	Alignment            []Alignment     `json:"alignment,omitempty"`
	RubricCriterionLevel json.RawMessage `json:"rubricCriterionLevel,omitempty"`
}

// Result is the learner's result for one ResultDescription.
type Result struct {
	Type              Strings     `json:"type"`
	ResultDescription string      `json:"resultDescription,omitempty"`
	AchievedLevel     string      `json:"achievedLevel,omitempty"`
	Status            string      `json:"status,omitempty"`
	Value             string      `json:"value,omitempty"`
	Alignment         []Alignment `json:"alignment,omitempty"`
}

// Achievement is what was accomplished.
type Achievement struct {
	ID                string              `json:"id"`
	Type              Strings             `json:"type"`
	Name              Text                `json:"name,omitzero"`
	Description       Text                `json:"description,omitzero"`
	Criteria          *Criteria           `json:"criteria,omitempty"`
	AchievementType   string              `json:"achievementType,omitempty"`
	Alignment         []Alignment         `json:"alignment,omitempty"`
	Creator           *Profile            `json:"creator,omitempty"`
	CreditsAvailable  *float64            `json:"creditsAvailable,omitempty"`
	FieldOfStudy      string              `json:"fieldOfStudy,omitempty"`
	HumanCode         string              `json:"humanCode,omitempty"`
	Image             *Image              `json:"image,omitempty"`
	InLanguage        string              `json:"inLanguage,omitempty"`
	ResultDescription []ResultDescription `json:"resultDescription,omitempty"`
	Specialization    string              `json:"specialization,omitempty"`
	Tag               []string            `json:"tag,omitempty"`
	Version           string              `json:"version,omitempty"`
	OtherIdentifier   []IdentifierEntry   `json:"otherIdentifier,omitempty"`
}

// IdentityObject identifies the recipient, possibly as a salted hash.
type IdentityObject struct {
	Type         string `json:"type"`
	IdentityHash string `json:"identityHash"`
	IdentityType string `json:"identityType"`
	Hashed       bool   `json:"hashed"`
	Salt         string `json:"salt,omitempty"`
}

// Subject is a credentialSubject: an Open Badges AchievementSubject, a CLR
// subject, or any VC subject (unmodelled properties stay in the raw bytes).
type Subject struct {
	ID                string           `json:"id,omitempty"`
	Type              Strings          `json:"type,omitempty"`
	Name              Text             `json:"name,omitzero"`
	Achievement       *Achievement     `json:"achievement,omitempty"`
	Identifier        []IdentityObject `json:"identifier,omitempty"`
	Result            []Result         `json:"result,omitempty"`
	CreditsEarned     *float64         `json:"creditsEarned,omitempty"`
	ActivityStartDate string           `json:"activityStartDate,omitempty"`
	ActivityEndDate   string           `json:"activityEndDate,omitempty"`
	LicenseNumber     string           `json:"licenseNumber,omitempty"`
	Role              string           `json:"role,omitempty"`
	Term              string           `json:"term,omitempty"`
	Source            *Profile         `json:"source,omitempty"`
	// CLR 2.0: the nested credentials and achievements of a transcript
	// (a ClrSubject's "achievement" is an array; it lands in Achievements).
	VerifiableCredential []json.RawMessage `json:"verifiableCredential,omitempty"`
	Achievements         []Achievement     `json:"-"`
}

// UnmarshalJSON reads "achievement" as one Achievement (AchievementSubject)
// or as an array (ClrSubject).
func (s *Subject) UnmarshalJSON(b []byte) error {
	type plain Subject
	var aux struct {
		*plain
		Achievement json.RawMessage `json:"achievement,omitempty"`
	}
	aux.plain = (*plain)(s)
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	a := bytes.TrimSpace(aux.Achievement)
	switch {
	case len(a) == 0 || string(a) == "null":
	case a[0] == '[':
		return json.Unmarshal(a, &s.Achievements)
	default:
		s.Achievement = new(Achievement)
		return json.Unmarshal(a, s.Achievement)
	}
	return nil
}

// Status is a credentialStatus entry.
type Status struct {
	ID                   string `json:"id,omitempty"`
	Type                 string `json:"type"`
	StatusPurpose        string `json:"statusPurpose,omitempty"`
	StatusListIndex      string `json:"statusListIndex,omitempty"`
	StatusListCredential string `json:"statusListCredential,omitempty"`
}

// Evidence supports the claim.
type Evidence struct {
	ID          string  `json:"id,omitempty"`
	Type        Strings `json:"type"`
	Name        Text    `json:"name,omitzero"`
	Narrative   Text    `json:"narrative,omitzero"`
	Description Text    `json:"description,omitzero"`
	Genre       string  `json:"genre,omitempty"`
	Audience    string  `json:"audience,omitempty"`
}

// Schema is a credentialSchema entry.
type Schema struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// Proof is one proof of a proof set. Its original members are kept for
// verification ([Proof.Members]).
type Proof struct {
	Type               string          `json:"type"`
	Cryptosuite        string          `json:"cryptosuite,omitempty"`
	Created            string          `json:"created,omitempty"`
	VerificationMethod string          `json:"verificationMethod,omitempty"`
	ProofPurpose       string          `json:"proofPurpose,omitempty"`
	ProofValue         string          `json:"proofValue,omitempty"`
	Challenge          string          `json:"challenge,omitempty"`
	Domain             string          `json:"domain,omitempty"`
	PreviousProof      json.RawMessage `json:"previousProof,omitempty"`
	Expires            string          `json:"expires,omitempty"`

	raw     json.RawMessage
	members map[string]json.RawMessage
}

// Raw returns the proof's original bytes.
func (p *Proof) Raw() json.RawMessage { return p.raw }

// Members returns a copy of the proof's original members.
func (p *Proof) Members() map[string]json.RawMessage { return copyMembers(p.members) }

// Credential is a parsed Verifiable Credential.
type Credential struct {
	Context           []json.RawMessage
	ID                string
	Type              Strings
	Issuer            Profile
	Name              Text
	Description       Text
	ValidFrom         *time.Time
	ValidUntil        *time.Time
	CredentialSubject []Subject
	CredentialStatus  []Status
	CredentialSchema  []Schema
	Evidence          []Evidence
	Proofs            []Proof

	raw     []byte
	members map[string]json.RawMessage
	// decoded is the document as parsing decoded it (internal/decoded);
	// nil when not parsed. Shared, never changed.
	decoded map[string]any
}

// Raw returns the bytes the credential was parsed from.
func (c *Credential) Raw() []byte { return c.raw }

// Members returns a copy of the credential's top-level members as they were
// in the original bytes.
func (c *Credential) Members() map[string]json.RawMessage { return copyMembers(c.members) }

// Unsigned returns the members without the proof member.
func (c *Credential) Unsigned() map[string]json.RawMessage {
	m := c.Members()
	delete(m, "proof")
	return m
}

// IsOpenBadge reports whether the credential is typed as an Open Badges 3.0
// credential.
func (c *Credential) IsOpenBadge() bool {
	return c.Type.Has("OpenBadgeCredential") || c.Type.Has("AchievementCredential")
}

// IsCLR reports whether the credential is a CLR 2.0 ClrCredential.
func (c *Credential) IsCLR() bool { return c.Type.Has("ClrCredential") }

// Achievement returns the first subject's achievement, or nil.
func (c *Credential) Achievement() *Achievement {
	for _, s := range c.CredentialSubject {
		if s.Achievement != nil {
			return s.Achievement
		}
	}
	return nil
}

// Presentation is a parsed VerifiablePresentation.
type Presentation struct {
	Context []json.RawMessage
	ID      string
	Type    Strings
	// Holder is the holder's id: the holder member, a URL or an object
	// whose id it is.
	Holder      string
	Credentials []*Credential
	Proofs      []Proof

	raw     []byte
	members map[string]json.RawMessage
	// decoded: as Credential's.
	decoded map[string]any
}

// Raw returns the bytes the presentation was parsed from.
func (p *Presentation) Raw() []byte { return p.raw }

// Members returns a copy of the presentation's top-level members.
func (p *Presentation) Members() map[string]json.RawMessage { return copyMembers(p.members) }

// Unsigned returns the members without the proof member.
func (p *Presentation) Unsigned() map[string]json.RawMessage {
	m := p.Members()
	delete(m, "proof")
	return m
}

func init() {
	decoded.Members = func(v any) map[string]json.RawMessage {
		switch x := v.(type) {
		case *Credential:
			return x.members
		case *Presentation:
			return x.members
		case *Proof:
			return x.members
		}
		return nil
	}
	decoded.Of = func(v any) map[string]any {
		switch x := v.(type) {
		case *Credential:
			return x.decoded
		case *Presentation:
			return x.decoded
		}
		return nil
	}
}

func copyMembers(m map[string]json.RawMessage) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
