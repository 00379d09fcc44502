package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

const billingAddr = "apiconnect_billing_integration.test"

// Keys of the emulator's Stripe fake: the account is encoded in the key (see
// internal/emulator/stripe.go), so tests can make keys of one account, of
// another account and of either mode.
var (
	pkOneTest, skOneTest = emulator.StripeKeys("AcctOne", "test", "r1")
	_, skOneTestRotated  = emulator.StripeKeys("AcctOne", "test", "r2")
	pkOneLive, skOneLive = emulator.StripeKeys("AcctOne", "live", "r1")
	pkTwoTest, skTwoTest = emulator.StripeKeys("AcctTwo", "test", "r1")
	acctOne, acctTwo     = emulator.StripeAccountID("AcctOne"), emulator.StripeAccountID("AcctTwo")
	emptyPlanAfterApply  = resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
	billingID            = emulator.RouteBilling
)

func planAction(action plancheck.ResourceActionType) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{
		PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(billingAddr, action)},
		PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
	}
}

// checkEmulator asserts on what the emulator holds and received.
func (e *accEnv) checkStoredKey(name, wantSecret string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if e.emulatorOnly("the stored secret key of " + name) {
			return nil // a real platform never reveals the key
		}
		b, ok := e.srv.Billing(e.org, name)
		if !ok {
			return fmt.Errorf("emulator has no billing %q", name)
		}
		if b.SecretKey != wantSecret {
			return fmt.Errorf("emulator holds another secret key for %q than the configured one", name)
		}
		return nil
	}
}

func (e *accEnv) checkCount(method, route string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if e.emulatorOnly(fmt.Sprintf("%d requests %s %s", want, method, route)) {
			return nil // no request journal on a real platform
		}
		if got := e.srv.Count(method, route); got != want {
			return fmt.Errorf("emulator saw %d %s %s, want %d", got, method, route, want)
		}
		return nil
	}
}

func (e *accEnv) checkDestroyed(*terraform.State) error {
	if e.srv == nil {
		return e.checkDestroyedReal()
	}
	if bs := e.srv.Billings(e.org); len(bs) != 0 {
		return fmt.Errorf("%d billing integrations left on the platform after destroy", len(bs))
	}
	return nil
}

// checkDestroyedReal looks for this test's objects on a real platform.
func (e *accEnv) checkDestroyedReal() error {
	client, err := sweepClient()
	if err != nil {
		return err
	}
	bs, err := client.ListBillings(context.Background(), e.org)
	if err != nil {
		return err
	}
	for _, b := range bs {
		if strings.HasPrefix(b.Name, e.prefix) {
			return fmt.Errorf("billing integration %s left on the platform after destroy", b.Name)
		}
	}
	return nil
}

func TestAccBillingIntegration_basic(t *testing.T) {
	e := newPortableAccEnv(t)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config:           e.fixture("billing_integration", e.title("Acme Billing (Test)"), "null", e.keys.pk, e.keys.sk),
				ConfigPlanChecks: planAction(plancheck.ResourceActionCreate),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(billingAddr, tfjsonpath.New("name"), knownvalue.StringExact(e.name("acme-billing-test"))),
					statecheck.ExpectKnownValue(billingAddr, tfjsonpath.New("org"), knownvalue.StringExact(e.org)),
					statecheck.ExpectKnownValue(billingAddr, tfjsonpath.New("mode"), knownvalue.StringExact("test")),
					statecheck.ExpectKnownValue(billingAddr, tfjsonpath.New("stripe_account_id"), e.accountCheck(e.keys.acct)),
					statecheck.ExpectKnownValue(billingAddr, tfjsonpath.New("integration_url"), knownvalue.StringRegexp(regexp.MustCompile(`/api/cloud/integrations/billing/stripe$`))),
					statecheck.ExpectKnownValue(billingAddr, tfjsonpath.New("job_queue").AtMapKey("state"), knownvalue.StringExact("idle")),
					statecheck.ExpectKnownValue(billingAddr, tfjsonpath.New("summary"), knownvalue.Null()),
					statecheck.ExpectKnownValue(billingAddr, tfjsonpath.New("id"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(billingAddr, tfjsonpath.New("url"), knownvalue.StringRegexp(regexp.MustCompile(`/api/orgs/.+/billings/.+`))),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkStoredKey(e.name("acme-billing-test"), e.keys.sk),
					e.checkCount(http.MethodPost, emulator.RouteBillings, 1),
				),
			},
			{
				ResourceName:            billingAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateIdFunc:       func(*terraform.State) (string, error) { return e.org + "/" + e.name("acme-billing-test"), nil },
				ImportStateVerifyIgnore: []string{"secret_key"},
			},
			{
				ResourceName:            billingAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateId:           e.name("acme-billing-test"),
				ImportStateVerifyIgnore: []string{"secret_key"},
			},
			{
				ResourceName:      billingAddr,
				ImportState:       true,
				ImportStateVerify: true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					return e.org + "/" + s.RootModule().Resources[billingAddr].Primary.ID, nil
				},
				ImportStateVerifyIgnore: []string{"secret_key"},
			},
		},
	})
}

func TestAccBillingIntegration_updateInPlace(t *testing.T) {
	e := newPortableAccEnv(t)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config:           e.fixture("billing_integration", e.title("Payments"), `"first summary"`, e.keys.pk, e.keys.sk),
				ConfigPlanChecks: planAction(plancheck.ResourceActionCreate),
			},
			{
				Config:           e.fixture("billing_integration", e.title("Payments renamed"), `"second summary"`, e.keys.pk, e.keys.sk),
				ConfigPlanChecks: planAction(plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(billingAddr, tfjsonpath.New("title"), knownvalue.StringExact(e.title("Payments renamed"))),
					// The name was derived at creation; a new title does not rename (or replace) it.
					statecheck.ExpectKnownValue(billingAddr, tfjsonpath.New("name"), knownvalue.StringExact(e.name("payments"))),
					statecheck.ExpectKnownValue(billingAddr, tfjsonpath.New("summary"), knownvalue.StringExact("second summary")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkCount(http.MethodPost, emulator.RouteBillings, 1),
					e.checkCount(http.MethodPatch, billingID, 1),
					func(*terraform.State) error {
						if e.emulatorOnly("no key in a title/summary update") {
							return nil
						}
						// Only title and summary were sent: no key left the provider.
						for _, r := range e.srv.Requests() {
							if r.Method == http.MethodPatch && strings.Contains(string(r.Body), "full_access_key") {
								return fmt.Errorf("a title/summary update sent the keys: %s", r.Body)
							}
						}
						return nil
					},
				),
			},
			{
				Config:           e.fixture("billing_integration", e.title("Payments renamed"), "null", e.keys.pk, e.keys.sk),
				ConfigPlanChecks: planAction(plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(billingAddr, tfjsonpath.New("summary"), knownvalue.Null()),
				},
				Check: func(*terraform.State) error {
					if e.emulatorOnly("summary cleared on the platform") {
						return nil
					}
					if b, _ := e.srv.Billing(e.org, "payments"); b.Summary != "" {
						return fmt.Errorf("summary not cleared on the platform: %q", b.Summary)
					}
					return nil
				},
			},
		},
	})
}

func TestAccBillingIntegration_rotateKeyInPlace(t *testing.T) {
	e := newPortableAccEnv(t)
	e.requireKeys("a second secret key of the same account", e.keys.skRotated)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config:           e.fixture("billing_integration", e.title("Rotation"), "null", e.keys.pk, e.keys.sk),
				ConfigPlanChecks: planAction(plancheck.ResourceActionCreate),
			},
			{
				Config:           e.fixture("billing_integration", e.title("Rotation"), "null", e.keys.pk, e.keys.skRotated),
				ConfigPlanChecks: planAction(plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(billingAddr, tfjsonpath.New("stripe_account_id"), e.accountCheck(e.keys.acct)),
					statecheck.ExpectKnownValue(billingAddr, tfjsonpath.New("mode"), knownvalue.StringExact("test")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkStoredKey(e.name("rotation"), e.keys.skRotated),
					e.checkCount(http.MethodPost, emulator.RouteBillings, 1),
					e.checkCount(http.MethodPatch, billingID, 1),
					e.checkCount(http.MethodDelete, billingID, 0),
				),
			},
		},
	})
}

func TestAccBillingIntegration_otherAccountReplaces(t *testing.T) {
	e := newPortableAccEnv(t)
	e.requireKeys("keys of a second Stripe account", e.keys.pk2, e.keys.sk2)
	var firstID string
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config:           e.fixture("billing_integration", e.title("Swap"), "null", e.keys.pk, e.keys.sk),
				ConfigPlanChecks: planAction(plancheck.ResourceActionCreate),
				Check: func(s *terraform.State) error {
					firstID = s.RootModule().Resources[billingAddr].Primary.ID
					return nil
				},
			},
			{
				Config: e.fixture("billing_integration", e.title("Swap"), "null", e.keys.pk2, e.keys.sk2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(billingAddr, plancheck.ResourceActionReplace),
						plancheck.ExpectKnownValue(billingAddr, tfjsonpath.New("stripe_account_id"), e.accountCheck(e.keys.acct2)),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(billingAddr, tfjsonpath.New("stripe_account_id"), e.accountCheck(e.keys.acct2)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkStoredKey(e.name("swap"), e.keys.sk2),
					e.checkCount(http.MethodPost, emulator.RouteBillings, 2),
					e.checkCount(http.MethodDelete, billingID, 1),
					// The old integration was never sent the other account's key.
					e.checkCount(http.MethodPatch, billingID, 0),
					func(s *terraform.State) error {
						if s.RootModule().Resources[billingAddr].Primary.ID == firstID {
							return fmt.Errorf("the integration was not replaced")
						}
						return nil
					},
				),
			},
		},
	})
}

func TestAccBillingIntegration_testToLiveReplaces(t *testing.T) {
	e := newPortableAccEnv(t)
	e.requireKeys("live keys", e.keys.pkLive, e.keys.skLive)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config:           e.fixture("billing_integration", e.title("Mode"), "null", e.keys.pk, e.keys.sk),
				ConfigPlanChecks: planAction(plancheck.ResourceActionCreate),
			},
			{
				// Same Stripe account, live keys: still a replacement.
				Config: e.fixture("billing_integration", e.title("Mode"), "null", e.keys.pkLive, e.keys.skLive),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(billingAddr, plancheck.ResourceActionReplace),
						plancheck.ExpectKnownValue(billingAddr, tfjsonpath.New("mode"), knownvalue.StringExact("live")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(billingAddr, tfjsonpath.New("mode"), knownvalue.StringExact("live")),
					statecheck.ExpectKnownValue(billingAddr, tfjsonpath.New("stripe_account_id"), e.accountCheck(e.keys.acct)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkStoredKey(e.name("mode"), e.keys.skLive),
					e.checkCount(http.MethodPatch, billingID, 0),
					e.checkCount(http.MethodPost, emulator.RouteBillings, 2),
				),
			},
		},
	})
}

// TestAccBillingIntegration_keyKnownOnlyAtApply: when the new key is unknown
// at plan, the plan cannot show a replacement; the apply must then fail
// before any call that changes the integration. Terraform re-plans with the
// now-known key, the provider asks for a replacement, and Terraform stops the
// apply because the action changed (Update to DeleteThenCreate).
func TestAccBillingIntegration_keyKnownOnlyAtApply(t *testing.T) {
	e := newPortableAccEnv(t)
	e.requireKeys("keys of a second Stripe account and a rotated key", e.keys.pk2, e.keys.sk2, e.keys.skRotated)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config:           e.fixture("billing_integration_late_key", e.title("Late"), e.keys.sk, e.keys.pk),
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(billingAddr, tfjsonpath.New("stripe_account_id"), e.accountCheck(e.keys.acct)),
				},
			},
			{
				Config:      e.fixture("billing_integration_late_key", e.title("Late"), e.keys.sk2, e.keys.pk2),
				ExpectError: regexp.MustCompile(`(?s)changed the planned action from\s+Update to DeleteThenCreate`),
				Check:       e.checkCount(http.MethodPatch, billingID, 0),
			},
			{
				// A same-account rotation known only at apply goes through in place.
				Config:           e.fixture("billing_integration_late_key", e.title("Late"), e.keys.skRotated, e.keys.pk),
				ConfigPlanChecks: planAction(plancheck.ResourceActionUpdate),
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkStoredKey(e.name("late"), e.keys.skRotated),
					e.checkCount(http.MethodPatch, billingID, 1),
				),
			},
		},
	})
}

func TestAccBillingIntegration_invalidKeys(t *testing.T) {
	e := newPortableAccEnv(t)
	pk := e.keys.pk
	plan := func(pk, sk string, want string) resource.TestStep {
		return resource.TestStep{
			Config:      e.fixture("billing_integration", e.title("Bad"), "null", pk, sk),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(want),
		}
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			plan(pk, skOneLive, `(?s)Stripe keys of different modes.*publishable_key is a test-mode key`),
			plan(pk, pkOneTest, `(?s)Invalid Stripe secret key.*secret_key.*publishable key was given`),
			plan(skOneTest, skOneTest, `(?s)Invalid Stripe publishable key.*publishable_key`),
			plan(pk, "xk_test_abcdefghijklmnopqrs", `(?s)Invalid Stripe secret key.*unknown key prefix`),
			plan(pk, "sk_prod_abcdefghijklmnopqrs", `(?s)Invalid Stripe secret key.*unknown key mode`),
		},
		CheckDestroy: func(*terraform.State) error {
			if e.emulatorOnly("no write of invalid keys") {
				return nil
			}
			if n := e.srv.Count(http.MethodPost, emulator.RouteBillings) + e.srv.Count(http.MethodPatch, billingID); n != 0 {
				return fmt.Errorf("invalid keys reached the platform (%d writes)", n)
			}
			return nil
		},
	})
}

func TestAccBillingIntegration_disappears(t *testing.T) {
	e := newAccEnv(t)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config: e.fixture("billing_integration", "Gone", "null", pkOneTest, skOneTest),
				Check: func(*terraform.State) error {
					if !e.srv.DeleteBillingOutOfBand(e.org, "gone") {
						return fmt.Errorf("nothing to delete out of band")
					}
					return nil
				},
				ExpectNonEmptyPlan: true,
			},
			{
				// The next plan recreates it.
				Config:           e.fixture("billing_integration", "Gone", "null", pkOneTest, skOneTest),
				ConfigPlanChecks: planAction(plancheck.ResourceActionCreate),
				Check:            e.checkCount(http.MethodPost, emulator.RouteBillings, 2),
			},
		},
	})
}
