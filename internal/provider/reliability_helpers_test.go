package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
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

// clientStats counts what the provider's platform client reports through
// its logger (retries, re-authentications, ambiguous creates) for one
// emulator endpoint.
type clientStats struct {
	// waitMin and waitMax, when set, replace the client's backoff bounds
	// (defaults 500ms and 30s) for the watched endpoint.
	waitMin, waitMax time.Duration
	// maxRetryAfter, when set, caps the server's Retry-After instead of
	// the client's 5m.
	maxRetryAfter time.Duration

	waitsMu sync.Mutex
	waits   []string // the "wait" of each retry's log line

	retries          atomic.Int64 // "apic: retrying request" (retryablehttp's retries)
	createRetries    atomic.Int64 // "apic: retrying create" (a POST sent again after an ambiguous failure)
	ambiguousCreates atomic.Int64 // "apic: create failed ambiguously; looking the object up ..."
	reauths          atomic.Int64 // "apic: token rejected (401), re-authenticating"
	conflicts        atomic.Int64 // "apic: create answered 409 after an ambiguous failure"
}

func (s *clientStats) String() string {
	return fmt.Sprintf("retries=%d create_retries=%d ambiguous_creates=%d reauth=%d conflicts_resolved=%d",
		s.retries.Load(), s.createRetries.Load(), s.ambiguousCreates.Load(), s.reauths.Load(), s.conflicts.Load())
}

// allRetries is every request the client sent again.
func (s *clientStats) allRetries() int64 {
	return s.retries.Load() + s.createRetries.Load() + s.reauths.Load()
}

var (
	statsMu       sync.Mutex
	statsByTarget = map[string]*clientStats{}
)

// watchClient makes the provider count its client's retries towards
// endpoint (the counts are shared by every provider instance of the test)
// and, when waitMin > 0, use those backoff bounds.
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
	switch {
	case strings.HasPrefix(msg, "apic: retrying request"):
		l.s.retries.Add(1)
		l.s.waitsMu.Lock()
		l.s.waits = append(l.s.waits, fmt.Sprint(f["wait"]))
		l.s.waitsMu.Unlock()
	case strings.HasPrefix(msg, "apic: retrying create"):
		l.s.createRetries.Add(1)
	case strings.HasPrefix(msg, "apic: create failed ambiguously"):
		l.s.ambiguousCreates.Add(1)
	case strings.HasPrefix(msg, "apic: token rejected (401)"):
		l.s.reauths.Add(1)
	case strings.HasPrefix(msg, "apic: create answered 409"):
		l.s.conflicts.Add(1)
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
