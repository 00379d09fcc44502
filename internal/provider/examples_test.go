package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

// TestAccCatalogBilling_stripeBillingModule applies the files of
// examples/modules/stripe-billing against the emulator, with the provider
// block of the test prepended and the module's variables set.
//
// The files are inlined as the root module: terraform-plugin-testing cannot
// read a state with child modules ("Modules are not supported"), so a
// module "billing" { source = "<abs path>" } block (which terraform init
// does install) is not an option. The module requires the provider by its
// registry source (apiconnect-community/apiconnect), so the in-process
// provider is served under that namespace; that sets the environment, hence
// a serial test.
func TestAccCatalogBilling_stripeBillingModule(t *testing.T) {
	dir := filepath.Join("..", "..", "examples", "modules", "stripe-billing")
	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no module files in %s: %v", dir, err)
	}
	sort.Strings(files)
	t.Setenv("TF_ACC_PROVIDER_NAMESPACE", "apiconnect-community")
	e := newAccEnv(t)
	cfg := e.providerBlock()
	for _, f := range files {
		b, err := os.ReadFile(f) //nolint:gosec // test fixture path
		if err != nil {
			t.Fatal(err)
		}
		cfg += "\n# ---- " + filepath.Base(f) + "\n" + string(b)
	}
	pkTest, skTest := emulator.StripeKeys("AcctTest", "test", "m1")
	vars := config.Variables{
		"live_publishable_key": config.StringVariable(cbPkLiveOne),
		"live_secret_key":      config.StringVariable(cbSkLiveOne),
		"test_publishable_key": config.StringVariable(pkTest),
		"test_secret_key":      config.StringVariable(skTest),
	}
	configuredWith := func(catalog, integration string) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			rs, ok := s.RootModule().Resources["apiconnect_billing_integration."+integration]
			if !ok {
				return fmt.Errorf("apiconnect_billing_integration.%s not in state", integration)
			}
			got := e.srv.ConfiguredBillings(e.org, catalog)
			if len(got) != 1 || got[0].BillingID != rs.Primary.ID {
				return fmt.Errorf("catalog %s: %d configured billings, want exactly the %s integration", catalog, len(got), integration)
			}
			return nil
		}
	}
	accTestSerial(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkAllDestroyed,
		Steps: []resource.TestStep{
			{
				// The module's own validation refuses a test key as a live key (first,
				// so that the post-test destroy runs with valid variables).
				Config: cfg,
				ConfigVariables: config.Variables{
					"live_publishable_key": config.StringVariable(pkTest),
					"live_secret_key":      config.StringVariable(cbSkLiveOne),
					"test_publishable_key": config.StringVariable(pkTest),
					"test_secret_key":      config.StringVariable(skTest),
				},
				PlanOnly:    true,
				ExpectError: words(`live_publishable_key must be a Stripe live publishable key`),
			},
			{
				Config:          cfg,
				ConfigVariables: vars,
				ConfigPlanChecks: expectActions(map[string]plancheck.ResourceActionType{
					"apiconnect_billing_integration.live":   plancheck.ResourceActionCreate,
					"apiconnect_billing_integration.test":   plancheck.ResourceActionCreate,
					"apiconnect_catalog_billing.production": plancheck.ResourceActionCreate,
					"apiconnect_catalog_billing.sandbox":    plancheck.ResourceActionCreate,
					"apiconnect_catalog_billing.test":       plancheck.ResourceActionCreate,
				}),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("live_integration", knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"name":              knownvalue.StringExact("stripe-live"),
						"mode":              knownvalue.StringExact("live"),
						"stripe_account_id": knownvalue.StringExact(cbAcctOne),
					})),
					statecheck.ExpectKnownOutputValue("test_integration", knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"name":              knownvalue.StringExact("stripe-test"),
						"mode":              knownvalue.StringExact("test"),
						"stripe_account_id": knownvalue.StringExact(emulator.StripeAccountID("AcctTest")),
					})),
					statecheck.ExpectKnownOutputValue("catalog_billings", knownvalue.MapExact(map[string]knownvalue.Check{
						"production": knownvalue.NotNull(),
						"sandbox":    knownvalue.NotNull(),
						"test":       knownvalue.NotNull(),
					})),
					statecheck.ExpectKnownOutputValueAtPath("live_integration", tfjsonpath.New("url"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue("apiconnect_catalog_billing.production", tfjsonpath.New("mode"), knownvalue.StringExact("live")),
					statecheck.ExpectKnownValue("apiconnect_catalog_billing.test", tfjsonpath.New("mode"), knownvalue.StringExact("test")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					configuredWith("production", "live"),
					configuredWith("sandbox", "live"),
					configuredWith("test", "test"),
				),
			},
		},
	})
}
