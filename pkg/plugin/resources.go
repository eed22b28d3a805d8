package plugin

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/kqlhunt/anomaly-datasource/pkg/hunt"
	"github.com/kqlhunt/anomaly-datasource/pkg/pivots"
	"github.com/kqlhunt/anomaly-datasource/pkg/querymodel"
)

// The editors' helper endpoints, reached with DataSourceWithBackend's getResource/postResource.
func (d *Datasource) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /workspaces", d.handleWorkspaces)
	mux.HandleFunc("GET /schema", d.handleSchema)
	mux.HandleFunc("POST /fields", d.handleFields)
	mux.HandleFunc("GET /pivots", handlePivots)
	return mux
}

// handleWorkspaces lists the configured workspaces, for the query editor's workspace picker.
func (d *Datasource) handleWorkspaces(w http.ResponseWriter, r *http.Request) {
	if d.configErr != nil {
		writeError(w, r, d.configErr)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"default": d.settings.WorkspaceID, "additional": nonNil(d.settings.AdditionalWorkspaces), "demo": d.settings.DemoWorkspace,
	})
}

var tableName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,127}$`)

// handleSchema returns a table's columns and KQL types (GET /schema?table=DeviceNetworkEvents), for
// the KQL editor's completion.
func (d *Datasource) handleSchema(w http.ResponseWriter, r *http.Request) {
	table := r.URL.Query().Get("table")
	if table == "" {
		table = "DeviceNetworkEvents"
	}
	if !tableName.MatchString(table) {
		writeError(w, r, fmt.Errorf("%w: table must be a table name such as DeviceNetworkEvents (letters, digits and _)", querymodel.ErrInvalid))
		return
	}
	if d.configErr != nil {
		writeError(w, r, d.configErr)
		return
	}
	q := &querymodel.Query{QueryType: querymodel.TypeKQL, KQL: table, TimeRangeMode: querymodel.TimeRangeQuery}
	cols, err := d.runner().TableColumns(r.Context(), hunt.Request{Query: q}, table)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"table": table, "columns": cols})
}

// fieldsBody is POST /fields: a query object (kql, timeRangeMode, workspaces) and the dashboard's
// range in epoch milliseconds, as strings or numbers.
type fieldsBody struct {
	From json.Number `json:"from"`
	To   json.Number `json:"to"`
}

// handleFields returns the columns of a query's result without its rows (POST /fields), for the
// field pickers: fields, search column, counts fields.
func (d *Datasource) handleFields(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeError(w, r, fmt.Errorf("%w: reading the request: %v", querymodel.ErrInvalid, err))
		return
	}
	var body fieldsBody
	if err := json.Unmarshal(raw, &body); err != nil {
		writeError(w, r, fmt.Errorf("%w: the body is not a query object: %v", querymodel.ErrInvalid, err))
		return
	}
	q, err := querymodel.Parse(raw)
	if err != nil {
		writeError(w, r, err)
		return
	}
	q.QueryType = querymodel.TypeKQL
	req := hunt.Request{Query: q, From: epochMillis(body.From), To: epochMillis(body.To)}
	if req.To.IsZero() {
		req.To = time.Now()
		req.From = req.To.Add(-24 * time.Hour)
	}
	if d.configErr != nil {
		writeError(w, r, d.configErr)
		return
	}
	cols, err := d.runner().Columns(r.Context(), req)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"columns": cols})
}

// handlePivots lists the pivots (GET /pivots), for the pivot picker and its descriptions.
func handlePivots(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"pivots": pivots.All()})
}

func epochMillis(n json.Number) time.Time {
	ms, err := strconv.ParseInt(n.String(), 10, 64)
	if err != nil || ms <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
