package stripekey

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestResolverNeverFollowsRedirects: an https Stripe base answering a
// redirect to http on another port of the same host gets an error naming
// the redirect; the target receives nothing (Go would have sent the
// Authorization header, the secret key, along in clear).
func TestResolverNeverFollowsRedirects(t *testing.T) {
	var leaked atomic.Int64
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			leaked.Add(1)
		}
		_, _ = w.Write([]byte(`{"id":"acct_redirected","object":"account"}`))
	}))
	t.Cleanup(target.Close)
	for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		stripe := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target.URL+r.URL.Path, status) //nolint:gosec // G710: the redirect under test
		}))
		r := NewResolver(ResolverConfig{APIBase: stripe.URL, HTTPClient: stripe.Client()})
		_, err := r.Account(context.Background(), "sk_test_SECRETredirect123")
		stripe.Close()
		if err == nil || !strings.Contains(err.Error(), "not followed") || !strings.Contains(err.Error(), target.URL) {
			t.Errorf("%d: err = %v, want the redirect named and refused", status, err)
		}
		if err != nil && strings.Contains(err.Error(), "SECRET") {
			t.Errorf("%d: the error carries the key: %v", status, err)
		}
	}
	if n := leaked.Load(); n != 0 {
		t.Fatalf("the redirect target received the secret key %d times", n)
	}
}

// TestResolverSendsNoMachineDetails: requests carry no
// X-Stripe-Client-User-Agent (stripe-go puts `uname -a` there) and no
// telemetry header.
func TestResolverSendsNoMachineDetails(t *testing.T) {
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		_, _ = w.Write([]byte(`{"id":"acct_headers","object":"account"}`))
	}))
	t.Cleanup(srv.Close)
	if _, err := NewResolver(ResolverConfig{APIBase: srv.URL}).Account(context.Background(), "sk_test_headers123"); err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	for k, v := range got {
		if strings.HasPrefix(strings.ToLower(k), "x-stripe-client") {
			t.Errorf("header %s sent: %q", k, v)
		}
		if host != "" && strings.Contains(strings.Join(v, " "), host) {
			t.Errorf("header %s carries the host name", k)
		}
	}
	if got.Get("Stripe-Version") == "" || !strings.HasPrefix(got.Get("Authorization"), "Bearer sk_test_") {
		t.Errorf("headers = %v", got)
	}
}

// TestResolverRunsNoChildProcess: an account lookup starts no process. It
// runs the lookup in a fresh test process (stripe-go runs `uname -a` once
// per process) whose PATH holds a uname that leaves a mark.
func TestResolverRunsNoChildProcess(t *testing.T) {
	if marker := os.Getenv("STRIPEKEY_UNAME_MARKER"); marker != "" {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(`{"id":"acct_child","object":"account"}`))
		}))
		defer srv.Close()
		if _, err := NewResolver(ResolverConfig{APIBase: srv.URL}).Account(context.Background(), "sk_test_child123"); err != nil {
			t.Fatal(err)
		}
		return
	}
	dir := t.TempDir()
	marker := filepath.Join(dir, "uname-ran")
	script := "#!/bin/sh\necho ran > " + marker + "\necho Linux\n"
	if err := os.WriteFile(filepath.Join(dir, "uname"), []byte(script), 0o700); err != nil { //nolint:gosec // an executable test script
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestResolverRunsNoChildProcess$", "-test.count=1") //nolint:gosec // the test binary itself
	cmd.Env = append(os.Environ(), "PATH="+dir, "STRIPEKEY_UNAME_MARKER="+marker)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("the account lookup ran uname: a child process inheriting the provider's environment")
	}
}

// TestResolverCapsResponseBody: a Stripe answer over 1 MiB is refused.
func TestResolverCapsResponseBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"id":"acct_huge","object":"account","business_profile":{"name":"` + strings.Repeat("x", 2<<20) + `"}}`))
	}))
	t.Cleanup(srv.Close)
	_, err := NewResolver(ResolverConfig{APIBase: srv.URL}).Account(context.Background(), "sk_test_huge123")
	if err == nil || !strings.Contains(err.Error(), "exceeds") {
		t.Fatalf("err = %v, want the body refused", err)
	}
}
