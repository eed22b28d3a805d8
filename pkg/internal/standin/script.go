package standin

import (
	"github.com/kqlhunt/anomaly-datasource/pkg/emulator"

	"context"
	"strings"
	"sync"
	"time"
)

// Script is an Executor that plays scripted replies, for tests of the clients of the service.
// Each query consumes the next reply; once the script is exhausted its last reply repeats.
// Build one with Respond, Fail, BadQuery, Throttle or Func and chain:
//
//	standin.Throttle(time.Second).Then(standin.Respond(table))     // 429, then success
//	standin.Respond(table).After(5 * time.Second)                   // a slow answer
//	standin.Respond(table).Partial("E_ENGINE", "Some shards failed") // 200 with an error object
//	standin.Respond(a).ForWorkspace(ws2, standin.Fail(403, "InsufficientAccessError", "..."))
//
// A Script is safe for concurrent use; it records every Request it answers.
type Script struct {
	mu      sync.Mutex
	replies []reply
	next    int
	byWS    map[string]*Script
	reqs    []emulator.Request
}

type reply struct {
	result *emulator.Result
	err    error
	delay  time.Duration
	fn     emulator.ExecutorFunc
}

// Respond replies 200 with the given tables.
func Respond(tables ...*emulator.Table) *Script {
	return &Script{replies: []reply{{result: &emulator.Result{Tables: tables}}}}
}

// Fail replies with a service error: status, code and message as the service would send them.
func Fail(status int, code, message string) *Script {
	return FailWith(&emulator.ServiceError{Status: status, Code: code, Message: message})
}

// FailWith replies with the given error; a *ServiceError keeps its status, anything else is a 500.
func FailWith(err error) *Script {
	return &Script{replies: []reply{{err: err}}}
}

// BadQuery replies with the service's 400 for KQL that does not parse, naming the token, line and
// position (see BadQueryError).
func BadQuery(line, pos int, token string) *Script {
	return FailWith(emulator.BadQueryError(line, pos, token))
}

// Throttle replies 429 with Retry-After.
func Throttle(retryAfter time.Duration) *Script { return FailWith(emulator.ThrottledError(retryAfter)) }

// Func replies with whatever f returns, e.g. to echo the request or compute an answer.
func Func(f emulator.ExecutorFunc) *Script { return &Script{replies: []reply{{fn: f}}} }

// Then appends next's replies after s's own and returns s.
func (s *Script) Then(next *Script) *Script {
	s.mu.Lock()
	defer s.mu.Unlock()
	next.mu.Lock()
	defer next.mu.Unlock()
	s.replies = append(s.replies, next.replies...)
	return s
}

// After delays the last reply by d (a slow answer); the delay ends early, with ctx's error, when
// the request's context is done, so a Prefer: wait shorter than d gives the service's 504.
func (s *Script) After(d time.Duration) *Script {
	return s.editLast(func(r *reply) { r.delay = d })
}

// Partial adds a partial error (PartialError → EngineError → code/message) to the last reply,
// which must be a Respond: the tables still come back with status 200.
func (s *Script) Partial(code, message string) *Script {
	return s.editLast(func(r *reply) {
		if r.result != nil {
			res := *r.result
			res.Error = emulator.PartialError(code, message)
			r.result = &res
		}
	})
}

// RetryAfter sets the Retry-After of the last reply, which must be a ServiceError.
func (s *Script) RetryAfter(d time.Duration) *Script {
	return s.editLast(func(r *reply) {
		if se, ok := r.err.(*emulator.ServiceError); ok {
			c := *se
			c.RetryAfter = d
			r.err = &c
		}
	})
}

// ForWorkspace answers queries whose path workspace is ws with ws's own script; other workspaces
// get s's replies. Workspace ids compare case-insensitively.
func (s *Script) ForWorkspace(ws string, script *Script) *Script {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byWS == nil {
		s.byWS = map[string]*Script{}
	}
	s.byWS[strings.ToLower(ws)] = script
	return s
}

func (s *Script) editLast(f func(*reply)) *Script {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := len(s.replies); n > 0 {
		f(&s.replies[n-1])
	}
	return s
}

// Query implements Executor.
func (s *Script) Query(ctx context.Context, req emulator.Request) (*emulator.Result, error) {
	s.mu.Lock()
	s.reqs = append(s.reqs, req)
	if ws, ok := s.byWS[strings.ToLower(req.Workspace)]; ok {
		s.mu.Unlock()
		return ws.Query(ctx, req)
	}
	if len(s.replies) == 0 {
		s.mu.Unlock()
		return &emulator.Result{}, nil
	}
	r := s.replies[s.next]
	if s.next < len(s.replies)-1 {
		s.next++
	}
	s.mu.Unlock()
	if r.delay > 0 {
		t := time.NewTimer(r.delay)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-t.C:
		}
	}
	if r.fn != nil {
		return r.fn(ctx, req)
	}
	return r.result, r.err
}

// Requests returns a copy of the requests answered so far (those delegated to a workspace's
// script included).
func (s *Script) Requests() []emulator.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]emulator.Request(nil), s.reqs...)
}

// Calls is the number of queries answered so far.
func (s *Script) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}
