package emulator

import (
	"net/http"
	"strings"
)

// ChangeCounts returns, keyed "METHOD ROUTE", how many platform API writes
// (POST, PUT, PATCH, DELETE; the token endpoint and the Stripe fake left out)
// changed the emulator's state: their handler answered 2xx. A create whose
// response was dropped on purpose (Faults.RateCommitDrop) counts, since it
// was committed; a write refused with 4xx, or failed by an injected fault
// before it reached its handler, does not. Tests use it to assert that an
// error path changed nothing, and that faults caused no duplicate creates.
func (e *Emulator) ChangeCounts() map[string]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make(map[string]int, len(e.changes))
	for k, v := range e.changes {
		out[k] = v
	}
	return out
}

// Changes is the sum of ChangeCounts.
func (e *Emulator) Changes() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, v := range e.changes {
		n += v
	}
	return n
}

// isWrite reports a request that may change platform state.
func isWrite(method, route string) bool {
	if route == RouteToken || route == RouteStripeAccount || route == RouteUnmatched {
		return false
	}
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

func (e *Emulator) countChange(method, route string, status int) {
	if status < 200 || status > 299 || !isWrite(method, route) {
		return
	}
	e.mu.Lock()
	e.changes[method+" "+route]++
	e.mu.Unlock()
}

// viewerDenied answers 403 when a write comes with a token of the read-only
// user (Config.ViewerUsername), as API Connect does for a user whose org
// role lacks the permission. ok is false when the request may go on.
func (e *Emulator) viewerDenied(r *http.Request, route string) (int, apiError, bool) {
	if !isWrite(r.Method, route) {
		return 0, apiError{}, false
	}
	_, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	e.mu.Lock()
	viewer := e.viewers[strings.TrimSpace(tok)]
	name := e.cfg.ViewerUsername
	e.mu.Unlock()
	if !viewer {
		return 0, apiError{}, false
	}
	msg := "Forbidden: user " + name + " is not authorized to " + r.Method + " " + r.URL.Path +
		": the user's role in the organization lacks the permission settings:manage"
	return http.StatusForbidden, apiError{Status: http.StatusForbidden, Message: []string{msg}}, true
}
