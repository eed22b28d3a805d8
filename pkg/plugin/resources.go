package plugin

import (
	"net/http"
	"regexp"

	"github.com/kqlhunt/anomaly-datasource/pkg/loganalytics"
)

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

// handleSchema returns a table's columns and types (GET /schema?table=DeviceNetworkEvents), for the
// editors' field pickers. It runs `Table | take 0`, which costs nothing and needs only read access.
func (d *Datasource) handleSchema(w http.ResponseWriter, r *http.Request) {
	if d.configErr != nil {
		writeError(w, r, d.configErr)
		return
	}
	table := r.URL.Query().Get("table")
	if table == "" {
		table = "DeviceNetworkEvents"
	}
	if !tableName.MatchString(table) {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "table must be a table name such as DeviceNetworkEvents (letters, digits and _)"})
		return
	}
	res, err := d.querier.Query(r.Context(), loganalytics.Query{Workspace: d.settings.WorkspaceID, KQL: table + " | take 0", Wait: d.settings.QueryTimeout})
	if err != nil {
		writeError(w, r, err)
		return
	}
	type column struct {
		Name string `json:"name"`
		Type string `json:"type"`
	}
	cols := []column{}
	if len(res.Frames) > 0 {
		for _, f := range res.Frames[0].Fields {
			cols = append(cols, column{Name: f.Name, Type: f.Type().ItemTypeString()})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"table": table, "columns": cols})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
