package emulator

import (
	"crypto/subtle"
	"encoding/json"
	"net"
	"net/http"
	"strings"
)

// AdminPrefix is the path prefix of the emulator's admin routes. It lies
// outside the platform API (/api) and the Stripe fake (/v1), and admin
// requests are not journaled.
const AdminPrefix = "/_emulator/"

// Admin routes (see WithAdmin).
const (
	AdminCounts  = AdminPrefix + "counts"  // GET: Counts() and FaultCounts() as JSON
	AdminJournal = AdminPrefix + "journal" // GET: the journal, without bodies or headers
	AdminReset   = AdminPrefix + "reset"   // POST: ResetJournal
)

// AdminCountsResponse is the answer of GET /_emulator/counts.
type AdminCountsResponse struct {
	// Counts is Counts(): requests keyed "METHOD ROUTE", including the
	// emulator's own in-process Stripe lookups ("GET /v1/account").
	Counts map[string]int `json:"counts"`
	// Internal counts, keyed the same way, the requests the emulator made to
	// itself (RemoteAddr ""); Counts minus Internal is what clients sent.
	Internal map[string]int `json:"internal"`
	Faults   map[string]int `json:"faults"`
	Requests int            `json:"requests"`
}

// AdminJournalEntry is one journaled request as served by GET
// /_emulator/journal. Bodies and headers are left out: they carry
// credentials, tokens and Stripe secret keys.
type AdminJournalEntry struct {
	Method     string `json:"method"`
	Path       string `json:"path"`
	Route      string `json:"route"`
	Query      string `json:"query,omitempty"`
	Status     int    `json:"status"`
	RemoteAddr string `json:"remote_addr,omitempty"`
	Internal   bool   `json:"internal,omitempty"`
	UserAgent  string `json:"user_agent,omitempty"`
}

// WithAdmin returns a handler that serves the admin routes under
// AdminPrefix and passes every other request to e. Admin routes answer
// loopback clients without authentication; other clients must send
// "Authorization: Bearer <token>", and are refused when token is "".
func (e *Emulator) WithAdmin(token string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, AdminPrefix) {
			e.ServeHTTP(w, r)
			return
		}
		if !adminAllowed(r, token) {
			writeJSON(w, http.StatusForbidden, apiError{Status: 403, Message: []string{"emulator admin routes are only open to loopback clients (or with the admin token)"}})
			return
		}
		e.serveAdmin(w, r)
	})
}

func adminAllowed(r *http.Request, token string) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return true
	}
	if token == "" {
		return false
	}
	scheme, got, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	return ok && strings.EqualFold(scheme, "Bearer") &&
		subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(token)) == 1
}

func (e *Emulator) serveAdmin(w http.ResponseWriter, r *http.Request) {
	method := map[string]string{AdminCounts: http.MethodGet, AdminJournal: http.MethodGet, AdminReset: http.MethodPost}[r.URL.Path]
	if method == "" {
		writeJSON(w, http.StatusNotFound, apiError{Status: 404, Message: []string{"Not Found: no admin route " + r.URL.Path}})
		return
	}
	if r.Method != method {
		w.Header().Set("Allow", method)
		writeJSON(w, http.StatusMethodNotAllowed, apiError{Status: 405, Message: []string{"Method " + r.Method + " not allowed on " + r.URL.Path}})
		return
	}
	switch r.URL.Path {
	case AdminReset:
		e.ResetJournal()
		w.WriteHeader(http.StatusNoContent)
	case AdminCounts:
		out := AdminCountsResponse{Counts: e.Counts(), Internal: map[string]int{}, Faults: e.FaultCounts()}
		for _, q := range e.journalEntries() {
			out.Requests++
			if q.Internal {
				out.Internal[q.Method+" "+q.Route]++
			}
		}
		writeJSON(w, http.StatusOK, out)
	case AdminJournal:
		entries := e.journalEntries()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_ = json.NewEncoder(w).Encode(entries)
	}
}

// journalEntries is the journal without bodies and headers.
func (e *Emulator) journalEntries() []AdminJournalEntry {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]AdminJournalEntry, 0, len(e.journal))
	for _, q := range e.journal {
		out = append(out, AdminJournalEntry{
			Method: q.Method, Path: q.Path, Route: q.Route, Query: q.Query, Status: q.Status,
			RemoteAddr: q.RemoteAddr, Internal: q.RemoteAddr == "", UserAgent: q.Header.Get("User-Agent"),
		})
	}
	return out
}
