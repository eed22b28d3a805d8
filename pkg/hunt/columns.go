package hunt

import (
	"context"
	"fmt"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kqlhunt/anomaly-datasource/pkg/loganalytics"
)

// Column is one column of a query's result: its name and KQL type (string, long, datetime, ...).
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// Columns returns the columns req's KQL would return, without its rows: KQL's getschema runs the
// query's plan only, so it is cheap on any workspace. It feeds the editors' field pickers.
func (r *Runner) Columns(ctx context.Context, req Request) ([]Column, error) {
	kql, err := r.expand(req, req.Query.KQL)
	if err != nil {
		return nil, err
	}
	res, err := r.send(ctx, req, kql+"\n| getschema")
	if err != nil {
		return nil, err
	}
	f := primary(res.Frames)
	name, _ := f.FieldByName("ColumnName")
	typ, _ := f.FieldByName("ColumnType")
	if name == nil || typ == nil {
		return nil, fmt.Errorf("%w: getschema answered without ColumnName and ColumnType", loganalytics.ErrDecode)
	}
	cols := make([]Column, 0, name.Len())
	for i := 0; i < name.Len(); i++ {
		cols = append(cols, Column{Name: text(name, i), Type: text(typ, i)})
	}
	return cols, nil
}

// TableColumns returns a table's columns: `T | take 0` answers with the columns and their KQL
// types and no row, and needs only read access to the table.
func (r *Runner) TableColumns(ctx context.Context, req Request, table string) ([]Column, error) {
	res, err := r.send(ctx, req, table+" | take 0")
	if err != nil {
		return nil, err
	}
	f := primary(res.Frames)
	var types []string
	if f.Meta != nil {
		if m, ok := f.Meta.Custom.(*loganalytics.FrameMeta); ok {
			types = m.ColumnTypes
		}
	}
	cols := make([]Column, len(f.Fields))
	for i, fld := range f.Fields {
		cols[i] = Column{Name: fld.Name, Type: fld.Type().ItemTypeString()}
		if i < len(types) {
			cols[i].Type = types[i]
		}
	}
	return cols, nil
}

func text(f *data.Field, i int) string {
	v, ok := f.ConcreteAt(i)
	if !ok {
		return ""
	}
	s, _ := v.(string)
	return s
}
