package main

import (
	"bytes"
	"encoding/json"
	"net/http"
)

// authHint ends the query API's 401 messages: the service's own words say only that the
// authentication is missing or not valid, which leaves someone trying the emulator with curl
// guessing.
const authHint = "The emulator accepts tokens from its Entra ID stand-in: POST /{tenant}/oauth2/v2.0/token " +
	"with grant_type=client_credentials, client_id, client_secret and scope=https://api.loganalytics.io/.default " +
	"(the curl example printed on start does it), then send Authorization: Bearer <access_token>. " +
	"Or restart the emulator with -no-auth to accept queries without a token."

// withAuthHint appends authHint to the message of next's 401 answers, keeping Log Analytics'
// error shape and code. Other answers pass through untouched.
func withAuthHint(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hw := &hintWriter{ResponseWriter: w}
		next.ServeHTTP(hw, r)
		hw.finish()
	})
}

// hintWriter holds back a 401 answer's body to rewrite it.
type hintWriter struct {
	http.ResponseWriter
	unauthorized bool
	body         bytes.Buffer
}

func (h *hintWriter) WriteHeader(code int) {
	if code == http.StatusUnauthorized {
		h.unauthorized = true
		return
	}
	h.ResponseWriter.WriteHeader(code)
}

func (h *hintWriter) Write(p []byte) (int, error) {
	if h.unauthorized {
		return h.body.Write(p)
	}
	return h.ResponseWriter.Write(p)
}

func (h *hintWriter) finish() {
	if !h.unauthorized {
		return
	}
	body := h.body.Bytes()
	var doc map[string]map[string]any
	if json.Unmarshal(body, &doc) == nil && doc["error"] != nil {
		msg, _ := doc["error"]["message"].(string)
		if msg != "" {
			msg += ". "
		}
		doc["error"]["message"] = msg + authHint
		if b, err := json.Marshal(doc); err == nil {
			body = b
		}
	}
	h.Header().Del("Content-Length")
	h.ResponseWriter.WriteHeader(http.StatusUnauthorized)
	_, _ = h.ResponseWriter.Write(body)
}
