package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// TestAccCatalogBilling_portable adds a test-key integration to a
// non-production Catalog and reads both back through the data sources; it
// also runs against a real platform (APIC_ACC_CATALOG names the Catalog).
func TestAccCatalogBilling_portable(t *testing.T) {
	e := newPortableAccEnv(t)
	const cb = "apiconnect_catalog_billing.test"
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config:          e.fixture("catalog_billing_portable", e.title("Portable"), e.keys.pk, e.catalog()),
				ConfigVariables: config.Variables{"secret_key": config.StringVariable(e.keys.sk)},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(billingAddr, plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction(cb, plancheck.ResourceActionCreate),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(cb, tfjsonpath.New("catalog"), knownvalue.StringExact(e.catalog())),
					statecheck.ExpectKnownValue(cb, tfjsonpath.New("mode"), knownvalue.StringExact("test")),
					statecheck.ExpectKnownValue(cb, tfjsonpath.New("stripe_account_id"), e.accountCheck(e.keys.acct)),
					statecheck.ExpectKnownValue("data.apiconnect_catalog.test", tfjsonpath.New("production_mode"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue("data.apiconnect_billing_integration.test", tfjsonpath.New("name"), knownvalue.StringExact(e.name("portable"))),
					statecheck.ExpectKnownValue("data.apiconnect_billing_integration.test", tfjsonpath.New("mode"), knownvalue.StringExact("test")),
				},
			},
			{
				ResourceName:      cb,
				ImportState:       true,
				ImportStateVerify: true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					return e.org + "/" + e.catalog() + "/" + s.RootModule().Resources[cb].Primary.ID, nil
				},
				ConfigVariables: config.Variables{"secret_key": config.StringVariable(e.keys.sk)},
			},
		},
	})
}
