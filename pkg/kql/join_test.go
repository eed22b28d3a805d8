package kql

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

func TestJoin(t *testing.T) {
	owners := NewTable("P", []ColumnSchema{{"Name", TypeString}, {"Owner", TypeString}})
	for _, r := range [][2]string{{"a.exe", "alice"}, {"a.exe", "alex"}, {"c.exe", "carol"}, {"z.exe", "zed"}} {
		must(t, owners.AppendRow(r[0], r[1]))
	}
	db := NewDatabase(eventsTable(t), owners)
	pairs := R{{"a.exe", int64(3), "alice"}, {"a.exe", int64(3), "alex"}, {"a.exe", nil, "alice"}, {"a.exe", nil, "alex"},
		{"c.exe", int64(2), "carol"}, {"a.exe", int64(5), "alice"}, {"a.exe", int64(5), "alex"}}
	tests := []struct {
		q    string
		rows R
	}{
		{`E | join kind=inner P on Name | project Name, N, Owner`, pairs},
		{`E | join kind=inner (P) on $left.Name == $right.Name | project Name, N, Owner`, pairs},
		{`E | join kind=inner hint.strategy=shuffle P on $right.Name == $left.Name | project Name, N, Owner`, pairs},
		{`E | join P on Name | project Name, N, Owner`,
			R{{"a.exe", int64(3), "alice"}, {"a.exe", int64(3), "alex"}, {"c.exe", int64(2), "carol"}}},
		{`E | join kind=leftouter P on Name | project Name, N, Owner, Name1`,
			R{{"a.exe", int64(3), "alice", "a.exe"}, {"a.exe", int64(3), "alex", "a.exe"}, {"b.exe", int64(1), "", ""},
				{"a.exe", nil, "alice", "a.exe"}, {"a.exe", nil, "alex", "a.exe"}, {"c.exe", int64(2), "carol", "c.exe"},
				{"a.exe", int64(5), "alice", "a.exe"}, {"a.exe", int64(5), "alex", "a.exe"}}},
		{`E | join kind=rightouter P on Name | where Owner in ("zed", "carol") | project Name, N, Owner, Name1`,
			R{{"c.exe", int64(2), "carol", "c.exe"}, {"", nil, "zed", "z.exe"}}},
		{`E | join kind=fullouter P on Name | count`, R{{int64(9)}}},
		{`E | join kind=leftsemi P on Name | project Name, N`,
			R{{"a.exe", int64(3)}, {"a.exe", nil}, {"c.exe", int64(2)}, {"a.exe", int64(5)}}},
		{`E | join kind=leftanti P on Name | project Name`, R{{"b.exe"}}},
		{`E | join kind=rightsemi P on Name`, R{{"a.exe", "alice"}, {"a.exe", "alex"}, {"c.exe", "carol"}}},
		{`E | join kind=rightanti P on Name`, R{{"z.exe", "zed"}}},
		{`E | join kind=inner (P | where Owner == "zed") on Name | count`, R{{int64(0)}}},
		{`E | join kind=inner (E | project Name, N) on Name, N | count`, R{{int64(4)}}}, // null N matches nothing
	}
	for _, tc := range tests {
		res, err := db.Execute(context.Background(), tc.q, Options{})
		if err != nil {
			t.Errorf("%s: %v", tc.q, err)
			continue
		}
		if got := tableRows(res[0]); !reflect.DeepEqual(got, tc.rows) {
			t.Errorf("%s:\n got  %v\n want %v", tc.q, got, tc.rows)
		}
	}
	res, err := db.Execute(context.Background(), "E | join kind=inner P on Name | take 1", Options{})
	must(t, err)
	want := S{{"TimeGenerated", TypeDateTime}, {"Name", TypeString}, {"Cat", TypeString}, {"N", TypeLong}, {"R", TypeReal},
		{"Name1", TypeString}, {"Owner", TypeString}}
	if got := res[0].Schema(); !reflect.DeepEqual(got, want) {
		t.Errorf("join schema %v", got)
	}
	for q, code := range map[string]string{
		"E | join (P | extend Name = 1) on Name": "SEM0001",
		"E | join P on Nope":                     "SEM0100",
		"E | join kind=sideways P on Name":       "SYN0002",
		"E | join P on $left.Name == Name":       "SYN0002",
		"E | join P":                             "SYN0002",
	} {
		_, err := db.Execute(context.Background(), q, Options{})
		var e *Error
		if !errors.As(err, &e) || e.Code != code {
			t.Errorf("%s: got %v, want %s", q, err, code)
		}
	}
}
