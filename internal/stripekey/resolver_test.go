package stripekey

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// fakeStripe answers GET /v1/account with acct_<first 8 chars of the body>.
func fakeStripe(t *testing.T, calls *atomic.Int64, status int) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.URL.Path != "/v1/account" || r.Method != http.MethodGet {
			http.NotFound(w, r)
			return
		}
		key := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		w.Header().Set("Content-Type", "application/json")
		if status != http.StatusOK {
			w.WriteHeader(status)
			_, _ = w.Write([]byte(`{"error":{"type":"invalid_request_error","message":"Invalid API Key provided: ` + key + `"}}`)) //nolint:gosec // G705: test fake echoing the key as JSON to the test's own client; no browser involved
			return
		}
		_, _ = w.Write([]byte(`{"id":"acct_` + key[8:16] + `","object":"account"}`)) //nolint:gosec // G705: test fake writing JSON to the test's own client; no browser involved
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestResolverCachesPerKeyWithoutStampede(t *testing.T) {
	var calls atomic.Int64
	srv := fakeStripe(t, &calls, http.StatusOK)
	r := NewResolver(ResolverConfig{APIBase: srv.URL})
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			acct, err := r.Account(context.Background(), "sk_test_AAAAAAAAxyz")
			if err != nil || acct != "acct_AAAAAAAA" {
				t.Errorf("Account = %q, %v", acct, err)
			}
		}()
	}
	wg.Wait()
	if acct, _ := r.Account(context.Background(), "sk_live_BBBBBBBBxyz"); acct != "acct_BBBBBBBB" {
		t.Errorf("second key resolved to %q", acct)
	}
	if got := calls.Load(); got != 2 {
		t.Errorf("Stripe was called %d times, want 2 (one per distinct key)", got)
	}
	if r.Calls() != 2 {
		t.Errorf("Calls() = %d", r.Calls())
	}
}

func TestResolverErrorsNeverEchoTheKey(t *testing.T) {
	var calls atomic.Int64
	srv := fakeStripe(t, &calls, http.StatusUnauthorized)
	r := NewResolver(ResolverConfig{APIBase: srv.URL})
	const key = "sk_test_SECRETSECRETxyz"
	_, err := r.Account(context.Background(), key)
	if err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "SECRET") {
		t.Fatalf("error echoes the key: %v", err)
	}
	// Failures are not cached.
	_, _ = r.Account(context.Background(), key)
	if calls.Load() < 2 {
		t.Fatalf("failed lookup was cached")
	}
}

func TestResolverUnreachable(t *testing.T) {
	r := NewResolver(ResolverConfig{APIBase: "http://127.0.0.1:1"})
	_, err := r.Account(context.Background(), "sk_test_AAAAAAAAxyz")
	var ae *AccountError
	if err == nil || !asAccountError(err, &ae) || !ae.Unreachable {
		t.Fatalf("err = %v, want an unreachable AccountError", err)
	}
}

func TestResolverRejectsPublishableKey(t *testing.T) {
	r := NewResolver(ResolverConfig{APIBase: "http://127.0.0.1:1"})
	if _, err := r.Account(context.Background(), "pk_test_AAAAAAAAxyz"); err == nil {
		t.Fatal("a publishable key was accepted")
	}
}

// TestStripeMockAccount shows that the stripe-go call is valid against
// Stripe's own API description: it runs against stripe-mock when
// STRIPE_MOCK_URL is set (make stripe-mock-test starts it).
func TestStripeMockAccount(t *testing.T) {
	base := os.Getenv("STRIPE_MOCK_URL")
	if base == "" {
		t.Skip("STRIPE_MOCK_URL not set; run `make stripe-mock-test`")
	}
	r := NewResolver(ResolverConfig{APIBase: base})
	acct, err := r.Account(context.Background(), "sk_test_123")
	if err != nil {
		t.Fatalf("Account via stripe-mock: %v", err)
	}
	if !strings.HasPrefix(acct, "acct_") {
		t.Fatalf("stripe-mock account id = %q", acct)
	}
	t.Logf("stripe-mock resolved the key to %s", acct)
}
