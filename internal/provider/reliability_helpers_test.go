package provider

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

// providerConfig is a provider block for the emulator of e, with attributes
// overridden or added by attrs (HCL expressions, e.g. `20` or `"mode"`); an
// empty expression drops the attribute.
func (e *accEnv) providerConfig(attrs map[string]string) string {
	c := e.srv.Config()
	base := map[string]string{
		"endpoint":        fmt.Sprintf("%q", e.srv.Endpoint()),
		"org":             fmt.Sprintf("%q", c.Org),
		"username":        fmt.Sprintf("%q", c.Username),
		"password":        fmt.Sprintf("%q", c.Password),
		"client_id":       fmt.Sprintf("%q", c.ClientID),
		"client_secret":   fmt.Sprintf("%q", c.ClientSecret),
		"stripe_api_base": fmt.Sprintf("%q", e.srv.StripeBase()),
		"max_retries":     "3",
	}
	for k, v := range attrs {
		base[k] = v
	}
	keys := make([]string, 0, len(base))
	for k, v := range base {
		if v != "" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("provider \"apiconnect\" {\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "  %s = %s\n", k, base[k])
	}
	b.WriteString("}\n")
	return b.String()
}

// clientStats adjusts the provider's platform client for one emulator
// endpoint (backoff bounds, Retry-After cap) and keeps the wait the client
// chose for each retry, which only the client knows. Counts of retries come
// from the emulator's journal (journalRetries), not from the client's log.
type clientStats struct {
	// waitMin and waitMax, when set, replace the client's backoff bounds
	// (defaults 500ms and 30s) for the watched endpoint.
	waitMin, waitMax time.Duration
	// maxRetryAfter, when set, caps the server's Retry-After instead of
	// the client's 5m.
	maxRetryAfter time.Duration

	waitsMu sync.Mutex
	waits   []string // the "wait" field of each retry's log line
}

// journalRetries counts, in the emulator's journal, the provider's requests
// that failed in a way the client answers with another attempt: 429, 5xx or
// a dropped connection (retried), and 401 on a call other than /token (a new
// token, then the call again).
func (e *accEnv) journalRetries() (failed, reauths int) {
	for _, r := range e.srv.Requests() {
		switch {
		case r.RemoteAddr == "":
			// the emulator's own Stripe lookups
		case r.Status == 0 || r.Status == http.StatusTooManyRequests || r.Status >= 500:
			failed++
		case r.Status == http.StatusUnauthorized && r.Route != emulator.RouteToken:
			reauths++
		}
	}
	return failed, reauths
}

var (
	statsMu       sync.Mutex
	statsByTarget = map[string]*clientStats{}
)

// watchClient makes the provider's client towards endpoint keep its retry
// waits (shared by every provider instance of the test) and, when
// waitMin > 0, use those backoff bounds.
func watchClient(endpoint string, waitMin, waitMax time.Duration) *clientStats {
	statsMu.Lock()
	defer statsMu.Unlock()
	s := &clientStats{waitMin: waitMin, waitMax: waitMax}
	statsByTarget[strings.TrimRight(endpoint, "/")] = s
	return s
}

func init() {
	// Set before any test runs; it only wraps the logger of clients whose
	// endpoint a test watches.
	clientConfigHook = func(cfg *apic.Config) {
		statsMu.Lock()
		s := statsByTarget[strings.TrimRight(cfg.Endpoint, "/")]
		statsMu.Unlock()
		if s != nil {
			cfg.Logger = countingLogger{next: cfg.Logger, s: s}
			if s.waitMin > 0 {
				cfg.RetryWaitMin, cfg.RetryWaitMax = s.waitMin, s.waitMax
			}
			if s.maxRetryAfter > 0 {
				cfg.MaxRetryAfter = s.maxRetryAfter
			}
		}
	}
}

type countingLogger struct {
	next apic.Logger
	s    *clientStats
}

func (l countingLogger) Debug(ctx context.Context, msg string, f map[string]any) {
	if l.next != nil {
		l.next.Debug(ctx, msg, f)
	}
}

func (l countingLogger) Warn(ctx context.Context, msg string, f map[string]any) {
	if w, ok := f["wait"]; ok {
		l.s.waitsMu.Lock()
		l.s.waits = append(l.s.waits, fmt.Sprint(w))
		l.s.waitsMu.Unlock()
	}
	if l.next != nil {
		l.next.Warn(ctx, msg, f)
	}
}

// formatCounts renders a count map sorted by key.
func formatCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}
