package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

// Addresses in the catalog billing fixtures (testdata/catalog_billing*.tf).
const (
	cbIntegration = "apiconnect_billing_integration.test"
	cbA           = "apiconnect_catalog_billing.a"
	cbB           = "apiconnect_catalog_billing.b"
)

// Keys of the emulator's Stripe fake (the account is encoded in the key).
var (
	cbPkLiveOne, cbSkLiveOne = emulator.StripeKeys("AcctOne", "live", "r1")
	cbPkTestOne, cbSkTestOne = emulator.StripeKeys("AcctOne", "test", "r1")
	cbPkLiveTwo, cbSkLiveTwo = emulator.StripeKeys("AcctTwo", "live", "r1")
	cbAcctOne, cbAcctTwo     = emulator.StripeAccountID("AcctOne"), emulator.StripeAccountID("AcctTwo")
	configuredPOST           = emulator.RouteConfiguredList
)

// expectActions checks the planned action of each address before apply, and
// an empty plan after apply and refresh.
func expectActions(actions map[string]plancheck.ResourceActionType, extra ...plancheck.PlanCheck) resource.ConfigPlanChecks {
	pre := make([]plancheck.PlanCheck, 0, len(actions)+len(extra))
	for addr, a := range actions {
		pre = append(pre, plancheck.ExpectResourceAction(addr, a))
	}
	return resource.ConfigPlanChecks{
		PreApply:             append(pre, extra...),
		PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
	}
}

var postApplyEmpty = resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}

// words matches a phrase however the CLI wraps it (any whitespace between
// words); a ".*" word matches anything.
func words(phrase string) *regexp.Regexp {
	parts := strings.Fields(phrase)
	for i, p := range parts {
		if p != ".*" {
			parts[i] = regexp.QuoteMeta(p)
		}
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, `\s+`))
}

// client is a platform API client of the emulator, for out-of-band changes.
func (e *accEnv) client() *apic.Client {
	e.t.Helper()
	c := e.srv.Config()
	cl, err := apic.New(apic.Config{
		Endpoint: e.srv.Endpoint(), Username: c.Username, Password: c.Password, Realm: c.Realm,
		ClientID: c.ClientID, ClientSecret: c.ClientSecret, MaxRetries: 1,
	})
	if err != nil {
		e.t.Fatalf("emulator client: %v", err)
	}
	return cl
}

// checkConfigured asserts that the catalog holds exactly one configured
// billing, for the integration at integrationAddr in state.
func (e *accEnv) checkConfigured(catalog, integrationAddr string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[integrationAddr]
		if !ok {
			return fmt.Errorf("%s not in state", integrationAddr)
		}
		got := e.srv.ConfiguredBillings(e.org, catalog)
		if len(got) != 1 {
			return fmt.Errorf("catalog %s holds %d configured billings, want 1", catalog, len(got))
		}
		if got[0].BillingID != rs.Primary.ID {
			return fmt.Errorf("catalog %s is configured with billing %s, want %s", catalog, got[0].BillingID, rs.Primary.ID)
		}
		return nil
	}
}

func (e *accEnv) checkNotConfigured(catalogs ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, c := range catalogs {
			if n := len(e.srv.ConfiguredBillings(e.org, c)); n != 0 {
				return fmt.Errorf("catalog %s holds %d configured billings, want 0", c, n)
			}
		}
		return nil
	}
}

// checkAllDestroyed: no integration and no configured billing left.
func (e *accEnv) checkAllDestroyed(s *terraform.State) error {
	if err := e.checkNotConfigured("sandbox", "production", "test")(s); err != nil {
		return err
	}
	return e.checkDestroyed(s)
}

// catalogBillingImportID is org/catalog/id of addr in state.
func catalogBillingImportID(addr string) resource.ImportStateIdFunc {
	return func(s *terraform.State) (string, error) {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return "", fmt.Errorf("%s not in state", addr)
		}
		a := rs.Primary.Attributes
		return a["org"] + "/" + a["catalog"] + "/" + a["id"], nil
	}
}

func sameAsIntegration(addr, attr, integrationAttr string) statecheck.StateCheck {
	return statecheck.CompareValuePairs(addr, tfjsonpath.New(attr), cbIntegration, tfjsonpath.New(integrationAttr), compare.ValuesSame())
}

func TestAccCatalogBilling_basic(t *testing.T) {
	e := newAccEnv(t)
	cfg := e.fixture("catalog_billing_two", "Acme Live", cbPkLiveOne, cbSkLiveOne, "sandbox", "production")
	configuredURL := regexp.MustCompile(`/api/catalogs/[^/]+/[^/]+/configured-billings/[^/]+$`)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkAllDestroyed,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigPlanChecks: expectActions(map[string]plancheck.ResourceActionType{
					cbIntegration: plancheck.ResourceActionCreate,
					cbA:           plancheck.ResourceActionCreate,
					cbB:           plancheck.ResourceActionCreate,
				}, plancheck.ExpectUnknownValue(cbA, tfjsonpath.New("billing_url")),
					plancheck.ExpectKnownValue(cbA, tfjsonpath.New("org"), knownvalue.StringExact(e.org))),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(cbA, tfjsonpath.New("org"), knownvalue.StringExact(e.org)),
					statecheck.ExpectKnownValue(cbA, tfjsonpath.New("catalog"), knownvalue.StringExact("sandbox")),
					statecheck.ExpectKnownValue(cbA, tfjsonpath.New("mode"), knownvalue.StringExact("live")),
					statecheck.ExpectKnownValue(cbA, tfjsonpath.New("stripe_account_id"), knownvalue.StringExact(cbAcctOne)),
					statecheck.ExpectKnownValue(cbA, tfjsonpath.New("id"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(cbA, tfjsonpath.New("name"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(cbA, tfjsonpath.New("url"), knownvalue.StringRegexp(configuredURL)),
					sameAsIntegration(cbA, "billing_url", "url"),
					statecheck.ExpectKnownValue(cbB, tfjsonpath.New("catalog"), knownvalue.StringExact("production")),
					statecheck.ExpectKnownValue(cbB, tfjsonpath.New("mode"), knownvalue.StringExact("live")),
					statecheck.ExpectKnownValue(cbB, tfjsonpath.New("stripe_account_id"), knownvalue.StringExact(cbAcctOne)),
					statecheck.ExpectKnownValue(cbB, tfjsonpath.New("url"), knownvalue.StringRegexp(configuredURL)),
					sameAsIntegration(cbB, "billing_url", "url"),
					statecheck.CompareValuePairs(cbA, tfjsonpath.New("id"), cbB, tfjsonpath.New("id"), compare.ValuesDiffer()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkConfigured("sandbox", cbIntegration),
					e.checkConfigured("production", cbIntegration),
					e.checkNotConfigured("test"),
					e.checkCount(http.MethodPost, configuredPOST, 2),
				),
			},
			{
				ResourceName:      cbA,
				ImportState:       true,
				ImportStateVerify: true,
				ImportStateIdFunc: catalogBillingImportID(cbA),
			},
			{
				ResourceName:      cbB,
				ImportState:       true,
				ImportStateVerify: true,
				ImportStateIdFunc: catalogBillingImportID(cbB),
			},
			{
				// catalog/id with the provider's org.
				ResourceName:      cbB,
				ImportState:       true,
				ImportStateVerify: true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					id, err := catalogBillingImportID(cbB)(s)
					return strings.TrimPrefix(id, e.org+"/"), err
				},
			},
			{
				ResourceName:  cbA,
				ImportState:   true,
				ImportStateId: "sandbox",
				ExpectError:   words("Invalid import ID"),
			},
			{
				// Removed out of band: the refresh drops it, the plan adds it again.
				PreConfig: func() {
					for _, cb := range e.srv.ConfiguredBillings(e.org, "sandbox") {
						if err := e.client().DeleteConfiguredBilling(context.Background(), e.org, "sandbox", cb.ID); err != nil {
							t.Fatalf("out-of-band delete: %v", err)
						}
					}
				},
				Config: cfg,
				ConfigPlanChecks: expectActions(map[string]plancheck.ResourceActionType{
					cbIntegration: plancheck.ResourceActionNoop,
					cbA:           plancheck.ResourceActionCreate,
					cbB:           plancheck.ResourceActionNoop,
				}, plancheck.ExpectKnownValue(cbA, tfjsonpath.New("mode"), knownvalue.StringExact("live"))),
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkConfigured("sandbox", cbIntegration),
					e.checkConfigured("production", cbIntegration),
					e.checkCount(http.MethodPost, configuredPOST, 3),
				),
			},
		},
	})
}

// TestAccCatalogBilling_nameBasedURL: the platform answers billing_url in id
// form; a configured name-based URL of the same integration stays in state,
// so there is no perpetual diff.
func TestAccCatalogBilling_nameBasedURL(t *testing.T) {
	e := newAccEnv(t)
	byName := e.srv.Endpoint() + "/orgs/" + e.org + "/billings/named-url"
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkAllDestroyed,
		Steps: []resource.TestStep{
			{
				Config:           e.fixture("catalog_billing_integration", "Named URL", cbPkLiveOne, cbSkLiveOne),
				ConfigPlanChecks: expectActions(map[string]plancheck.ResourceActionType{cbIntegration: plancheck.ResourceActionCreate}),
			},
			{
				Config: e.fixture("catalog_billing_named_url", "Named URL", cbPkLiveOne, cbSkLiveOne, "sandbox", byName),
				// The integration exists, so the plan already knows its mode and account.
				ConfigPlanChecks: expectActions(map[string]plancheck.ResourceActionType{
					cbIntegration: plancheck.ResourceActionNoop,
					cbA:           plancheck.ResourceActionCreate,
				},
					plancheck.ExpectKnownValue(cbA, tfjsonpath.New("mode"), knownvalue.StringExact("live")),
					plancheck.ExpectKnownValue(cbA, tfjsonpath.New("stripe_account_id"), knownvalue.StringExact(cbAcctOne)),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(cbA, tfjsonpath.New("billing_url"), knownvalue.StringExact(byName)),
					statecheck.ExpectKnownValue(cbA, tfjsonpath.New("mode"), knownvalue.StringExact("live")),
				},
				Check: e.checkConfigured("sandbox", cbIntegration),
			},
			{
				// A second refresh and plan: still no diff.
				Config:           e.fixture("catalog_billing_named_url", "Named URL", cbPkLiveOne, cbSkLiveOne, "sandbox", byName),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(cbA, tfjsonpath.New("billing_url"), knownvalue.StringExact(byName)),
				},
			},
		},
	})
}

// TestAccCatalogBilling_productionGuardAtPlan: a test-mode integration that
// already exists cannot be planned into a production Catalog.
func TestAccCatalogBilling_productionGuardAtPlan(t *testing.T) {
	e := newAccEnv(t)
	missing := e.srv.Endpoint() + "/orgs/" + e.org + "/billings/does-not-exist"
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkAllDestroyed,
		Steps: []resource.TestStep{
			{
				Config:           e.fixture("catalog_billing_integration", "Guard Plan", cbPkTestOne, cbSkTestOne),
				ConfigPlanChecks: expectActions(map[string]plancheck.ResourceActionType{cbIntegration: plancheck.ResourceActionCreate}),
			},
			{
				Config:      e.fixture("catalog_billing", "Guard Plan", cbPkTestOne, cbSkTestOne, "production"),
				PlanOnly:    true,
				ExpectError: words(`Stripe test keys in a production Catalog .* Use a separate Catalog for Stripe test keys. IBM API Connect: "If you want to use your Stripe test keys, you must create a separate Catalog for testing, and not add your Stripe test keys to production Catalogs."`),
			},
			{
				Config:      e.fixture("catalog_billing_literal_url", "Guard Plan", cbPkTestOne, cbSkTestOne, "test", missing),
				PlanOnly:    true,
				ExpectError: words(`Billing integration not found .* "does-not-exist", which does not exist`),
			},
			{
				Config:      e.fixture("catalog_billing", "Guard Plan", cbPkTestOne, cbSkTestOne, "no-such-catalog"),
				PlanOnly:    true,
				ExpectError: words(`Catalog not found`),
			},
			{
				// A test Catalog is where test keys belong.
				Config: e.fixture("catalog_billing", "Guard Plan", cbPkTestOne, cbSkTestOne, "test"),
				ConfigPlanChecks: expectActions(map[string]plancheck.ResourceActionType{
					cbIntegration: plancheck.ResourceActionNoop,
					cbA:           plancheck.ResourceActionCreate,
				}, plancheck.ExpectKnownValue(cbA, tfjsonpath.New("mode"), knownvalue.StringExact("test"))),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(cbA, tfjsonpath.New("mode"), knownvalue.StringExact("test")),
					statecheck.ExpectKnownValue(cbA, tfjsonpath.New("stripe_account_id"), knownvalue.StringExact(cbAcctOne)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkConfigured("test", cbIntegration),
					e.checkNotConfigured("production"),
					e.checkCount(http.MethodPost, configuredPOST, 1),
				),
			},
		},
	})
}

// TestAccCatalogBilling_productionGuardAtApply: the integration is created
// in the same apply, so its mode is unknown at plan; the apply refuses
// before adding it to the production Catalog.
func TestAccCatalogBilling_productionGuardAtApply(t *testing.T) {
	e := newAccEnv(t)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkAllDestroyed,
		Steps: []resource.TestStep{
			{
				Config: e.fixture("catalog_billing", "Guard Apply", cbPkTestOne, cbSkTestOne, "production"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(cbA, plancheck.ResourceActionCreate),
					plancheck.ExpectUnknownValue(cbA, tfjsonpath.New("billing_url")),
					plancheck.ExpectUnknownValue(cbA, tfjsonpath.New("mode")),
				}},
				ExpectError: words(`Stripe test keys in a production Catalog .* Use a separate Catalog for Stripe test keys.`),
			},
			{
				PreConfig: func() {
					if n := e.srv.Count(http.MethodPost, configuredPOST); n != 0 {
						t.Fatalf("the refused apply sent %d POST configured-billings, want 0", n)
					}
					if n := len(e.srv.Billings(e.org)); n != 1 {
						t.Fatalf("the integration should exist after the refused apply, found %d", n)
					}
				},
				Config: e.fixture("catalog_billing", "Guard Apply", cbPkTestOne, cbSkTestOne, "test"),
				ConfigPlanChecks: expectActions(map[string]plancheck.ResourceActionType{
					cbIntegration: plancheck.ResourceActionNoop,
					cbA:           plancheck.ResourceActionCreate,
				}),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(cbA, tfjsonpath.New("mode"), knownvalue.StringExact("test")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkCount(http.MethodPost, configuredPOST, 1),
					e.checkConfigured("test", cbIntegration),
					e.checkNotConfigured("production"),
				),
			},
		},
	})
}

// TestAccCatalogBilling_replacedWithIntegration: swapping the integration to
// another Stripe account replaces it, and with it every catalog billing that
// references its url, in an order the platform accepts (catalog billings
// removed before the integration is deleted).
func TestAccCatalogBilling_replacedWithIntegration(t *testing.T) {
	e := newAccEnv(t)
	var firstID string
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkAllDestroyed,
		Steps: []resource.TestStep{
			{
				Config: e.fixture("catalog_billing_two", "Cascade", cbPkLiveOne, cbSkLiveOne, "sandbox", "test"),
				ConfigPlanChecks: expectActions(map[string]plancheck.ResourceActionType{
					cbIntegration: plancheck.ResourceActionCreate,
					cbA:           plancheck.ResourceActionCreate,
					cbB:           plancheck.ResourceActionCreate,
				}),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(cbA, tfjsonpath.New("stripe_account_id"), knownvalue.StringExact(cbAcctOne)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkConfigured("sandbox", cbIntegration),
					e.checkConfigured("test", cbIntegration),
					func(s *terraform.State) error {
						firstID = s.RootModule().Resources[cbIntegration].Primary.ID
						return nil
					},
				),
			},
			{
				Config: e.fixture("catalog_billing_two", "Cascade", cbPkLiveTwo, cbSkLiveTwo, "sandbox", "test"),
				ConfigPlanChecks: expectActions(map[string]plancheck.ResourceActionType{
					cbIntegration: plancheck.ResourceActionDestroyBeforeCreate,
					cbA:           plancheck.ResourceActionDestroyBeforeCreate,
					cbB:           plancheck.ResourceActionDestroyBeforeCreate,
				},
					plancheck.ExpectKnownValue(cbIntegration, tfjsonpath.New("stripe_account_id"), knownvalue.StringExact(cbAcctTwo)),
					plancheck.ExpectUnknownValue(cbA, tfjsonpath.New("billing_url")),
					plancheck.ExpectUnknownValue(cbB, tfjsonpath.New("billing_url")),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(cbIntegration, tfjsonpath.New("stripe_account_id"), knownvalue.StringExact(cbAcctTwo)),
					statecheck.ExpectKnownValue(cbA, tfjsonpath.New("stripe_account_id"), knownvalue.StringExact(cbAcctTwo)),
					statecheck.ExpectKnownValue(cbB, tfjsonpath.New("stripe_account_id"), knownvalue.StringExact(cbAcctTwo)),
					sameAsIntegration(cbA, "billing_url", "url"),
					sameAsIntegration(cbB, "billing_url", "url"),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkConfigured("sandbox", cbIntegration),
					e.checkConfigured("test", cbIntegration),
					e.checkNotConfigured("production"),
					func(s *terraform.State) error {
						if id := s.RootModule().Resources[cbIntegration].Primary.ID; id == firstID {
							return fmt.Errorf("the integration was not replaced")
						}
						if bs := e.srv.Billings(e.org); len(bs) != 1 || bs[0].AccountID != cbAcctTwo {
							return fmt.Errorf("the platform holds %d integrations, want only the new one", len(bs))
						}
						return nil
					},
					// One DELETE of the old integration, accepted at once: the
					// catalog billings were removed before it.
					e.checkCount(http.MethodDelete, emulator.RouteBilling, 1),
					e.checkCount(http.MethodDelete, emulator.RouteConfiguredBilling, 2),
					e.checkCount(http.MethodPost, configuredPOST, 4),
				),
			},
		},
	})
}

// TestAccCatalogBilling_deleteWhileConfigured: an integration still
// configured in a Catalog outside this configuration cannot be deleted; the
// error says what to do.
func TestAccCatalogBilling_deleteWhileConfigured(t *testing.T) {
	e := newAccEnv(t)
	var outOfBand string
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkAllDestroyed,
		Steps: []resource.TestStep{
			{
				Config:           e.fixture("catalog_billing_integration", "Still Used", cbPkLiveOne, cbSkLiveOne),
				ConfigPlanChecks: postApplyEmpty,
				Check: func(s *terraform.State) error {
					url := s.RootModule().Resources[cbIntegration].Primary.Attributes["url"]
					cb, err := e.client().CreateConfiguredBilling(context.Background(), e.org, "sandbox", url)
					if err != nil {
						return fmt.Errorf("out-of-band configured billing: %w", err)
					}
					outOfBand = cb.ID
					return nil
				},
			},
			{
				Config:      e.providerBlock(),
				ExpectError: words(`Billing integration is still configured in a Catalog .* Remove the apiconnect_catalog_billing resources whose billing_url is`),
			},
			{
				PreConfig: func() {
					if err := e.client().DeleteConfiguredBilling(context.Background(), e.org, "sandbox", outOfBand); err != nil {
						t.Fatalf("out-of-band cleanup: %v", err)
					}
				},
				Config: e.providerBlock(),
				ConfigPlanChecks: expectActions(map[string]plancheck.ResourceActionType{
					cbIntegration: plancheck.ResourceActionDestroy,
				}),
				Check: e.checkCount(http.MethodDelete, emulator.RouteBilling, 2),
			},
		},
	})
}

// TestAccCatalogBilling_literalURLDestroyOrder: with a literal billing_url
// Terraform does not know that the catalog billing uses the integration, so
// nothing stops it from deleting the integration first; the platform answers
// 409 and the error names the fix.
func TestAccCatalogBilling_literalURLDestroyOrder(t *testing.T) {
	e := newAccEnv(t)
	byName := e.srv.Endpoint() + "/orgs/" + e.org + "/billings/literal"
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkAllDestroyed,
		Steps: []resource.TestStep{
			{
				Config:           e.fixture("catalog_billing_integration", "Literal", cbPkLiveOne, cbSkLiveOne),
				ConfigPlanChecks: postApplyEmpty,
			},
			{
				Config:           e.fixture("catalog_billing_literal_url", "Literal", cbPkLiveOne, cbSkLiveOne, "sandbox", byName),
				ConfigPlanChecks: postApplyEmpty,
				Check:            e.checkConfigured("sandbox", cbIntegration),
			},
			{
				// Keep only the catalog billing: the integration's destroy
				// meets the 409 (the catalog billing stays).
				Config: e.providerBlock() + `
resource "apiconnect_catalog_billing" "a" {
  catalog     = "sandbox"
  billing_url = "` + byName + `"
}
`,
				ExpectError: words(`Billing integration is still configured in a Catalog .* Remove the apiconnect_catalog_billing resources`),
			},
			{
				// Remove the catalog billing first, then the integration.
				Config: e.fixture("catalog_billing_integration", "Literal", cbPkLiveOne, cbSkLiveOne),
				ConfigPlanChecks: expectActions(map[string]plancheck.ResourceActionType{
					cbIntegration: plancheck.ResourceActionNoop,
					cbA:           plancheck.ResourceActionDestroy,
				}),
				Check: e.checkNotConfigured("sandbox"),
			},
			{
				Config: e.providerBlock(),
				ConfigPlanChecks: expectActions(map[string]plancheck.ResourceActionType{
					cbIntegration: plancheck.ResourceActionDestroy,
				}),
			},
		},
	})
}
