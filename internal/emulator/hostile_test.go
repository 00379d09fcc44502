package emulator

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestHostileEchoSecrets: error answers repeat the token, the login's
// secrets and the body's secret key, padded past 512 characters.
func TestHostileEchoSecrets(t *testing.T) {
	c := newClient(t, Config{})
	c.srv.SetHostile(Hostile{EchoSecrets: true})
	body := billingBody("Echo", "EchoAccount00001", "test", "a")
	body["integration_url"] = "" // a 400
	st, m := c.api("POST", "/orgs/acme/billings", body)
	wantStatus(t, st, 400, m)
	sk := as[string](t, as[map[string]any](t, body["configuration"])["full_access_key"])
	msgs := messages(m)
	for _, want := range []string{c.token, "X" + sk, "key%3D" + sk} {
		if !strings.Contains(msgs, want) {
			t.Errorf("the 400 does not echo %q: %s", want, msgs)
		}
	}
	cfg := c.srv.Config()
	st, raw := c.raw("POST", "/token", "", map[string]any{"grant_type": "password", "username": cfg.Username, "password": "wrong pass word",
		"realm": cfg.Realm, "client_id": cfg.ClientID, "client_secret": cfg.ClientSecret})
	if st != 401 || !strings.Contains(string(raw), "wrong pass word") || !strings.Contains(string(raw), cfg.ClientSecret) {
		t.Fatalf("token refusal: %d %s", st, raw)
	}
	c.srv.SetHostile(Hostile{})
	if _, m := c.api("POST", "/orgs/acme/billings", body); strings.Contains(messages(m), sk) {
		t.Fatal("echo without hostile mode")
	}
}

// TestHostileRedirect: requests are answered with a redirect elsewhere.
func TestHostileRedirect(t *testing.T) {
	var got atomic.Int64
	target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { got.Add(1) }))
	t.Cleanup(target.Close)
	c := newClient(t, Config{})
	c.srv.SetHostile(Hostile{RedirectTo: target.URL, RedirectStatus: http.StatusFound, RedirectRoutes: []string{RouteStripeAccount}})
	c.hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.do("GET", c.srv.StripeBase()+"/v1/account?x=1", "sk_test_abc", nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != target.URL+"/v1/account?x=1" {
		t.Fatalf("answer %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if st, _ := c.api("GET", "/orgs/acme", nil); st != 200 {
		t.Fatalf("an API route outside RedirectRoutes: %d", st)
	}
}

// TestHostileRetryAfterAndShapes: the literal Retry-After, odd
// job_queue_status shapes and job fields, an expired static token.
func TestHostileRetryAfterAndShapes(t *testing.T) {
	c := newClient(t, Config{StaticToken: "iam-token-of-an-hour"}) //nolint:gosec // a test token
	c.srv.SetFaults(Faults{Rate429: 1, Routes: []string{RouteOrg}})
	c.srv.SetHostile(Hostile{RetryAfter: "1e300"})
	resp, err := c.do("GET", c.srv.Endpoint()+"/orgs/acme", c.token, nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "1e300" {
		t.Fatalf("429 with Retry-After %q: %d", resp.Header.Get("Retry-After"), resp.StatusCode)
	}
	c.srv.SetFaults(Faults{})

	st, m := c.api("POST", "/orgs/acme/billings", billingBody("Shapes", "ShapeAccount0001", "test", "a"))
	wantStatus(t, st, 201, m)
	if _, ok := c.srv.EnqueueJob("acme", "shapes", "blocked", "declined"); !ok {
		t.Fatal("enqueue")
	}
	c.srv.SetHostile(Hostile{JobQueueShape: `"Running"`, JobFields: map[string]string{"state": `"Blocked"`, "error": `{"message":"card declined"}`}})
	_, m = c.api("GET", "/orgs/acme/billings/shapes", nil)
	if m["job_queue_status"] != "Running" {
		t.Fatalf("job_queue_status = %#v", m["job_queue_status"])
	}
	_, m = c.api("GET", "/orgs/acme/billings/shapes/jobs", nil)
	job := as[map[string]any](t, as[[]any](t, m["results"])[0])
	if job["state"] != "Blocked" || as[map[string]any](t, job["error"])["message"] != "card declined" {
		t.Fatalf("job = %v", job)
	}
	c.srv.SetHostile(Hostile{OmitJobQueue: true})
	_, m = c.api("GET", "/orgs/acme/billings", nil)
	if _, present := as[map[string]any](t, as[[]any](t, m["results"])[0])["job_queue_status"]; present {
		t.Fatal("job_queue_status not omitted from the list")
	}

	if st, _ := c.raw("GET", "/orgs/acme", "iam-token-of-an-hour", nil); st != 200 {
		t.Fatalf("static token: %d", st)
	}
	c.srv.SetHostile(Hostile{StaticTokenExpired: true})
	if st, _ := c.raw("GET", "/orgs/acme", "iam-token-of-an-hour", nil); st != 401 {
		t.Fatalf("expired static token: %d", st)
	}
}

// TestHostileForeignObjectAfterDroppedCreate: the create stores someone
// else's integration of the same name and drops the connection.
func TestHostileForeignObjectAfterDroppedCreate(t *testing.T) {
	c := newClient(t, Config{})
	c.hc.Timeout = 5 * time.Second
	c.srv.SetHostile(Hostile{ForeignOnDroppedCreate: true})
	if resp, err := c.do("POST", c.srv.Endpoint()+"/orgs/acme/billings", c.token, billingBody("Mine", "MineAccount00001", "test", "a")); err == nil {
		_ = resp.Body.Close()
		t.Fatalf("answered %d, want a dropped connection", resp.StatusCode)
	}
	b, ok := c.srv.Billing("acme", "mine")
	if !ok || b.Title == "Mine" || b.AccountID == "acct_MineAccount00001" {
		t.Fatalf("stored %+v, want someone else's integration named mine", b)
	}
	if n := c.srv.Changes(); n != 0 {
		t.Fatalf("%d changes counted for another user's create", n)
	}
}
