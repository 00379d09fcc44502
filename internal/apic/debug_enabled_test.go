package apic

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

type quietLogger struct{ debugs atomic.Int64 }

func (l *quietLogger) Debug(context.Context, string, map[string]any) { l.debugs.Add(1) }
func (l *quietLogger) Warn(context.Context, string, map[string]any)  {}
func (l *quietLogger) DebugEnabled(context.Context) bool             { return false }

// TestNoRequestLogWhenDebugDisabled: with nobody keeping debug lines, the
// client neither builds nor masks request/response log lines.
func TestNoRequestLogWhenDebugDisabled(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"id":"b1","name":"n"}`))
	}))
	defer srv.Close()
	l := &quietLogger{}
	c, err := New(Config{Endpoint: srv.URL + "/api", Token: "t", Logger: l})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetBilling(context.Background(), "o", "n"); err != nil {
		t.Fatal(err)
	}
	if n := l.debugs.Load(); n != 0 {
		t.Fatalf("%d debug lines built while debug logging is off", n)
	}
}
