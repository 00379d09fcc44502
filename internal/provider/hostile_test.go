package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

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
resource "apiconnect_billing_integration" "test" {
  title           = "Hostile"
  publishable_key = %q
  secret_key      = var.secret_key
}
`

// hostileVars are the variables of hostileIntegration for emulator e.
func (e *accEnv) hostileVars() config.Variables {
	return config.Variables{"password": config.StringVariable(e.srv.Config().Password), "secret_key": config.StringVariable(skOneTest)}
}

// hostileConfig is the provider (password from the variable, attrs
// overriding) and hostileIntegration.
func (e *accEnv) hostileConfig(attrs map[string]string) string {
	all := map[string]string{"password": "var.password"}
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
			if len(stats.waits) < 2 {
				t.Fatalf("%d retries logged, want 2 or more", len(stats.waits))
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
