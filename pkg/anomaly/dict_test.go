package anomaly

import (
	"slices"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kqlhunt/anomaly-datasource/pkg/fielddict"
)

func strPtr(s string) *string { return &s }

// A string field that comes with its decoder's dictionary is grouped by the dictionary, and the
// groups and label codes are those regrouping the field would give.
func TestGroupFieldUsesTheDictionary(t *testing.T) {
	vals := []*string{strPtr("b"), nil, strPtr("a"), strPtr("b"), nil, strPtr("c")}
	plain := data.NewField("p", nil, vals)
	withDict := data.NewField("p", nil, vals)
	d := &fielddict.Dictionary{
		IDs: []int32{0, 1, 2, 0, 1, 3}, Values: []string{"b", "", "a", "c"}, First: []int{0, 1, 2, 5}, Null: 1,
	}
	fielddict.Attach(withDict, d)

	wantG, wantCodes, err := groupField(plain, true)
	if err != nil {
		t.Fatal(err)
	}
	g, codes, err := groupField(withDict, true)
	if err != nil {
		t.Fatal(err)
	}
	if &g.ids[0] != &d.IDs[0] {
		t.Error("the dictionary's row ids were not used (the field was regrouped)")
	}
	if !slices.Equal(g.ids, wantG.ids) || !slices.Equal(g.first, wantG.first) || g.missing != wantG.missing {
		t.Errorf("groups %+v, want %+v", g, wantG)
	}
	// a < b < c, None last: codes per group b, None, a, c.
	if want := []int64{1, 3, 0, 2}; !slices.Equal(codes, want) || !slices.Equal(codes, wantCodes) {
		t.Errorf("codes %v, regrouped %v, want %v", codes, wantCodes, want)
	}
}
