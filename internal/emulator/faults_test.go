package emulator

import (
	"io"
	"strings"
	"testing"
	"time"
)

func TestViewerIsReadOnly(t *testing.T) {
	c := newClient(t, Config{})
	cfg := c.srv.Config()
	st, body := c.raw("POST", "/token", "", map[string]any{
		"grant_type": "password", "username": cfg.ViewerUsername, "password": cfg.ViewerPassword,
		"realm": cfg.Realm, "client_id": cfg.ClientID, "client_secret": cfg.ClientSecret,
	})
	if st != 200 {
		t.Fatalf("viewer login: %d %s", st, body)
	}
	var tr map[string]any
	mustJSON(t, body, &tr)
	admin := c.token
	c.token = as[string](t, tr["access_token"])

	if st, m := c.api("GET", "/orgs/acme/billings", nil); st != 200 {
		t.Fatalf("viewer GET: %d %v", st, m)
	}
	st, m := c.api("POST", "/orgs/acme/billings", billingBody("Denied", "AcctOne", "test", ""))
	if st != 403 || m["status"] != float64(403) || !strings.Contains(messages(m), "settings:manage") {
		t.Fatalf("viewer POST: %d %v", st, m)
	}
	if _, ok := c.srv.Billing("acme", "denied"); ok {
		t.Fatal("a refused create was stored")
	}
	if n := c.srv.Changes(); n != 0 {
		t.Fatalf("changes after a refused write: %d", n)
	}

	// The administrator may write; the change is counted once.
	c.token = admin
	wantStatus(t, mustStatus(c.api("POST", "/orgs/acme/billings", billingBody("Allowed", "AcctOne", "test", ""))), 201, nil)
	if got := c.srv.ChangeCounts()["POST "+RouteBillings]; got != 1 {
		t.Fatalf("change counts %v", c.srv.ChangeCounts())
	}
	// A refused write (409) is not a change.
	wantStatus(t, mustStatus(c.api("POST", "/orgs/acme/billings", billingBody("Allowed", "AcctOne", "test", ""))), 409, nil)
	if n := c.srv.Changes(); n != 1 {
		t.Fatalf("changes: %d %v", n, c.srv.ChangeCounts())
	}
	// A committed create whose response is dropped is a change.
	c.srv.SetFaults(Faults{RateCommitDrop: 1})
	if resp, err := c.do("POST", c.srv.Endpoint()+"/orgs/acme/billings", c.token, billingBody("Dropped", "AcctOne", "test", "")); err == nil {
		_ = resp.Body.Close()
		t.Fatal("commit drop: expected a transport error")
	}
	c.srv.SetFaults(Faults{})
	if n := c.srv.Changes(); n != 2 {
		t.Fatalf("changes after a commit drop: %d", n)
	}
	c.srv.ResetJournal()
	if n := c.srv.Changes(); n != 0 {
		t.Fatalf("changes after ResetJournal: %d", n)
	}
}

func TestFaultErrorBody(t *testing.T) {
	c := newClient(t, Config{})
	page := "<html><body><h1>502 Bad Gateway</h1>" + strings.Repeat("x", 1000) + "</body></html>"
	c.srv.SetFaults(Faults{Rate503: 1, ErrorBody: page})
	resp, err := c.do("GET", c.srv.Endpoint()+"/orgs/acme/billings", c.token, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != 503 || string(b) != page || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("503 with error page: %d %q %.60s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	c.srv.SetFaults(Faults{Rate429: 1, ErrorBody: "busy"})
	resp, err = c.do("GET", c.srv.Endpoint()+"/orgs/acme/billings", c.token, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != 429 || string(b) != "busy" || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("429 with error page: %d %q %q", resp.StatusCode, resp.Header.Get("Retry-After"), b)
	}
}

func mustStatus(st int, _ map[string]any) int { return st }

func TestFaultLatencyAndStripeSlow(t *testing.T) {
	c := newClient(t, Config{})
	c.srv.SetFaults(Faults{Latency: 150 * time.Millisecond, StripeLatency: 200 * time.Millisecond, Routes: []string{RouteCatalog}})
	start := time.Now()
	if st, _ := c.api("GET", "/catalogs/acme/sandbox", nil); st != 200 {
		t.Fatalf("slow route: %d", st)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Fatalf("latency not applied: %s", d)
	}
	start = time.Now()
	if st, _ := c.api("GET", "/catalogs/acme/sandbox/settings", nil); st != 200 || time.Since(start) > 100*time.Millisecond {
		t.Fatalf("latency applied to a route outside Routes: %d %s", st, time.Since(start))
	}
	_, sk := StripeKeys("AcctOne", "test", "")
	start = time.Now()
	resp, err := c.do("GET", c.srv.StripeBase()+"/v1/account", sk, nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 200 || time.Since(start) < 200*time.Millisecond {
		t.Fatalf("slow Stripe: %d after %s", resp.StatusCode, time.Since(start))
	}
	c.srv.SetFaults(Faults{StripeDown: true})
	resp, err = c.do("GET", c.srv.StripeBase()+"/v1/account", sk, nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 503 {
		t.Fatalf("Stripe down: %d", resp.StatusCode)
	}
	if fc := c.srv.FaultCounts(); fc["latency"] != 2 || fc["stripe_down"] != 1 {
		t.Fatalf("fault counts %v", fc)
	}
}
