package apic

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestGrantBodies(t *testing.T) {
	cases := []struct {
		name string
		cfg  func(Config) Config
		want map[string]any
	}{
		{"password", func(c Config) Config { return c }, map[string]any{
			"grant_type": "password", "username": "steve", "password": "s3cret-pass", "realm": "provider/default-idp-2",
			"client_id": "cid", "client_secret": "csecret"}},
		{"password custom realm", func(c Config) Config { c.Realm = "provider/ldap"; return c }, map[string]any{
			"grant_type": "password", "username": "steve", "password": "s3cret-pass", "realm": "provider/ldap",
			"client_id": "cid", "client_secret": "csecret"}},
		{"api_key", func(c Config) Config { c.Username, c.Password, c.APIKey = "", "", "key-123"; return c }, map[string]any{
			"grant_type": "api_key", "api_key": "key-123", "client_id": "cid", "client_secret": "csecret"}},
		{"client_credentials", func(c Config) Config { c.Username, c.Password = "", ""; return c }, map[string]any{
			"grant_type": "client_credentials", "client_id": "cid", "client_secret": "csecret"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			c := mustNew(t, tc.cfg(testConfig(f)))
			if _, err := c.ListBillings(context.Background(), "org1"); err != nil {
				t.Fatal(err)
			}
			if len(f.tokenReqs) != 1 {
				t.Fatalf("token requests = %d", len(f.tokenReqs))
			}
			if !reflect.DeepEqual(f.tokenReqs[0], tc.want) {
				t.Fatalf("token body = %v, want %v", f.tokenReqs[0], tc.want)
			}
		})
	}
}

func TestHeaders(t *testing.T) {
	f := newFake(t)
	cfg := testConfig(f)
	cfg.UserAgent = "tf-test/1.0"
	c := mustNew(t, cfg)
	if _, err := c.CreateBilling(context.Background(), "org1", sampleBilling("b1")); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.headers) != 2 {
		t.Fatalf("requests = %d", len(f.headers))
	}
	tok, api := f.headers[0], f.headers[1]
	if tok.Get("Authorization") != "" {
		t.Errorf("token request carries Authorization")
	}
	if api.Get("Authorization") != "Bearer tok-1" || api.Get("Accept") != "application/json" ||
		api.Get("Content-Type") != "application/json" || api.Get("User-Agent") != "tf-test/1.0" {
		t.Errorf("headers = %v", api)
	}
}

func TestPathEscaping(t *testing.T) {
	f := newFake(t)
	c := mustNew(t, testConfig(f))
	_, err := c.GetBilling(context.Background(), "my%org", "a?b#c")
	if !IsNotFound(err) {
		t.Fatalf("err = %v", err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if got := f.rawPaths[len(f.rawPaths)-1]; got != "/api/orgs/my%25org/billings/a%3Fb%23c" {
		t.Fatalf("path = %s", got)
	}
}

func TestTokenReuseConcurrent(t *testing.T) {
	f := newFake(t)
	f.tokenDelay = 50 * time.Millisecond
	c := mustNew(t, testConfig(f))
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.ListBillings(context.Background(), "org1")
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := f.count("POST /token"); n != 1 {
		t.Fatalf("/token calls = %d, want 1", n)
	}
	if n := f.count("GET /billings"); n != 50 {
		t.Fatalf("list calls = %d", n)
	}
}

func TestTokenExpiryRefresh(t *testing.T) {
	f := newFake(t)
	f.expiresIn = 100 // margin 10s -> valid 90s
	c := mustNew(t, testConfig(f))
	now := time.Now()
	c.tokens.now = func() time.Time { return now }
	ctx := context.Background()
	if _, err := c.ListBillings(ctx, "o"); err != nil {
		t.Fatal(err)
	}
	now = now.Add(89 * time.Second)
	if _, err := c.ListBillings(ctx, "o"); err != nil {
		t.Fatal(err)
	}
	if n := f.count("POST /token"); n != 1 {
		t.Fatalf("/token calls = %d, want 1", n)
	}
	now = now.Add(2 * time.Second)
	if _, err := c.ListBillings(ctx, "o"); err != nil {
		t.Fatal(err)
	}
	if n := f.count("POST /token"); n != 2 {
		t.Fatalf("/token calls = %d, want 2", n)
	}
}

func TestReauthOn401(t *testing.T) {
	f := newFake(t)
	c := mustNew(t, testConfig(f))
	ctx := context.Background()
	if _, err := c.ListBillings(ctx, "o"); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	f.revoked["tok-1"] = true
	f.mu.Unlock()
	if _, err := c.ListBillings(ctx, "o"); err != nil {
		t.Fatal(err)
	}
	if n := f.count("POST /token"); n != 2 {
		t.Fatalf("/token calls = %d, want 2", n)
	}
	if n := f.count("GET /billings"); n != 3 {
		t.Fatalf("list calls = %d, want 3", n)
	}
	// A server that keeps rejecting: re-auth only once, then the 401 error.
	f.mu.Lock()
	f.fault = func(w http.ResponseWriter, r *http.Request, route string, n int) bool {
		if route == "GET /billings" {
			writeErr(w, http.StatusUnauthorized, "nope")
			return true
		}
		return false
	}
	f.mu.Unlock()
	_, err := c.ListBillings(ctx, "o")
	if StatusCode(err) != http.StatusUnauthorized {
		t.Fatalf("err = %v", err)
	}
	if n := f.count("POST /token"); n != 3 {
		t.Fatalf("/token calls = %d, want 3", n)
	}
	if n := f.count("GET /billings"); n != 5 {
		t.Fatalf("list calls = %d, want 5", n)
	}
}

func TestStaticToken(t *testing.T) {
	f := newFake(t)
	c := mustNew(t, Config{Endpoint: f.endpoint() + "/", Token: "tok-static", MaxRetries: 2, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	if c.Endpoint() != f.endpoint() {
		t.Fatalf("endpoint = %s", c.Endpoint())
	}
	ctx := context.Background()
	if _, err := c.ListBillings(ctx, "o"); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	f.revoked["tok-static"] = true
	f.mu.Unlock()
	_, err := c.ListBillings(ctx, "o")
	if StatusCode(err) != http.StatusUnauthorized {
		t.Fatalf("err = %v", err)
	}
	if n := f.count("POST /token"); n != 0 {
		t.Fatalf("/token calls = %d, want 0", n)
	}
	if n := f.count("GET /billings"); n != 2 {
		t.Fatalf("list calls = %d, want 2 (no retry of 401)", n)
	}
}

func TestAuthFailure(t *testing.T) {
	f := newFake(t)
	cfg := testConfig(f)
	cfg.Password = "wrong"
	c := mustNew(t, cfg)
	_, err := c.GetBilling(context.Background(), "o", "b")
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != http.StatusUnauthorized || e.Path != "/token" {
		t.Fatalf("err = %#v", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "authentication failed") || !strings.Contains(msg, "invalid credentials") {
		t.Fatalf("message = %q", msg)
	}
	if n := f.count("POST /token"); n != 1 {
		t.Fatalf("/token calls = %d (401 must not be retried)", n)
	}

	// Server echoing the secret back: scrubbed.
	f2 := newFake(t)
	f2.fault = func(w http.ResponseWriter, r *http.Request, route string, n int) bool {
		writeErr(w, http.StatusBadRequest, "bad client_secret csecret for s3cret-pass")
		return true
	}
	c2 := mustNew(t, testConfig(f2))
	_, err = c2.GetBilling(context.Background(), "o", "b")
	if err == nil || strings.Contains(err.Error(), "csecret") || strings.Contains(err.Error(), "s3cret-pass") {
		t.Fatalf("err = %v", err)
	}

	// Connection refused: clear message, no secret, attempts reported.
	f3 := newFake(t)
	cfg3 := testConfig(f3)
	f3.srv.Close()
	c3 := mustNew(t, cfg3)
	_, err = c3.GetBilling(context.Background(), "o", "b")
	if err == nil || !strings.Contains(err.Error(), "authentication failed") || !strings.Contains(err.Error(), "4 attempts") {
		t.Fatalf("err = %v", err)
	}
}

func TestPaging(t *testing.T) {
	for _, mode := range []string{"envelope", "no-total", "bare-array"} {
		t.Run(mode, func(t *testing.T) {
			f := newFake(t)
			for i := range 250 {
				f.commitBilling("o", BillingCreate{Name: fmt.Sprintf("b%03d", i)})
			}
			if mode != "envelope" {
				f.fault = func(w http.ResponseWriter, r *http.Request, route string, n int) bool {
					if route != "GET /billings" {
						return false
					}
					f.mu.Lock()
					var all []Billing
					for _, b := range f.billings {
						all = append(all, *b)
					}
					f.mu.Unlock()
					sortBillings(all)
					p := page(r, all, false)
					if mode == "bare-array" {
						writeJSON(w, 200, p["results"])
					} else {
						writeJSON(w, 200, p)
					}
					return true
				}
			}
			c := mustNew(t, testConfig(f))
			list, err := c.ListBillings(context.Background(), "o")
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 250 {
				t.Fatalf("items = %d", len(list))
			}
			seen := map[string]bool{}
			for _, b := range list {
				seen[b.ID] = true
			}
			if len(seen) != 250 {
				t.Fatalf("distinct = %d", len(seen))
			}
			if n := f.count("GET /billings"); n != 3 {
				t.Fatalf("pages = %d, want 3", n)
			}
		})
	}
}

func sortBillings(b []Billing) {
	for i := 1; i < len(b); i++ {
		for j := i; j > 0 && b[j].ID < b[j-1].ID; j-- {
			b[j], b[j-1] = b[j-1], b[j]
		}
	}
}

func TestPagingExactMultipleWithoutTotal(t *testing.T) {
	f := newFake(t)
	for i := range 200 {
		f.commitBilling("o", BillingCreate{Name: fmt.Sprintf("b%03d", i)})
	}
	// A server that ignores offset and always returns the first 100.
	f.fault = func(w http.ResponseWriter, r *http.Request, route string, n int) bool {
		if route != "GET /billings" {
			return false
		}
		f.mu.Lock()
		var all []Billing
		for _, b := range f.billings {
			all = append(all, *b)
		}
		f.mu.Unlock()
		sortBillings(all)
		writeJSON(w, 200, all[:100])
		return true
	}
	c := mustNew(t, testConfig(f))
	list, err := c.ListBillings(context.Background(), "o")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 100 || f.count("GET /billings") != 2 {
		t.Fatalf("items = %d, pages = %d", len(list), f.count("GET /billings"))
	}
}

func TestRetry503ThenSuccess(t *testing.T) {
	f := newFake(t)
	f.commitBilling("o", BillingCreate{Name: "b"})
	f.fault = func(w http.ResponseWriter, r *http.Request, route string, n int) bool {
		if route == "GET /billings/{b}" && n <= 2 {
			writeErr(w, http.StatusServiceUnavailable, "busy")
			return true
		}
		return false
	}
	log := &captureLogger{}
	cfg := testConfig(f)
	cfg.Logger = log
	c := mustNew(t, cfg)
	b, err := c.GetBilling(context.Background(), "o", "b")
	if err != nil || b.Name != "b" {
		t.Fatalf("b = %v, err = %v", b, err)
	}
	if n := f.count("GET /billings/{b}"); n != 3 {
		t.Fatalf("attempts = %d", n)
	}
	log.mu.Lock()
	defer log.mu.Unlock()
	if len(log.warns) != 2 || !strings.Contains(log.warns[0], "503") {
		t.Fatalf("warns = %v", log.warns)
	}
}

func TestRetryGivesUp(t *testing.T) {
	f := newFake(t)
	f.fault = func(w http.ResponseWriter, r *http.Request, route string, n int) bool {
		if route == "PATCH /billings/{b}" {
			writeErr(w, http.StatusBadGateway, "upstream down")
			return true
		}
		return false
	}
	c := mustNew(t, testConfig(f))
	title := "x"
	_, err := c.UpdateBilling(context.Background(), "o", "b", BillingPatch{Title: &title})
	if StatusCode(err) != http.StatusBadGateway {
		t.Fatalf("err = %v", err)
	}
	want := "PATCH /orgs/o/billings/b: Bad Gateway (502): upstream down (giving up after 4 attempts)"
	if err.Error() != want {
		t.Fatalf("err = %q, want %q", err.Error(), want)
	}
}

func Test429RetryAfter(t *testing.T) {
	f := newFake(t)
	f.commitBilling("o", BillingCreate{Name: "b"})
	f.fault = func(w http.ResponseWriter, r *http.Request, route string, n int) bool {
		if route == "GET /billings/{b}" && n == 1 {
			w.Header().Set("Retry-After", "1")
			writeErr(w, http.StatusTooManyRequests, "slow down")
			return true
		}
		return false
	}
	c := mustNew(t, testConfig(f)) // RetryWaitMax is 5ms: only Retry-After explains a 1s wait
	start := time.Now()
	if _, err := c.GetBilling(context.Background(), "o", "b"); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Fatalf("waited %s, Retry-After not honoured", d)
	}
	if n := f.count("GET /billings/{b}"); n != 2 {
		t.Fatalf("attempts = %d", n)
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	if d, ok := retryAfter("3", now, DefaultMaxRetryAfter); !ok || d != 3*time.Second {
		t.Fatalf("seconds: %v %v", d, ok)
	}
	if d, ok := retryAfter(now.Add(7*time.Second).Format(http.TimeFormat), now, DefaultMaxRetryAfter); !ok || d != 7*time.Second {
		t.Fatalf("date: %v %v", d, ok)
	}
	if d, ok := retryAfter(now.Add(-time.Hour).Format(http.TimeFormat), now, DefaultMaxRetryAfter); !ok || d != 0 {
		t.Fatalf("past date: %v %v", d, ok)
	}
	if _, ok := retryAfter("soon", now, DefaultMaxRetryAfter); ok {
		t.Fatal("garbage accepted")
	}
	if d, _ := retryAfter("86400", now, DefaultMaxRetryAfter); d != DefaultMaxRetryAfter {
		t.Fatalf("cap: %v", d)
	}
	for i := range 10 {
		d := jitter(10*time.Millisecond, 50*time.Millisecond, i)
		if d < 10*time.Millisecond || d > 50*time.Millisecond {
			t.Fatalf("jitter(%d) = %v", i, d)
		}
	}
}

func TestNoRetryOf4xx(t *testing.T) {
	f := newFake(t)
	f.fault = func(w http.ResponseWriter, r *http.Request, route string, n int) bool {
		if route == "PATCH /billings/{b}" {
			writeErr(w, http.StatusBadRequest, "cannot change the Stripe account")
			return true
		}
		return false
	}
	c := mustNew(t, testConfig(f))
	title := "x"
	_, err := c.UpdateBilling(context.Background(), "o", "b", BillingPatch{Title: &title})
	if StatusCode(err) != 400 || f.count("PATCH /billings/{b}") != 1 {
		t.Fatalf("err = %v, attempts = %d", err, f.count("PATCH /billings/{b}"))
	}
	if err.Error() != "PATCH /orgs/o/billings/b: Bad Request (400): cannot change the Stripe account" {
		t.Fatalf("err = %q", err.Error())
	}
	_, err = c.GetBilling(context.Background(), "o", "missing")
	if !IsNotFound(err) || f.count("GET /billings/{b}") != 1 {
		t.Fatalf("err = %v, attempts = %d", err, f.count("GET /billings/{b}"))
	}
}

func TestCreateAfterConnectionDrop(t *testing.T) {
	f := newFake(t)
	f.fault = func(w http.ResponseWriter, r *http.Request, route string, n int) bool {
		if route == "POST /billings" && n == 1 {
			r.SetPathValue("org", "o")
			f.createBilling(discardWriter{}, r) // commit
			dropConnection(t, w)
			return true
		}
		return false
	}
	log := &captureLogger{}
	cfg := testConfig(f)
	cfg.Logger = log
	c := mustNew(t, cfg)
	b, err := c.CreateBilling(context.Background(), "o", sampleBilling("b1"))
	if err != nil {
		t.Fatal(err)
	}
	if b.Name != "b1" || b.ID == "" {
		t.Fatalf("b = %+v", b)
	}
	if f.numBillings() != 1 || f.count("POST /billings") != 1 || f.count("GET /billings/{b}") != 1 {
		t.Fatalf("billings = %d, posts = %d, gets = %d", f.numBillings(), f.count("POST /billings"), f.count("GET /billings/{b}"))
	}
	if !strings.Contains(log.all(), "ambiguous") {
		t.Fatalf("no warning logged:\n%s", log.all())
	}
}

func TestCreate503WithoutCommit(t *testing.T) {
	f := newFake(t)
	f.fault = func(w http.ResponseWriter, r *http.Request, route string, n int) bool {
		if route == "POST /billings" && n == 1 {
			writeErr(w, http.StatusServiceUnavailable, "busy")
			return true
		}
		return false
	}
	c := mustNew(t, testConfig(f))
	b, err := c.CreateBilling(context.Background(), "o", sampleBilling("b1"))
	if err != nil || b.Name != "b1" {
		t.Fatalf("b = %v, err = %v", b, err)
	}
	if f.numBillings() != 1 || f.count("POST /billings") != 2 || f.count("GET /billings/{b}") != 1 {
		t.Fatalf("billings = %d, posts = %d, gets = %d", f.numBillings(), f.count("POST /billings"), f.count("GET /billings/{b}"))
	}
}

func TestCreate503ThenCommitted409(t *testing.T) {
	// First POST commits but answers 503; the lookup races and misses
	// (simulated); the re-POST gets 409, which means "created": fetch it.
	f := newFake(t)
	f.fault = func(w http.ResponseWriter, r *http.Request, route string, n int) bool {
		switch {
		case route == "POST /billings" && n == 1:
			r.SetPathValue("org", "o")
			f.createBilling(discardWriter{}, r)
			writeErr(w, http.StatusGatewayTimeout, "timeout")
			return true
		case route == "GET /billings/{b}" && n == 1:
			writeErr(w, http.StatusNotFound, "not yet visible")
			return true
		}
		return false
	}
	c := mustNew(t, testConfig(f))
	b, err := c.CreateBilling(context.Background(), "o", sampleBilling("b1"))
	if err != nil || b.Name != "b1" {
		t.Fatalf("b = %v, err = %v", b, err)
	}
	if f.numBillings() != 1 || f.count("POST /billings") != 2 {
		t.Fatalf("billings = %d, posts = %d", f.numBillings(), f.count("POST /billings"))
	}
}

func TestCreateConflictWithoutAmbiguity(t *testing.T) {
	f := newFake(t)
	f.commitBilling("o", sampleBilling("b1"))
	c := mustNew(t, testConfig(f))
	_, err := c.CreateBilling(context.Background(), "o", sampleBilling("b1"))
	if !IsConflict(err) || f.count("GET /billings/{b}") != 0 {
		t.Fatalf("err = %v", err)
	}
}

func TestCreateGivesUp(t *testing.T) {
	f := newFake(t)
	f.fault = func(w http.ResponseWriter, r *http.Request, route string, n int) bool {
		if route == "POST /billings" {
			writeErr(w, http.StatusInternalServerError, "boom")
			return true
		}
		return false
	}
	c := mustNew(t, testConfig(f))
	_, err := c.CreateBilling(context.Background(), "o", sampleBilling("b1"))
	if StatusCode(err) != 500 || !strings.Contains(err.Error(), "giving up after 4 attempts") {
		t.Fatalf("err = %v", err)
	}
	if f.count("POST /billings") != 4 || f.numBillings() != 0 {
		t.Fatalf("posts = %d", f.count("POST /billings"))
	}
}

func TestCreate429IsRetried(t *testing.T) {
	f := newFake(t)
	f.fault = func(w http.ResponseWriter, r *http.Request, route string, n int) bool {
		if route == "POST /billings" && n <= 2 {
			w.Header().Set("Retry-After", "0")
			writeErr(w, http.StatusTooManyRequests, "slow")
			return true
		}
		return false
	}
	c := mustNew(t, testConfig(f))
	if _, err := c.CreateBilling(context.Background(), "o", sampleBilling("b1")); err != nil {
		t.Fatal(err)
	}
	if f.count("POST /billings") != 3 || f.count("GET /billings/{b}") != 0 || f.numBillings() != 1 {
		t.Fatalf("posts = %d, gets = %d", f.count("POST /billings"), f.count("GET /billings/{b}"))
	}
}

func TestCreateConfiguredBillingAfterDrop(t *testing.T) {
	f := newFake(t)
	f.fault = func(w http.ResponseWriter, r *http.Request, route string, n int) bool {
		if route == "POST /configured-billings" && n == 1 {
			r.SetPathValue("org", "o")
			r.SetPathValue("cat", "sandbox")
			f.createCB(discardWriter{}, r)
			dropConnection(t, w)
			return true
		}
		return false
	}
	c := mustNew(t, testConfig(f))
	burl := f.endpoint() + "/orgs/o/billings/id-0001"
	cb, err := c.CreateConfiguredBilling(context.Background(), "o", "sandbox", burl)
	if err != nil {
		t.Fatal(err)
	}
	if cb.BillingURL != burl || f.count("POST /configured-billings") != 1 || len(f.cbs) != 1 {
		t.Fatalf("cb = %+v, posts = %d", cb, f.count("POST /configured-billings"))
	}
}

func TestSameBillingURL(t *testing.T) {
	a := "https://h/api/orgs/o/billings/b1"
	cases := []struct {
		b    string
		want bool
	}{
		{a, true}, {a + "/", true}, {"https://other/api/orgs/org-id/billings/b1", true},
		{"https://h/api/orgs/o/billings/b2", false}, {"", false},
	}
	for _, tc := range cases {
		if got := SameBillingURL(a, tc.b); got != tc.want {
			t.Errorf("SameBillingURL(%q) = %v", tc.b, got)
		}
	}
}

func TestDelete(t *testing.T) {
	for _, code := range []int{200, 202, 204} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			f := newFake(t)
			f.fault = func(w http.ResponseWriter, r *http.Request, route string, n int) bool {
				if r.Method == http.MethodDelete {
					w.WriteHeader(code)
					if code != 204 {
						_, _ = w.Write([]byte(`{"id":"x"}`))
					}
					return true
				}
				return false
			}
			c := mustNew(t, testConfig(f))
			if err := c.DeleteBilling(context.Background(), "o", "b"); err != nil {
				t.Fatal(err)
			}
			if err := c.DeleteConfiguredBilling(context.Background(), "o", "cat", "id"); err != nil {
				t.Fatal(err)
			}
		})
	}
	f := newFake(t)
	c := mustNew(t, testConfig(f))
	err := c.DeleteBilling(context.Background(), "o", "gone")
	if !IsNotFound(err) || IsConflict(err) {
		t.Fatalf("err = %v", err)
	}
	if f.count("DELETE /billings/{b}") != 1 {
		t.Fatalf("404 retried")
	}
}

func TestEndpointValidation(t *testing.T) {
	good := map[string]string{
		"https://h/api":         "https://h/api",
		"https://h/api/":        "https://h/api",
		"http://h:8080/x/api//": "http://h:8080/x/api",
	}
	for in, want := range good {
		c, err := New(Config{Endpoint: in, Token: "t"})
		if err != nil || c.Endpoint() != want {
			t.Errorf("%q: %v %v", in, err, c)
		}
	}
	for _, in := range []string{"", "https://h", "https://h/apix", "h/api", "ftp://h/api", "/api", "https://u:pw@h/api", "https://h/api?x=1"} {
		_, err := New(Config{Endpoint: in, Token: "t"})
		if err == nil {
			t.Errorf("%q accepted", in)
		} else if strings.Contains(err.Error(), "pw") {
			t.Errorf("%q: error leaks the password: %v", in, err)
		}
	}
}

func TestCredentialValidation(t *testing.T) {
	ep := "https://h/api"
	bad := []Config{
		{Endpoint: ep},
		{Endpoint: ep, Username: "u"},
		{Endpoint: ep, Password: "p"},
		{Endpoint: ep, Username: "u", Password: "p", APIKey: "k"},
		{Endpoint: ep, ClientID: "c"},
	}
	for _, cfg := range bad {
		if _, err := New(cfg); err == nil {
			t.Errorf("%v accepted", cfg)
		}
	}
	cfg := Config{Endpoint: ep, Password: "hunter2", Token: "tok-xyz"}
	if s := fmt.Sprintf("%v %+v %#v", cfg, cfg, cfg); strings.Contains(s, "hunter2") || strings.Contains(s, "tok-xyz") {
		t.Fatalf("Config formatting leaks: %s", s)
	}
}

func TestLogsNeverContainSecrets(t *testing.T) {
	f := newFake(t)
	f.fault = func(w http.ResponseWriter, r *http.Request, route string, n int) bool {
		if route == "GET /billings/{b}" && n == 1 {
			writeErr(w, http.StatusServiceUnavailable, "busy")
			return true
		}
		return false
	}
	log := &captureLogger{}
	cfg := testConfig(f)
	cfg.Logger = log
	c := mustNew(t, cfg)
	ctx := context.Background()
	in := sampleBilling("b1")
	if _, err := c.CreateBilling(ctx, "o", in); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetBilling(ctx, "o", "b1"); err != nil {
		t.Fatal(err)
	}
	key := "sk_test_ROTATED999"
	if _, err := c.UpdateBilling(ctx, "o", "b1", BillingPatch{Configuration: &BillingConfiguration{FullAccessKey: key}}); err != nil {
		t.Fatal(err)
	}
	out := log.all()
	for _, secret := range []string{"s3cret-pass", "csecret", "tok-1", "SUPERSECRET123", "ROTATED999"} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains %q:\n%s", secret, out)
		}
	}
	for _, want := range []string{"apic: request", "apic: response", "status:201", "attempt:", "duration", "pk_test_abc", "retrying", `"password":"***"`, "Bearer ***"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

func TestLogBodyTruncated(t *testing.T) {
	big := `{"summary":"` + strings.Repeat("x", 10000) + `"}`
	s := logBody([]byte(big))
	if len(s) > logBodyLimit+64 || !strings.Contains(s, "truncated") {
		t.Fatalf("len = %d", len(s))
	}
}

func TestCatalogsAndJobs(t *testing.T) {
	f := newFake(t)
	f.fault = func(w http.ResponseWriter, r *http.Request, route string, n int) bool {
		switch r.URL.Path {
		case "/api/catalogs/o/prod":
			writeJSON(w, 200, map[string]any{"id": "c1", "name": "prod", "title": "Prod", "extra": true})
		case "/api/catalogs/o/prod/settings":
			writeJSON(w, 200, map[string]any{"production_mode": true, "other": map[string]any{}})
		case "/api/orgs/o/billings/b1/jobs":
			writeJSON(w, 200, map[string]any{"total_results": 1, "results": []any{map[string]any{"id": "j1", "state": "blocked", "error": "card"}}})
		case "/api/orgs/o/billings/b1/jobs/j1/retry":
			writeJSON(w, 200, map[string]any{"id": "j1", "state": "running"})
		case "/api/catalogs/o/prod/configured-billings/cb1":
			writeJSON(w, 200, map[string]any{"id": "cb1", "billing_url": "u", "metadata": map[string]any{"testmode": "true"}})
		default:
			return false
		}
		return true
	}
	c := mustNew(t, testConfig(f))
	ctx := context.Background()
	cat, err := c.GetCatalog(ctx, "o", "prod")
	if err != nil || cat.ID != "c1" {
		t.Fatalf("%v %v", cat, err)
	}
	s, err := c.GetCatalogSettings(ctx, "o", "prod")
	if err != nil || !s.ProductionMode {
		t.Fatalf("%v %v", s, err)
	}
	jobs, err := c.ListJobs(ctx, "o", "b1")
	if err != nil || len(jobs) != 1 || jobs[0].State != "blocked" {
		t.Fatalf("%v %v", jobs, err)
	}
	j, err := c.RetryJob(ctx, "o", "b1", "j1")
	if err != nil || j.State != "running" {
		t.Fatalf("%v %v", j, err)
	}
	cb, err := c.GetConfiguredBilling(ctx, "o", "prod", "cb1")
	if err != nil || cb.Metadata == nil || !bool(cb.Metadata.TestMode) {
		t.Fatalf("%v %v", cb, err)
	}
	if _, err := c.GetBilling(ctx, "", "x"); err == nil {
		t.Fatal("empty org accepted")
	}
}

func TestContextCancelNotRetried(t *testing.T) {
	f := newFake(t)
	f.fault = func(w http.ResponseWriter, r *http.Request, route string, n int) bool {
		if route == "GET /billings/{b}" {
			time.Sleep(200 * time.Millisecond)
			writeErr(w, 503, "x")
			return true
		}
		return false
	}
	c := mustNew(t, testConfig(f))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.GetBilling(ctx, "o", "b")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	time.Sleep(300 * time.Millisecond)
	if n := f.count("GET /billings/{b}"); n > 1 {
		t.Fatalf("attempts = %d", n)
	}
}

func TestPerAttemptTimeoutRetried(t *testing.T) {
	f := newFake(t)
	f.commitBilling("o", BillingCreate{Name: "b"})
	f.fault = func(w http.ResponseWriter, r *http.Request, route string, n int) bool {
		if route == "GET /billings/{b}" && n == 1 {
			time.Sleep(300 * time.Millisecond)
		}
		return false
	}
	cfg := testConfig(f)
	cfg.RequestTimeout = 100 * time.Millisecond
	c := mustNew(t, cfg)
	if _, err := c.GetBilling(context.Background(), "o", "b"); err != nil {
		t.Fatal(err)
	}
	if n := f.count("GET /billings/{b}"); n != 2 {
		t.Fatalf("attempts = %d", n)
	}
}

// discardWriter lets a handler commit without answering.
type discardWriter struct{}

func (discardWriter) Header() http.Header         { return http.Header{} }
func (discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (discardWriter) WriteHeader(int)             {}
