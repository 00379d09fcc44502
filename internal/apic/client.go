// Package apic is a small client for the IBM API Connect v10 platform REST
// API: billing integrations, their Catalog copies and their job queues.
package apic

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/transport"
)

// Defaults applied by New.
const (
	DefaultRealm = "provider/default-idp-2"
	// DefaultMaxRetries is the provider's max_retries unless set (New
	// takes Config.MaxRetries as it is).
	DefaultMaxRetries     = 5
	DefaultRequestTimeout = 60 * time.Second
	DefaultRetryWaitMin   = 500 * time.Millisecond
	DefaultRetryWaitMax   = 30 * time.Second
	DefaultUserAgent      = "terraform-provider-apiconnect"

	// pageSize is the limit sent when listing.
	pageSize = 100
	// maxPages guards against a server that ignores offset.
	maxPages = 10000
	// maxBodyBytes bounds a response body.
	maxBodyBytes = 32 << 20
	// maxListBytes bounds the bodies of all the pages of one list.
	maxListBytes = 64 << 20
	// logBodyLimit truncates bodies in log lines.
	logBodyLimit = 4096
	// DefaultMaxRetryAfter caps a server's Retry-After.
	DefaultMaxRetryAfter = 5 * time.Minute
)

// Logger receives debug lines (one per HTTP request and response, secrets
// masked) and warnings (retries, re-authentication).
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Warn(ctx context.Context, msg string, fields map[string]any)
}

// DebugEnabler is optionally implemented by a Logger that knows whether its
// debug lines are kept anywhere; when they are not, the client skips
// building (and masking) the request and response bodies for them.
type DebugEnabler interface {
	DebugEnabled(ctx context.Context) bool
}

// Config configures a Client. Exactly one way to authenticate may be set
// (see Check): Token (no /token call), Username+Password (password grant),
// APIKey (api_key grant), or ClientID+ClientSecret alone (client_credentials
// grant); the password and api_key grants need ClientID+ClientSecret too.
type Config struct {
	// Endpoint is the platform API base URL ending in /api.
	Endpoint string

	Username string
	Password string
	// Realm defaults to provider/default-idp-2 (password grant only).
	Realm string

	APIKey string

	ClientID     string
	ClientSecret string

	// Token is a ready bearer token; the client never refreshes it.
	Token string

	// TLSConfig is applied to the transport when set.
	TLSConfig *tls.Config

	// MaxRetries is the number of retries after the first attempt (negative
	// means 0).
	MaxRetries int
	// RequestTimeout bounds each HTTP attempt (default 60s).
	RequestTimeout time.Duration
	// RetryWaitMin and RetryWaitMax bound the backoff (defaults 500ms, 30s).
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration
	// MaxRetryAfter caps the wait a server asks for with Retry-After
	// (default 5m).
	MaxRetryAfter time.Duration

	UserAgent string
	Logger    Logger
}

// String describes the configuration without any credential value.
func (c Config) String() string {
	auth := c.Grant()
	if auth == "" {
		auth = "none"
	}
	return fmt.Sprintf("apic.Config{Endpoint:%q, Auth:%s, MaxRetries:%d, RequestTimeout:%s}", c.Endpoint, auth, c.MaxRetries, c.RequestTimeout)
}

// GoString is String, so %#v does not print credentials either.
func (c Config) GoString() string { return c.String() }

// Client calls the platform API. It is safe for concurrent use.
type Client struct {
	endpoint   string // normalised, without trailing slash
	userAgent  string
	maxRetries int
	waitMin    time.Duration
	waitMax    time.Duration
	// maxRetryAfter caps a server's Retry-After.
	maxRetryAfter time.Duration
	// maxListBytes bounds a paged list (maxListBytes; lowered by tests).
	maxListBytes int
	log          Logger

	httpClient *http.Client
	rc         *retryablehttp.Client
	tokens     *tokenSource
	red        *redactor
}

// New builds a client with its own HTTP transport. It refuses a cfg that
// Check finds fault with (the error joins every *ConfigError).
func New(cfg Config) (*Client, error) {
	if problems := cfg.Check(); len(problems) > 0 {
		errs := make([]error, len(problems))
		for i, p := range problems {
			errs[i] = p
		}
		return nil, errors.Join(errs...)
	}
	ep, _ := normalizeEndpoint(cfg.Endpoint)
	ts := newTokenSource(cfg)
	c := &Client{
		endpoint:     ep,
		userAgent:    cfg.UserAgent,
		maxRetries:   max(cfg.MaxRetries, 0),
		waitMin:      cfg.RetryWaitMin,
		waitMax:      cfg.RetryWaitMax,
		log:          cfg.Logger,
		tokens:       ts,
		red:          newRedactor(cfg.Password, cfg.APIKey, cfg.ClientSecret, cfg.Token),
		maxListBytes: maxListBytes,
	}
	ts.c = c
	ts.key = grantKey(ep, ts.req)
	if ts.static != "" {
		ts.key = grantKey(ep, tokenRequest{GrantType: "static", APIKey: ts.static})
	}
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent
	}
	if c.waitMin <= 0 {
		c.waitMin = DefaultRetryWaitMin
	}
	if c.waitMax <= 0 {
		c.waitMax = DefaultRetryWaitMax
	}
	if c.waitMax < c.waitMin {
		c.waitMax = c.waitMin
	}
	c.maxRetryAfter = cfg.MaxRetryAfter
	if c.maxRetryAfter <= 0 {
		c.maxRetryAfter = DefaultMaxRetryAfter
	}
	timeout := cfg.RequestTimeout
	if timeout <= 0 {
		timeout = DefaultRequestTimeout
	}

	tr := transport.New(cfg.TLSConfig)
	tr.MaxIdleConnsPerHost = 32
	c.httpClient = &http.Client{
		Transport: &bufferingTransport{next: tr, c: c},
		Timeout:   timeout,
		// The API does not redirect; never replay a POST as a GET or send
		// the token elsewhere.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}

	rc := retryablehttp.NewClient()
	rc.HTTPClient = c.httpClient
	rc.Logger = nil
	rc.RetryMax = c.maxRetries
	rc.RetryWaitMin = c.waitMin
	rc.RetryWaitMax = c.waitMax
	rc.CheckRetry = c.checkRetry
	rc.Backoff = c.backoff
	rc.ErrorHandler = retryablehttp.PassthroughErrorHandler
	rc.RequestLogHook = c.requestHook
	c.rc = rc
	return c, nil
}

// Endpoint returns the normalised endpoint (no trailing slash).
func (c *Client) Endpoint() string { return c.endpoint }

// retryPolicy says which failures retryablehttp may repeat.
type retryPolicy int

const (
	// policyIdempotent: GET, DELETE, PATCH, PUT and the token POST.
	policyIdempotent retryPolicy = iota
	// policyCreate: a POST that creates something. Only failures that prove
	// the request was not processed (429, connection never established) are
	// retried here; ambiguity is resolved by the caller.
	policyCreate
)

// callState follows one logical API call across its HTTP attempts.
type callState struct {
	method string
	path   string // relative to the endpoint, query included
	body   []byte
	// secrets are the values under secret keys of body, which an error
	// answer must not repeat.
	secrets []string
	policy  retryPolicy
	// budget caps the total attempts across retries and re-POSTs (0: none).
	budget   int
	attempts atomic.Int32
	// accepted: an attempt of the current send got an answer other than
	// 401, so its token was valid then (see do).
	accepted atomic.Bool
	// lastWait is the backoff chosen before the next attempt (ns).
	lastWait atomic.Int64

	mu     sync.Mutex
	reason string
}

func (s *callState) setReason(r string) {
	s.mu.Lock()
	s.reason = r
	s.mu.Unlock()
}

func (s *callState) getReason() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reason
}

// pathOnly drops the query.
func (s *callState) pathOnly() string {
	p, _, _ := strings.Cut(s.path, "?")
	return p
}

type stateKey struct{}

func withState(ctx context.Context, st *callState) context.Context {
	return context.WithValue(ctx, stateKey{}, st)
}

func stateFrom(ctx context.Context) *callState {
	st, _ := ctx.Value(stateKey{}).(*callState)
	return st
}

// requestHook runs before every attempt: it counts attempts and logs retries.
func (c *Client) requestHook(_ retryablehttp.Logger, req *http.Request, i int) {
	st := stateFrom(req.Context())
	if st == nil {
		return
	}
	n := st.attempts.Add(1)
	if i > 0 {
		c.warn(req.Context(), "apic: retrying request", map[string]any{
			"method":  req.Method,
			"url":     req.URL.Redacted(),
			"attempt": int(n),
			"reason":  st.getReason(),
			"wait":    time.Duration(st.lastWait.Load()).String(),
		})
	}
}

func (c *Client) debug(ctx context.Context, msg string, f map[string]any) {
	if c.log != nil {
		c.log.Debug(ctx, msg, f)
	}
}

func (c *Client) warn(ctx context.Context, msg string, f map[string]any) {
	if c.log != nil {
		c.log.Warn(ctx, msg, f)
	}
}

// logBody masks and truncates a body for a log line.
func logBody(b []byte) string {
	if len(bytes.TrimSpace(b)) == 0 {
		return ""
	}
	m := MaskJSON(b)
	if len(m) > logBodyLimit {
		return string(bytes.ToValidUTF8(m[:logBodyLimit], nil)) + fmt.Sprintf("…(%d bytes truncated)", len(m)-logBodyLimit)
	}
	return string(m)
}

// bufferingTransport reads every response body fully (bounded), so that a
// connection dropped mid-body is a transport error subject to the retry
// policy, and logs each attempt.
type bufferingTransport struct {
	next http.RoundTripper
	c    *Client
}

func (t *bufferingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	st := stateFrom(ctx)
	attempt := 0
	var reqBody []byte
	var secrets []string
	if st != nil {
		attempt = int(st.attempts.Load())
		reqBody, secrets = st.body, st.secrets
	}
	logging := t.c.log != nil
	if de, ok := t.c.log.(DebugEnabler); logging && ok {
		logging = de.DebugEnabled(ctx)
	}
	if logging {
		hdr := map[string]string{}
		for k := range req.Header {
			if strings.EqualFold(k, "Authorization") {
				hdr[k] = "Bearer " + masked
			} else {
				hdr[k] = req.Header.Get(k)
			}
		}
		f := map[string]any{"method": req.Method, "url": req.URL.Redacted(), "attempt": attempt, "headers": hdr}
		if b := logBody(reqBody); b != "" {
			f["body"] = b
		}
		t.c.debug(ctx, "apic: request", f)
	}
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	if err == nil {
		var body []byte
		body, err = io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes+1))
		_ = resp.Body.Close()
		if err == nil && len(body) > maxBodyBytes {
			err = fmt.Errorf("response body exceeds %d bytes", maxBodyBytes)
		}
		if err != nil {
			resp = nil
		} else {
			resp.Body = io.NopCloser(bytes.NewReader(body))
			resp.ContentLength = int64(len(body))
			if st != nil && resp.StatusCode != http.StatusUnauthorized {
				st.accepted.Store(true)
			}
			if logging {
				f := map[string]any{
					"method": req.Method, "url": req.URL.Redacted(), "attempt": attempt,
					"status": resp.StatusCode, "duration": time.Since(start).String(),
					"duration_ms": time.Since(start).Milliseconds(),
				}
				if b := logBody(t.c.red.bytes(body, secrets...)); b != "" {
					f["body"] = b
				}
				t.c.debug(ctx, "apic: response", f)
			}
		}
	}
	if err != nil && logging {
		t.c.debug(ctx, "apic: request failed", map[string]any{
			"method": req.Method, "url": req.URL.Redacted(), "attempt": attempt,
			"duration": time.Since(start).String(), "duration_ms": time.Since(start).Milliseconds(),
			"error": sanitizeMessage(t.c.red.text(err.Error(), secrets...)),
		})
	}
	return resp, err
}

// send performs one logical request (with retryablehttp's retries) and
// returns the final response and its body. token "" sends no Authorization.
// The response body has already been read in full and closed.
func (c *Client) send(ctx context.Context, st *callState, token string) (*http.Response, []byte, error) {
	c.red.learn(st.secrets...)
	var raw any
	if st.body != nil {
		raw = st.body
	}
	req, err := retryablehttp.NewRequestWithContext(withState(ctx, st), st.method, c.endpoint+st.path, raw)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if st.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.rc.Do(req)
	if err != nil {
		if resp != nil {
			_ = resp.Body.Close()
		}
		return nil, nil, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, nil, err
	}
	return resp, body, nil
}

// newCall builds a callState; in is marshalled to JSON when non-nil.
func newCall(method, path string, in any, policy retryPolicy) (*callState, error) {
	st := &callState{method: method, path: path, policy: policy}
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, fmt.Errorf("%s %s: encoding request: %w", method, st.pathOnly(), err)
		}
		st.body = b
		st.secrets = sensitiveValues(b)
	}
	return st, nil
}

// transportError wraps a failure without a usable response.
func (c *Client) transportError(ctx context.Context, st *callState, err error) *Error {
	e := &Error{Method: st.method, Path: st.pathOnly(), Err: err, Attempts: int(st.attempts.Load())}
	if ctxErr := ctx.Err(); ctxErr != nil {
		e.Err = ctxErr
		e.Messages = []string{ctxErr.Error()}
		return e
	}
	e.Messages = []string{c.red.text(describeTransport(err), st.secrets...)}
	return e
}

// errorMessages decodes the error answer of a call, without the client's
// credentials or the secrets the call sent.
func (c *Client) errorMessages(st *callState, status int, body []byte) []string {
	return decodeError(status, body, func(s string) string { return c.red.text(s, st.secrets...) })
}

// maxReauth bounds the re-authentications of one call (see do).
const maxReauth = 4

// do runs an authenticated call and decodes a successful body into out.
// okCodes default to any 2xx.
//
// A 401 gets a new token and the call is sent again: once in any case (the
// cached token expired or was revoked), and again, up to maxReauth times,
// when the token that failed had been accepted by an earlier attempt of the
// same send (it expired while that send waited between retries), or came
// from the cache (another call had renewed the token, and that one expired
// too). A token fetched for this call and refused at once is a real
// authorization failure, and is returned.
func (c *Client) do(ctx context.Context, st *callState, out any, okCodes ...int) error {
	tok, fresh, err := c.tokens.getFresh(ctx)
	if err != nil {
		return err
	}
	st.accepted.Store(false)
	resp, body, err := c.send(ctx, st, tok) //nolint:bodyclose // send reads and closes resp.Body before returning
	for reauth := 0; err == nil && resp.StatusCode == http.StatusUnauthorized && c.tokens.refreshable() && reauth < maxReauth; reauth++ {
		if reauth > 0 && fresh && !st.accepted.Load() {
			break
		}
		c.tokens.invalidate(tok)
		c.warn(ctx, "apic: token rejected (401), re-authenticating", map[string]any{
			"method": st.method, "path": st.pathOnly(), "reauthentication": reauth + 1,
		})
		tok, fresh, err = c.tokens.getFresh(ctx)
		if err != nil {
			return err
		}
		st.accepted.Store(false)
		resp, body, err = c.send(ctx, st, tok) //nolint:bodyclose // send reads and closes resp.Body before returning
	}
	if err != nil {
		return c.transportError(ctx, st, err)
	}
	if !statusOK(resp.StatusCode, okCodes) {
		e := &Error{
			StatusCode: resp.StatusCode,
			Method:     st.method,
			Path:       st.pathOnly(),
			Messages:   c.errorMessages(st, resp.StatusCode, body),
		}
		if n := int(st.attempts.Load()); n > 1 && retryableStatus(resp.StatusCode) {
			e.Attempts = n
		}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			e.retryAfter, _ = retryAfter(resp.Header.Get("Retry-After"), time.Now(), c.maxRetryAfter)
		}
		if resp.StatusCode == http.StatusUnauthorized && !c.tokens.refreshable() {
			return c.tokens.staticTokenRefused(e)
		}
		return e
	}
	if out != nil && len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, out); err != nil {
			return fmt.Errorf("%s %s: decoding response: %w", st.method, st.pathOnly(), err)
		}
		if r, ok := out.(redactable); ok {
			r.redact(c.red.clean)
		}
	}
	return nil
}

func statusOK(code int, ok []int) bool {
	if len(ok) == 0 {
		return code >= 200 && code < 300
	}
	for _, c := range ok {
		if c == code {
			return true
		}
	}
	return false
}

// get/patch/del are the plain idempotent helpers.
func (c *Client) get(ctx context.Context, path string, out any) error {
	st, _ := newCall(http.MethodGet, path, nil, policyIdempotent)
	return c.do(ctx, st, out)
}

func (c *Client) patch(ctx context.Context, path string, in, out any) error {
	st, err := newCall(http.MethodPatch, path, in, policyIdempotent)
	if err != nil {
		return err
	}
	return c.do(ctx, st, out)
}

func (c *Client) del(ctx context.Context, path string) error {
	st, _ := newCall(http.MethodDelete, path, nil, policyIdempotent)
	return c.do(ctx, st, nil, http.StatusOK, http.StatusAccepted, http.StatusNoContent)
}

// esc escapes one path segment.
func esc(s string) string { return url.PathEscape(s) }
