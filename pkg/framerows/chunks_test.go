package framerows

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// TestChunksCutByEncodedSize: the runs' rows add up to at most the size (a row larger than the
// size alone in its run), by widths worked out by hand here from the Arrow layout.
func TestChunksCutByEncodedSize(t *testing.T) {
	s := func(n int) string { return strings.Repeat("s", n) }
	tests := []struct {
		name   string
		fields []*data.Field
		size   int
		want   [][2]int
	}{
		// 8 bytes a row: 3 rows in 24 bytes.
		{"int64", []*data.Field{data.NewField("n", nil, make([]int64, 7))}, 24, [][2]int{{0, 3}, {3, 6}, {6, 7}}},
		// A time and an int32: 12 bytes a row.
		{"time and int32", []*data.Field{data.NewField("t", nil, make([]time.Time, 5)), data.NewField("i", nil, make([]int32, 5))}, 24, [][2]int{{0, 2}, {2, 4}, {4, 5}}},
		// 16 bools are a bit each, 2 bytes a row: 16 rows in 32 bytes.
		{"bools", boolFields(16, 40), 32, [][2]int{{0, 16}, {16, 32}, {32, 40}}},
		// Nullable: a validity bit more. 8 bytes + 1 bit: 3 rows need 24 bytes and 3 bits, so 2.
		{"nullable float64", []*data.Field{data.NewField("f", nil, make([]*float64, 5))}, 24, [][2]int{{0, 2}, {2, 4}, {4, 5}}},
		// Strings: bytes + 4. Rows of 6, 6, 46, 6, 6 bytes in 16: the 46 alone.
		{"uneven strings", []*data.Field{data.NewField("s", nil, []string{s(2), s(2), s(42), s(2), s(2)})}, 16, [][2]int{{0, 2}, {2, 3}, {3, 5}}},
		// Nullable JSON: a null is its offset (4 bytes) and its validity bit.
		{"nullable json", []*data.Field{data.NewField("j", nil, []*json.RawMessage{raw(`{"a":1}`), nil, nil, raw(`[1,2,3,4,5,6,7,8]`)})}, 12, [][2]int{{0, 1}, {1, 3}, {3, 4}}},
		{"no rows", []*data.Field{data.NewField("n", nil, []int64{})}, 24, nil},
		{"no fields", nil, 24, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got [][2]int
			for from, to := range Chunks(tt.fields, tt.size) {
				got = append(got, [2]int{from, to})
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("runs %v, want %v", got, tt.want)
			}
		})
	}
}

func raw(s string) *json.RawMessage { r := json.RawMessage(s); return &r }

func boolFields(cols, rows int) []*data.Field {
	var out []*data.Field
	for range cols {
		out = append(out, data.NewField("b", nil, make([]bool, rows)))
	}
	return out
}

// TestChunksStopsWhenAsked: breaking out of the loop ends the iteration.
func TestChunksStopsWhenAsked(t *testing.T) {
	n := 0
	for range Chunks([]*data.Field{data.NewField("n", nil, make([]int64, 100))}, 8) {
		n++
		if n == 3 {
			break
		}
	}
	if n != 3 {
		t.Errorf("%d runs, want 3", n)
	}
}
