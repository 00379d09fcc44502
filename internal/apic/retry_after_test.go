package apic

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestRetryAfterHostileValues: absurd Retry-After values never become a
// negative or zero wait: values that are not finite or negative are refused
// (the jittered backoff applies), huge ones are capped before conversion.
func TestRetryAfterHostileValues(t *testing.T) {
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	const limit = 5 * time.Minute
	for _, tc := range []struct {
		value string
		want  time.Duration
		ok    bool
	}{
		{"NaN", 0, false},
		{"nan", 0, false},
		{"Inf", 0 + limit, true},
		{"+Inf", limit, true},
		{"-Inf", 0, false},
		{"1e300", limit, true},
		{"1e400", limit, true},
		{"9223372037", limit, true}, // just above the largest time.Duration in seconds
		{"18446744073709551616", limit, true},
		{"-1", 0, false},
		{"2.5", 2500 * time.Millisecond, true},
		{"Fri, 31 Dec 9999 23:59:59 GMT", limit, true},
		{"Mon, 01 Jan 1600 00:00:00 GMT", 0, true},
	} {
		got, ok := retryAfter(tc.value, now, limit)
		if got != tc.want || ok != tc.ok {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tc.value, got, ok, tc.want, tc.ok)
		}
	}
}

// TestAbsurdRetryAfterWaits: a server answering 429 with Retry-After 1e300
// or NaN gets the capped wait or the jittered backoff, never an immediate
// retry (the wait chosen is in the retry's log line).
func TestAbsurdRetryAfterWaits(t *testing.T) {
	for _, value := range []string{"1e300", "NaN", "-Inf", "9223372037"} {
		f := newFake(t)
		f.commitBilling("o", BillingCreate{Name: "b"})
		f.fault = func(w http.ResponseWriter, _ *http.Request, route string, n int) bool {
			if route == "GET /billings/{b}" && n <= 2 {
				w.Header().Set("Retry-After", value)
				writeErr(w, http.StatusTooManyRequests, "slow down")
				return true
			}
			return false
		}
		log := &captureLogger{}
		cfg := testConfig(f)
		cfg.Logger = log
		cfg.RetryWaitMin, cfg.RetryWaitMax, cfg.MaxRetryAfter = 2*time.Millisecond, 4*time.Millisecond, 30*time.Millisecond
		if _, err := mustNew(t, cfg).GetBilling(context.Background(), "o", "b"); err != nil {
			t.Fatalf("%s: %v", value, err)
		}
		waits := 0
		for _, w := range log.warns {
			if !strings.Contains(w, "apic: retrying request") {
				continue
			}
			waits++
			_, after, _ := strings.Cut(w, "wait:")
			d, err := time.ParseDuration(strings.Fields(strings.TrimSuffix(after, "]"))[0])
			if err != nil || d < 2*time.Millisecond || d > 30*time.Millisecond {
				t.Errorf("Retry-After %s: wait %q, want between the backoff minimum and the cap", value, after)
			}
		}
		if waits != 2 {
			t.Errorf("Retry-After %s: %d retries logged, want 2", value, waits)
		}
	}
}
