package emulator

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Column is one column of a wire table: Log Analytics sends its name and its KQL type
// ("bool", "datetime", "dynamic", "guid", "int", "long", "real", "string", "timespan", "decimal").
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// RowSource lets a table hand its cells to the encoder one at a time, so a large answer is
// written straight from the engine's columns without building a [][]any first.
// *kql.Table satisfies it.
type RowSource interface {
	Len() int
	Value(row, col int) any
}

// Table is one table of a query answer. Rows holds scripted cells; Source, when set, is used
// instead (see RowSource). Cells are encoded by column type (see encodeCell): time.Time in a
// datetime column becomes ISO 8601 with Z, time.Duration in a timespan column [d.]hh:mm:ss[.fffffff],
// NaN and infinities in a real column the strings the service sends, anything in a dynamic column
// JSON text in a string. A string cell is always sent as given, so tests can also send odd payloads
// (a long as a string, as older payloads did).
type Table struct {
	Name    string
	Columns []Column
	Rows    [][]any
	Source  RowSource
}

// NewTable starts a table with the given columns; add rows with AddRow.
func NewTable(name string, cols ...Column) *Table {
	return &Table{Name: name, Columns: cols}
}

// Col is shorthand for a Column.
func Col(name, typ string) Column { return Column{Name: name, Type: typ} }

// AddRow appends one row of cells (one per column) and returns the table for chaining.
func (t *Table) AddRow(cells ...any) *Table {
	t.Rows = append(t.Rows, cells)
	return t
}

// Len is the number of rows the table will send.
func (t *Table) Len() int {
	if t.Source != nil {
		return t.Source.Len()
	}
	return len(t.Rows)
}

func (t *Table) cell(row, col int) any {
	if t.Source != nil {
		return t.Source.Value(row, col)
	}
	r := t.Rows[row]
	if col >= len(r) {
		return nil
	}
	return r[col]
}

// Result is a successful (HTTP 200) answer: the tables, and optionally a partial error that the
// service sends next to them (a query that failed half-way, or a truncated result).
type Result struct {
	Tables []*Table
	// Error, when set, is sent as the response's "error" object with status 200.
	Error *ErrorInfo
	// Statistics and Render are sent verbatim when the client asked for them with
	// Prefer: include-statistics=true / include-render=true and they are set.
	Statistics json.RawMessage
	Render     json.RawMessage
}

// ErrorInfo is the service's error object, used both for partial errors (inside a 200) and, through
// ServiceError, for failed requests.
type ErrorInfo struct {
	Code          string        `json:"code"`
	Message       string        `json:"message"`
	CorrelationID string        `json:"correlationId,omitempty"`
	Details       []ErrorDetail `json:"details,omitempty"`
	Inner         *InnerError   `json:"innererror,omitempty"`
}

// ErrorDetail is one entry of an error's details, e.g. the EngineError of a partial error.
type ErrorDetail struct {
	Code    string      `json:"code"`
	Message string      `json:"message"`
	Target  string      `json:"target,omitempty"`
	Inner   *InnerError `json:"innererror,omitempty"`
}

// InnerError is a link of the service's nested "innererror" chain. Line, Pos and Token locate a
// syntax error (SYN0002) in the query; Severity is set on engine warnings of partial errors.
type InnerError struct {
	Code         string      `json:"code"`
	Message      string      `json:"message"`
	Line         int         `json:"line,omitempty"`
	Pos          int         `json:"pos,omitempty"`
	Token        string      `json:"token,omitempty"`
	Severity     int         `json:"severity,omitempty"`
	SeverityName string      `json:"severityName,omitempty"`
	Inner        *InnerError `json:"innererror,omitempty"`
}

// ServiceError makes the handler answer with a non-200 status and the service's error JSON
// ({"error":{...}}). RetryAfter, when positive, is sent as a Retry-After header (whole seconds,
// rounded up) and as retry-after-ms, which azcore's retry policy honours.
type ServiceError struct {
	Status     int
	Code       string
	Message    string
	Inner      *InnerError
	Details    []ErrorDetail
	RetryAfter time.Duration
}

// Error reports the status, code and message, and the innermost message of the chain.
func (e *ServiceError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "log analytics emulator: %d %s: %s", e.Status, e.Code, e.Message)
	in := e.Inner
	for in != nil && in.Inner != nil {
		in = in.Inner
	}
	if in != nil {
		fmt.Fprintf(&b, " (%s: %s)", in.Code, in.Message)
	}
	return b.String()
}

func (e *ServiceError) info() *ErrorInfo {
	return &ErrorInfo{Code: e.Code, Message: e.Message, Details: e.Details, Inner: e.Inner}
}

// The messages below are the service's own words for each case, so clients (and the plugin's
// error mapping) see what they would see from Azure.
const (
	msgBadArgument    = "The request had some invalid properties"
	msgPathNotFound   = "The requested path does not exist"
	msgWorkspace404   = "The workspace could not be found"
	msgAuthRequired   = "Valid authentication was not provided"
	msgInvalidToken   = "The provided authentication is not valid for this resource"
	msgInsufficient   = "The provided credentials have insufficient access to perform the requested operation"
	msgGatewayTimeout = "The gateway did not receive a response from 'Microsoft.OperationalInsights' within the specified time period."
	msgThrottled      = "Too many requests. Please retry after the time given in the Retry-After header."
	msgPartial        = "There were some errors when processing your query."
	msgSyntax         = "A recognition error occurred in the query."
	msgSemantic       = "A semantic error occurred."
)

// BadQueryError is the 400 the service gives for KQL that does not parse: BadArgumentError, then
// SyntaxError, then SYN0002 locating the offending token ("Query could not be parsed at 'joi' on
// line [2,244]").
func BadQueryError(line, pos int, token string) *ServiceError {
	return &ServiceError{
		Status:  400,
		Code:    "BadArgumentError",
		Message: msgBadArgument,
		Inner: &InnerError{
			Code:    "SyntaxError",
			Message: msgSyntax,
			Inner: &InnerError{
				Code:    "SYN0002",
				Message: fmt.Sprintf("Query could not be parsed at '%s' on line [%d,%d]", token, line, pos),
				Line:    line, Pos: pos, Token: token,
			},
		},
	}
}

// SemanticQueryError is the 400 for KQL that parses but names something unknown (SEM0100 and
// friends): BadArgumentError, then SemanticError, then the engine's code and message.
func SemanticQueryError(code, message string) *ServiceError {
	return &ServiceError{
		Status:  400,
		Code:    "BadArgumentError",
		Message: msgBadArgument,
		Inner: &InnerError{
			Code:    "SemanticError",
			Message: msgSemantic,
			Inner:   &InnerError{Code: code, Message: message},
		},
	}
}

// PartialError builds the "error" object of a 200 answer whose query failed part-way: the service
// wraps the engine's message as PartialError → EngineError → innererror with a severity.
func PartialError(innerCode, message string) *ErrorInfo {
	return &ErrorInfo{
		Code:    "PartialError",
		Message: msgPartial,
		Details: []ErrorDetail{{
			Code:    "EngineError",
			Message: "Something went wrong processing your query on the server.",
			Inner: &InnerError{
				Code: innerCode, Message: message,
				Severity: 2, SeverityName: "Error",
			},
		}},
	}
}

// TruncatedError is the partial error the service attaches when an answer passes the row limit
// (Kusto's E_QUERY_RESULT_SET_TOO_LARGE; the rows up to the limit still come back).
func TruncatedError(limit int) *ErrorInfo {
	return PartialError("-2133196797", fmt.Sprintf(
		"Query result set has exceeded the internal record count limit %d records (E_QUERY_RESULT_SET_TOO_LARGE; see https://aka.ms/kustoquerylimits)", limit))
}

// ThrottledError is the 429 the service answers when a caller sends too many queries.
func ThrottledError(retryAfter time.Duration) *ServiceError {
	return &ServiceError{Status: 429, Code: "ThrottledError", Message: msgThrottled, RetryAfter: retryAfter}
}

// WorkspaceNotFoundError is the 404 for a well-formed workspace id that does not exist.
func WorkspaceNotFoundError() *ServiceError {
	return &ServiceError{Status: 404, Code: "WorkspaceNotFoundError", Message: msgWorkspace404}
}

// InsufficientAccessError is the 403 for a valid token without rights on the workspace.
func InsufficientAccessError() *ServiceError {
	return &ServiceError{Status: 403, Code: "InsufficientAccessError", Message: msgInsufficient}
}

// GatewayTimeoutError is the 504 the service answers when a query outlives Prefer: wait.
func GatewayTimeoutError() *ServiceError {
	return &ServiceError{Status: 504, Code: "GatewayTimeout", Message: msgGatewayTimeout}
}
