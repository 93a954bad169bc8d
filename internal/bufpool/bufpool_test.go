package bufpool

import "testing"

func TestGetPut(t *testing.T) {
	b := Get(100)
	if len(b) != 0 || cap(b) < 100 {
		t.Fatalf("Get(100): len %d cap %d", len(b), cap(b))
	}
	Put(append(b, "data"...))
	if c := Get(200); len(c) != 0 || cap(c) < 200 {
		t.Fatalf("Get(200) after a smaller buffer was put back: len %d cap %d", len(c), cap(c))
	}
	// A buffer above MaxKept is dropped, and Get still meets the size asked.
	Put(make([]byte, 0, MaxKept+1))
	if c := Get(10); len(c) != 0 || cap(c) < 10 {
		t.Fatalf("Get(10): len %d cap %d", len(c), cap(c))
	}
}
