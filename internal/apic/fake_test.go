package apic

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeAPI is a small in-test platform API.
type fakeAPI struct {
	t  *testing.T
	mu sync.Mutex

	billings   map[string]*Billing // by org/name
	cbs        map[string]*ConfiguredBilling
	seq        int
	counts     map[string]int // "METHOD /route"
	tokenReqs  []map[string]any
	tokenDelay time.Duration
	expiresIn  int
	issued     int
	revoked    map[string]bool
	headers    []http.Header
	rawPaths   []string

	// fault, when set, runs first; returning true means the request was
	// answered (or the connection was dropped).
	fault func(w http.ResponseWriter, r *http.Request, route string, n int) bool

	srv *httptest.Server
}

func newFake(t *testing.T) *fakeAPI {
	t.Helper()
	f := &fakeAPI{t: t, billings: map[string]*Billing{}, cbs: map[string]*ConfiguredBilling{},
		counts: map[string]int{}, revoked: map[string]bool{}, expiresIn: 28800}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/token", f.token)
	mux.HandleFunc("GET /api/orgs/{org}/billings", f.listBillings)
	mux.HandleFunc("POST /api/orgs/{org}/billings", f.createBilling)
	mux.HandleFunc("GET /api/orgs/{org}/billings/{b}", f.getBilling)
	mux.HandleFunc("PATCH /api/orgs/{org}/billings/{b}", f.patchBilling)
	mux.HandleFunc("DELETE /api/orgs/{org}/billings/{b}", f.deleteBilling)
	mux.HandleFunc("GET /api/catalogs/{org}/{cat}/configured-billings", f.listCBs)
	mux.HandleFunc("POST /api/catalogs/{org}/{cat}/configured-billings", f.createCB)
	f.srv = httptest.NewServer(f.wrap(mux))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) endpoint() string { return f.srv.URL + "/api" }

func (f *fakeAPI) route(r *http.Request) string {
	p := r.URL.Path
	switch {
	case p == "/api/token":
		return "POST /token"
	case strings.Contains(p, "/configured-billings"):
		return r.Method + " /configured-billings"
	case strings.HasSuffix(p, "/billings"):
		return r.Method + " /billings"
	case strings.Contains(p, "/billings/"):
		return r.Method + " /billings/{b}"
	}
	return r.Method + " " + p
}

func (f *fakeAPI) count(route string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts[route]
}

func (f *fakeAPI) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route := f.route(r)
		f.mu.Lock()
		f.counts[route]++
		n := f.counts[route]
		f.headers = append(f.headers, r.Header.Clone())
		f.rawPaths = append(f.rawPaths, r.URL.EscapedPath())
		fault := f.fault
		f.mu.Unlock()
		if fault != nil && fault(w, r, route, n) {
			return
		}
		if route != "POST /token" {
			tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
			f.mu.Lock()
			ok := strings.HasPrefix(tok, "tok-") && !f.revoked[tok]
			f.mu.Unlock()
			if !ok {
				writeErr(w, http.StatusUnauthorized, "invalid token")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func writeErr(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]any{"status": code, "message": []string{msg}})
}

func (f *fakeAPI) token(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	_ = json.NewDecoder(r.Body).Decode(&body)
	if f.tokenDelay > 0 {
		time.Sleep(f.tokenDelay)
	}
	f.mu.Lock()
	f.tokenReqs = append(f.tokenReqs, body)
	f.issued++
	tok := fmt.Sprintf("tok-%d", f.issued)
	exp := f.expiresIn
	f.mu.Unlock()
	if body["password"] == "wrong" {
		writeErr(w, http.StatusUnauthorized, "invalid credentials for user")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": exp})
}

// commitBilling stores a billing (as a create would) and returns it.
func (f *fakeAPI) commitBilling(org string, in BillingCreate) (*Billing, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	key := org + "/" + in.Name
	if _, dup := f.billings[key]; dup {
		return nil, false
	}
	f.seq++
	id := fmt.Sprintf("id-%04d", f.seq)
	b := &Billing{ID: id, Name: in.Name, Title: in.Title, Summary: in.Summary, IntegrationURL: in.IntegrationURL,
		Configuration: &BillingConfiguration{PublishableKey: in.Configuration.PublishableKey, FullAccessKey: "********"},
		URL:           f.srv.URL + "/api/orgs/" + org + "/billings/" + id}
	f.billings[key] = b
	return b, true
}

func (f *fakeAPI) numBillings() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.billings)
}

func (f *fakeAPI) findBilling(org, nameOrID string) *Billing {
	f.mu.Lock()
	defer f.mu.Unlock()
	if b, ok := f.billings[org+"/"+nameOrID]; ok {
		return b
	}
	for k, b := range f.billings {
		if strings.HasPrefix(k, org+"/") && b.ID == nameOrID {
			return b
		}
	}
	return nil
}

func (f *fakeAPI) listBillings(w http.ResponseWriter, r *http.Request) {
	org := r.PathValue("org")
	f.mu.Lock()
	var all []Billing
	for k, b := range f.billings {
		if strings.HasPrefix(k, org+"/") {
			all = append(all, *b)
		}
	}
	f.mu.Unlock()
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	writeJSON(w, http.StatusOK, page(r, all, true))
}

// page applies limit/offset and wraps in the envelope.
func page[T any](r *http.Request, all []T, withTotal bool) map[string]any {
	off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	lim, err := strconv.Atoi(r.URL.Query().Get("limit"))
	if err != nil || lim <= 0 {
		lim = 25
	}
	end := min(off+lim, len(all))
	var res []T
	if off < len(all) {
		res = all[off:end]
	}
	if res == nil {
		res = []T{}
	}
	if withTotal {
		return map[string]any{"total_results": len(all), "results": res}
	}
	return map[string]any{"results": res}
}

func (f *fakeAPI) createBilling(w http.ResponseWriter, r *http.Request) {
	var in BillingCreate
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeErr(w, http.StatusBadRequest, "bad json")
		return
	}
	b, ok := f.commitBilling(r.PathValue("org"), in)
	if !ok {
		writeErr(w, http.StatusConflict, "billing already exists")
		return
	}
	writeJSON(w, http.StatusCreated, b)
}

func (f *fakeAPI) getBilling(w http.ResponseWriter, r *http.Request) {
	b := f.findBilling(r.PathValue("org"), r.PathValue("b"))
	if b == nil {
		writeErr(w, http.StatusNotFound, "billing not found")
		return
	}
	writeJSON(w, http.StatusOK, b)
}

func (f *fakeAPI) patchBilling(w http.ResponseWriter, r *http.Request) {
	b := f.findBilling(r.PathValue("org"), r.PathValue("b"))
	if b == nil {
		writeErr(w, http.StatusNotFound, "billing not found")
		return
	}
	var p BillingPatch
	_ = json.NewDecoder(r.Body).Decode(&p)
	f.mu.Lock()
	if p.Title != nil {
		b.Title = *p.Title
	}
	if p.Summary != nil {
		b.Summary = *p.Summary
	}
	cp := *b
	f.mu.Unlock()
	writeJSON(w, http.StatusOK, cp)
}

func (f *fakeAPI) deleteBilling(w http.ResponseWriter, r *http.Request) {
	org := r.PathValue("org")
	b := f.findBilling(org, r.PathValue("b"))
	if b == nil {
		writeErr(w, http.StatusNotFound, "billing not found")
		return
	}
	f.mu.Lock()
	delete(f.billings, org+"/"+b.Name)
	f.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (f *fakeAPI) listCBs(w http.ResponseWriter, r *http.Request) {
	prefix := r.PathValue("org") + "/" + r.PathValue("cat") + "/"
	f.mu.Lock()
	var all []ConfiguredBilling
	for k, cb := range f.cbs {
		if strings.HasPrefix(k, prefix) {
			all = append(all, *cb)
		}
	}
	f.mu.Unlock()
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	writeJSON(w, http.StatusOK, page(r, all, true))
}

func (f *fakeAPI) commitCB(org, cat, billingURL string) (*ConfiguredBilling, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for k, cb := range f.cbs {
		if strings.HasPrefix(k, org+"/"+cat+"/") && cb.BillingURL == billingURL {
			return nil, false
		}
	}
	f.seq++
	id := fmt.Sprintf("cb-%04d", f.seq)
	cb := &ConfiguredBilling{ID: id, Name: id, BillingURL: billingURL, URL: f.srv.URL + "/api/catalogs/" + org + "/" + cat + "/configured-billings/" + id}
	f.cbs[org+"/"+cat+"/"+id] = cb
	return cb, true
}

func (f *fakeAPI) createCB(w http.ResponseWriter, r *http.Request) {
	var in struct {
		BillingURL string `json:"billing_url"`
	}
	_ = json.NewDecoder(r.Body).Decode(&in)
	cb, ok := f.commitCB(r.PathValue("org"), r.PathValue("cat"), in.BillingURL)
	if !ok {
		writeErr(w, http.StatusConflict, "already configured")
		return
	}
	writeJSON(w, http.StatusCreated, cb)
}

// dropConnection hijacks and closes the connection without an answer.
func dropConnection(t *testing.T, w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		t.Error("response writer cannot hijack")
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	_ = conn.Close()
}

// captureLogger records every log line.
type captureLogger struct {
	mu    sync.Mutex
	lines []string
	warns []string
}

func (l *captureLogger) Debug(_ context.Context, msg string, f map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf("DEBUG %s %v", msg, f))
}

func (l *captureLogger) Warn(_ context.Context, msg string, f map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := fmt.Sprintf("WARN %s %v", msg, f)
	l.lines = append(l.lines, s)
	l.warns = append(l.warns, s)
}

func (l *captureLogger) all() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// testConfig is a fast client config against f.
func testConfig(f *fakeAPI) Config {
	return Config{
		Endpoint: f.endpoint(), Username: "steve", Password: "s3cret-pass", ClientID: "cid", ClientSecret: "csecret",
		MaxRetries: 3, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond, RequestTimeout: 5 * time.Second,
	}
}

func mustNew(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func sampleBilling(name string) BillingCreate {
	return BillingCreate{Name: name, Title: "T " + name, IntegrationURL: "https://x/api/cloud/integrations/billing/stripe",
		Configuration: BillingConfiguration{PublishableKey: "pk_test_abc", FullAccessKey: "sk_test_SUPERSECRET123"}}
}

var _ = io.Discard
