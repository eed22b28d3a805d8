package fielddict

import (
	"runtime"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

func TestAttachAndOf(t *testing.T) {
	f := data.NewField("p", nil, []string{"a", "b", "a"})
	other := data.NewField("p", nil, []string{"a", "b", "a"})
	d := &Dictionary{IDs: []int32{0, 1, 0}, Values: []string{"a", "b"}, First: []int{0, 1}, Null: -1}
	Attach(f, d)
	if got, ok := Of(f); !ok || got != d {
		t.Fatalf("Of(f) = %v, %v", got, ok)
	}
	if _, ok := Of(other); ok {
		t.Error("an equal but different field has the dictionary")
	}
	if _, ok := Of(nil); ok {
		t.Error("nil field has a dictionary")
	}
	f.Append("c") // changed after attaching: no longer trusted
	if _, ok := Of(f); ok {
		t.Error("a field of another length still has the dictionary")
	}
	n := data.NewField("n", nil, []int64{1, 2, 3})
	Attach(n, d)
	if _, ok := Of(n); ok {
		t.Error("a non-string field has a string dictionary")
	}
}

// The table must not keep fields alive, and must forget them once collected.
func TestEntriesGoWithTheirField(t *testing.T) {
	count := func() int {
		n := 0
		table.Range(func(_, _ any) bool { n++; return true })
		return n
	}
	before := count()
	for range 100 {
		f := data.NewField("p", nil, []string{"x"})
		Attach(f, &Dictionary{IDs: []int32{0}, Values: []string{"x"}, First: []int{0}, Null: -1})
	}
	if count() < before+100 {
		t.Fatalf("%d entries after attaching 100", count()-before)
	}
	deadline := time.Now().Add(5 * time.Second)
	for count() > before {
		if time.Now().After(deadline) {
			t.Fatalf("%d entries left after the fields were collected", count()-before)
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
}
