package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kqlhunt/anomaly-datasource/pkg/demo"
	"github.com/kqlhunt/anomaly-datasource/pkg/emulator"
	"github.com/kqlhunt/anomaly-datasource/pkg/internal/pluginhost"
	"github.com/kqlhunt/anomaly-datasource/pkg/kql"
	"github.com/kqlhunt/anomaly-datasource/pkg/querymodel"
)

// notebookRows is the notebook query's answer on the demo table at a fixed instant.
func notebookRows(t *testing.T, at time.Time) *kql.Table {
	t.Helper()
	res, err := kql.NewDatabase(demo.Table(at)).Execute(context.Background(), querymodel.NotebookKQL, kql.Options{Now: at})
	if err != nil {
		t.Fatal(err)
	}
	return res[0]
}

// reordered is src as a table named DeviceNetworkEvents with its rows in the order perm gives
// (nil: unchanged).
func reordered(t *testing.T, src *kql.Table, perm []int) *kql.Table {
	t.Helper()
	out := kql.NewTable("DeviceNetworkEvents", src.Schema())
	row := make([]any, len(src.Schema()))
	for i := 0; i < src.Len(); i++ {
		r := i
		if perm != nil {
			r = perm[i]
		}
		for c := range row {
			row[c] = src.Value(r, c)
		}
		if err := out.AppendRow(row...); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestScoresDoNotDependOnRowOrder: the same rows returned in 10 random orders give the same count,
// the same count per value and the same flag on every row, through the compiled plugin (canonical
// row order, the default); with rowOrder asReturned they need not (scikit-learn's answer follows
// the order).
func TestScoresDoNotDependOnRowOrder(t *testing.T) {
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	base := notebookRows(t, at)
	rng := rand.New(rand.NewPCG(7, 11))
	var firstCount, firstByValue string
	firstFlags := map[string]int64{}
	asReturned := map[string]bool{}
	for order := 0; order < 10; order++ {
		perm := rng.Perm(base.Len())
		if order == 0 {
			perm = nil
		}
		t.Run(fmt.Sprint("order ", order), func(t *testing.T) {
			r := newRig(t, emulator.NewEngineExecutor(reordered(t, base, perm)), nil)
			query := func(extra string) *data.Frame {
				t.Helper()
				res, err := host.QueryData(ctx(t), r.ds.QueryRequest(pluginhost.Query{Model: jsonModel(t,
					`{"queryType":"anomaly","kql":"DeviceNetworkEvents","timeRangeMode":"query"`+extra+`}`)}))
				if err != nil {
					t.Fatal(err)
				}
				if e := res.Responses["A"].Error; e != nil {
					t.Fatal(e)
				}
				return res.Responses["A"].Frames[0]
			}
			count, byValue := frameText(query(`,"output":"count"`)), frameText(query(`,"output":"countByValue"`))
			rows := query(`,"output":"rows"`)
			flags, _ := rows.FieldByName("Anomaly")
			for i := 0; i < rows.Rows(); i++ {
				key := rowKey(rows, i)
				if order == 0 {
					firstFlags[key] = flags.At(i).(int64)
				} else if firstFlags[key] != flags.At(i).(int64) {
					t.Fatalf("order %d: row %s flagged %d, %d in the service's order", order, key, flags.At(i), firstFlags[key])
				}
			}
			if order == 0 {
				firstCount, firstByValue = count, byValue
				if !strings.Contains(count, "Anomalies") || count == "Anomalies:0;" {
					t.Fatalf("nothing flagged: %s", count)
				}
			} else if count != firstCount || byValue != firstByValue {
				t.Errorf("order %d: count %s (was %s), or countByValue differs", order, count, firstCount)
			}
			asReturned[frameText(query(`,"output":"count","rowOrder":"asReturned"`))] = true
		})
	}
	t.Logf("rowOrder asReturned gave %d different counts over the 10 orders", len(asReturned))
}

func jsonModel(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// frameText renders a frame's fields and values.
func frameText(f *data.Frame) string {
	var b strings.Builder
	for _, fl := range f.Fields {
		b.WriteString(fl.Name + ":")
		for i := 0; i < fl.Len(); i++ {
			v, _ := fl.ConcreteAt(i)
			fmt.Fprint(&b, v, ",")
		}
		b.WriteByte(';')
	}
	return b.String()
}

// rowKey identifies a row by its values (the notebook's columns).
func rowKey(f *data.Frame, i int) string {
	var b strings.Builder
	for _, fl := range f.Fields[:7] {
		v, _ := fl.ConcreteAt(i)
		fmt.Fprint(&b, v, "|")
	}
	return b.String()
}

// TestTruncatedAnswersAreCounted: past the service's 500,000-row limit the answer is cut (a partial
// error); with aggregate auto the plugin asks the service to count instead, and the answer equals
// counts mode run directly, with a notice saying why.
func TestTruncatedAnswersAreCounted(t *testing.T) {
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	base := notebookRows(t, at)
	big := kql.NewTable("DeviceNetworkEvents", base.Schema())
	row := make([]any, len(base.Schema()))
	for big.Len() <= emulator.DefaultRowLimit {
		for i := 0; i < base.Len(); i++ {
			for c := range row {
				row[c] = base.Value(i, c)
			}
			if err := big.AppendRow(row...); err != nil {
				t.Fatal(err)
			}
		}
	}
	r := newRig(t, emulator.NewEngineExecutor(big), nil)
	query := func(extra string) backend.DataResponse {
		t.Helper()
		res, err := host.QueryData(ctx(t), r.ds.QueryRequest(pluginhost.Query{Model: jsonModel(t,
			`{"queryType":"anomaly","kql":"DeviceNetworkEvents","timeRangeMode":"query"`+extra+`}`)}))
		if err != nil {
			t.Fatal(err)
		}
		return res.Responses["A"]
	}
	auto, always := query(`,"output":"countByValue"`), query(`,"output":"countByValue","aggregate":"always"`)
	if auto.Error != nil || always.Error != nil {
		t.Fatal(auto.Error, always.Error)
	}
	if a, b := frameText(auto.Frames[0]), frameText(always.Frames[0]); a != b {
		t.Errorf("auto after truncation differs from counts mode")
	}
	var notice string
	for _, n := range auto.Frames[0].Meta.Notices {
		notice += n.Text
	}
	if !strings.Contains(notice, "E_QUERY_RESULT_SET_TOO_LARGE") || !strings.Contains(notice, "aggregate: auto") {
		t.Errorf("notices %q", notice)
	}
	total := int64(0)
	counts, _ := always.Frames[0].FieldByName("Count")
	for i := 0; i < counts.Len(); i++ {
		total += counts.At(i).(int64)
	}
	if total != int64(big.Len()) {
		t.Errorf("counts mode scored %d rows, the table has %d", total, big.Len())
	}
	// The rows output past the limit, and aggregate never, are pkg/hunt's tests (a small row limit).
}
