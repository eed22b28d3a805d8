package kql

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"
)

// allTypesTable has one column of every type, and one row.
func allTypesTable(t testing.TB) *Table {
	tb := NewTable("AllTypes", []ColumnSchema{
		{"B", TypeBool}, {"D", TypeDateTime}, {"Dyn", TypeDynamic}, {"G", TypeGUID}, {"I", TypeInt},
		{"L", TypeLong}, {"R", TypeReal}, {"S", TypeString}, {"T", TypeTimespan}, {"Dec", TypeDecimal},
		{"Odd", Type("weird")},
	})
	must(t, tb.AppendRow(true, t0, `{"a":1}`, "0f8fad5b-d9cb-469f-a165-70867728950e", int64(1), int64(2), 1.5, "s",
		time.Second, "1.25", "w"))
	return tb
}

func TestGetschema(t *testing.T) {
	db := NewDatabase(allTypesTable(t), eventsTable(t), newDeviceNetworkEvents(t, 200, 1, notebookNow, 24*time.Hour))
	row := func(name string, ord int64, dt, ct string) []any { return []any{name, ord, dt, ct} }
	tests := []struct {
		q    string
		rows R
	}{
		// The .NET names Kusto's documentation gives for each type (bool
		// is System.SByte in getschema's output), unknown types read as
		// the strings they are stored as.
		{"AllTypes | getschema", R{
			row("B", 0, "System.SByte", "bool"), row("D", 1, "System.DateTime", "datetime"),
			row("Dyn", 2, "System.Object", "dynamic"), row("G", 3, "System.Guid", "guid"),
			row("I", 4, "System.Int32", "int"), row("L", 5, "System.Int64", "long"),
			row("R", 6, "System.Double", "real"), row("S", 7, "System.String", "string"),
			row("T", 8, "System.TimeSpan", "timespan"), row("Dec", 9, "System.Data.SqlTypes.SqlDecimal", "decimal"),
			row("Odd", 10, "System.String", "weird"),
		}},
		// The schema of what the operators before it produce.
		{"E | summarize n = count(), avg(R) by Name | getschema", R{
			row("Name", 0, "System.String", "string"), row("n", 1, "System.Int64", "long"),
			row("avg_R", 2, "System.Double", "real"),
		}},
		{"E | summarize count() by bin(TimeGenerated, 1h) | getschema", R{
			row("TimeGenerated", 0, "System.DateTime", "datetime"), row("count_", 1, "System.Int64", "long"),
		}},
		{"E | extend x = N > 1, y = tostring(N) | project-away TimeGenerated, Cat, R | getschema", R{
			row("Name", 0, "System.String", "string"), row("N", 1, "System.Int64", "long"),
			row("x", 2, "System.SByte", "bool"), row("y", 3, "System.String", "string"),
		}},
		{"print a = 1, b = 'x', c = int(2) | getschema", R{
			row("a", 0, "System.Int64", "long"), row("b", 1, "System.String", "string"), row("c", 2, "System.Int32", "int"),
		}},
		{"union E, (AllTypes | project N = S) | project-keep N_* | getschema", R{
			row("N_long", 0, "System.Int64", "long"), row("N_string", 1, "System.String", "string"),
		}},
		{"E | join kind=inner (E | project Name, Owner = Cat) on Name | getschema | project ColumnName", R{
			{"TimeGenerated"}, {"Name"}, {"Cat"}, {"N"}, {"R"}, {"Name1"}, {"Owner"},
		}},
		// getschema's own output is a table like any other.
		{"AllTypes | getschema | where ColumnType in ('int', 'long') | project ColumnName, ColumnOrdinal",
			R{{"I", int64(4)}, {"L", int64(5)}}},
		{"AllTypes | getschema | getschema", R{
			row("ColumnName", 0, "System.String", "string"), row("ColumnOrdinal", 1, "System.Int32", "int"),
			row("DataType", 2, "System.String", "string"), row("ColumnType", 3, "System.String", "string"),
		}},
		{"let T = E | where N > 1 | project Name; T | getschema", R{row("Name", 0, "System.String", "string")}},
		{"(E | getschema | count) | getschema", R{row("Count", 0, "System.Int64", "long")}},
		{"E | getschema | count", R{{int64(5)}}},
	}
	for _, tc := range tests {
		res, err := db.Execute(context.Background(), tc.q, Options{Now: notebookNow})
		if err != nil {
			t.Errorf("%q: %v", tc.q, err)
			continue
		}
		if got := rowsOf(res[0]); !reflect.DeepEqual(got, tc.rows) {
			t.Errorf("%q:\n got  %v\n want %v", tc.q, got, tc.rows)
		}
	}
	res, err := db.Execute(context.Background(), "E | getschema", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := getschemaSchema; !reflect.DeepEqual(res[0].Schema(), want) {
		t.Errorf("getschema's columns are %v, want %v", res[0].Schema(), want)
	}
}

// TestGetschemaComputesNoRows: the input of getschema is worked out over
// empty tables, so a query whose rows would blow any budget, or take long,
// describes itself at once; semantic errors are still reported.
func TestGetschemaComputesNoRows(t *testing.T) {
	db := NewDatabase(demoEvents(t))
	q := demoSelfJoin + " | getschema"
	res, st, err := db.execute(context.Background(), q, Options{Now: notebookNow, MaxMemory: 1})
	if err != nil {
		t.Fatalf("%q under a 1-byte budget: %v", q, err)
	}
	if got := rowsOf(res[0]); !reflect.DeepEqual(got, R{{"DeviceName", int64(0), "System.String", "string"}, {"count_", int64(1), "System.Int64", "long"}}) {
		t.Errorf("got %v", got)
	}
	if st.peakBytes != 0 {
		t.Errorf("getschema charged %d bytes", st.peakBytes)
	}
	// Operators after getschema, and the other legs of a join, do run.
	_, err = db.Execute(context.Background(), "DeviceNetworkEvents | getschema | join kind=inner (DeviceNetworkEvents) on $left.ColumnName == $right.DeviceName",
		Options{MaxMemory: 1})
	wantRunaway(t, err, "join")
	for _, q := range []string{
		"DeviceNetworkEvents | project Nope | getschema",
		"DeviceNetworkEvents | where DeviceName == 1 | getschema",
		"DeviceNetworkEvents | getschema | project Nope",
	} {
		_, err := db.Execute(context.Background(), q, Options{})
		var e *Error
		if !errors.As(err, &e) || e.Code[:3] != "SEM" {
			t.Errorf("%q: got %v, want a semantic error", q, err)
		}
	}
}

func rowsOf(tb *Table) R {
	var out R
	for r := 0; r < tb.Len(); r++ {
		var row []any
		for c := range tb.Schema() {
			row = append(row, tb.Value(r, c))
		}
		out = append(out, row)
	}
	return out
}
