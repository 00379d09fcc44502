package apic

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/memo"
)

// tokenRequest is the POST /token body.
type tokenRequest struct {
	GrantType    string `json:"grant_type"`
	Username     string `json:"username,omitempty"`
	Password     string `json:"password,omitempty"`
	Realm        string `json:"realm,omitempty"`
	APIKey       string `json:"api_key,omitempty"`
	ClientID     string `json:"client_id,omitempty"`
	ClientSecret string `json:"client_secret,omitempty"`
}

// tokenResponse is the POST /token answer.
type tokenResponse struct {
	AccessToken string          `json:"access_token"`
	TokenType   string          `json:"token_type"`
	ExpiresIn   json.RawMessage `json:"expires_in"`
}

// refusedGrants remembers, for the life of the process, the token requests
// the platform refused (400 or 401), keyed by grantKey. Sending the same
// credentials again cannot succeed, and every try counts towards the
// account's lockout threshold: the first refusal is returned at once instead.
var refusedGrants sync.Map // grantKey -> *Error

// grantSalt keys the hashes in refusedGrants (random per process).
var grantSalt = func() []byte {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return b
}()

// grantKey identifies one token request to one endpoint without holding its
// credentials.
func grantKey(endpoint string, req tokenRequest) string {
	m := hmac.New(sha256.New, grantSalt)
	for _, f := range []string{endpoint, req.GrantType, req.Username, req.Password, req.Realm, req.APIKey, req.ClientID, req.ClientSecret} {
		m.Write([]byte(f))
		m.Write([]byte{0})
	}
	return hex.EncodeToString(m.Sum(nil))
}

// refusal is what refusedGrants holds for key, if anything.
func refusal(key string) (*Error, bool) {
	v, ok := refusedGrants.Load(key)
	if !ok {
		return nil, false
	}
	e, ok := v.(*Error)
	return e, ok
}

// ErrStaticTokenRefused is wrapped by the error of a call whose static
// token (Config.Token) the platform refused (401): it expired or was
// revoked, and the client cannot renew it. Later calls fail at once with the
// same error.
var ErrStaticTokenRefused = errors.New("the static bearer token was refused: it has expired or was revoked, and a static token cannot be renewed")

// staticTokenRefused remembers the 401 of a static token for the process
// (see ErrStaticTokenRefused) and returns the error to report.
func (ts *tokenSource) staticTokenRefused(e *Error) *Error {
	cp := *e
	cp.Messages = append(slices.Clone(e.Messages), ErrStaticTokenRefused.Error())
	cp.Err = ErrStaticTokenRefused
	refusedGrants.LoadOrStore(ts.key, &cp)
	if kept, ok := refusal(ts.key); ok {
		return kept // the first refusal, if another call recorded one meanwhile
	}
	return &cp
}

// refusedGrant reports whether a /token status means the credentials were
// refused (not a transient failure).
func refusedGrant(status int) bool {
	return status == http.StatusBadRequest || status == http.StatusUnauthorized
}

// tokenSource keeps one bearer token for the life of the client and shares
// a single /token request among concurrent callers.
type tokenSource struct {
	c      *Client
	static string
	req    tokenRequest
	key    string // grantKey of req (set by New)

	// bearer holds the token under the key ""; failures are not kept.
	bearer memo.Cache[bearerToken]
	now    func() time.Time
}

// bearerToken is a token and when it stops being used (zero: no known expiry).
type bearerToken struct {
	tok string
	exp time.Time
}

// newTokenSource authenticates as cfg says; cfg has passed Check.
func newTokenSource(cfg Config) *tokenSource {
	ts := &tokenSource{now: time.Now}
	switch cfg.Grant() {
	case GrantToken:
		ts.static = cfg.Token
	case GrantPassword:
		realm := cfg.Realm
		if realm == "" {
			realm = DefaultRealm
		}
		ts.req = tokenRequest{GrantType: GrantPassword, Username: cfg.Username, Password: cfg.Password, Realm: realm,
			ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret}
	case GrantAPIKey:
		ts.req = tokenRequest{GrantType: GrantAPIKey, APIKey: cfg.APIKey, ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret}
	case GrantClientCredentials:
		ts.req = tokenRequest{GrantType: GrantClientCredentials, ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret}
	}
	return ts
}

// refreshable reports whether a 401 can be cured by a new token.
func (ts *tokenSource) refreshable() bool { return ts.static == "" }

// invalidate drops the cached token if it is still the one that failed.
func (ts *tokenSource) invalidate(failed string) {
	ts.bearer.Forget("", func(b bearerToken) bool { return b.tok == failed })
}

// getFresh returns a valid token, fetching one if needed (concurrent
// callers share one /token request), and reports whether it comes from a
// /token request made for this call (or joined by it) rather than from the
// cache: a cached token may have been revoked or expired on the server since.
func (ts *tokenSource) getFresh(ctx context.Context) (string, bool, error) {
	if ts.static != "" {
		if refused, ok := refusal(ts.key); ok {
			return "", false, refused
		}
		return ts.static, false, nil
	}
	ts.bearer.Forget("", func(b bearerToken) bool { return !b.exp.IsZero() && !ts.now().Before(b.exp) })
	if b, ok, err := ts.bearer.Peek(""); ok && err == nil {
		return b.tok, false, nil
	}
	if refused, ok := refusal(ts.key); ok {
		return "", false, refused
	}
	b, fetched, err := ts.bearer.Load(ctx, "", func(ctx context.Context) (bearerToken, error) {
		// The request outlives a single caller's cancellation: others may wait.
		return ts.fetch(context.WithoutCancel(ctx))
	})
	if err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return "", false, &Error{Method: http.MethodPost, Path: "/token", Messages: []string{"authentication failed: " + ctx.Err().Error()}, Err: ctx.Err()}
	}
	return b.tok, fetched, err
}

func (ts *tokenSource) fetch(ctx context.Context) (bearerToken, error) {
	start := ts.now()
	tok, lifetime, err := ts.c.fetchToken(ctx, ts)
	var e *Error
	if errors.As(err, &e) && refusedGrant(e.StatusCode) {
		refusedGrants.Store(ts.key, e)
	}
	if err != nil {
		return bearerToken{}, err
	}
	ts.c.red.learn(tok)
	b := bearerToken{tok: tok}
	if lifetime > 0 {
		margin := min(60*time.Second, lifetime/10)
		b.exp = start.Add(lifetime - margin)
	}
	return b, nil
}

// authError builds the *Error of a failed /token call.
func (ts *tokenSource) authError(status int, msgs []string, attempts int, cause error) *Error {
	text := ts.c.red.text(strings.Join(msgs, "; "))
	e := &Error{StatusCode: status, Method: http.MethodPost, Path: "/token",
		Messages: []string{"authentication failed: " + text}}
	if attempts > 1 && (status == 0 || retryableStatus(status)) {
		e.Attempts = attempts
	}
	if cause != nil {
		// Keep errors.Is(err, context.Canceled) working without exposing
		// anything the message does not already say.
		e.Err = scrubbedError{msg: ts.c.red.text(cause.Error()), cause: cause}
	}
	return e
}

// scrubbedError carries a cause whose text was scrubbed of credentials.
type scrubbedError struct {
	msg   string
	cause error
}

func (e scrubbedError) Error() string { return e.msg }
func (e scrubbedError) Unwrap() error { return e.cause }

// fetchToken performs POST /token.
func (c *Client) fetchToken(ctx context.Context, ts *tokenSource) (string, time.Duration, error) {
	st, err := newCall(http.MethodPost, "/token", ts.req, policyIdempotent)
	if err != nil {
		return "", 0, ts.authError(0, []string{"encoding token request"}, 0, nil)
	}
	resp, body, err := c.send(ctx, st, "") //nolint:bodyclose // send reads and closes resp.Body before returning; only status and body bytes are used
	attempts := int(st.attempts.Load())
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			err = ctxErr
		}
		if IsCertificateError(err) {
			// Not an authentication failure: the server was not trusted.
			return "", 0, &Error{Method: http.MethodPost, Path: "/token", Messages: []string{describeTransport(err)}, Attempts: attempts, Err: err}
		}
		return "", 0, ts.authError(0, []string{sanitizeMessage(err.Error())}, attempts, err)
	}
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusCreated {
		return "", 0, ts.authError(resp.StatusCode, c.errorMessages(st, resp.StatusCode, body), attempts, nil)
	}
	var tr tokenResponse
	if err := json.Unmarshal(body, &tr); err != nil {
		return "", 0, ts.authError(resp.StatusCode, []string{"token response is not valid JSON"}, attempts, nil)
	}
	if tr.AccessToken == "" {
		return "", 0, ts.authError(resp.StatusCode, []string{"token response carries no access_token"}, attempts, nil)
	}
	if tt := strings.TrimSpace(tr.TokenType); tt != "" && !strings.EqualFold(tt, "bearer") {
		c.warn(ctx, "apic: unexpected token_type, using it as a bearer token", map[string]any{"token_type": tt})
	}
	return tr.AccessToken, parseExpiresIn(tr.ExpiresIn), nil
}

// parseExpiresIn accepts a number or a numeric string of seconds.
func parseExpiresIn(raw json.RawMessage) time.Duration {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	if s == "" || s == "null" {
		return 0
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f <= 0 {
		return 0
	}
	return time.Duration(f * float64(time.Second))
}

// String keeps credentials out of accidental %v formatting.
func (r tokenRequest) String() string {
	return fmt.Sprintf("tokenRequest{grant_type:%s}", r.GrantType)
}
