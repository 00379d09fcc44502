package emulator

import (
	"context"
	"encoding/json"
	"io"
	"math"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Route patterns served by the emulator.
const (
	RouteToken             = "/api/token"
	RouteOrg               = "/api/orgs/{org}"
	RouteBillings          = "/api/orgs/{org}/billings"
	RouteBilling           = "/api/orgs/{org}/billings/{billing}"
	RouteJobs              = "/api/orgs/{org}/billings/{billing}/jobs"
	RouteJob               = "/api/orgs/{org}/billings/{billing}/jobs/{job}"
	RouteJobRetry          = "/api/orgs/{org}/billings/{billing}/jobs/{job}/retry"
	RouteOrgCatalogs       = "/api/orgs/{org}/catalogs"
	RouteCatalog           = "/api/catalogs/{org}/{catalog}"
	RouteCatalogSettings   = "/api/catalogs/{org}/{catalog}/settings"
	RouteConfiguredList    = "/api/catalogs/{org}/{catalog}/configured-billings"
	RouteConfiguredBilling = "/api/catalogs/{org}/{catalog}/configured-billings/{id}"
	RouteStripeAccount     = "/v1/account"
	RouteUnmatched         = "(unmatched)"
)

type handlerFunc func(e *Emulator, c *call) (int, any)

type route struct {
	pattern string
	segs    []string
	methods map[string]handlerFunc
}

var routes []*route

func init() {
	add := func(p string, m map[string]handlerFunc) {
		routes = append(routes, &route{pattern: p, segs: strings.Split(strings.Trim(p, "/"), "/"), methods: m})
	}
	add(RouteToken, map[string]handlerFunc{"POST": (*Emulator).postToken})
	add(RouteOrg, map[string]handlerFunc{"GET": (*Emulator).getOrg})
	add(RouteOrgCatalogs, map[string]handlerFunc{"GET": (*Emulator).listCatalogs})
	add(RouteBillings, map[string]handlerFunc{"GET": (*Emulator).listBillings, "POST": (*Emulator).createBilling})
	add(RouteBilling, map[string]handlerFunc{"GET": (*Emulator).getBilling, "PATCH": (*Emulator).patchBilling, "DELETE": (*Emulator).deleteBilling})
	add(RouteJobs, map[string]handlerFunc{"GET": (*Emulator).listJobs})
	add(RouteJob, map[string]handlerFunc{"GET": (*Emulator).getJob, "DELETE": (*Emulator).deleteJob})
	add(RouteJobRetry, map[string]handlerFunc{"POST": (*Emulator).retryJob})
	add(RouteCatalog, map[string]handlerFunc{"GET": (*Emulator).getCatalog})
	add(RouteCatalogSettings, map[string]handlerFunc{"GET": (*Emulator).getCatalogSettings})
	add(RouteConfiguredList, map[string]handlerFunc{"GET": (*Emulator).listConfigured, "POST": (*Emulator).createConfigured})
	add(RouteConfiguredBilling, map[string]handlerFunc{"GET": (*Emulator).getConfigured, "DELETE": (*Emulator).deleteConfigured})
	add(RouteStripeAccount, map[string]handlerFunc{"GET": (*Emulator).stripeAccount})
}

func match(path string) (*route, map[string]string) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for _, rt := range routes {
		if len(rt.segs) != len(segs) {
			continue
		}
		params := map[string]string{}
		ok := true
		for i, s := range rt.segs {
			if strings.HasPrefix(s, "{") {
				if segs[i] == "" {
					ok = false
					break
				}
				params[strings.Trim(s, "{}")] = segs[i]
			} else if s != segs[i] {
				ok = false
				break
			}
		}
		if ok {
			return rt, params
		}
	}
	return nil, nil
}

// call is the per-request context handed to handlers.
type call struct {
	w      http.ResponseWriter
	r      *http.Request
	route  string
	params map[string]string
	body   []byte
	base   string
}

// apiError is the platform's error body.
type apiError struct {
	Status  int      `json:"status"`
	Message []string `json:"message"`
}

func errorf(status int, msg ...string) (int, any) {
	return status, apiError{Status: status, Message: msg}
}

type inProcessKey struct{}

// ServeHTTP implements http.Handler.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	rt, params := match(path)
	if rt != nil && rt.pattern == RouteJobRetry && e.cfg.NoJobRetry {
		rt = nil // a platform version that does not serve the retry path
	}
	routeName := RouteUnmatched
	if rt != nil {
		routeName = rt.pattern
	}
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(io.LimitReader(r.Body, 4<<20))
	}

	rec := &Request{Method: r.Method, Path: path, Route: routeName, Query: r.URL.RawQuery, Body: body, Header: r.Header.Clone()}
	if r.Context().Value(inProcessKey{}) == nil {
		rec.RemoteAddr = r.RemoteAddr
	}
	isAPI := strings.HasPrefix(path, "/api/") || path == "/api"
	isStripe := strings.HasPrefix(path, "/v1/")

	e.mu.Lock()
	e.journal = append(e.journal, rec)
	e.counts[r.Method+" "+routeName]++
	base := e.cfg.BaseURL
	if base == "" && r.Context().Value(inProcessKey{}) == nil {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
		if isAPI {
			e.lastBase = base
		}
	}
	f, h := e.faults, e.hostile
	e.mu.Unlock()
	// reply writes an answer; an error echoes the request's secrets in
	// hostile mode.
	reply := replyFunc(func(w http.ResponseWriter, status int, payload any) {
		if status >= 400 {
			payload = withEcho(payload, h.echo(r, body))
		}
		writeJSON(w, status, h.reshape(payload))
	})

	sw := &statusWriter{ResponseWriter: w}
	setStatus := func() {
		e.mu.Lock()
		rec.Status = sw.status
		e.mu.Unlock()
	}
	defer setStatus()

	if h.redirect(sw, r, routeName) {
		return
	}
	done, commitDrop := e.injectFaults(sw, r, f, h.RetryAfter, routeName, reply)
	if done {
		return
	}

	if rt == nil {
		if isStripe {
			writeJSON(sw, http.StatusNotFound, stripeError("Unrecognized request URL ("+r.Method+": "+path+")."))
			return
		}
		reply(sw, http.StatusNotFound, apiError{Status: 404, Message: []string{"Not Found: no route for " + r.Method + " " + path}})
		return
	}
	handler, ok := rt.methods[r.Method]
	if !ok {
		allow := make([]string, 0, len(rt.methods))
		for m := range rt.methods {
			allow = append(allow, m)
		}
		slices.Sort(allow)
		sw.Header().Set("Allow", strings.Join(allow, ", "))
		if isStripe {
			writeJSON(sw, http.StatusMethodNotAllowed, stripeError("Unrecognized request URL ("+r.Method+": "+path+")."))
			return
		}
		reply(sw, http.StatusMethodNotAllowed, apiError{Status: 405, Message: []string{"Method " + r.Method + " not allowed on " + path}})
		return
	}

	if isAPI && routeName != RouteToken {
		if st, msg := e.authenticate(r); st != 0 {
			sw.Header().Set("WWW-Authenticate", `Bearer realm="apiconnect"`)
			reply(sw, st, apiError{Status: st, Message: []string{msg}})
			return
		}
		if st, payload, denied := e.viewerDenied(r, routeName); denied {
			reply(sw, st, payload)
			return
		}
	}

	c := &call{w: sw, r: r, route: routeName, params: params, body: body, base: base}
	if h.ForeignOnDroppedCreate && r.Method == http.MethodPost && routeName == RouteBillings && e.plantForeign(c) {
		e.countFault("foreign_create")
		e.dropConnection(sw, r)
		return
	}
	status, payload := handler(e, c)
	e.countChange(r.Method, routeName, status)
	if commitDrop && status >= 200 && status < 300 {
		e.countFault("commit_drop")
		e.dropConnection(sw, r)
		return
	}
	reply(sw, status, payload)
}

// replyFunc writes an API answer (see ServeHTTP).
type replyFunc func(w http.ResponseWriter, status int, payload any)

// injectFaults applies the configured latency and faults to one request.
// done: the request was answered (or dropped); commitDrop: a create is to
// be committed, then its connection dropped. retryAfterValue, when set, is
// the literal Retry-After of injected 429 and 503 answers (hostile mode).
func (e *Emulator) injectFaults(sw *statusWriter, r *http.Request, f Faults, retryAfterValue, routeName string, reply replyFunc) (done, commitDrop bool) {
	isAPI := strings.HasPrefix(r.URL.Path, "/api/") || r.URL.Path == "/api"
	isStripe := strings.HasPrefix(r.URL.Path, "/v1/")
	faulty := faultsApply(f, r.Method, routeName)
	switch {
	case isStripe:
		if f.StripeLatency > 0 {
			e.countFault("latency")
			sleepCtx(r.Context(), f.StripeLatency)
		}
		if f.StripeDown {
			e.countFault("stripe_down")
			sw.Header().Set("Content-Type", "application/json")
			sw.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(sw, `{"error":{"type":"api_error","message":"Stripe is temporarily unavailable (emulated outage)."}}`)
			return true, false
		}
	case isAPI && f.Latency > 0 && (faulty || (len(f.Routes) == 0 && routeName == RouteToken)):
		e.countFault("latency")
		sleepCtx(r.Context(), f.Latency)
	}
	if faulty {
		switch e.pickFault(f) {
		case "reset":
			e.countFault("reset")
			e.dropConnection(sw, r)
			return true, false
		case "429":
			e.countFault("429")
			ra := f.RetryAfter
			if ra <= 0 {
				ra = time.Second
			}
			sw.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(ra.Seconds()))))
			if retryAfterValue != "" {
				sw.Header().Set("Retry-After", retryAfterValue)
			}
			if f.ErrorBody != "" {
				writeRaw(sw, http.StatusTooManyRequests, f.ErrorBody)
				return true, false
			}
			reply(sw, http.StatusTooManyRequests, apiError{Status: 429, Message: []string{"Too Many Requests: rate limit exceeded, retry later"}})
			return true, false
		case "503":
			e.countFault("503")
			if retryAfterValue != "" {
				sw.Header().Set("Retry-After", retryAfterValue)
			}
			if f.ErrorBody != "" {
				writeRaw(sw, http.StatusServiceUnavailable, f.ErrorBody)
				return true, false
			}
			reply(sw, http.StatusServiceUnavailable, apiError{Status: 503, Message: []string{"Service Unavailable"}})
			return true, false
		}
		if r.Method == http.MethodPost && (routeName == RouteBillings || routeName == RouteConfiguredList) && f.RateCommitDrop > 0 {
			commitDrop = e.roll() < f.RateCommitDrop
		}
	}
	return false, commitDrop
}

func faultsApply(f Faults, method, route string) bool {
	if len(f.Routes) > 0 {
		return slices.Contains(f.Routes, route) || slices.Contains(f.Routes, method+" "+route)
	}
	return route != RouteToken && route != RouteStripeAccount && route != RouteUnmatched
}

func (e *Emulator) roll() float64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.rng.Float64()
}

func (e *Emulator) pickFault(f Faults) string {
	if f.RateReset <= 0 && f.Rate429 <= 0 && f.Rate503 <= 0 {
		return ""
	}
	u := e.roll()
	switch {
	case u < f.RateReset:
		return "reset"
	case u < f.RateReset+f.Rate429:
		return "429"
	case u < f.RateReset+f.Rate429+f.Rate503:
		return "503"
	}
	return ""
}

func (e *Emulator) countFault(kind string) {
	e.mu.Lock()
	e.faultCounts[kind]++
	e.mu.Unlock()
}

// dropConnection closes the client connection without a response. Over
// HTTP/1.1 it hijacks and resets the TCP connection; over HTTP/2 it aborts
// the stream; in-process (no server) it falls back to a 503.
func (e *Emulator) dropConnection(sw *statusWriter, r *http.Request) {
	if r.Context().Value(inProcessKey{}) == nil {
		if hj, ok := sw.ResponseWriter.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				if tc, ok := conn.(*net.TCPConn); ok {
					_ = tc.SetLinger(0)
				}
				_ = conn.Close()
				sw.status = 0
				return
			}
		}
		if r.Context().Value(http.ServerContextKey) != nil {
			panic(http.ErrAbortHandler)
		}
	}
	writeJSON(sw, http.StatusServiceUnavailable, apiError{Status: 503, Message: []string{"connection reset (emulated)"}})
}

func (e *Emulator) authenticate(r *http.Request) (int, string) {
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return http.StatusUnauthorized, "Invalid or expired token"
	}
	tok = strings.TrimSpace(tok)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cfg.StaticToken != "" && tok == e.cfg.StaticToken {
		if e.hostile.StaticTokenExpired {
			e.faultCounts["token_expired"]++
			return http.StatusUnauthorized, "Invalid or expired token"
		}
		return 0, ""
	}
	exp, known := e.tokens[tok]
	if !known {
		return http.StatusUnauthorized, "Invalid or expired token"
	}
	if !time.Now().Before(exp) {
		e.faultCounts["token_expired"]++
		return http.StatusUnauthorized, "Invalid or expired token"
	}
	return 0, ""
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b, _ = json.Marshal(apiError{Status: 500, Message: []string{"internal error: " + err.Error()}})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// writeRaw writes a non-JSON body (an injected gateway error page).
func writeRaw(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
