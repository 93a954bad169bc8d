package urlmap

import "testing"

func TestMerge(t *testing.T) {
	src := []byte("content")
	m, err := Merge(nil, map[string][]byte{"https://a.example/x": src})
	if err != nil || string(m["https://a.example/x"]) != "content" {
		t.Fatalf("Merge = %v, %v", m, err)
	}
	src[0] = 'C'
	if string(m["https://a.example/x"]) != "content" {
		t.Error("Merge kept the caller's buffer")
	}
	if m, err = Merge(m, map[string][]byte{"https://a.example/y": nil}); err != nil || len(m) != 2 {
		t.Errorf("a second resource: %v, %v", m, err)
	}
	for name, bad := range map[string]map[string][]byte{
		"empty":       {},
		"not a URL":   {"relative/x": nil},
		"given twice": {"https://a.example/x": nil},
	} {
		if _, err := Merge(m, bad); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
