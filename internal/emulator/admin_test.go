package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestAdminRoutes(t *testing.T) {
	e := New(Config{})
	srv := httptest.NewServer(e.WithAdmin(""))
	defer srv.Close()
	e.SetBaseURL(srv.URL)
	hc := &http.Client{Timeout: 10 * time.Second}

	send := func(method, path, body string) (int, []byte) {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}

	cfg := e.Config()
	st, body := send("POST", "/api/token", `{"grant_type":"client_credentials","client_id":"`+cfg.ClientID+`","client_secret":"`+cfg.ClientSecret+`"}`)
	if st != 200 {
		t.Fatalf("token: %d %s", st, body)
	}
	var tok tokenResponse
	mustJSON(t, body, &tok)
	pk, sk := StripeKeys("admin", "test", "")
	req, _ := http.NewRequestWithContext(t.Context(), "POST", srv.URL+"/api/orgs/acme/billings",
		strings.NewReader(`{"title":"Admin","integration_url":"http://x/y","configuration":{"publishable_key":"`+pk+`","full_access_key":"`+sk+`"}}`))
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("create: %d", resp.StatusCode)
	}

	st, body = send("GET", AdminCounts, "")
	if st != 200 {
		t.Fatalf("counts: %d %s", st, body)
	}
	var counts AdminCountsResponse
	mustJSON(t, body, &counts)
	if counts.Counts["POST "+RouteToken] != 1 || counts.Counts["POST "+RouteBillings] != 1 || counts.Counts["GET "+RouteStripeAccount] != 1 {
		t.Errorf("counts = %v", counts.Counts)
	}
	if counts.Internal["GET "+RouteStripeAccount] != 1 || len(counts.Internal) != 1 || counts.Requests != 3 {
		t.Errorf("internal = %v, requests = %d", counts.Internal, counts.Requests)
	}

	st, body = send("GET", AdminJournal, "")
	if st != 200 {
		t.Fatalf("journal: %d %s", st, body)
	}
	if strings.Contains(string(body), sk) || strings.Contains(string(body), tok.AccessToken) || strings.Contains(string(body), cfg.ClientSecret) {
		t.Fatalf("journal leaks a secret: %s", body)
	}
	var journal []AdminJournalEntry
	mustJSON(t, body, &journal)
	if len(journal) != 3 {
		t.Fatalf("journal has %d entries: %s", len(journal), body)
	}
	for _, q := range journal {
		internal := q.Route == RouteStripeAccount
		if q.Internal != internal || (q.RemoteAddr == "") != internal {
			t.Errorf("entry %+v: internal should be %v", q, internal)
		}
		if !internal && q.Status == 0 {
			t.Errorf("entry %+v: no status", q)
		}
	}

	if st, _ := send("GET", AdminReset, ""); st != 405 {
		t.Errorf("GET reset: %d, want 405", st)
	}
	if st, _ := send("GET", AdminPrefix+"nope", ""); st != 404 {
		t.Errorf("unknown admin route: %d, want 404", st)
	}
	if st, body := send("POST", AdminReset, ""); st != 204 {
		t.Fatalf("reset: %d %s", st, body)
	}
	if n := len(e.Requests()); n != 0 {
		t.Errorf("journal has %d entries after reset (admin requests must not be journaled)", n)
	}
	// Admin routes are not under /api: the API still answers 404 there.
	if st, _ := send("GET", "/api/_emulator/counts", ""); st != 401 && st != 404 {
		t.Errorf("/api/_emulator/counts: %d", st)
	}
}

func TestAdminLoopbackOnly(t *testing.T) {
	e := New(Config{})
	for _, tc := range []struct {
		remote, token, auth string
		want                int
	}{
		{"127.0.0.1:5000", "", "", 200},
		{"[::1]:5000", "", "", 200},
		{"192.0.2.7:5000", "", "", 403},
		{"192.0.2.7:5000", "s3cret", "", 403},
		{"192.0.2.7:5000", "s3cret", "Bearer wrong", 403},
		{"192.0.2.7:5000", "s3cret", "Bearer s3cret", 200},
	} {
		req := httptest.NewRequestWithContext(t.Context(), "GET", AdminCounts, nil)
		req.RemoteAddr = tc.remote
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		rec := httptest.NewRecorder()
		e.WithAdmin(tc.token).ServeHTTP(rec, req)
		if rec.Code != tc.want {
			t.Errorf("remote %s token %q auth %q: %d, want %d", tc.remote, tc.token, tc.auth, rec.Code, tc.want)
		}
	}
	// Non-admin paths go to the emulator as before.
	req := httptest.NewRequestWithContext(t.Context(), "GET", "/api/orgs/acme", nil)
	req.RemoteAddr = "192.0.2.7:5000"
	rec := httptest.NewRecorder()
	e.WithAdmin("").ServeHTTP(rec, req)
	if rec.Code != 401 {
		t.Errorf("unauthenticated API request: %d, want 401", rec.Code)
	}
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
}
