package loganalytics

import (
	"unicode/utf8"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// PrimaryTable is the name the service gives the query's main result.
const PrimaryTable = "PrimaryResult"

// FrameMeta is the Custom metadata of every frame: where the rows came
// from, and each field's KQL column type, which the Go field type alone does
// not tell (guid, timespan and dynamic all become strings).
type FrameMeta struct {
	Workspace            string   `json:"workspace"`
	AdditionalWorkspaces []string `json:"additionalWorkspaces,omitempty"`
	Timespan             string   `json:"timespan,omitempty"`
	ColumnTypes          []string `json:"columnTypes"`
}

// toFrames sets every decoded table's metadata and puts the primary result first. A partial
// error becomes a warning notice on the primary frame (an empty one is made when the answer has
// no table), so the rows that did come back are kept.
func toFrames(a *answer, q Query, timespan string, partial *ServiceError) data.Frames {
	meta := func(types []string) *data.FrameMeta {
		return &data.FrameMeta{
			ExecutedQueryString: q.KQL,
			Custom: &FrameMeta{
				Workspace:            q.Workspace,
				AdditionalWorkspaces: q.AdditionalWorkspaces,
				Timespan:             timespan,
				ColumnTypes:          types,
			},
		}
	}
	frames := make(data.Frames, 0, len(a.tables))
	for _, t := range a.tables {
		f := t.frame
		f.Meta = meta(t.types)
		if t.name == PrimaryTable {
			frames = append(data.Frames{f}, frames...)
		} else {
			frames = append(frames, f)
		}
	}
	if partial != nil {
		if len(frames) == 0 {
			frames = append(frames, data.NewFrame(PrimaryTable).SetMeta(meta([]string{})))
		}
		frames[0].AppendNotices(data.Notice{Severity: data.NoticeSeverityWarning, Text: partial.Error()})
	}
	return frames
}

// truncate shortens s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
