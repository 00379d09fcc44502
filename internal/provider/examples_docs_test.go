package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

// The documentation examples (examples/, rendered into docs/ by tfplugindocs)
// are applied against the emulator here, so that they cannot rot. Every
// resource.tf, data-source.tf (and any other .tf file next to them) needs a
// case below; the test fails on an example without one. examples/demo and
// examples/modules are covered by their own tests.

const examplesDir = "../../examples"

// Keys of the emulator's Stripe fake used by the examples.
var (
	exPkLive, exSkLive     = emulator.StripeKeys("AcmeLive", "live", "r1")
	exPkTest, exSkTest     = emulator.StripeKeys("AcmeTest", "test", "r1")
	exAcctLive, exAcctTest = emulator.StripeAccountID("AcmeLive"), emulator.StripeAccountID("AcmeTest")
)

// exampleCase is how one example file is applied: the harness provider block
// followed by the file, with variables and out-of-band setup.
type exampleCase struct {
	vars config.Variables
	// with are example files applied together with this one (before it),
	// relative to examples/.
	with []string
	// preApply are plan checks of the first plan.
	preApply []plancheck.PlanCheck
	// setup runs before the apply (PreConfig), for objects that the example
	// reads but does not manage ("an integration managed elsewhere").
	setup          func(t *testing.T, e *accEnv)
	stateChecks    func(e *accEnv) []statecheck.StateCheck
	check          func(e *accEnv) resource.TestCheckFunc
	checkDestroy   func(e *accEnv) resource.TestCheckFunc
	writeOnly      bool // needs a 1.11+ CLI (skipped on terraform 1.5.7)
	providerConfig bool // examples/provider/provider.tf: see testProviderExample
	// requires is the CLI feature the example uses (functions, identity,
	// query, actions); the case skips on a CLI without it.
	requires *cliFeature
	// prepare runs before the configuration is assembled, for objects whose
	// ids the example names: it returns literal replacements (example text ->
	// the emulator's value).
	prepare func(t *testing.T, e *accEnv) map[string]string
	// queryChecks: the example is a .tfquery.hcl file, run with terraform
	// query after an apply of the harness provider block (and with).
	queryChecks func(e *accEnv) []querycheck.QueryResultCheck
	// then are steps after the apply, given the assembled configuration.
	then func(e *accEnv, cfg string) []resource.TestStep
}

func exampleCases() map[string]exampleCase {
	liveVars := config.Variables{
		"stripe_live_publishable_key": config.StringVariable(exPkLive),
		"stripe_live_secret_key":      config.StringVariable(exSkLive),
	}
	allDestroyed := func(e *accEnv) resource.TestCheckFunc { return e.checkAllDestroyed }
	// Data-source examples read integrations created out of band, which stay.
	noneConfigured := func(catalogs ...string) func(e *accEnv) resource.TestCheckFunc {
		return func(e *accEnv) resource.TestCheckFunc { return e.checkNotConfigured(catalogs...) }
	}
	return map[string]exampleCase{
		"provider/provider.tf": {providerConfig: true},

		"resources/apiconnect_billing_integration/resource.tf": {
			vars: liveVars,
			stateChecks: func(e *accEnv) []statecheck.StateCheck {
				addr := "apiconnect_billing_integration.live"
				return []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("stripe-live")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("org"), knownvalue.StringExact(e.org)),
					statecheck.ExpectSensitiveValue(addr, tfjsonpath.New("secret_key")),
					statecheck.ExpectKnownOutputValue("live_billing", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"url":               knownvalue.StringRegexp(regexp.MustCompile(`/api/orgs/[^/]+/billings/[^/]+$`)),
						"mode":              knownvalue.StringExact("live"),
						"stripe_account_id": knownvalue.StringExact(exAcctLive),
					})),
				}
			},
			check:        func(e *accEnv) resource.TestCheckFunc { return e.checkStoredKey("stripe-live", exSkLive) },
			checkDestroy: allDestroyed,
		},

		"resources/apiconnect_billing_integration/resource-write-only.tf": {
			vars:      liveVars,
			writeOnly: true,
			stateChecks: func(*accEnv) []statecheck.StateCheck {
				addr := "apiconnect_billing_integration.live"
				return []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("secret_key"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("secret_key_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("secret_key_wo_version"), knownvalue.StringExact("2025-01")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("mode"), knownvalue.StringExact("live")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("stripe_account_id"), knownvalue.StringExact(exAcctLive)),
					noTraceInState{secrets: []string{exSkLive}},
				}
			},
			check:        func(e *accEnv) resource.TestCheckFunc { return e.checkStoredKey("stripe-live", exSkLive) },
			checkDestroy: allDestroyed,
		},

		// The import block adopts an integration created out of band, with the
		// configuration of resource.tf: an import and an in-place update
		// (the summary, and the secret key that import cannot recover).
		"resources/apiconnect_billing_integration/import-by-string-id.tf": {
			with: []string{"resources/apiconnect_billing_integration/resource.tf"},
			vars: liveVars,
			setup: func(t *testing.T, e *accEnv) {
				createExampleBilling(t, e, "Stripe (live)", exPkLive, exSkLive)
			},
			preApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("apiconnect_billing_integration.live", plancheck.ResourceActionUpdate),
			},
			stateChecks: func(e *accEnv) []statecheck.StateCheck {
				return []statecheck.StateCheck{
					statecheck.ExpectKnownValue("apiconnect_billing_integration.live", tfjsonpath.New("id"), knownvalue.StringFunc(func(id string) error {
						b, ok := e.srv.Billing(e.org, "stripe-live")
						if !ok || b.ID != id {
							return fmt.Errorf("id %q is not the id of the imported integration", id)
						}
						return nil
					})),
					statecheck.ExpectKnownValue("apiconnect_billing_integration.live", tfjsonpath.New("summary"), knownvalue.StringExact("Monetized Plans of the public Catalogs")),
				}
			},
			check: func(e *accEnv) resource.TestCheckFunc {
				return resource.ComposeAggregateTestCheckFunc(
					e.checkStoredKey("stripe-live", exSkLive),
					e.checkCount(http.MethodPost, emulator.RouteBillings, 1), // the out-of-band create only
				)
			},
			checkDestroy: allDestroyed,
		},

		"resources/apiconnect_catalog_billing/resource.tf": {
			vars: config.Variables{
				"stripe_live_publishable_key": config.StringVariable(exPkLive),
				"stripe_live_secret_key":      config.StringVariable(exSkLive),
				"stripe_test_publishable_key": config.StringVariable(exPkTest),
				"stripe_test_secret_key":      config.StringVariable(exSkTest),
			},
			stateChecks: func(*accEnv) []statecheck.StateCheck {
				return []statecheck.StateCheck{
					statecheck.ExpectKnownValue("apiconnect_catalog_billing.production", tfjsonpath.New("mode"), knownvalue.StringExact("live")),
					statecheck.ExpectKnownValue("apiconnect_catalog_billing.sandbox", tfjsonpath.New("stripe_account_id"), knownvalue.StringExact(exAcctLive)),
					statecheck.ExpectKnownValue("apiconnect_catalog_billing.test", tfjsonpath.New("mode"), knownvalue.StringExact("test")),
					statecheck.ExpectKnownValue("apiconnect_catalog_billing.test", tfjsonpath.New("stripe_account_id"), knownvalue.StringExact(exAcctTest)),
				}
			},
			check: func(e *accEnv) resource.TestCheckFunc {
				return resource.ComposeAggregateTestCheckFunc(
					e.checkConfigured("production", "apiconnect_billing_integration.live"),
					e.checkConfigured("sandbox", "apiconnect_billing_integration.live"),
					e.checkConfigured("test", "apiconnect_billing_integration.test"),
				)
			},
			checkDestroy: allDestroyed,
		},

		"data-sources/apiconnect_billing_integration/data-source.tf": {
			setup: func(t *testing.T, e *accEnv) {
				e.srv.AddCatalog(e.org, "staging", "Staging", false)
				createExampleBilling(t, e, "Stripe (live)", exPkLive, exSkLive)
			},
			stateChecks: func(*accEnv) []statecheck.StateCheck {
				return []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("live_billing", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"mode":              knownvalue.StringExact("live"),
						"stripe_account_id": knownvalue.StringExact(exAcctLive),
						"job_queue_state":   knownvalue.StringExact("idle"),
					})),
					statecheck.ExpectKnownValue("apiconnect_catalog_billing.staging", tfjsonpath.New("mode"), knownvalue.StringExact("live")),
				}
			},
			check: func(e *accEnv) resource.TestCheckFunc {
				return e.checkConfigured("staging", "data.apiconnect_billing_integration.live")
			},
			checkDestroy: noneConfigured("staging"),
		},

		"data-sources/apiconnect_billing_integrations/data-source.tf": {
			setup: func(t *testing.T, e *accEnv) {
				createExampleBilling(t, e, "Stripe (live)", exPkLive, exSkLive)
				createExampleBilling(t, e, "Stripe (test)", exPkTest, exSkTest)
			},
			stateChecks: func(*accEnv) []statecheck.StateCheck {
				return []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("live_integrations", knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("stripe-live"),
					})),
					statecheck.ExpectKnownValue("data.apiconnect_billing_integrations.all", tfjsonpath.New("integrations"), knownvalue.ListSizeExact(2)),
				}
			},
		},

		"data-sources/apiconnect_catalog/data-source.tf": {
			setup: func(t *testing.T, e *accEnv) {
				createExampleBilling(t, e, "Stripe (live)", exPkLive, exSkLive)
			},
			stateChecks: func(e *accEnv) []statecheck.StateCheck {
				id, _ := e.srv.CatalogID(e.org, "production")
				return []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("catalog", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":              knownvalue.StringExact(id),
						"production_mode": knownvalue.Bool(true),
						"sandbox":         knownvalue.Bool(false),
					})),
				}
			},
		},

		"data-sources/apiconnect_billing_jobs/data-source.tf": {
			setup: func(t *testing.T, e *accEnv) {
				createExampleBilling(t, e, "Stripe (live)", exPkLive, exSkLive)
				if _, ok := e.srv.EnqueueJob(e.org, "stripe-live", "running", ""); !ok {
					t.Fatal("EnqueueJob failed")
				}
			},
			stateChecks: func(*accEnv) []statecheck.StateCheck {
				return []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("blocked_jobs", knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue("data.apiconnect_billing_jobs.live", tfjsonpath.New("jobs"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"state": knownvalue.StringExact("running")}),
					})),
				}
			},
		},
	}
}

// createExampleBilling creates an integration out of band, as another
// configuration or API Manager would.
func createExampleBilling(t *testing.T, e *accEnv, title, pk, sk string) {
	t.Helper()
	_, err := e.client().CreateBilling(context.Background(), e.org, apic.BillingCreate{
		Name:           emulator.Slug(title),
		Title:          title,
		IntegrationURL: e.srv.Endpoint() + "/cloud/integrations/billing/stripe",
		Configuration:  apic.BillingConfiguration{PublishableKey: pk, FullAccessKey: sk},
	})
	if err != nil {
		t.Fatalf("create %q out of band: %v", title, err)
	}
}

// exampleFiles lists the .tf files of examples/provider, examples/resources
// and examples/data-sources, relative to examples/.
func exampleFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, pattern := range []string{"provider/*.tf", "resources/*/*.tf", "data-sources/*/*.tf",
		"functions/*/*.tf", "actions/*/*.tf", "list-resources/*/*.tfquery.hcl"} {
		m, err := filepath.Glob(filepath.Join(examplesDir, filepath.FromSlash(pattern)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range m {
			rel, err := filepath.Rel(examplesDir, f)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, filepath.ToSlash(rel))
		}
	}
	sort.Strings(files)
	return files
}

func readExample(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(examplesDir, filepath.FromSlash(rel))) //nolint:gosec // example paths found by glob
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAccExamples applies every documentation example against the emulator
// and expects an empty plan afterwards. The coverage part (every resource and
// data source type has an example, every example a case) runs without TF_ACC.
func TestAccExamples(t *testing.T) {
	cases := exampleCases()
	maps.Copy(cases, featureExampleCases())
	files := exampleFiles(t)
	if len(files) == 0 {
		t.Fatalf("no examples found under %s", examplesDir)
	}
	for _, f := range files {
		if _, ok := cases[f]; !ok {
			t.Errorf("examples/%s has no case in exampleCases: add one so that the example is applied", f)
		}
	}
	for f := range cases {
		if _, err := os.Stat(filepath.Join(examplesDir, filepath.FromSlash(f))); err != nil {
			t.Errorf("exampleCases names examples/%s: %v", f, err)
		}
	}
	for _, dir := range exampleTypeDirs(t) {
		if _, err := os.Stat(filepath.Join(examplesDir, dir)); err != nil {
			t.Errorf("no example for %s (tfplugindocs renders examples/%s into docs/): %v", dir, dir, err)
		}
	}
	if t.Failed() {
		return
	}

	for _, f := range files {
		c := cases[f]
		t.Run(strings.NewReplacer("/", "_", ".tfquery.hcl", "", ".tf", "").Replace(f), func(t *testing.T) {
			if c.providerConfig {
				testProviderExample(t, readExample(t, f))
				return
			}
			e := newAccEnv(t)
			accTest(t, exampleTestCase(t, e, f, c))
		})
	}
}

// exampleTestCase applies example f (after c.with) with the harness provider
// block; a .tfquery.hcl example is run with terraform query after that.
func exampleTestCase(t *testing.T, e *accEnv, f string, c exampleCase) resource.TestCase {
	t.Helper()
	var literals map[string]string
	if c.prepare != nil {
		literals = c.prepare(t, e)
	}
	files := append(append([]string(nil), c.with...), f)
	if c.queryChecks != nil {
		files = files[:len(files)-1]
	}
	cfg := e.providerBlock()
	for _, w := range files {
		cfg += "\n# ---- examples/" + w + "\n" + replaceLiterals(readExample(t, w), literals)
	}
	for lit := range literals {
		t.Fatalf("the examples of %s no longer contain %q: update the case's prepare", f, lit)
	}
	tc := resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:          cfg,
			ConfigVariables: c.vars,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             c.preApply,
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}},
	}
	step := &tc.Steps[0]
	if c.setup != nil {
		step.PreConfig = func() { c.setup(t, e) }
	}
	if c.stateChecks != nil {
		step.ConfigStateChecks = c.stateChecks(e)
	}
	if c.check != nil {
		step.Check = c.check(e)
	}
	if c.checkDestroy != nil {
		tc.CheckDestroy = c.checkDestroy(e)
	}
	if c.queryChecks != nil {
		tc.Steps = append(tc.Steps, resource.TestStep{Query: true, Config: readExample(t, f), QueryResultChecks: c.queryChecks(e)})
	}
	if c.then != nil {
		tc.Steps = append(tc.Steps, c.then(e, cfg)...)
	}
	switch {
	case c.writeOnly:
		tc.TerraformVersionChecks = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)}
	case c.requires != nil:
		tc.TerraformVersionChecks = []tfversion.TerraformVersionCheck{*c.requires}
	}
	return tc
}

// replaceLiterals replaces each literal of an example by the emulator's
// value, and deletes the literals it found from the map.
func replaceLiterals(example string, literals map[string]string) string {
	for from, to := range literals {
		if !strings.Contains(example, from) {
			continue
		}
		example = strings.ReplaceAll(example, from, to)
		delete(literals, from)
	}
	return example
}

// exampleTypeDirs is the example files tfplugindocs renders for every
// resource, data source, list resource, action and function the provider
// serves.
func exampleTypeDirs(t *testing.T) []string {
	t.Helper()
	ctx := context.Background()
	p := New("test")()
	var pm provider.MetadataResponse
	p.Metadata(ctx, provider.MetadataRequest{}, &pm)
	var dirs []string
	for _, f := range p.Resources(ctx) {
		var m fwresource.MetadataResponse
		f().Metadata(ctx, fwresource.MetadataRequest{ProviderTypeName: pm.TypeName}, &m)
		dirs = append(dirs, filepath.Join("resources", m.TypeName, "resource.tf"), filepath.Join("resources", m.TypeName, "import.sh"))
		if _, ok := f().(fwresource.ResourceWithIdentity); ok {
			dirs = append(dirs, filepath.Join("resources", m.TypeName, "import-by-identity.tf"))
		}
	}
	for _, f := range p.DataSources(ctx) {
		var m datasource.MetadataResponse
		f().Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: pm.TypeName}, &m)
		dirs = append(dirs, filepath.Join("data-sources", m.TypeName, "data-source.tf"))
	}
	ap, ok := p.(interface {
		provider.ProviderWithFunctions
		provider.ProviderWithListResources
		provider.ProviderWithActions
	})
	if !ok {
		t.Fatal("the provider serves no functions, list resources or actions")
	}
	for _, f := range ap.ListResources(ctx) {
		var m fwresource.MetadataResponse
		f().Metadata(ctx, fwresource.MetadataRequest{ProviderTypeName: pm.TypeName}, &m)
		dirs = append(dirs, filepath.Join("list-resources", m.TypeName, "list-resource.tfquery.hcl"))
	}
	for _, f := range ap.Actions(ctx) {
		var m action.MetadataResponse
		f().Metadata(ctx, action.MetadataRequest{ProviderTypeName: pm.TypeName}, &m)
		dirs = append(dirs, filepath.Join("actions", m.TypeName, "action.tf"))
	}
	for _, f := range ap.Functions(ctx) {
		var m function.MetadataResponse
		f().Metadata(ctx, function.MetadataRequest{}, &m)
		dirs = append(dirs, filepath.Join("functions", m.Name, "function.tf"))
	}
	return append(dirs, filepath.Join("provider", "provider.tf"))
}

// Literal values of examples/provider/provider.tf that only make sense on a
// real platform; the test points them at the emulator.
const (
	exampleEndpoint        = `"https://platform-api.apic.example.com/api"`
	exampleCredentialsFile = `"${path.module}/credentials.json"` //nolint:gosec // a file path in the example, not a credential
)

// testProviderExample configures the provider exactly as
// examples/provider/provider.tf does (password grant of the user it names,
// with the client id and secret from the toolkit credentials file and the
// password from APIC_PASSWORD), except that the endpoint and the credentials
// file point at the emulator, and reads a Catalog with it. The example
// requires the provider by its registry source, and the password comes from
// the environment: a serial test.
func testProviderExample(t *testing.T, example string) {
	for _, lit := range []string{exampleEndpoint, exampleCredentialsFile} {
		if !strings.Contains(example, lit) {
			t.Fatalf("examples/provider/provider.tf no longer contains %s: update testProviderExample", lit)
		}
	}
	srv := emulator.NewServer(emulator.Config{
		Username:     "billing-admin",
		ClientID:     "toolkit-client-id",
		ClientSecret: "toolkit-client-secret",
	})
	t.Cleanup(srv.Close)
	c := srv.Config()

	creds, err := json.Marshal(map[string]any{"toolkit": map[string]string{
		"endpoint": srv.Endpoint(), "client_id": c.ClientID, "client_secret": c.ClientSecret,
	}})
	if err != nil {
		t.Fatal(err)
	}
	credFile := filepath.Join(t.TempDir(), "credentials.json")
	if err := os.WriteFile(credFile, creds, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := strings.NewReplacer(
		exampleEndpoint, fmt.Sprintf("%q", srv.Endpoint()),
		exampleCredentialsFile, fmt.Sprintf("%q", credFile),
	).Replace(example) + `
data "apiconnect_catalog" "sandbox" {
  name = "sandbox"
}
`
	t.Setenv("TF_ACC_PROVIDER_NAMESPACE", "apiconnect-community")
	t.Setenv("APIC_PASSWORD", c.Password)
	for _, env := range []string{"APIC_ENDPOINT", "APIC_ORG", "APIC_USERNAME", "APIC_REALM", "APIC_API_KEY",
		"APIC_CLIENT_ID", "APIC_CLIENT_SECRET", "APIC_TOKEN", "APIC_CREDENTIALS_FILE"} {
		t.Setenv(env, "")
		if err := os.Unsetenv(env); err != nil {
			t.Fatal(err)
		}
	}
	sandboxID, _ := srv.CatalogID(c.Org, "sandbox")
	accTestSerial(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:           cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.apiconnect_catalog.sandbox", tfjsonpath.New("id"), knownvalue.StringExact(sandboxID)),
				statecheck.ExpectKnownValue("data.apiconnect_catalog.sandbox", tfjsonpath.New("sandbox"), knownvalue.Bool(true)),
			},
			Check: func(*terraform.State) error {
				// Authenticated with the password grant (the emulator accepts it
				// only with the user, realm, password and toolkit client above).
				for _, r := range srv.Requests() {
					if r.Method == http.MethodPost && r.Route == emulator.RouteToken && r.Status == http.StatusOK {
						return nil
					}
				}
				return fmt.Errorf("no successful token request")
			},
		}},
	})
}
