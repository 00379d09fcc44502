package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

type client struct {
	t     *testing.T
	srv   *Server
	token string
	hc    *http.Client
}

func newClient(t *testing.T, cfg Config) *client {
	t.Helper()
	srv := NewServer(cfg)
	t.Cleanup(srv.Close)
	c := &client{t: t, srv: srv, hc: &http.Client{Timeout: 10 * time.Second}}
	c.token = c.login()
	return c
}

func (c *client) login() string {
	c.t.Helper()
	cfg := c.srv.Config()
	st, body := c.raw("POST", "/token", "", map[string]any{
		"grant_type": "password", "username": cfg.Username, "password": cfg.Password,
		"realm": cfg.Realm, "client_id": cfg.ClientID, "client_secret": cfg.ClientSecret,
	})
	if st != 200 {
		c.t.Fatalf("login: %d %s", st, body)
	}
	var tr map[string]any
	mustJSON(c.t, body, &tr)
	return as[string](c.t, tr["access_token"])
}

// raw sends a request to endpoint+path and returns status and body.
func (c *client) raw(method, path, token string, body any) (int, []byte) {
	c.t.Helper()
	resp, err := c.do(method, c.srv.Endpoint()+path, token, body)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func (c *client) do(method, url, token string, body any) (*http.Response, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequestWithContext(c.t.Context(), method, url, rd)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return c.hc.Do(req)
}

func (c *client) api(method, path string, body any) (int, map[string]any) {
	c.t.Helper()
	st, b := c.raw(method, path, c.token, body)
	var m map[string]any
	if len(b) > 0 {
		mustJSON(c.t, b, &m)
	}
	return st, m
}

// as returns v as a T, failing the test (rather than panicking) when v
// has another type.
func as[T any](t *testing.T, v any) T {
	t.Helper()
	x, ok := v.(T)
	if !ok {
		t.Fatalf("got %T (%v), want %T", v, v, x)
	}
	return x
}

func mustJSON(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("bad JSON %q: %v", b, err)
	}
}

func billingBody(title, account, mode, variant string) map[string]any {
	pk, sk := StripeKeys(account, mode, variant)
	return map[string]any{
		"title":           title,
		"summary":         "s",
		"integration_url": "https://example.com/api/cloud/integrations/billing/stripe",
		"configuration":   map[string]any{"publishable_key": pk, "full_access_key": sk},
	}
}

func wantStatus(t *testing.T, got, want int, body any) {
	t.Helper()
	if got != want {
		t.Fatalf("status %d, want %d: %v", got, want, body)
	}
}

func messages(m map[string]any) string {
	var parts []string
	if arr, ok := m["message"].([]any); ok {
		for _, x := range arr {
			parts = append(parts, fmt.Sprint(x))
		}
	}
	return strings.Join(parts, " | ")
}

func TestTokenGrants(t *testing.T) {
	c := newClient(t, Config{StaticToken: "iam-token"})
	cfg := c.srv.Config()
	cases := []struct {
		name string
		body map[string]any
		want int
	}{
		{"api_key", map[string]any{"grant_type": "api_key", "api_key": cfg.APIKey, "client_id": cfg.ClientID, "client_secret": cfg.ClientSecret}, 200},
		{"client_credentials", map[string]any{"grant_type": "client_credentials", "client_id": cfg.ClientID, "client_secret": cfg.ClientSecret}, 200},
		{"bad password", map[string]any{"grant_type": "password", "username": cfg.Username, "password": "nope", "realm": cfg.Realm, "client_id": cfg.ClientID, "client_secret": cfg.ClientSecret}, 401},
		{"bad realm", map[string]any{"grant_type": "password", "username": cfg.Username, "password": cfg.Password, "realm": "provider/other", "client_id": cfg.ClientID, "client_secret": cfg.ClientSecret}, 401},
		{"bad api key", map[string]any{"grant_type": "api_key", "api_key": "x", "client_id": cfg.ClientID, "client_secret": cfg.ClientSecret}, 401},
		{"bad client secret", map[string]any{"grant_type": "client_credentials", "client_id": cfg.ClientID, "client_secret": "x"}, 401},
		{"unknown grant", map[string]any{"grant_type": "magic"}, 400},
	}
	for _, tc := range cases {
		st, b := c.raw("POST", "/token", "", tc.body)
		if st != tc.want {
			t.Errorf("%s: status %d want %d (%s)", tc.name, st, tc.want, b)
		}
		if st == 200 {
			var tr map[string]any
			mustJSON(t, b, &tr)
			if tr["token_type"] != "Bearer" || as[float64](t, tr["expires_in"]) != 28800 || tr["access_token"] == "" {
				t.Errorf("%s: token response %v", tc.name, tr)
			}
		} else {
			var e map[string]any
			mustJSON(t, b, &e)
			if as[float64](t, e["status"]) != float64(st) || messages(e) == "" {
				t.Errorf("%s: error body %s", tc.name, b)
			}
		}
	}

	// 401 without or with a bad token; the static token works.
	for _, tok := range []string{"", "garbage"} {
		st, b := c.raw("GET", "/orgs/acme/billings", tok, nil)
		if st != 401 || !strings.Contains(string(b), "Invalid or expired token") {
			t.Errorf("token %q: %d %s", tok, st, b)
		}
	}
	if st, b := c.raw("GET", "/orgs/acme/billings", "iam-token", nil); st != 200 {
		t.Errorf("static token: %d %s", st, b)
	}

	// ExpireTokens invalidates issued tokens, not the static one.
	if st, _ := c.api("GET", "/orgs/acme/billings", nil); st != 200 {
		t.Fatalf("before expiry: %d", st)
	}
	c.srv.ExpireTokens()
	if st, _ := c.api("GET", "/orgs/acme/billings", nil); st != 401 {
		t.Fatalf("after expiry: %d", st)
	}
	if st, _ := c.raw("GET", "/orgs/acme/billings", "iam-token", nil); st != 200 {
		t.Fatalf("static after expiry: %d", st)
	}
	c.token = c.login()
	if st, _ := c.api("GET", "/orgs/acme/billings", nil); st != 200 {
		t.Fatalf("after re-login: %d", st)
	}
	if c.srv.FaultCounts()["token_expired"] != 1 {
		t.Errorf("fault counts %v", c.srv.FaultCounts())
	}
}

func TestFaultTokenTTL(t *testing.T) {
	c := newClient(t, Config{})
	c.srv.SetFaults(Faults{TokenTTL: 50 * time.Millisecond})
	c.token = c.login()
	if st, _ := c.api("GET", "/orgs/acme/billings", nil); st != 200 {
		t.Fatalf("fresh token: %d", st)
	}
	time.Sleep(80 * time.Millisecond)
	if st, _ := c.api("GET", "/orgs/acme/billings", nil); st != 401 {
		t.Fatalf("expired token: %d", st)
	}
}

func TestBillingCreateAndRead(t *testing.T) {
	c := newClient(t, Config{})
	st, b := c.api("POST", "/orgs/acme/billings", billingBody("  Acme Billing -- Main! ", "AcctOne", "test", "r1"))
	wantStatus(t, st, 201, b)
	if b["name"] != "acme-billing-main" || b["title"] != "  Acme Billing -- Main! " {
		t.Errorf("name/title: %v %v", b["name"], b["title"])
	}
	for k, want := range map[string]any{"type": "billing", "api_version": "2.0.0", "scope": "org", "summary": "s"} {
		if b[k] != want {
			t.Errorf("%s = %v, want %v", k, b[k], want)
		}
	}
	pk, sk := StripeKeys("AcctOne", "test", "r1")
	conf := as[map[string]any](t, b["configuration"])
	if conf["full_access_key"] != "********" || conf["publishable_key"] != pk {
		t.Errorf("configuration %v", conf)
	}
	md := as[map[string]any](t, b["metadata"])
	if md["testmode"] != "true" || md["account_id"] != "acct_AcctOne000000000" || md["account_id"] != StripeAccountID("AcctOne") {
		t.Errorf("metadata %v", md)
	}
	jq := as[map[string]any](t, b["job_queue_status"])
	if jq["state"] != "idle" || as[float64](t, jq["pending_jobs"]) != 0 || jq["blocked_reason"] != "" {
		t.Errorf("job_queue_status %v", jq)
	}
	orgID, _ := c.srv.OrgID("acme")
	id := as[string](t, b["id"])
	if want := c.srv.HTTP.URL + "/api/orgs/" + orgID + "/billings/" + id; b["url"] != want {
		t.Errorf("url %v want %v", b["url"], want)
	}
	if _, err := time.Parse("2006-01-02T15:04:05.000Z", as[string](t, b["created_at"])); err != nil {
		t.Errorf("created_at: %v", err)
	}
	sb, ok := c.srv.Billing("acme", id)
	if !ok || sb.SecretKey != sk || sb.Mode != "test" || sb.AccountID != "acct_AcctOne000000000" || sb.Name != "acme-billing-main" {
		t.Errorf("stored %+v", sb)
	}

	// get by name, by id, via org id
	for _, p := range []string{"/orgs/acme/billings/acme-billing-main", "/orgs/acme/billings/" + id, "/orgs/" + orgID + "/billings/" + id} {
		st, g := c.api("GET", p, nil)
		wantStatus(t, st, 200, g)
		if g["id"] != id {
			t.Errorf("%s: id %v", p, g["id"])
		}
		raw, _ := json.Marshal(g)
		if strings.Contains(string(raw), sk) {
			t.Errorf("secret key leaked in %s", raw)
		}
	}
	st, nf := c.api("GET", "/orgs/acme/billings/nope", nil)
	wantStatus(t, st, 404, nf)
	if as[float64](t, nf["status"]) != 404 || messages(nf) == "" {
		t.Errorf("404 body %v", nf)
	}
	if st, _ := c.api("GET", "/orgs/other/billings", nil); st != 404 {
		t.Errorf("unknown org: %d", st)
	}
	if st, _ := c.api("PUT", "/orgs/acme/billings/"+id, map[string]any{}); st != 405 {
		t.Errorf("PUT: %d", st)
	}

	// duplicate name -> 409
	st, d := c.api("POST", "/orgs/acme/billings", billingBody("Acme Billing Main", "AcctTwo", "test", ""))
	wantStatus(t, st, 409, d)

	if c.srv.Count("POST", RouteBillings) != 2 || c.srv.Count("GET", RouteStripeAccount) != 1 {
		t.Errorf("counts %v", c.srv.Counts())
	}
}

func TestBillingCreateValidation(t *testing.T) {
	c := newClient(t, Config{})
	pkT, skT := StripeKeys("A", "test", "")
	pkL, skL := StripeKeys("A", "live", "")
	iu := "https://x/api/cloud/integrations/billing/stripe"
	body := func(mut func(m map[string]any)) map[string]any {
		m := map[string]any{"name": "b1", "title": "B1", "integration_url": iu,
			"configuration": map[string]any{"publishable_key": pkT, "full_access_key": skT}}
		mut(m)
		return m
	}
	cases := []struct {
		name string
		body map[string]any
	}{
		{"no integration_url", body(func(m map[string]any) { delete(m, "integration_url") })},
		{"job_queue_status", body(func(m map[string]any) { m["job_queue_status"] = map[string]any{} })},
		{"no secret", body(func(m map[string]any) { m["configuration"] = map[string]any{"publishable_key": pkT} })},
		{"no publishable", body(func(m map[string]any) { m["configuration"] = map[string]any{"full_access_key": skT} })},
		{"mixed modes", body(func(m map[string]any) {
			m["configuration"] = map[string]any{"publishable_key": pkL, "full_access_key": skT}
		})},
		{"swapped", body(func(m map[string]any) {
			m["configuration"] = map[string]any{"publishable_key": skT, "full_access_key": pkT}
		})},
		{"stripe rejects short key", body(func(m map[string]any) {
			m["configuration"] = map[string]any{"publishable_key": "pk_test_x", "full_access_key": "sk_test_tooShortSecret"}
		})},
		{"bad name", body(func(m map[string]any) { m["name"] = "Bad Name" })},
	}
	for _, tc := range cases {
		st, b := c.api("POST", "/orgs/acme/billings", tc.body)
		if st != 400 {
			t.Errorf("%s: %d %v", tc.name, st, b)
			continue
		}
		raw, _ := json.Marshal(b)
		if strings.Contains(string(raw), "sk_test_tooShortSecret") || strings.Contains(string(raw), skT) {
			t.Errorf("%s: key leaked: %s", tc.name, raw)
		}
	}
	// ignored fields, live keys
	st, b := c.api("POST", "/orgs/acme/billings", body(func(m map[string]any) {
		m["id"], m["url"], m["type"], m["created_at"] = "x", "y", "z", "w"
		m["configuration"] = map[string]any{"publishable_key": pkL, "full_access_key": skL}
	}))
	wantStatus(t, st, 201, b)
	if b["id"] == "x" || as[map[string]any](t, b["metadata"])["testmode"] != "false" {
		t.Errorf("created %v", b)
	}
	if len(c.srv.Billings("acme")) != 1 {
		t.Errorf("billings %v", c.srv.Billings("acme"))
	}
}

func TestListPaging(t *testing.T) {
	c := newClient(t, Config{})
	for i := 0; i < 5; i++ {
		st, b := c.api("POST", "/orgs/acme/billings", billingBody(fmt.Sprintf("B %d", i), "Acct", "test", fmt.Sprint(i)))
		wantStatus(t, st, 201, b)
	}
	st, all := c.api("GET", "/orgs/acme/billings", nil)
	wantStatus(t, st, 200, all)
	if as[float64](t, all["total_results"]) != 5 || len(as[[]any](t, all["results"])) != 5 {
		t.Fatalf("list %v", all)
	}
	st, pg := c.api("GET", "/orgs/acme/billings?limit=2&offset=3", nil)
	wantStatus(t, st, 200, pg)
	res := as[[]any](t, pg["results"])
	if as[float64](t, pg["total_results"]) != 5 || len(res) != 2 || as[map[string]any](t, res[0])["name"] != "b-3" || as[map[string]any](t, res[1])["name"] != "b-4" {
		t.Fatalf("page %v", pg)
	}
	st, empty := c.api("GET", "/orgs/acme/billings?offset=10", nil)
	wantStatus(t, st, 200, empty)
	if r, ok := empty["results"].([]any); !ok || len(r) != 0 {
		t.Errorf("empty page %v", empty)
	}
	if st, _ := c.api("GET", "/orgs/acme/billings?limit=x", nil); st != 400 {
		t.Errorf("bad limit: %d", st)
	}
	if reqs := c.srv.Requests(); reqs[len(reqs)-1].Query != "limit=x" {
		t.Errorf("journal query %q", reqs[len(reqs)-1].Query)
	}
}

func TestPatchRules(t *testing.T) {
	c := newClient(t, Config{})
	st, b := c.api("POST", "/orgs/acme/billings", billingBody("Rot", "AcctOne", "test", "r1"))
	wantStatus(t, st, 201, b)
	before, _ := c.srv.Billing("acme", "rot")

	// rotation within account and mode
	pk2, sk2 := StripeKeys("AcctOne", "test", "r2")
	st, p := c.api("PATCH", "/orgs/acme/billings/rot", map[string]any{
		"title": "Rotated", "configuration": map[string]any{"publishable_key": pk2, "full_access_key": sk2}})
	wantStatus(t, st, 200, p)
	after, _ := c.srv.Billing("acme", "rot")
	if after.SecretKey != sk2 || after.PublishableKey != pk2 || after.Title != "Rotated" || !after.UpdatedAt.After(before.UpdatedAt) {
		t.Errorf("after rotation %+v", after)
	}
	if as[map[string]any](t, p["configuration"])["full_access_key"] != "********" {
		t.Errorf("patch response not masked")
	}

	// other account -> 400, nothing changes
	pk3, sk3 := StripeKeys("AcctTwo", "test", "r1")
	st, e := c.api("PATCH", "/orgs/acme/billings/rot", map[string]any{
		"title": "Should not apply", "configuration": map[string]any{"publishable_key": pk3, "full_access_key": sk3}})
	wantStatus(t, st, 400, e)
	if !strings.Contains(messages(e), KeySwapMessage) {
		t.Errorf("message %v", e)
	}
	// to live (same account) -> 400
	pk4, sk4 := StripeKeys("AcctOne", "live", "r1")
	st, e = c.api("PATCH", "/orgs/acme/billings/rot", map[string]any{
		"configuration": map[string]any{"publishable_key": pk4, "full_access_key": sk4}})
	wantStatus(t, st, 400, e)
	if !strings.Contains(messages(e), KeySwapMessage) {
		t.Errorf("message %v", e)
	}
	// only a live publishable key -> 400
	st, e = c.api("PATCH", "/orgs/acme/billings/rot", map[string]any{"configuration": map[string]any{"publishable_key": pk4}})
	wantStatus(t, st, 400, e)
	unchanged, _ := c.srv.Billing("acme", "rot")
	if unchanged != after {
		t.Errorf("changed after rejected patches:\n%+v\n%+v", unchanged, after)
	}

	// other rules
	for name, body := range map[string]map[string]any{
		"null integration_url": {"integration_url": nil},
		"job_queue_status":     {"job_queue_status": map[string]any{"state": "idle"}},
		"rename":               {"name": "other"},
	} {
		if st, e := c.api("PATCH", "/orgs/acme/billings/rot", body); st != 400 {
			t.Errorf("%s: %d %v", name, st, e)
		}
	}
	// same name, masked key echo, summary only: fine
	st, p = c.api("PATCH", "/orgs/acme/billings/rot", map[string]any{"name": "rot", "summary": "new",
		"configuration": map[string]any{"full_access_key": "********"}})
	wantStatus(t, st, 200, p)
	if p["summary"] != "new" || p["title"] != "Rotated" {
		t.Errorf("patched %v", p)
	}
	if st, _ := c.api("PATCH", "/orgs/acme/billings/missing", map[string]any{"title": "x"}); st != 404 {
		t.Errorf("missing: %d", st)
	}
}

func TestCatalogsAndConfiguredBillings(t *testing.T) {
	c := newClient(t, Config{})
	st, cat := c.api("GET", "/catalogs/acme/sandbox", nil)
	wantStatus(t, st, 200, cat)
	if cat["type"] != "catalog" || cat["name"] != "sandbox" || cat["title"] != "Sandbox" || cat["id"] == "" {
		t.Errorf("catalog %v", cat)
	}
	for name, want := range map[string]bool{"sandbox": false, "production": true, "test": false} {
		st, s := c.api("GET", "/catalogs/acme/"+name+"/settings", nil)
		wantStatus(t, st, 200, s)
		if s["production_mode"] != want || s["type"] != "catalog_setting" {
			t.Errorf("%s settings %v", name, s)
		}
	}
	if st, _ := c.api("GET", "/catalogs/acme/nope", nil); st != 404 {
		t.Errorf("unknown catalog: %d", st)
	}

	st, b := c.api("POST", "/orgs/acme/billings", billingBody("Main", "AcctOne", "live", ""))
	wantStatus(t, st, 201, b)
	burl := as[string](t, b["url"])
	bid := as[string](t, b["id"])

	var cbIDs []string
	for _, catName := range []string{"sandbox", "production"} {
		st, cb := c.api("POST", "/catalogs/acme/"+catName+"/configured-billings", map[string]any{"billing_url": burl})
		wantStatus(t, st, 201, cb)
		if cb["type"] != "configured_billing" || cb["name"] != bid || cb["original_id"] != bid || cb["billing_url"] != burl ||
			cb["scope"] != "catalog" || as[map[string]any](t, cb["configuration"])["full_access_key"] != "********" ||
			as[map[string]any](t, cb["metadata"])["account_id"] != StripeAccountID("AcctOne") {
			t.Errorf("configured billing %v", cb)
		}
		catID, _ := c.srv.CatalogID("acme", catName)
		orgID, _ := c.srv.OrgID("acme")
		if want := c.srv.HTTP.URL + "/api/catalogs/" + orgID + "/" + catID + "/configured-billings/" + as[string](t, cb["id"]); cb["url"] != want {
			t.Errorf("url %v want %v", cb["url"], want)
		}
		cbIDs = append(cbIDs, as[string](t, cb["id"]))
	}
	// a name-based billing_url works too; twice in one catalog -> 409
	st, dup := c.api("POST", "/catalogs/acme/sandbox/configured-billings", map[string]any{"billing_url": "https://elsewhere/api/orgs/acme/billings/main"})
	wantStatus(t, st, 409, dup)
	for name, tc := range map[string]struct {
		body map[string]any
		want int
	}{
		"missing":       {map[string]any{}, 400},
		"not a billing": {map[string]any{"billing_url": "https://x/api/catalogs/a/b"}, 400},
		"unknown":       {map[string]any{"billing_url": "https://x/api/orgs/acme/billings/nope"}, 404},
		"other org":     {map[string]any{"billing_url": "https://x/api/orgs/other/billings/main"}, 404},
	} {
		if st, e := c.api("POST", "/catalogs/acme/test/configured-billings", tc.body); st != tc.want {
			t.Errorf("%s: %d %v", name, st, e)
		}
	}
	if got := c.srv.ConfiguredBillings("acme", "sandbox"); len(got) != 1 || got[0].BillingID != bid || got[0].Catalog != "sandbox" {
		t.Errorf("stored configured %+v", got)
	}
	st, list := c.api("GET", "/catalogs/acme/sandbox/configured-billings", nil)
	wantStatus(t, st, 200, list)
	if as[float64](t, list["total_results"]) != 1 {
		t.Errorf("list %v", list)
	}
	st, g := c.api("GET", "/catalogs/acme/sandbox/configured-billings/"+cbIDs[0], nil)
	wantStatus(t, st, 200, g)
	if st, _ := c.api("PATCH", "/catalogs/acme/sandbox/configured-billings/"+cbIDs[0], map[string]any{}); st != 405 {
		t.Errorf("PATCH configured: %d", st)
	}

	// delete while configured -> 409 naming the catalogs
	st, e := c.api("DELETE", "/orgs/acme/billings/main", nil)
	wantStatus(t, st, 409, e)
	if want := "Billing integration 'main' is still configured in catalogs: production, sandbox; remove it from those catalogs first"; messages(e) != want {
		t.Errorf("message %q", messages(e))
	}
	for i, catName := range []string{"sandbox", "production"} {
		st, d := c.api("DELETE", "/catalogs/acme/"+catName+"/configured-billings/"+cbIDs[i], nil)
		wantStatus(t, st, 200, d)
	}
	if st, _ := c.api("GET", "/catalogs/acme/sandbox/configured-billings/"+cbIDs[0], nil); st != 404 {
		t.Errorf("deleted configured still there: %d", st)
	}
	st, d := c.api("DELETE", "/orgs/acme/billings/main", nil)
	wantStatus(t, st, 200, d)
	if d["id"] != bid {
		t.Errorf("deleted %v", d)
	}
	if st, _ := c.api("DELETE", "/orgs/acme/billings/main", nil); st != 404 {
		t.Errorf("second delete: %d", st)
	}
}

func TestJobs(t *testing.T) {
	c := newClient(t, Config{})
	st, b := c.api("POST", "/orgs/acme/billings", billingBody("Jobs", "AcctOne", "test", ""))
	wantStatus(t, st, 201, b)
	j1, ok := c.srv.EnqueueJob("acme", "jobs", "blocked", "Stripe API key rolled")
	if !ok {
		t.Fatal("enqueue")
	}
	if _, ok := c.srv.EnqueueJob("acme", "jobs", "running", ""); !ok {
		t.Fatal("enqueue 2")
	}
	if _, ok := c.srv.EnqueueJob("acme", "jobs", "weird", ""); ok {
		t.Fatal("bad state accepted")
	}
	_, g := c.api("GET", "/orgs/acme/billings/jobs", nil)
	jq := as[map[string]any](t, g["job_queue_status"])
	if jq["state"] != "blocked" || as[float64](t, jq["pending_jobs"]) != 2 || jq["blocked_reason"] != "Stripe API key rolled" {
		t.Errorf("job_queue_status %v", jq)
	}
	st, list := c.api("GET", "/orgs/acme/billings/jobs/jobs", nil)
	wantStatus(t, st, 200, list)
	res := as[[]any](t, list["results"])
	if as[float64](t, list["total_results"]) != 2 || as[map[string]any](t, res[0])["id"] != j1 || as[map[string]any](t, res[0])["state"] != "blocked" || as[map[string]any](t, res[0])["error"] != "Stripe API key rolled" {
		t.Errorf("jobs %v", list)
	}
	st, r := c.api("POST", "/orgs/acme/billings/jobs/jobs/"+j1+"/retry", nil)
	wantStatus(t, st, 200, r)
	if r["id"] != j1 || r["state"] != "running" {
		t.Errorf("retry %v", r)
	}
	_, g = c.api("GET", "/orgs/acme/billings/jobs", nil)
	jq = as[map[string]any](t, g["job_queue_status"])
	if jq["state"] != "running" || as[float64](t, jq["pending_jobs"]) != 1 || jq["blocked_reason"] != "" {
		t.Errorf("after retry %v", jq)
	}
	if st, _ := c.api("POST", "/orgs/acme/billings/jobs/jobs/"+j1+"/retry", nil); st != 404 {
		t.Errorf("retry gone job: %d", st)
	}
	if st, _ := c.api("GET", "/orgs/acme/billings/nope/jobs", nil); st != 404 {
		t.Errorf("jobs of unknown billing: %d", st)
	}
}

// NoJobRetry: the retry path answers 404 like an unknown path; the job stays.
func TestNoJobRetry(t *testing.T) {
	c := newClient(t, Config{NoJobRetry: true})
	st, b := c.api("POST", "/orgs/acme/billings", billingBody("Jobs", "AcctOne", "test", ""))
	wantStatus(t, st, 201, b)
	j1, ok := c.srv.EnqueueJob("acme", "jobs", "blocked", "Stripe API key rolled")
	if !ok {
		t.Fatal("enqueue")
	}
	st, r := c.api("POST", "/orgs/acme/billings/jobs/jobs/"+j1+"/retry", nil)
	wantStatus(t, st, 404, r)
	st, list := c.api("GET", "/orgs/acme/billings/jobs/jobs", nil)
	wantStatus(t, st, 200, list)
	if as[float64](t, list["total_results"]) != 1 {
		t.Errorf("jobs after an unserved retry: %v", list)
	}
}

func TestFaults429And503(t *testing.T) {
	c := newClient(t, Config{})
	c.srv.SetFaults(Faults{Rate429: 1, RetryAfter: 1500 * time.Millisecond})
	resp, err := c.do("GET", c.srv.Endpoint()+"/orgs/acme/billings", c.token, nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "2" || !strings.Contains(string(body), `"status":429`) {
		t.Errorf("429: %d %q %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	// the token endpoint is spared
	c.token = c.login()

	c.srv.SetFaults(Faults{Rate503: 1, Routes: []string{RouteCatalog}})
	if st, _ := c.api("GET", "/catalogs/acme/sandbox", nil); st != 503 {
		t.Errorf("503 route: %d", st)
	}
	if st, _ := c.api("GET", "/catalogs/acme/sandbox/settings", nil); st != 200 {
		t.Errorf("other route: %d", st)
	}
	fc := c.srv.FaultCounts()
	if fc["429"] != 1 || fc["503"] != 1 {
		t.Errorf("fault counts %v", fc)
	}

	// a partial rate is deterministic for a seed and roughly right
	c.srv.SetFaults(Faults{Rate429: 0.5})
	n429 := 0
	for i := 0; i < 200; i++ {
		if st, _ := c.api("GET", "/catalogs/acme/sandbox", nil); st == 429 {
			n429++
		}
	}
	if n429 < 60 || n429 > 140 {
		t.Errorf("429s at 0.5: %d/200", n429)
	}
	c.srv.SetFaults(Faults{})
}

func TestFaultResetAndCommitDrop(t *testing.T) {
	c := newClient(t, Config{})
	c.srv.SetFaults(Faults{RateReset: 1})
	if resp, err := c.do("GET", c.srv.Endpoint()+"/orgs/acme/billings", c.token, nil); err == nil {
		_ = resp.Body.Close()
		t.Errorf("reset: expected a transport error")
	}
	c.srv.SetFaults(Faults{RateCommitDrop: 1})
	// GETs are unaffected by commit-drop
	if st, _ := c.api("GET", "/orgs/acme/billings", nil); st != 200 {
		t.Errorf("GET under commit drop: %d", st)
	}
	if resp, err := c.do("POST", c.srv.Endpoint()+"/orgs/acme/billings", c.token, billingBody("Dropped", "AcctOne", "test", "")); err == nil {
		_ = resp.Body.Close()
		t.Errorf("commit drop: expected a transport error")
	}
	if _, ok := c.srv.Billing("acme", "dropped"); !ok {
		t.Errorf("commit drop: object not stored")
	}
	fc := c.srv.FaultCounts()
	if fc["reset"] < 1 || fc["commit_drop"] < 1 {
		t.Errorf("fault counts %v", fc)
	}
	var dropped bool
	for _, r := range c.srv.Requests() {
		if r.Method == "POST" && r.Route == RouteBillings && r.Status == 0 {
			dropped = true
		}
	}
	if !dropped {
		t.Errorf("journal does not show the dropped POST")
	}
	c.srv.SetFaults(Faults{})
	// a retry of the create now sees 409
	if st, _ := c.api("POST", "/orgs/acme/billings", billingBody("Dropped", "AcctOne", "test", "")); st != 409 {
		t.Errorf("retry after drop: %d", st)
	}
}

func TestStripeFake(t *testing.T) {
	srv := NewServer(Config{})
	defer srv.Close()
	get := func(key string, basic bool) (int, map[string]any) {
		req, _ := http.NewRequestWithContext(t.Context(), "GET", srv.StripeBase()+"/v1/account", nil)
		if basic {
			req.SetBasicAuth(key, "")
		} else if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		b, _ := io.ReadAll(resp.Body)
		mustJSON(t, b, &m)
		return resp.StatusCode, m
	}
	pkT, skT := StripeKeys("Acct-One!", "test", "xyz")
	_, skL := StripeKeys("Acct-One!", "live", "other")
	if pkT != "pk_test_AcctOne000000000xyz" || skT != "sk_test_AcctOne000000000xyz" {
		t.Errorf("StripeKeys: %s %s", pkT, skT)
	}
	for _, key := range []string{skT, skL, "rk_test_ABCDEFGHIJKLMNOP", "sk_live_ABCDEFGHIJKLMNOP_extra"} {
		for _, basic := range []bool{false, true} {
			st, m := get(key, basic)
			acct, _, _ := StripeAccountForKey(key)
			if st != 200 || m["object"] != "account" || m["id"] != acct || !strings.HasPrefix(acct, "acct_") {
				t.Errorf("%s: %d %v", key, st, m)
			}
		}
	}
	if _, m := get(skL, false); m["id"] != StripeAccountID("Acct-One!") {
		t.Errorf("live key of same account: %v", m["id"])
	}
	st, m := get("sk_test_short1234", false)
	msg := as[string](t, as[map[string]any](t, m["error"])["message"])
	if st != 401 || msg != "Invalid API Key provided: sk_test_****1234" {
		t.Errorf("short key: %d %q", st, msg)
	}
	if st, m := get("sk_test_ABCDEFGH-JKLMNOP1", false); st != 401 {
		t.Errorf("non-alnum: %d %v", st, m)
	}
	st, m = get(pkT, false)
	if st != 401 || as[map[string]any](t, m["error"])["message"] != publishableKeyMessage {
		t.Errorf("publishable: %d %v", st, m)
	}
	if st, _ := get("", false); st != 401 {
		t.Errorf("no key: %d", st)
	}
	srv.SetFaults(Faults{StripeDown: true})
	if st, _ := get(skT, false); st != 503 {
		t.Errorf("stripe down: %d", st)
	}
	if srv.Count("GET", RouteStripeAccount) != 14 {
		t.Errorf("stripe count %d", srv.Count("GET", RouteStripeAccount))
	}
}

func TestExternalStripeBase(t *testing.T) {
	stripeSrv := NewServer(Config{})
	defer stripeSrv.Close()
	c := newClient(t, Config{StripeBase: stripeSrv.StripeBase()})
	st, b := c.api("POST", "/orgs/acme/billings", billingBody("Ext", "AcctOne", "test", ""))
	wantStatus(t, st, 201, b)
	if stripeSrv.Count("GET", RouteStripeAccount) != 1 || c.srv.Count("GET", RouteStripeAccount) != 0 {
		t.Errorf("stripe calls: ext %d local %d", stripeSrv.Count("GET", RouteStripeAccount), c.srv.Count("GET", RouteStripeAccount))
	}
	stripeSrv.SetFaults(Faults{StripeDown: true})
	st, e := c.api("POST", "/orgs/acme/billings", billingBody("Ext2", "AcctOne", "test", ""))
	if st != 502 {
		t.Errorf("stripe down: %d %v", st, e)
	}
	if _, ok := c.srv.Billing("acme", "ext2"); ok {
		t.Errorf("stored despite Stripe outage")
	}
}

func TestConcurrentCreates(t *testing.T) {
	c := newClient(t, Config{})
	c.srv.SetFaults(Faults{Rate429: 0.2, Latency: time.Millisecond})
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for {
				resp, err := c.do("POST", c.srv.Endpoint()+"/orgs/acme/billings", c.token, billingBody(fmt.Sprintf("C %d", i), "Acct", "test", fmt.Sprint(i)))
				if err != nil {
					t.Error(err)
					return
				}
				_ = resp.Body.Close()
				if resp.StatusCode != 429 {
					if resp.StatusCode != 201 {
						t.Errorf("status %d", resp.StatusCode)
					}
					return
				}
			}
		}(i)
	}
	wg.Wait()
	if n := len(c.srv.Billings("acme")); n != 20 {
		t.Errorf("billings: %d", n)
	}
	_ = c.srv.Requests()
	_ = c.srv.Counts()
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{"Acme Billing": "acme-billing", "  --Hello,  World!! 2 ": "hello-world-2", "ÄÖ x": "x", "": ""} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q want %q", in, got, want)
		}
	}
}

func TestTLSServerAndUnmatched(t *testing.T) {
	srv := NewTLSServer(Config{Org: "other", StaticToken: "tok"})
	defer srv.Close()
	if !strings.HasPrefix(srv.Endpoint(), "https://") {
		t.Fatalf("endpoint %s", srv.Endpoint())
	}
	hc := srv.HTTP.Client()
	get := func(path string) (int, map[string]any) {
		req, _ := http.NewRequestWithContext(t.Context(), "GET", srv.Endpoint()+path, nil)
		req.Header.Set("Authorization", "Bearer tok")
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		b, _ := io.ReadAll(resp.Body)
		mustJSON(t, b, &m)
		return resp.StatusCode, m
	}
	st, cat := get("/catalogs/other/production")
	wantStatus(t, st, 200, cat)
	if !strings.HasPrefix(as[string](t, cat["url"]), srv.HTTP.URL+"/api/catalogs/") {
		t.Errorf("catalog url %v", cat["url"])
	}
	if st, m := get("/nothing/here"); st != 404 || as[float64](t, m["status"]) != 404 {
		t.Errorf("unmatched: %d %v", st, m)
	}
	if srv.Count("GET", RouteUnmatched) != 1 {
		t.Errorf("counts %v", srv.Counts())
	}
	if st, _ := get("/catalogs/acme/sandbox"); st != 404 {
		t.Errorf("default org should not exist: %d", st)
	}
}

func TestStripeDownInProcess(t *testing.T) {
	c := newClient(t, Config{})
	c.srv.SetFaults(Faults{StripeDown: true})
	st, e := c.api("POST", "/orgs/acme/billings", billingBody("Down", "AcctOne", "test", ""))
	if st != 502 || messages(e) == "" {
		t.Errorf("create with Stripe down: %d %v", st, e)
	}
	if c.srv.FaultCounts()["stripe_down"] != 1 {
		t.Errorf("fault counts %v", c.srv.FaultCounts())
	}
}
