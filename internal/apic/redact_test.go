package apic

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// leaks reports the secret, or a 12-character piece of it, in text.
func leaks(text, secret string) bool {
	if strings.Contains(text, secret) {
		return true
	}
	for i := 0; i+12 <= len(secret); i += 4 {
		if piece := secret[i : i+12]; strings.TrimSpace(piece) == piece && strings.Contains(text, piece) {
			return true
		}
	}
	return false
}

// TestEchoedSecretsAreRedacted: a platform that echoes credentials in its
// error bodies gets them removed from errors and logs whatever their shape:
// a long password with spaces (the error text is cut at 512 characters),
// the issued bearer token, a static token, a secret sent in the request
// body, and Stripe keys with "_" in their body or glued to a word or to an
// encoded "=".
func TestEchoedSecretsAreRedacted(t *testing.T) {
	longPassword := "correct horse  battery\tstaple " + strings.Repeat("Zq9", 250)
	stripeKeys := []string{"sk_test_abc_DEF123456789", "rk_live_Q1w2E3r4T5y6U7i8"}
	echo := func(r *http.Request, extra string) string {
		return `{"status":400,"message":["rejected ` + r.Header.Get("Authorization") + ` for ` + longPassword +
			` with Xsk_test_abc_DEF123456789 and key%3Drk_live_Q1w2E3r4T5y6U7i8 ` + extra + `"]}`
	}

	f := newFake(t)
	f.commitBilling("o", BillingCreate{Name: "b"})
	f.fault = func(w http.ResponseWriter, r *http.Request, route string, _ int) bool {
		switch route {
		case "GET /billings/{b}", "PATCH /billings/{b}":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(echo(r, "sent sk_custom_unpatterned_value")))
			return true
		}
		return false
	}
	log := &captureLogger{}
	cfg := testConfig(f)
	cfg.Password = longPassword
	cfg.Logger = log
	c := mustNew(t, cfg)
	ctx := context.Background()
	// The PATCH sends a secret the pattern does not know; the GET's error,
	// later, repeats it too.
	_, errPatch := c.UpdateBilling(ctx, "o", "b", BillingPatch{Configuration: &BillingConfiguration{PublishableKey: "pk_test_x", FullAccessKey: "sk_custom_unpatterned_value"}})
	_, errGet := c.GetBilling(ctx, "o", "b")
	if errGet == nil || errPatch == nil {
		t.Fatalf("errors = %v, %v", errGet, errPatch)
	}
	f.mu.Lock()
	issued := "tok-1"
	f.mu.Unlock()
	text := errGet.Error() + "\n" + errPatch.Error() + "\n" + log.all()
	for name, secret := range map[string]string{"password": longPassword, //nolint:gosec // test values "issued token": issued, "sent secret": "sk_custom_unpatterned_value",
		"stripe key 1": stripeKeys[0], "stripe key 2": stripeKeys[1], "password collapsed": strings.Join(strings.Fields(longPassword), " ")} {
		probe := secret
		if strings.HasPrefix(secret, "sk_test_") || strings.HasPrefix(secret, "rk_live_") {
			probe = secret[8:]
		}
		if name == "issued token" {
			if strings.Contains(text, "Bearer "+issued) {
				t.Errorf("the %s appears: %s", name, text)
			}
			continue
		}
		if leaks(text, probe) {
			t.Errorf("the %s appears in the errors or logs:\n%s", name, text)
		}
	}
	if !strings.Contains(errGet.Error(), "rejected") {
		t.Errorf("the message itself is lost: %v", errGet)
	}

	// A static token echoed back.
	f2 := newFake(t)
	f2.fault = func(w http.ResponseWriter, r *http.Request, _ string, _ int) bool {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"message":"token ` + strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ") + ` has expired"}`)) //nolint:gosec // G705: a test fake echoing the token to the test's own client
		return true
	}
	const static = "eyJhbGciOiJSUzI1NiJ9.static-token-payload.signature"
	_, err := mustNew(t, Config{Endpoint: f2.endpoint(), Token: static, MaxRetries: 0}).ListBillings(ctx, "o")
	if err == nil || strings.Contains(err.Error(), "static-token-payload") {
		t.Fatalf("err = %v", err)
	}
}

// TestJobTextIsRedacted: job errors and blocked reasons that repeat a
// credential or a Stripe key are redacted before they reach the caller
// (and so the state).
func TestJobTextIsRedacted(t *testing.T) {
	f := newFake(t)
	cfg := testConfig(f)
	reason := "Stripe said: Invalid API Key provided: sk_live_abc_DEF123456789 (login " + cfg.Password + ")"
	f.fault = func(w http.ResponseWriter, r *http.Request, _ string, _ int) bool {
		switch r.URL.Path {
		case "/api/orgs/o/billings/b":
			writeJSON(w, http.StatusOK, map[string]any{"id": "b1", "name": "b", "job_queue_status": map[string]any{"state": "blocked", "pending_jobs": 1, "blocked_reason": reason}})
		case "/api/orgs/o/billings/b/jobs":
			writeJSON(w, http.StatusOK, map[string]any{"total_results": 1, "results": []any{map[string]any{"id": "j1", "state": "failed", "error": reason}}})
		default:
			return false
		}
		return true
	}
	c := mustNew(t, cfg)
	b, err := c.GetBilling(context.Background(), "o", "b")
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := c.ListJobs(context.Background(), "o", "b")
	if err != nil || len(jobs) != 1 {
		t.Fatalf("jobs = %v, %v", jobs, err)
	}
	for _, got := range []string{b.JobQueueStatus.BlockedReason, jobs[0].Error} {
		if strings.Contains(got, "abc_DEF123456789") || strings.Contains(got, cfg.Password) || !strings.Contains(got, "Invalid API Key provided") {
			t.Errorf("job text = %q", got)
		}
	}
}
