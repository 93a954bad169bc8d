package statuslist

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseEntry(t *testing.T) {
	e, err := ParseEntry(json.RawMessage(`{
		"id": "https://example.com/credentials/status/3#94567",
		"type": "BitstringStatusListEntry",
		"statusPurpose": "revocation",
		"statusListIndex": "94567",
		"statusListCredential": "https://example.com/credentials/status/3",
		"extra": {"kept": "ignored"}
	}`))
	require.NoError(t, err)
	assert.Equal(t, Entry{
		ID:                   "https://example.com/credentials/status/3#94567",
		Type:                 EntryType,
		StatusPurpose:        PurposeRevocation,
		StatusListIndex:      94567,
		StatusListCredential: "https://example.com/credentials/status/3",
		StatusSize:           1,
	}, e)

	e, err = ParseEntry(json.RawMessage(`{"type":["BitstringStatusListEntry"],"statusPurpose":"suspension",
		"statusListIndex":"0","statusListCredential":"https://x.example/s","statusSize":1}`))
	require.NoError(t, err)
	assert.Equal(t, 0, e.StatusListIndex)
	assert.Equal(t, PurposeSuspension, e.StatusPurpose)
	assert.Equal(t, "", e.ID)
}

func TestParseEntryRejects(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"not json", `{`, ErrMalformed},
		{"array", `[]`, ErrMalformed},
		{"no type", `{"statusPurpose":"revocation","statusListIndex":"1","statusListCredential":"https://e.com/s"}`, ErrMalformed},
		{"other type", `{"type":"RevocationList2020Status","statusPurpose":"revocation","statusListIndex":"1","statusListCredential":"https://e.com/s"}`, ErrUnsupported},
		{"two types", `{"type":["BitstringStatusListEntry","X"],"statusPurpose":"revocation","statusListIndex":"1","statusListCredential":"https://e.com/s"}`, ErrMalformed},
		{"type number", `{"type":5,"statusPurpose":"revocation","statusListIndex":"1","statusListCredential":"https://e.com/s"}`, ErrMalformed},
		{"no purpose", `{"type":"BitstringStatusListEntry","statusListIndex":"1","statusListCredential":"https://e.com/s"}`, ErrMalformed},
		{"unknown purpose", `{"type":"BitstringStatusListEntry","statusPurpose":"expiry","statusListIndex":"1","statusListCredential":"https://e.com/s"}`, ErrUnsupported},
		{"no index", `{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListCredential":"https://e.com/s"}`, ErrMalformed},
		{"numeric index", `{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":1,"statusListCredential":"https://e.com/s"}`, ErrMalformed},
		{"negative index", `{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"-1","statusListCredential":"https://e.com/s"}`, ErrMalformed},
		{"signed index", `{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"+1","statusListCredential":"https://e.com/s"}`, ErrMalformed},
		{"hex index", `{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"0x10","statusListCredential":"https://e.com/s"}`, ErrMalformed},
		{"spaced index", `{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":" 1","statusListCredential":"https://e.com/s"}`, ErrMalformed},
		{"empty index", `{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"","statusListCredential":"https://e.com/s"}`, ErrMalformed},
		{"huge index", `{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"99999999999999999999999","statusListCredential":"https://e.com/s"}`, ErrRange},
		{"index past largest list", `{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"134217728","statusListCredential":"https://e.com/s"}`, ErrRange},
		{"no list", `{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"1"}`, ErrMalformed},
		{"relative list", `{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"1","statusListCredential":"/status/1"}`, ErrMalformed},
		{"status size 2", `{"type":"BitstringStatusListEntry","statusPurpose":"message","statusListIndex":"1","statusListCredential":"https://e.com/s","statusSize":2}`, ErrUnsupported},
		{"status size 0", `{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"1","statusListCredential":"https://e.com/s","statusSize":0}`, ErrMalformed},
		{"status size string", `{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"1","statusListCredential":"https://e.com/s","statusSize":"1"}`, ErrMalformed},
		{"status size fraction", `{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"1","statusListCredential":"https://e.com/s","statusSize":1.5}`, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseEntry(json.RawMessage(tt.in))
			require.ErrorIs(t, err, tt.want)
		})
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func TestParseListSubject(t *testing.T) {
	s, err := ParseListSubject(json.RawMessage(`{"id":"https://e.com/s#list","type":"BitstringStatusList",
		"statusPurpose":["revocation","suspension"],"encodedList":"uH4sI","ttl":300000}`))
	require.NoError(t, err)
	assert.True(t, s.HasPurpose(PurposeRevocation))
	assert.True(t, s.HasPurpose(PurposeSuspension))
	assert.False(t, s.HasPurpose(PurposeMessage))
	assert.Equal(t, int64(300000), s.TTL)

	for name, in := range map[string]string{
		"wrong type":    `{"type":"RevocationList2020","statusPurpose":"revocation","encodedList":"u"}`,
		"empty purpose": `{"type":"BitstringStatusList","statusPurpose":[],"encodedList":"uH4sI"}`,
		"no list":       `{"type":"BitstringStatusList","statusPurpose":"revocation"}`,
		"negative ttl":  `{"type":"BitstringStatusList","statusPurpose":"revocation","encodedList":"uH4sI","ttl":-1}`,
	} {
		_, err := ParseListSubject(json.RawMessage(in))
		assert.ErrorIs(t, err, ErrMalformed, name)
	}
}

// StatusList2021 (Blockcerts) entries and lists are read by the Bitstring
// rules; a list subject naming no statusPurpose parses with none, and the
// caller decides.
func TestStatusList2021(t *testing.T) {
	e, err := ParseEntry(json.RawMessage(`{"id":"https://e.com/s#5","type":"StatusList2021Entry","statusPurpose":"suspension","statusListIndex":"5","statusListCredential":"https://e.com/s"}`))
	require.NoError(t, err)
	assert.Equal(t, EntryType2021, e.Type)
	assert.Equal(t, 5, e.StatusListIndex)
	assert.Equal(t, PurposeSuspension, e.StatusPurpose)

	s, err := ParseListSubject(json.RawMessage(`{"type":"StatusList2021","statusPurpose":"revocation","encodedList":"H4sI"}`))
	require.NoError(t, err)
	assert.True(t, s.HasPurpose(PurposeRevocation))

	s, err = ParseListSubject(json.RawMessage(`{"type":"BitstringStatusList","encodedList":"H4sI"}`))
	require.NoError(t, err)
	assert.Empty(t, s.StatusPurposes)
}

func FuzzParseEntry(f *testing.F) {
	f.Add([]byte(`{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"94567","statusListCredential":"https://example.com/credentials/status/3"}`))
	f.Add([]byte(`{"type":["BitstringStatusListEntry"],"statusPurpose":"suspension","statusListIndex":"0","statusListCredential":"https://e.com/s","statusSize":1}`))
	f.Add([]byte(`{"statusListIndex":"-1"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := ParseEntry(data)
		if err != nil {
			return
		}
		if e.StatusListIndex < 0 || e.StatusSize != 1 || e.Type != EntryType || e.StatusListCredential == "" {
			t.Fatalf("accepted an invalid entry: %+v", e)
		}
	})
}
