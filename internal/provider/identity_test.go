package provider

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

const catalogBillingAddr = "apiconnect_catalog_billing.a"

func TestAccBillingIntegration_identity(t *testing.T) {
	e := newAccEnv(t)
	cfg := e.fixture("billing_integration", "Identity Billing", "null", pkOneTest, skOneTest)
	accTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{featureIdentity},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config:           cfg,
				ConfigPlanChecks: planAction(plancheck.ResourceActionCreate),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(billingAddr, map[string]knownvalue.Check{
						"org":  knownvalue.StringExact(e.org),
						"name": knownvalue.StringExact("identity-billing"),
					}),
				},
			},
			{
				// An update keeps the identity.
				Config:           e.fixture("billing_integration", "Identity Billing", `"changed"`, pkOneTest, skOneTest),
				ConfigPlanChecks: planAction(plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(billingAddr, map[string]knownvalue.Check{
						"org":  knownvalue.StringExact(e.org),
						"name": knownvalue.StringExact("identity-billing"),
					}),
				},
			},
			{
				// import { identity = {org, name} }: the secret key cannot be read
				// back, so the plan updates it.
				ResourceName:       billingAddr,
				ImportState:        true,
				ImportStateKind:    resource.ImportBlockWithResourceIdentity,
				ExpectNonEmptyPlan: true,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(billingAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(billingAddr, tfjsonpath.New("title"), knownvalue.StringExact("Identity Billing")),
				}},
			},
		},
	})
}

// An integration made in API Manager, adopted with an import block whose
// identity names it (org from the provider): the import updates it in place
// with the configured key, then plans empty.
func TestAccBillingIntegration_importIdentityBlock(t *testing.T) {
	e := newAccEnv(t)
	accTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{featureIdentity},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkDestroyed,
		Steps: []resource.TestStep{{
			PreConfig: func() { createExampleBilling(t, e, "Made By Hand", pkOneTest, skOneTest) },
			Config:    e.fixture("billing_integration_import_identity", "made-by-hand", "Made By Hand", pkOneTest, skOneTestRotated),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(billingAddr, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectIdentity(billingAddr, map[string]knownvalue.Check{
					"org":  knownvalue.StringExact(e.org),
					"name": knownvalue.StringExact("made-by-hand"),
				}),
				statecheck.ExpectKnownValue(billingAddr, tfjsonpath.New("id"), knownvalue.StringFunc(func(id string) error {
					if b, ok := e.srv.Billing(e.org, "made-by-hand"); !ok || b.ID != id {
						return fmt.Errorf("id %q is not the id of the integration made by hand", id)
					}
					return nil
				})),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				e.checkStoredKey("made-by-hand", skOneTestRotated),
				e.checkCount(http.MethodPost, emulator.RouteBillings, 1), // the one made by hand
			),
		}},
	})
}

func TestAccCatalogBilling_identity(t *testing.T) {
	e := newAccEnv(t)
	cfg := e.fixture("catalog_billing", "Identity Catalog", cbPkLiveOne, cbSkLiveOne, "sandbox")
	var firstID string
	identity := func(id knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectIdentity(catalogBillingAddr, map[string]knownvalue.Check{
			"org": knownvalue.StringExact(e.org), "catalog": knownvalue.StringExact("sandbox"), "id": id,
		})
	}
	accTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{featureIdentity},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkAllDestroyed,
		Steps: []resource.TestStep{
			{
				Config:           cfg,
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					identity(knownvalue.StringFunc(func(id string) error {
						firstID = id
						return e.configuredIDIs("sandbox", id)
					})),
				},
			},
			{
				ResourceName:    catalogBillingAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
			{
				// Removed in API Manager: refresh drops it (and its identity), the
				// plan creates it again, and the new object's identity replaces
				// the old one.
				PreConfig: func() {
					if err := e.client().DeleteConfiguredBilling(context.Background(), e.org, "sandbox", firstID); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(catalogBillingAddr, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					identity(knownvalue.StringFunc(func(id string) error {
						if id == firstID {
							return fmt.Errorf("identity still holds the deleted configured billing %s", id)
						}
						return e.configuredIDIs("sandbox", id)
					})),
				},
			},
		},
	})
}

// configuredIDIs checks that id is the one configured billing of catalog.
func (e *accEnv) configuredIDIs(catalog, id string) error {
	got := e.srv.ConfiguredBillings(e.org, catalog)
	if len(got) != 1 || got[0].ID != id {
		return fmt.Errorf("catalog %s holds %v, want exactly configured billing %s", catalog, got, id)
	}
	return nil
}
