package apic

import (
	"context"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestReauthWhenTokenExpiresDuringRetries: a token that expires while a
// call waits between retries gets renewed as often as that happens (the
// failing token had been accepted by an earlier attempt of the same send).
func TestReauthWhenTokenExpiresDuringRetries(t *testing.T) {
	f := newFake(t)
	f.commitBilling("o", BillingCreate{Name: "b"})
	// Each token serves one 503, then expires.
	f.fault = func(w http.ResponseWriter, r *http.Request, route string, n int) bool {
		if route != "GET /billings/{b}" {
			return false
		}
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.revoked[tok] || tok == "tok-3" {
			return false // 401 from wrap, or success for the third token
		}
		f.revoked[tok] = true
		writeErr(w, http.StatusServiceUnavailable, "busy")
		return true
	}
	logger := &captureLogger{}
	cfg := testConfig(f)
	cfg.Logger = logger
	c := mustNew(t, cfg)
	if _, err := c.GetBilling(context.Background(), "o", "b"); err != nil {
		t.Fatal(err)
	}
	if n := f.count("POST /token"); n != 3 {
		t.Fatalf("/token calls = %d, want 3", n)
	}
	logger.mu.Lock()
	defer logger.mu.Unlock()
	reauth := 0
	for _, w := range logger.warns {
		if strings.Contains(w, "re-authenticating") {
			reauth++
		}
	}
	if reauth != 2 {
		t.Fatalf("re-authentications = %d, want 2: %v", reauth, logger.warns)
	}
}

// TestCertificateErrorIsClear: an untrusted certificate is not retried and
// says so, naming the server, for the token request and for API calls.
func TestCertificateErrorIsClear(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusOK)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
	srv.StartTLS()
	defer srv.Close()
	for _, cfg := range []Config{
		{Endpoint: srv.URL + "/api", Username: "u", Password: "p", ClientID: "c", ClientSecret: "s", MaxRetries: 3},
		{Endpoint: srv.URL + "/api", Token: "static", MaxRetries: 3},
	} {
		c := mustNew(t, cfg)
		_, err := c.GetBilling(context.Background(), "o", "b")
		if !IsCertificateError(err) {
			t.Fatalf("IsCertificateError(%v) = false", err)
		}
		var ua x509.UnknownAuthorityError
		if !errors.As(err, &ua) {
			t.Fatalf("the x509 error is not in the chain: %v", err)
		}
		msg := err.Error()
		if !strings.Contains(msg, "the TLS certificate of "+srv.URL+" is not trusted") || strings.Contains(msg, "giving up") ||
			strings.Contains(msg, "authentication failed") {
			t.Fatalf("message: %s", msg)
		}
	}
	if IsCertificateError(nil) || IsCertificateError(errors.New("x509: certificate signed by unknown authority")) {
		t.Fatal("IsCertificateError must look at the error chain, not at text")
	}
}

// TestReauthPastAStaleCachedToken: a call whose token was refused while
// another call renewed the cached token, itself expired since, gets a token
// of its own instead of failing with 401.
func TestReauthPastAStaleCachedToken(t *testing.T) {
	f := newFake(t)
	f.commitBilling("o", BillingCreate{Name: "b"})
	c := mustNew(t, testConfig(f))
	f.mu.Lock()
	f.revoked["tok-stale-a"] = true
	f.revoked["tok-stale-b"] = true
	f.mu.Unlock()
	c.tokens.bearer.Set("", bearerToken{tok: "tok-stale-a"})
	f.fault = func(_ http.ResponseWriter, r *http.Request, _ string, _ int) bool {
		if r.Header.Get("Authorization") == "Bearer tok-stale-a" {
			// Meanwhile another call renewed the cache, with a token that
			// has expired as well.
			c.tokens.bearer.Set("", bearerToken{tok: "tok-stale-b"})
		}
		return false
	}
	if _, err := c.GetBilling(context.Background(), "o", "b"); err != nil {
		t.Fatal(err)
	}
	if n := f.count("POST /token"); n != 1 {
		t.Fatalf("/token calls = %d, want 1", n)
	}
	if n := f.count("GET /billings/{b}"); n != 3 {
		t.Fatalf("attempts = %d, want 3 (stale a, stale b, fresh)", n)
	}
}
