package apic

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// TestRefusedGrantIsRemembered: a refused password grant costs one POST
// /token per process, whatever the number of calls, of concurrent callers or
// of clients built with the same credentials; every call fails with the
// same error. Other credentials are still tried.
func TestRefusedGrantIsRemembered(t *testing.T) {
	f := newFake(t)
	cfg := testConfig(f)
	cfg.Password = "wrong"
	c := mustNew(t, cfg)
	ctx := context.Background()
	_, first := c.GetBilling(ctx, "o", "b")
	if !IsUnauthorized(first) {
		t.Fatalf("err = %v, want a 401", first)
	}
	for range 30 {
		_, err := c.GetBilling(ctx, "o", "b")
		if err == nil || err.Error() != first.Error() {
			t.Fatalf("err = %v, want %v", err, first)
		}
	}
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if _, err := c.ListBillings(ctx, "o"); !IsUnauthorized(err) {
				t.Errorf("concurrent err = %v", err)
			}
		})
	}
	wg.Wait()
	if _, err := mustNew(t, cfg).GetOrg(ctx, "o"); !IsUnauthorized(err) {
		t.Fatalf("second client: err = %v", err)
	}
	if n := f.count("POST /token"); n != 1 {
		t.Fatalf("POST /token = %d, want 1 for every call with the refused password", n)
	}

	good := testConfig(f)
	if _, err := mustNew(t, good).ListBillings(ctx, "o"); err != nil {
		t.Fatalf("other credentials: %v", err)
	}
	if n := f.count("POST /token"); n != 2 {
		t.Fatalf("POST /token = %d, want 2 (the right password is tried)", n)
	}
}

// TestTransientTokenFailureIsNotRemembered: a 503 or a 429 from /token is
// not a refusal; the next call tries again.
func TestTransientTokenFailureIsNotRemembered(t *testing.T) {
	for _, status := range []int{http.StatusServiceUnavailable, http.StatusTooManyRequests, http.StatusForbidden} {
		f := newFake(t)
		var fail atomic.Bool
		fail.Store(true)
		f.fault = func(w http.ResponseWriter, _ *http.Request, route string, _ int) bool {
			if route == "POST /token" && fail.Load() {
				writeErr(w, status, "try later")
				return true
			}
			return false
		}
		cfg := testConfig(f)
		cfg.MaxRetries = 0
		c := mustNew(t, cfg)
		_, err := c.ListBillings(context.Background(), "o")
		var e *Error
		if !errors.As(err, &e) || e.StatusCode != status {
			t.Fatalf("%d: err = %v", status, err)
		}
		fail.Store(false)
		if _, err := c.ListBillings(context.Background(), "o"); err != nil {
			t.Fatalf("%d: second call: %v", status, err)
		}
	}
}

// TestStaticTokenExpiryFailsOnce: a static token that expires mid-run (an
// IBM Cloud IAM token lasts an hour) is refused once by the platform; every
// later call fails at once with the same error, which says the token cannot
// be renewed.
func TestStaticTokenExpiryFailsOnce(t *testing.T) {
	f := newFake(t)
	c := mustNew(t, Config{Endpoint: f.endpoint(), Token: "tok-static-expiring", MaxRetries: 2}) //nolint:gosec // a test token
	ctx := context.Background()
	if _, err := c.ListBillings(ctx, "o"); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	f.revoked["tok-static-expiring"] = true
	f.mu.Unlock()
	var first error
	for i := range 10 {
		_, err := c.GetBilling(ctx, "o", "b")
		if !errors.Is(err, ErrStaticTokenRefused) || !IsUnauthorized(err) {
			t.Fatalf("call %d: err = %v", i, err)
		}
		if first == nil {
			first = err
		} else if err.Error() != first.Error() {
			t.Fatalf("call %d: %v, want the first error %v", i, err, first)
		}
	}
	if !strings.Contains(first.Error(), "cannot be renewed") {
		t.Fatalf("err = %v", first)
	}
	if n := f.count("GET /billings/{b}"); n != 1 {
		t.Fatalf("GET /billings/{b} = %d, want 1", n)
	}
	if n := f.count("POST /token"); n != 0 {
		t.Fatalf("POST /token = %d", n)
	}
}
