package apic

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// TestListSizeIsCapped: a server that keeps sending full pages of new
// items (claiming a huge total) is stopped once the pages add up to the
// cap, with an error, instead of being read to exhaustion.
func TestListSizeIsCapped(t *testing.T) {
	var pages atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pages.Add(1)
		off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		items := make([]string, pageSize)
		for i := range items {
			items[i] = fmt.Sprintf(`{"id":"b%d","name":"n%d","summary":"%s"}`, off+i, off+i, strings.Repeat("x", 1000))
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, `{"total_results":1000000000,"results":[%s]}`, strings.Join(items, ","))
	}))
	t.Cleanup(srv.Close)
	c := mustNew(t, Config{Endpoint: srv.URL + "/api", Token: "t", MaxRetries: 0})
	c.maxListBytes = 1 << 20 // about ten pages
	_, err := c.ListBillings(context.Background(), "o")
	if err == nil || !strings.Contains(err.Error(), "exceeds 1 MiB") {
		t.Fatalf("err = %v, want the list refused", err)
	}
	if n := pages.Load(); n > 12 {
		t.Fatalf("%d pages read", n)
	}
	if maxListBytes < 32<<20 {
		t.Fatalf("the default cap (%d) is below one body's (%d)", maxListBytes, maxBodyBytes)
	}
}
