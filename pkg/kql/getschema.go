package kql

// getschemaOp is "| getschema": one row per column of its input.
type getschemaOp struct{ at int }

func (o *getschemaOp) opName() string { return "getschema" }

// getschemaSchema is the operator's output, named and typed as Kusto's
// documentation of getschema shows it (ColumnOrdinal counts from 0).
var getschemaSchema = []ColumnSchema{
	{"ColumnName", TypeString}, {"ColumnOrdinal", TypeInt}, {"DataType", TypeString}, {"ColumnType", TypeString},
}

// dotnetTypes are the DataType values getschema gives per column type:
// the .NET types of Kusto's scalar data types, except bool, which
// getschema reports as System.SByte (Kusto stores bools as signed bytes;
// the service's own output is quoted in microsoft/Kusto-Query-Language
// issue 156).
var dotnetTypes = map[Type]string{
	TypeBool:     "System.SByte",
	TypeDateTime: "System.DateTime",
	TypeDynamic:  "System.Object",
	TypeGUID:     "System.Guid",
	TypeInt:      "System.Int32",
	TypeLong:     "System.Int64",
	TypeReal:     "System.Double",
	TypeString:   "System.String",
	TypeTimespan: "System.TimeSpan",
	TypeDecimal:  "System.Data.SqlTypes.SqlDecimal",
}

// lastGetschema returns the index of the last getschema operator, or -1.
// The operators before it only matter for their schema, so run computes
// them over empty tables: no rows are read, whatever the query.
func lastGetschema(ops []operator) int {
	for i := len(ops) - 1; i >= 0; i-- {
		if _, ok := ops[i].(*getschemaOp); ok {
			return i
		}
	}
	return -1
}

// getschema describes f's columns.
func getschema(f *frame) *frame {
	out := &frame{schema: getschemaSchema, n: len(f.schema)}
	for _, cs := range getschemaSchema {
		out.cols = append(out.cols, newColumn(cs.Type, len(f.schema)))
	}
	for i, cs := range f.schema {
		out.cols[0].appendValue(value{s: cs.Name})
		out.cols[1].appendValue(value{i: int64(i)})
		dt, ok := dotnetTypes[cs.Type]
		if !ok {
			dt = "System.String" // NewTable stores unknown types as strings
		}
		out.cols[2].appendValue(value{s: dt})
		out.cols[3].appendValue(value{s: string(cs.Type)})
	}
	return out
}
