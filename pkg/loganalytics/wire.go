package loganalytics

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// wireResponse is the 200 body of POST /workspaces/{id}/query. Cells stay
// raw JSON so that numbers are parsed once, exactly, by their column type.
type wireResponse struct {
	Tables     []wireTable     `json:"tables"`
	Statistics json.RawMessage `json:"statistics"`
	Render     json.RawMessage `json:"render"`
	Error      *wireError      `json:"error"`
}

// Rows stays one raw array, read row by row when the frame is built, so a
// large answer is never held as millions of per-cell values.
type wireTable struct {
	Name    string          `json:"name"`
	Columns []wireColumn    `json:"columns"`
	Rows    json.RawMessage `json:"rows"`
}

type wireColumn struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// wireError is the service's error object, in error bodies ({"error": ...})
// and in the partial error of a 200 answer.
type wireError struct {
	Code       string      `json:"code"`
	Message    string      `json:"message"`
	Details    []wireError `json:"details"`
	InnerError *wireError  `json:"innererror"`
	Line       flexInt     `json:"line"`
	Pos        flexInt     `json:"pos"`
}

// flexInt accepts a number or a numeric string and ignores anything else:
// positions are a nicety, never a reason to lose the error itself.
type flexInt int

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if n, err := strconv.Atoi(s); err == nil {
		*f = flexInt(n)
	}
	return nil
}

func decodeResponse(body []byte) (*wireResponse, error) {
	var r wireResponse
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDecode, err)
	}
	return &r, nil
}

// innermost follows the innererror chain to its end.
func (w *wireError) innermost() *wireError {
	for w.InnerError != nil {
		w = w.InnerError
	}
	return w
}

// serviceError turns the service's error object into a *ServiceError.
func serviceError(status int, w *wireError, requestID string) *ServiceError {
	se := &ServiceError{StatusCode: status, Code: w.Code, Message: w.Message, RequestID: requestID, kind: kindForStatus(status)}
	seen := map[string]bool{strings.TrimSpace(w.Message): true}
	add := func(e *wireError) {
		msg := strings.TrimSpace(e.Message)
		if e.Line > 0 && !strings.Contains(msg, "line") {
			msg = fmt.Sprintf("%s (line %d, position %d)", msg, e.Line, e.Pos)
		}
		if msg != "" && !seen[msg] {
			seen[msg] = true
			se.Details = append(se.Details, msg)
		}
	}
	if w.InnerError != nil {
		in := w.innermost()
		se.InnerCode, se.Line, se.Pos = in.Code, int(in.Line), int(in.Pos)
		add(in)
	}
	for i := range w.Details {
		in := w.Details[i].innermost()
		if se.InnerCode == "" {
			se.InnerCode, se.Line, se.Pos = in.Code, int(in.Line), int(in.Pos)
		}
		add(in)
	}
	return se
}

// serviceErrorFromResponse reads a non-200 answer. Only Log Analytics' own error shape,
// {"error": {"code": ..., "message": ...}}, is echoed, in the service's words. Anything else (a
// proxy's HTML page, an internal service's text, some other JSON) is described, never quoted:
// "HTTP 502 from host:port (text/html, 312 bytes)", with no code, since even a header could
// carry a foreign host's text.
func serviceErrorFromResponse(resp *http.Response, body []byte, fallbackCode string) *ServiceError {
	reqID := resp.Header.Get("x-ms-request-id")
	var env struct {
		Error *wireError `json:"error"`
	}
	if err := json.Unmarshal(body, &env); err == nil && env.Error != nil && (env.Error.Code != "" || env.Error.Message != "") {
		return serviceError(resp.StatusCode, env.Error, reqID)
	}
	host := "the endpoint"
	if resp.Request != nil && resp.Request.URL != nil {
		host = resp.Request.URL.Host
	}
	size := fmt.Sprintf("%d bytes", len(body))
	if len(body) >= maxErrorBody {
		size = fmt.Sprintf("over %d bytes", maxErrorBody)
	}
	return &ServiceError{
		StatusCode: resp.StatusCode,
		Message:    fmt.Sprintf("HTTP %d from %s (%s, %s)", resp.StatusCode, host, mediaType(resp.Header.Get("Content-Type")), size),
		RequestID:  reqID,
		kind:       kindForStatus(resp.StatusCode),
		foreign:    true,
	}
}

// mediaType is a Content-Type's media type, for messages: "text/plain", "no content type".
func mediaType(ct string) string {
	if strings.TrimSpace(ct) == "" {
		return "no content type"
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || len(mt) > 64 {
		return "unreadable content type"
	}
	return mt
}
