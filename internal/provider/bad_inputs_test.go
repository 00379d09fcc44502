package provider

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

// A bad input and the diagnostic it must produce. Every secret-bearing
// value (Stripe secret keys, passwords, client secret, token) reaches the
// configuration through a sensitive variable, as the README recommends:
// Terraform prints the source line of an attribute diagnostic, and the
// secrets audit (TestAccSecrets_errorPaths) runs this same table.
type badInput struct {
	name string
	// provider overrides attributes of the provider block (HCL
	// expressions; "" drops one).
	provider map[string]string
	// resources is the HCL of the resources; {{billing_url}} is replaced by
	// the url of the integration that seed creates.
	resources string
	// vars overrides variable values (see badInputVars).
	vars map[string]string
	// seed prepares the emulator before the run (its requests are then
	// forgotten: ResetJournal).
	seed func(t *testing.T, e *accEnv) map[string]string
	// faults are set on the emulator for the run.
	faults *emulator.Faults
	// atApply: the plan succeeds and the apply fails (else a PlanOnly step).
	atApply bool

	// The expected diagnostic: summary, the address it is reported on
	// (a resource address, or "provider"), the attribute whose source line
	// Terraform shows ("" for a diagnostic of the whole resource), and a
	// phrase of the detail.
	summary, addr, attr, detail string
	// check, if set, inspects the whole error output further.
	check func(out string) error
}

// Defaults of the variables every bad-input configuration declares.
func badInputVars(e *accEnv) map[string]string {
	c := e.srv.Config()
	return map[string]string{
		"publishable_key": pkOneTest,
		"secret_key":      skOneTest,
		"username":        c.Username,
		"password":        c.Password,
		"client_secret":   c.ClientSecret,
		"token":           "",
		"api_key":         "",
	}
}

// badInputSensitive are the variables declared sensitive.
var badInputSensitive = map[string]bool{"secret_key": true, "password": true, "client_secret": true, "token": true, "api_key": true}

func badInputVarBlocks() string {
	var b strings.Builder
	for _, name := range []string{"publishable_key", "secret_key", "username", "password", "client_secret", "token", "api_key"} {
		fmt.Fprintf(&b, "variable %q {\n  type = string\n", name)
		if badInputSensitive[name] {
			b.WriteString("  sensitive = true\n")
		}
		b.WriteString("}\n")
	}
	return b.String()
}

const badInputAddr = "apiconnect_billing_integration.test"

// bi is an integration resource with the variables' keys and extra lines
// ("attr = expression"; an attribute given twice takes the later one).
func bi(extra ...string) string {
	lines := map[string]string{"title": `"Bad input"`, "publishable_key": "var.publishable_key", "secret_key": "var.secret_key"}
	order := []string{"title", "publishable_key", "secret_key"}
	for _, x := range extra {
		k, v, _ := strings.Cut(x, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if _, ok := lines[k]; !ok {
			order = append(order, k)
		}
		lines[k] = v
	}
	var b strings.Builder
	b.WriteString("resource \"apiconnect_billing_integration\" \"test\" {\n")
	for _, k := range order {
		fmt.Fprintf(&b, "  %s = %s\n", k, lines[k])
	}
	b.WriteString("}\n")
	return b.String()
}

// cb is a catalog billing resource.
func cb(catalog, billingURL string, extra ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "resource \"apiconnect_catalog_billing\" \"test\" {\n  catalog = %q\n  billing_url = %q\n", catalog, billingURL)
	for _, x := range extra {
		b.WriteString("  " + strings.TrimSpace(x) + "\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// seedBilling creates an integration through the API, for catalog billing
// cases that need an existing one.
func seedBilling(title, account, mode string) func(*testing.T, *accEnv) map[string]string {
	return func(t *testing.T, e *accEnv) map[string]string {
		pk, sk := emulator.StripeKeys(account, mode, "seed")
		b, err := e.client().CreateBilling(context.Background(), e.org, apic.BillingCreate{
			Name: emulator.Slug(title), Title: title, IntegrationURL: e.srv.Endpoint() + stripeIntegrationPath,
			Configuration: apic.BillingConfiguration{PublishableKey: pk, FullAccessKey: sk},
		})
		if err != nil {
			t.Fatalf("seed: %v", err)
		}
		return map[string]string{"{{billing_url}}": b.URL}
	}
}

// emulatorEndpoint is a seed that only names the emulator's endpoint, as
// {{endpoint}}.
func emulatorEndpoint(_ *testing.T, e *accEnv) map[string]string {
	return map[string]string{"{{endpoint}}": e.srv.Endpoint()}
}

var (
	pkLive, skLive = emulator.StripeKeys("AcctOne", "live", "r1")
	// A well-formed key that the Stripe fake rejects (body too short).
	skRejected = "sk_test_Short1"
	hugeBody   = "<html><body><h1>503 Service Unavailable</h1><pre>" + strings.Repeat("upstream connect error or disconnect/reset before headers. ", 20000) + "</pre></body></html>"
)

func badInputs() []badInput {
	const (
		res  = badInputAddr
		cbr  = "apiconnect_catalog_billing.test"
		prov = "provider"
	)
	invalidSK, invalidPK := "Invalid Stripe secret key", "Invalid Stripe publishable key"
	return []badInput{
		// Keys: malformed, empty, whitespace, wrong kinds, mixed modes.
		{name: "publishable key empty", resources: bi(), vars: map[string]string{"publishable_key": ""}, summary: invalidPK, addr: res, attr: "publishable_key", detail: "the key is empty"},
		{name: "secret key empty", resources: bi(), vars: map[string]string{"secret_key": ""}, summary: invalidSK, addr: res, attr: "", detail: "the key is empty"},
		{name: "secret key only whitespace", resources: bi(), vars: map[string]string{"secret_key": " \t "}, summary: invalidSK, addr: res, attr: "", detail: "the key is empty"},
		{name: "secret key with inner space", resources: bi(), vars: map[string]string{"secret_key": skOneTest[:12] + " " + skOneTest[12:]}, summary: invalidSK, addr: res, attr: "", detail: "contains whitespace"},
		{name: "secret key with trailing newline", resources: bi(), vars: map[string]string{"secret_key": skOneTest + "\n"}, summary: invalidSK, addr: res, attr: "", detail: "contains whitespace"},
		{name: "publishable key with leading space", resources: bi(), vars: map[string]string{"publishable_key": " " + pkOneTest}, summary: invalidPK, addr: res, attr: "publishable_key", detail: "contains whitespace"},
		{name: "publishable key in secret_key", resources: bi(), vars: map[string]string{"secret_key": pkOneTest}, summary: invalidSK, addr: res, attr: "", detail: "a publishable key was given where a secret key"},
		{name: "secret key in publishable_key", resources: bi(), vars: map[string]string{"publishable_key": skOneTest}, summary: invalidPK, addr: res, attr: "", detail: "where a publishable key (pk_test_… or pk_live_…) is expected"},
		{name: "unknown key prefix", resources: bi(), vars: map[string]string{"secret_key": "xk_test_" + skOneTest[8:]}, summary: invalidSK, addr: res, attr: "", detail: "unknown key prefix"},
		{name: "unknown key mode", resources: bi(), vars: map[string]string{"secret_key": "sk_prod_" + skOneTest[8:]}, summary: invalidSK, addr: res, attr: "", detail: "unknown key mode after sk_"},
		{name: "legacy key without mode", resources: bi(), vars: map[string]string{"secret_key": "sk_" + skOneTest[8:]}, summary: invalidSK, addr: res, attr: "", detail: "legacy keys without a mode are not supported"},
		{name: "key with foreign characters", resources: bi(), vars: map[string]string{"secret_key": skOneTest + "$%"}, summary: invalidSK, addr: res, attr: "", detail: "characters Stripe keys never have"},
		{name: "key prefix only", resources: bi(), vars: map[string]string{"secret_key": "sk_test_"}, summary: invalidSK, addr: res, attr: "", detail: "no characters after its prefix"},
		{name: "test publishable with live secret", resources: bi(), vars: map[string]string{"secret_key": skLive}, summary: "Stripe keys of different modes", addr: res, attr: "", detail: "publishable_key is a test-mode key but secret_key is a live-mode key"},
		{name: "live publishable with test restricted key", resources: bi(), vars: map[string]string{"publishable_key": pkLive, "secret_key": "rk_test_" + skOneTest[8:]}, summary: "Stripe keys of different modes", addr: res, attr: "", detail: "publishable_key is a live-mode key but secret_key is a test-mode key"},
		{name: "secret key rejected by Stripe", resources: bi(), vars: map[string]string{"secret_key": skRejected}, summary: "Cannot resolve the Stripe account of the secret key", addr: res, attr: "", detail: "Stripe rejected the secret key (401 Unauthorized): the key is invalid, revoked or expired. The key is well formed, but Stripe does not accept it"},
		{name: "no secret key at all", resources: bi(`secret_key = null`), summary: "Missing secret key", addr: res, attr: "", detail: "Exactly one of secret_key and secret_key_wo must be set"},

		// Names and other attributes.
		{name: "name with upper case", resources: bi(`name = "Billing"`), summary: "Invalid Attribute Value Match", addr: res, attr: "name", detail: "must be lower-case letters, digits and inner hyphens"},
		{name: "name ending in a hyphen", resources: bi(`name = "billing-"`), summary: "Invalid Attribute Value Match", addr: res, attr: "name", detail: "must be lower-case letters"},
		{name: "name starting with a hyphen", resources: bi(`name = "-billing"`), summary: "Invalid Attribute Value Match", addr: res, attr: "name", detail: "must be lower-case letters"},
		{name: "name with an underscore", resources: bi(`name = "my_billing"`), summary: "Invalid Attribute Value Match", addr: res, attr: "name", detail: "must be lower-case letters"},
		{name: "title empty", resources: bi(`title = ""`), summary: "Invalid Attribute Value Length", addr: res, attr: "title", detail: "at least 1"},
		{name: "title without letters or digits", resources: bi(`title = "!!! ???"`), summary: "Cannot derive a name from the title", addr: res, attr: "title", detail: "set name explicitly"},
		{name: "integration_url not http", resources: bi(`integration_url = "ftp://example.com/x"`), summary: "Invalid URL", addr: res, attr: "integration_url", detail: "absolute http(s) URL"},

		// Unknown org or catalog, wrong billing_url.
		{name: "unknown org", resources: bi(`org = "no-such-org"`), summary: "Provider organization not found", addr: res, attr: "org", detail: `Organization "no-such-org" does not exist`},
		{name: "org empty", resources: bi(`org = ""`), summary: "Invalid Attribute Value Length", addr: res, attr: "org", detail: "at least 1"},
		{name: "unknown org of a catalog billing", seed: seedBilling("Seeded", "AcctOne", "test"), resources: cb("sandbox", "{{billing_url}}", `  org = "no-such-org"`), summary: "Provider organization not found", addr: cbr, attr: "org", detail: `Organization "no-such-org" does not exist`},
		{name: "unknown catalog", seed: seedBilling("Seeded", "AcctOne", "test"), resources: cb("no-such-catalog", "{{billing_url}}"), summary: "Catalog not found", addr: cbr, attr: "catalog", detail: `Catalog "no-such-catalog" does not exist in org "acme"`},
		{name: "billing_url of a missing integration", seed: emulatorEndpoint, resources: cb("sandbox", "{{endpoint}}/orgs/acme/billings/no-such-billing"), summary: "Billing integration not found", addr: cbr, attr: "billing_url", detail: `names billing integration "no-such-billing", which does not exist`},
		{name: "billing_url not of an integration", resources: cb("sandbox", "https://apic.example.com/api/orgs/acme/catalogs/sandbox"), summary: "Invalid Attribute Value Match", addr: cbr, attr: "billing_url", detail: "must be the url of a billing integration"},
		{name: "billing_url relative", resources: cb("sandbox", "orgs/acme/billings/x"), summary: "Invalid URL", addr: cbr, attr: "billing_url", detail: "absolute http(s) URL"},
		{name: "test keys into a production catalog", seed: seedBilling("Seeded", "AcctOne", "test"), resources: cb("production", "{{billing_url}}"), summary: "Stripe test keys in a production Catalog", addr: cbr, attr: "billing_url", detail: "production_mode = true"},

		// Permission: a read-only user plans fine, and its create is refused.
		{
			name: "user without permission", atApply: true, resources: bi(`org = "acme"`),
			vars:    map[string]string{"username": "apic-viewer", "password": "emulator-Viewer-Passw0rd"}, //nolint:gosec // the emulator's read-only user
			summary: `Permission denied in organization "acme"`, addr: res, attr: "org", detail: "Settings: Manage",
		},
		{name: "wrong password", resources: bi(), vars: map[string]string{"password": "Wrong-Passw0rd-123"}, summary: "Cannot read the provider organization", addr: res, detail: "The platform refused the credentials"},

		// Provider settings.
		{name: "endpoint without /api", provider: map[string]string{"endpoint": `"http://127.0.0.1:1/apim"`}, resources: bi(), summary: "Invalid platform API endpoint", addr: prov, attr: "endpoint", detail: "must end in /api"},
		{name: "endpoint not a URL", provider: map[string]string{"endpoint": `"platform.example.com/api"`}, resources: bi(), summary: "Invalid platform API endpoint", addr: prov, attr: "endpoint", detail: "absolute http(s) URL"},
		{name: "token and password", provider: map[string]string{"token": "var.token"}, vars: map[string]string{"token": "static-token-0123456789"}, resources: bi(), summary: "Conflicting credentials", addr: prov, attr: "", detail: "found token and username/password"},
		{name: "api_key and password", provider: map[string]string{"api_key": "var.api_key"}, vars: map[string]string{"api_key": "api-key-0123456789"}, resources: bi(), summary: "Conflicting credentials", addr: prov, attr: "", detail: "found username/password and api_key"},
		{name: "password without username", vars: map[string]string{"username": ""}, resources: bi(), summary: "Missing username", addr: prov, attr: "username", detail: "password is set but username is not"},
		{name: "client_id without client_secret", vars: map[string]string{"client_secret": ""}, resources: bi(), summary: "Missing client_secret", addr: prov, attr: "", detail: "client_id is set but client_secret is not"},
		{name: "max_retries too high", provider: map[string]string{"max_retries": "50"}, resources: bi(), summary: "Invalid Attribute Value", addr: prov, attr: "max_retries", detail: "between 0 and 20"},
		{name: "request_timeout not a duration", provider: map[string]string{"request_timeout": `"soon"`}, resources: bi(), summary: "Invalid duration", addr: prov, attr: "request_timeout", detail: "positive Go duration"},
		{name: "stripe_key_check unknown", provider: map[string]string{"stripe_key_check": `"full"`}, resources: bi(), summary: "Invalid Attribute Value Match", addr: prov, attr: "stripe_key_check", detail: `value must be one of: ["account" "mode"]`},
		{name: "stripe_api_base not http", provider: map[string]string{"stripe_api_base": `"ftp://stripe.example.com"`}, resources: bi(), summary: "Invalid URL", addr: prov, attr: "stripe_api_base", detail: "absolute http(s) URL"},
		{name: "ca_certificate not PEM", provider: map[string]string{"ca_certificate": `"not a certificate"`}, resources: bi(), summary: "Invalid ca_certificate", addr: prov, attr: "ca_certificate", detail: "not PEM text, and not a readable file"},
		{name: "credentials_file missing", provider: map[string]string{"credentials_file": `"/nonexistent/credentials.json"`}, resources: bi(), summary: "Cannot read the toolkit credentials file", addr: prov, attr: "credentials_file", detail: "no such file or directory"},

		// Error bodies that are not the platform's JSON.
		{
			name: "HTML error page", provider: map[string]string{"max_retries": "0"}, resources: bi(),
			faults:  &emulator.Faults{Rate503: 1, ErrorBody: "<html>\n<head><title>503</title></head>\n<body><h1>Service Unavailable</h1>\n</body></html>", Routes: []string{emulator.RouteOrg}},
			summary: "Cannot read the provider organization", addr: res, detail: "GET /orgs/acme: Service Unavailable (503): Service Unavailable",
			check: func(out string) error {
				if strings.Contains(out, "<html>") || strings.Contains(out, "<h1>") {
					return fmt.Errorf("the HTML markup of the error page reached the diagnostic")
				}
				return nil
			},
		},
		{
			name: "huge error body", provider: map[string]string{"max_retries": "0"}, resources: bi(),
			faults:  &emulator.Faults{Rate503: 1, ErrorBody: hugeBody, Routes: []string{emulator.RouteOrg}},
			summary: "Cannot read the provider organization", addr: res, detail: "GET /orgs/acme: Service Unavailable (503): 503 Service Unavailable upstream connect error",
			check: func(out string) error {
				if len(out) > 16<<10 {
					return fmt.Errorf("the error output is %d bytes: the body was not truncated", len(out))
				}
				if !strings.Contains(out, "…") {
					return fmt.Errorf("no truncation mark in the output")
				}
				return nil
			},
		},
	}
}

// badInputRun is the outcome of one bad input.
type badInputRun struct {
	out     string   // the error output of the CLI
	secrets []string // secret values the run used (for the audit)
}

// runBadInput runs one case and checks its diagnostic and that nothing
// changed on the platform. parallel selects accTest or accTestSerial.
func runBadInput(t *testing.T, bc badInput, parallel bool) badInputRun {
	e := newAccEnv(t)
	repl := map[string]string{}
	if bc.seed != nil {
		repl = bc.seed(t, e)
	}
	resources := bc.resources
	for k, v := range repl {
		resources = strings.ReplaceAll(resources, k, v)
	}
	attrs := map[string]string{"username": "var.username", "password": "var.password", "client_secret": "var.client_secret"} //nolint:gosec // variable references
	for k, v := range bc.provider {
		attrs[k] = v
	}
	cfg := badInputVarBlocks() + e.providerConfig(attrs) + resources
	vals := badInputVars(e)
	for k, v := range bc.vars {
		vals[k] = v
	}
	vars := config.Variables{}
	for k, v := range vals {
		vars[k] = config.StringVariable(v)
	}
	e.srv.ResetJournal()
	if bc.faults != nil {
		e.srv.SetFaults(*bc.faults)
	}

	var mu sync.Mutex
	var out string
	tc := resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		ErrorCheck: func(err error) error {
			mu.Lock()
			defer mu.Unlock()
			if out == "" {
				out = err.Error()
			}
			return nil
		},
		Steps: []resource.TestStep{{Config: cfg, ConfigVariables: vars, PlanOnly: !bc.atApply}},
	}
	if parallel {
		accTest(t, tc)
	} else {
		accTestSerial(t, tc)
	}
	if os.Getenv("BAD_INPUT_SHOW") != "" {
		t.Logf("%s:\n%s", bc.name, out)
	}
	run := badInputRun{out: out}
	for k, v := range vals {
		// Short values (a bare "sk_test_" prefix) and publishable keys put
		// in the secret field are no secrets.
		if badInputSensitive[k] && len(v) >= 10 && !strings.HasPrefix(v, "pk_") {
			run.secrets = append(run.secrets, v)
		}
	}
	if t.Skipped() {
		return run
	}
	if out == "" {
		t.Fatalf("%s: no error", bc.name)
	}
	for _, re := range bc.expect() {
		if !re.MatchString(out) {
			t.Errorf("%s: the error output does not match %s:\n%s", bc.name, re, out)
		}
	}
	if m := sensitiveSourceLine.FindString(out); m != "" {
		t.Errorf("%s: a diagnostic shows the configuration line of a sensitive attribute: %q", bc.name, strings.TrimSpace(m))
	}
	if bc.check != nil {
		if err := bc.check(out); err != nil {
			t.Errorf("%s: %v", bc.name, err)
		}
	}
	// Nothing changed on the platform; a plan-time error sent no write at all.
	if n := e.srv.Changes(); n != 0 {
		t.Errorf("%s: %d writes changed the platform: %s", bc.name, n, formatCounts(e.srv.ChangeCounts()))
	}
	if !bc.atApply {
		for _, r := range e.srv.Requests() {
			if r.Method != http.MethodGet && r.Route != emulator.RouteToken {
				t.Errorf("%s: a plan-time error sent %s %s", bc.name, r.Method, r.Path)
			}
		}
	}
	for _, r := range e.srv.Requests() {
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && r.Route != emulator.RouteStripeAccount {
			run.secrets = append(run.secrets, tok)
		}
	}
	return run
}

// sensitiveSourceLine matches the configuration line Terraform prints
// under a diagnostic on a sensitive attribute (with a literal value, the
// secret itself). No diagnostic may show one.
var sensitiveSourceLine = regexp.MustCompile(`(?m)^[\s│]*\d+:\s+(secret_key|secret_key_wo|password|client_secret|api_key|token)\s+=.*$`)

// expect is the regular expressions the error output must match: the
// summary, the address the diagnostic is reported on, the source line of
// the attribute, and the phrase of the detail.
func (bc badInput) expect() []*regexp.Regexp {
	res := []*regexp.Regexp{regexp.MustCompile(`Error: ` + regexp.QuoteMeta(bc.summary))}
	if bc.addr == "provider" {
		res = append(res, regexp.MustCompile(`with provider\["[^"]+/apiconnect"\],`))
		res = append(res, regexp.MustCompile(`in provider "apiconnect":`))
	} else {
		res = append(res, regexp.MustCompile(`with `+regexp.QuoteMeta(bc.addr)+`,`))
	}
	if bc.attr != "" {
		res = append(res, regexp.MustCompile(`(?m)^\s*\d+:\s+`+regexp.QuoteMeta(bc.attr)+`\s+=`))
	}
	res = append(res, words(bc.detail))
	return res
}

// TestAccBadInputs: each bad input gives a specific diagnostic on the right
// attribute, and changes nothing on the platform.
func TestAccBadInputs(t *testing.T) {
	cases := badInputs()
	if len(cases) < 25 {
		t.Fatalf("only %d bad inputs", len(cases))
	}
	for _, bc := range cases {
		t.Run(strings.ReplaceAll(bc.name, " ", "_"), func(t *testing.T) {
			runBadInput(t, bc, true)
		})
	}
}
