package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

// manyIntegrations is n integrations whose password comes from a sensitive
// variable.
func manyIntegrations(n int) string {
	var b strings.Builder
	b.WriteString("variable \"password\" {\n  type = string\n  sensitive = true\n}\n")
	for i := range n {
		fmt.Fprintf(&b, `
resource "apiconnect_billing_integration" "i%d" {
  title           = "Lockout %d"
  publishable_key = %q
  secret_key      = %q
}
`, i, i, pkOneTest, skOneTest)
	}
	return b.String()
}

// TestAccWrongPasswordOneTokenRequest: a refused login is remembered for the
// provider process (here the test process, which serves the provider to
// every step), so plans of many resources with a wrong password, run again
// and again, cost a single POST /token: an account lockout counts failed
// logins.
func TestAccWrongPasswordOneTokenRequest(t *testing.T) {
	e := newAccEnv(t)
	const n = 8
	cfg := e.providerConfig(map[string]string{"password": "var.password"}) + manyIntegrations(n)
	step := resource.TestStep{
		Config:          cfg,
		ConfigVariables: config.Variables{"password": config.StringVariable("Wrong-Passw0rd-123")},
		PlanOnly:        true,
		ExpectError:     regexp.MustCompile(`(?s)The platform refused the credentials`),
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{step, step, step},
	})
	if t.Skipped() {
		return
	}
	if got := e.srv.Count("POST", emulator.RouteToken); got != 1 {
		t.Fatalf("POST /token = %d for 3 plans of %d resources, want 1", got, n)
	}
}

// hostileIntegration is one integration whose secrets come from sensitive
// variables.
const hostileIntegration = `
variable "password" {
  type      = string
  sensitive = true
}
variable "secret_key" {
  type      = string
  sensitive = true
}
variable "client_secret" {
  type      = string
  sensitive = true
}
resource "apiconnect_billing_integration" "test" {
  title           = "Hostile"
  publishable_key = %q
  secret_key      = var.secret_key
}
`

// hostileVars are the variables of hostileIntegration for emulator e.
func (e *accEnv) hostileVars() config.Variables {
	c := e.srv.Config()
	return config.Variables{"password": config.StringVariable(c.Password), "secret_key": config.StringVariable(skOneTest),
		"client_secret": config.StringVariable(c.ClientSecret)}
}

// hostileConfig is the provider (password from the variable, attrs
// overriding) and hostileIntegration.
func (e *accEnv) hostileConfig(attrs map[string]string) string {
	all := map[string]string{"password": "var.password", "client_secret": "var.client_secret"} //nolint:gosec // variable references
	for k, v := range attrs {
		all[k] = v
	}
	return e.providerConfig(all) + fmt.Sprintf(hostileIntegration, pkOneTest)
}

// collector is a server that counts the requests it receives and those that
// carried an Authorization header.
type collector struct {
	srv            *httptest.Server
	requests, auth atomic.Int64
}

func newCollector(t *testing.T) *collector {
	c := &collector{}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.requests.Add(1)
		if r.Header.Get("Authorization") != "" {
			c.auth.Add(1)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"acct_Collector000000001","object":"account","access_token":"x"}`))
	}))
	t.Cleanup(c.srv.Close)
	return c
}

// TestAccHostileRedirects: a platform or Stripe base that answers with a
// redirect to another port of the same host gets an error naming it; no
// request follows the redirect, so neither the bearer token, the login nor
// the secret key reaches the other server; nothing changes.
func TestAccHostileRedirects(t *testing.T) {
	for _, tc := range []struct {
		name   string
		routes []string
		expect *regexp.Regexp
	}{
		{"Stripe account lookup", []string{emulator.RouteStripeAccount}, words(`Stripe answered 307 Temporary Redirect to GET /v1/account: a redirect to .* not followed (it would carry the secret key)`)},
		{"token request", []string{emulator.RouteToken}, words(`POST /token: Temporary Redirect (307)`)},
		{"platform API", []string{emulator.RouteOrg}, words(`GET /orgs/acme: Temporary Redirect (307)`)},
	} {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			e := newAccEnv(t)
			target := newCollector(t)
			e.srv.SetHostile(emulator.Hostile{RedirectTo: target.srv.URL, RedirectRoutes: tc.routes})
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: e.hostileConfig(nil), ConfigVariables: e.hostileVars(), PlanOnly: true, ExpectError: tc.expect},
					{Config: e.hostileConfig(nil), ConfigVariables: e.hostileVars(), ExpectError: tc.expect},
				},
			})
			if t.Skipped() {
				return
			}
			if n := target.requests.Load(); n != 0 {
				t.Fatalf("the redirect target received %d requests (%d with Authorization)", n, target.auth.Load())
			}
			e.assertNoWrites(t)
		})
	}
}

// TestAccHostileRetryAfter: 429 answers with an absurd Retry-After (NaN,
// Inf, 1e300) are retried after a real wait, the capped Retry-After or the
// jittered backoff, never at once, and the plan reports the 429.
func TestAccHostileRetryAfter(t *testing.T) {
	for _, value := range []string{"1e300", "NaN", "Inf", "-Inf"} {
		t.Run(value, func(t *testing.T) {
			e := newAccEnv(t)
			stats := watchClient(e.srv.Endpoint(), 5*time.Millisecond, 10*time.Millisecond)
			stats.maxRetryAfter = 40 * time.Millisecond
			e.srv.SetFaults(emulator.Faults{Rate429: 1, Routes: []string{emulator.RouteOrg}})
			e.srv.SetHostile(emulator.Hostile{RetryAfter: value})
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: e.hostileConfig(map[string]string{"max_retries": "2"}), ConfigVariables: e.hostileVars(), PlanOnly: true,
					ExpectError: words(`GET /orgs/acme: Too Many Requests (429): .* (giving up after 3 attempts)`),
				}},
			})
			if t.Skipped() {
				return
			}
			stats.waitsMu.Lock()
			defer stats.waitsMu.Unlock()
			if n := e.srv.Count(http.MethodGet, emulator.RouteOrg); n != 3 {
				t.Fatalf("%d GET %s, want 3 (the call and 2 retries)", n, emulator.RouteOrg)
			}
			if len(stats.waits) != 2 {
				t.Fatalf("%d retry waits, want 2", len(stats.waits))
			}
			for _, w := range stats.waits {
				d, err := time.ParseDuration(w)
				if err != nil || d < 5*time.Millisecond || d > 40*time.Millisecond {
					t.Errorf("Retry-After %s: a retry waited %q, want between the backoff minimum and the cap", value, w)
				}
			}
		})
	}
}

// TestAccForeignObjectNotAdopted: when a create's answer is lost and
// someone else's integration of the same name is found, the apply fails
// naming it; nothing is written to state, and it is neither changed nor
// deleted (the destroy at the end of the test leaves it).
func TestAccForeignObjectNotAdopted(t *testing.T) {
	e := newAccEnv(t)
	e.srv.SetHostile(emulator.Hostile{ForeignOnDroppedCreate: true})
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			b, ok := e.srv.Billing(e.org, "hostile")
			if !ok || b.Title != "Someone else's hostile" {
				return fmt.Errorf("someone else's integration is gone or changed: %+v", b)
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: e.hostileConfig(nil), ConfigVariables: e.hostileVars(),
			ExpectError: words(`A billing integration of this name exists and is not this one .* "hostile" whose title, publishable key, integration URL differ .* Nothing was written to state`),
		}},
	})
	if t.Skipped() {
		return
	}
	for _, r := range e.srv.Requests() {
		if r.Method == http.MethodDelete || r.Method == http.MethodPatch {
			t.Errorf("the platform received %s %s", r.Method, r.Path)
		}
	}
}

// TestAccHostileEchoedSecrets: a platform that echoes credentials in its
// error bodies (a refused login, a failed create) and puts them in a job's
// error: with TF_LOG=TRACE, neither the passwords (one long and with
// spaces), the client secret, the Stripe secret key nor any bearer token
// appears in the log, the CLI's error output or the state; the job's
// blocked_reason reaches state redacted.
func TestAccHostileEchoedSecrets(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	logPath := traceLog(t)
	e := newAccEnv(t)
	e.srv.SetHostile(emulator.Hostile{EchoSecrets: true})
	c := e.srv.Config()
	wrong := "Wrong Passw0rd with spaces " + strings.Repeat("and-length-", 60)
	cfg := e.hostileConfig(map[string]string{"max_retries": "0"})
	good := e.hostileVars()
	bad := e.hostileVars()
	bad["password"] = config.StringVariable(wrong)

	var mu sync.Mutex
	var want *regexp.Regexp
	var outputs []string
	expect := func(re *regexp.Regexp) { mu.Lock(); want = re; mu.Unlock() }
	var states []string
	keepState := func(s *terraform.State) error { states = append(states, s.String()); return nil }
	accTestSerial(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkDestroyed,
		// Records each error output; an expected one lets the test go on.
		ErrorCheck: func(err error) error {
			mu.Lock()
			defer mu.Unlock()
			outputs = append(outputs, err.Error())
			if want == nil || !want.MatchString(err.Error()) {
				return err
			}
			want = nil
			return nil
		},
		Steps: []resource.TestStep{
			{
				PreConfig: func() { expect(words(`The platform refused the credentials`)) },
				Config:    cfg, ConfigVariables: bad, PlanOnly: true,
			},
			{
				PreConfig: func() {
					expect(words(`Cannot create the billing integration .* Service Unavailable (503)`))
					e.srv.SetFaults(emulator.Faults{Rate503: 1, Routes: []string{"POST " + emulator.RouteBillings}})
				},
				Config: cfg, ConfigVariables: good,
			},
			{
				PreConfig: func() { expect(nil); e.srv.SetFaults(emulator.Faults{}) },
				Config:    cfg, ConfigVariables: good, Check: keepState,
			},
			{
				PreConfig: func() {
					e.srv.EnqueueJob(e.org, "hostile", "blocked", "Stripe refused "+skOneTest+" (login "+c.Password+", client "+c.ClientSecret+")")
				},
				Config: cfg, ConfigVariables: good,
				Check: resource.ComposeTestCheckFunc(keepState,
					resource.TestCheckResourceAttr("apiconnect_billing_integration.test", "job_queue.blocked_reason",
						"Stripe refused sk_test_*** (login ***, client ***)")),
			},
		},
	})
	if t.Skipped() || t.Failed() {
		return
	}
	if len(outputs) != 2 {
		t.Fatalf("%d error outputs, want 2", len(outputs))
	}
	secrets := map[string]string{"password": c.Password, "wrong password": wrong, "client_secret": c.ClientSecret, "secret_key": skOneTest}
	for i, r := range e.srv.Requests() {
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && r.Route != emulator.RouteStripeAccount {
			secrets[fmt.Sprintf("bearer token %d", i)] = tok
		}
	}
	log := readTrace(t, logPath, "diagnostic_detail", "Cannot create the billing integration", "rejected for")
	auditText(t, "the TRACE log", log, secrets)
	for i, out := range outputs {
		auditText(t, fmt.Sprintf("error output %d", i), out, secrets)
	}
	for i, s := range states {
		// secret_key (not secret_key_wo) is kept in state by design.
		var kept []string
		for _, line := range strings.Split(s, "\n") {
			if !strings.HasPrefix(strings.TrimSpace(line), "secret_key ") {
				kept = append(kept, line)
			}
		}
		auditText(t, fmt.Sprintf("state %d", i), strings.Join(kept, "\n"), secrets)
	}
}

// TestAccHostileJobQueueShapes: job_queue_status and job fields in shapes
// no public source rules out never break a read; a state outside idle,
// running, blocked and failed, or none, is null (never idle), and every
// step re-plans empty.
func TestAccHostileJobQueueShapes(t *testing.T) {
	e := newAccEnv(t)
	cfg := e.hostileConfig(nil) + `
data "apiconnect_billing_jobs" "q" {
  name = apiconnect_billing_integration.test.name
}
`
	queue := func(state, pending, reason knownvalue.Check) []statecheck.StateCheck {
		q := tfjsonpath.New("job_queue")
		return []statecheck.StateCheck{
			statecheck.ExpectKnownValue(billingAddr, q.AtMapKey("state"), state),
			statecheck.ExpectKnownValue(billingAddr, q.AtMapKey("pending_jobs"), pending),
			statecheck.ExpectKnownValue(billingAddr, q.AtMapKey("blocked_reason"), reason),
		}
	}
	step := func(h emulator.Hostile, checks []statecheck.StateCheck) resource.TestStep {
		return resource.TestStep{
			PreConfig: func() { e.srv.SetHostile(h) },
			Config:    cfg, ConfigVariables: e.hostileVars(), ConfigStateChecks: checks, ConfigPlanChecks: emptyPlanAfterApply,
		}
	}
	null := knownvalue.Null()
	jobs := tfjsonpath.New("jobs").AtSliceIndex(0)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkDestroyed,
		Steps: []resource.TestStep{
			step(emulator.Hostile{}, queue(knownvalue.StringExact("idle"), knownvalue.Int64Exact(0), null)),
			step(emulator.Hostile{JobQueueShape: `"Running"`}, queue(knownvalue.StringExact("running"), null, null)),
			step(emulator.Hostile{JobQueueShape: `{"state":"paused","pending_jobs":"2"}`}, queue(null, knownvalue.Int64Exact(2), null)),
			step(emulator.Hostile{OmitJobQueue: true}, queue(null, null, null)),
			step(emulator.Hostile{JobQueueShape: `[1,2]`}, queue(null, null, null)),
			step(emulator.Hostile{JobQueueShape: `{"status":"Blocked","pending":1,"error":{"message":"card declined"}}`},
				queue(knownvalue.StringExact("blocked"), knownvalue.Int64Exact(1), knownvalue.StringExact("card declined"))),
			{
				PreConfig: func() {
					e.srv.EnqueueJob(e.org, "hostile", "blocked", "declined")
					e.srv.SetHostile(emulator.Hostile{JobQueueShape: `{"state":7}`,
						JobFields: map[string]string{"state": `"Blocked"`, "error": `{"message":["card declined","retry later"]}`, "created_at": `1700000000`}})
				},
				Config: cfg, ConfigVariables: e.hostileVars(), ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: append(queue(null, null, null),
					statecheck.ExpectKnownValue("data.apiconnect_billing_jobs.q", jobs.AtMapKey("state"), knownvalue.StringExact("blocked")),
					statecheck.ExpectKnownValue("data.apiconnect_billing_jobs.q", jobs.AtMapKey("error"), knownvalue.StringExact("card declined; retry later")),
					statecheck.ExpectKnownValue("data.apiconnect_billing_jobs.q", jobs.AtMapKey("created_at"), knownvalue.StringExact("1700000000")),
				),
			},
			{
				PreConfig: func() { e.srv.SetHostile(emulator.Hostile{JobFields: map[string]string{"state": `"suspended"`}}) },
				Config:    cfg, ConfigVariables: e.hostileVars(), ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.apiconnect_billing_jobs.q", jobs.AtMapKey("state"), null),
				},
			},
		},
	})
}

// TestAccStaticTokenExpires: a static token (an IBM Cloud IAM token lasts an
// hour) that expires between runs gives one clear error naming token (in
// its text, not on its line) and the renewable credentials; the platform is
// not asked again once it refused the token.
func TestAccStaticTokenExpires(t *testing.T) {
	const static = "iam-token-of-an-hour-0123456789abcdef"
	srv := emulator.NewServer(emulator.Config{StaticToken: static})
	t.Cleanup(srv.Close)
	e := &accEnv{t: t, srv: srv, org: srv.Config().Org, keys: emulatorKeySet()}
	tokenAuth := map[string]string{"username": "", "password": "", "client_id": "", "client_secret": "", "token": "var.token"}
	resources := "variable \"token\" {\n  type = string\n  sensitive = true\n}\n" + manyIntegrations(3)
	vars := config.Variables{"token": config.StringVariable(static), "password": config.StringVariable(srv.Config().Password)}
	var out string
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkDestroyed,
		ErrorCheck: func(err error) error {
			if out != "" || !words(`The platform refused the bearer token set by token (APIC_TOKEN)`).MatchString(err.Error()) {
				return err
			}
			out = err.Error()
			return nil
		},
		Steps: []resource.TestStep{
			{Config: e.providerConfig(tokenAuth) + resources, ConfigVariables: vars, ConfigPlanChecks: emptyPlanAfterApply},
			{
				PreConfig: func() { srv.ResetJournal(); srv.SetHostile(emulator.Hostile{StaticTokenExpired: true}) },
				Config:    e.providerConfig(tokenAuth) + resources, ConfigVariables: vars, PlanOnly: true,
			},
			// Renewable credentials, so that the test can destroy.
			{
				PreConfig:       func() { srv.SetHostile(emulator.Hostile{}) },
				Config:          e.providerConfig(map[string]string{"password": "var.password"}) + resources,
				ConfigVariables: vars, ConfigPlanChecks: emptyPlanAfterApply,
			},
		},
	})
	if t.Skipped() {
		return
	}
	for _, re := range []*regexp.Regexp{
		words(`it has expired or was revoked (an IBM Cloud IAM token lasts one hour)`),
		words(`username and password (APIC_USERNAME, APIC_PASSWORD), api_key (APIC_API_KEY), or client_id and client_secret alone (client_credentials)`),
	} {
		if !re.MatchString(out) {
			t.Errorf("the error does not say %s:\n%s", re, out)
		}
	}
	if regexp.MustCompile(`(?m)^\s*\d+:\s+token\s+=`).MatchString(out) || strings.Contains(out, static) {
		t.Errorf("the error points at the token's line or shows it:\n%s", out)
	}
	if os.Getenv("HOSTILE_SHOW") != "" {
		t.Log(out)
	}
	refused := 0
	for _, r := range srv.Requests() {
		if r.Status == http.StatusUnauthorized {
			refused++
		}
	}
	if refused == 0 || refused > 3 {
		t.Errorf("the platform refused the token %d times, want one per resource at most (no retries)", refused)
	}
}

// TestAccProductionGuardChecksTheNamedIntegration: the production guard
// reads the integration that billing_url names, in the URL's org and on its
// server, not the resource's org plus the URL's last segment: another org's
// test integration named like one of this org's live ones is refused from
// a production Catalog, and a billing_url on another server is refused as
// uncheckable. Nothing is sent but reads.
func TestAccProductionGuardChecksTheNamedIntegration(t *testing.T) {
	e := newAccEnv(t)
	e.srv.AddOrg("other")
	seed := func(org, mode string) {
		pk, sk := emulator.StripeKeys("GuardAccount0001", mode, "a")
		_, err := e.client().CreateBilling(t.Context(), org, apic.BillingCreate{Name: "shared", Title: "Shared", IntegrationURL: e.srv.Endpoint() + stripeIntegrationPath,
			Configuration: apic.BillingConfiguration{PublishableKey: pk, FullAccessKey: sk}})
		if err != nil {
			t.Fatalf("seed %s: %v", org, err)
		}
	}
	seed("other", "test")
	seed(e.org, "live")
	// By name: the last segment alone names this org's live integration.
	otherTest := e.srv.Endpoint() + "/orgs/other/billings/shared"
	e.srv.ResetJournal()
	guard := func(billingURL string) string {
		return e.providerConfig(nil) + fmt.Sprintf("resource \"apiconnect_catalog_billing\" \"test\" {\n  catalog = \"production\"\n  billing_url = %q\n}\n", billingURL)
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: guard(otherTest), PlanOnly: true, ExpectError: words(`Stripe test keys in a production Catalog .* Billing integration "shared" uses Stripe test keys`)},
			{Config: guard(otherTest), ExpectError: words(`Stripe test keys in a production Catalog`)},
			{Config: guard("http://platform.invalid/api/orgs/" + e.org + "/billings/shared"), PlanOnly: true, ExpectError: words(`Billing integration on another server .* points at another server than the provider's endpoint`)},
		},
	})
	if !t.Skipped() {
		e.assertNoWritesLeavingBillings(t)
	}
}

// assertNoWritesLeavingBillings is assertNoWrites for a test that seeded
// integrations: only reads (and token requests) reached the platform.
func (e *accEnv) assertNoWritesLeavingBillings(t *testing.T) {
	t.Helper()
	for _, r := range e.srv.Requests() {
		if r.Method != http.MethodGet && r.Route != emulator.RouteToken {
			t.Errorf("the platform received %s %s", r.Method, r.Path)
		}
	}
}
