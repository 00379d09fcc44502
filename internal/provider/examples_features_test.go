package provider

import (
	"context"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

// exampleCatalogBillingID is the configured billing id that
// examples/resources/apiconnect_catalog_billing/import-by-identity.tf names.
const exampleCatalogBillingID = "0b6e3e3c-6e4f-4c8e-9a53-3f2f0f0c1d2e"

// featureExampleCases are the examples of the features of newer CLIs:
// functions, identity import blocks, list resources and actions.
func featureExampleCases() map[string]exampleCase {
	liveVars := config.Variables{
		"stripe_live_publishable_key": config.StringVariable(exPkLive),
		"stripe_live_secret_key":      config.StringVariable(exSkLive),
	}
	allDestroyed := func(e *accEnv) resource.TestCheckFunc { return e.checkAllDestroyed }
	liveIdentity := func(e *accEnv) map[string]knownvalue.Check {
		return map[string]knownvalue.Check{"org": knownvalue.StringExact(e.org), "name": knownvalue.StringExact("stripe-live")}
	}
	return map[string]exampleCase{
		"functions/stripe_key/function.tf": {
			requires: &featureFunctions,
			vars:     config.Variables{"stripe_secret_key": config.StringVariable(exSkLive)},
			stateChecks: func(*accEnv) []statecheck.StateCheck {
				return []statecheck.StateCheck{statecheck.ExpectKnownOutputValue("stripe_key_kind", knownvalue.StringExact("secret"))}
			},
			then: func(_ *accEnv, cfg string) []resource.TestStep {
				return []resource.TestStep{{
					Config:          cfg,
					ConfigVariables: config.Variables{"stripe_secret_key": config.StringVariable(exSkTest)},
					ExpectError:     words("stripe_secret_key must be a live secret or restricted key"),
				}}
			},
		},

		"functions/billing_name/function.tf": {
			requires: &featureFunctions,
			stateChecks: func(*accEnv) []statecheck.StateCheck {
				return []statecheck.StateCheck{statecheck.ExpectKnownOutputValue("billing_name", knownvalue.StringExact("stripe-eu-live"))}
			},
		},

		// The import block adopts an integration made in API Manager by its
		// identity, with the configuration of resource.tf.
		"resources/apiconnect_billing_integration/import-by-identity.tf": {
			requires: &featureIdentity,
			with:     []string{"resources/apiconnect_billing_integration/resource.tf"},
			vars:     liveVars,
			setup:    func(t *testing.T, e *accEnv) { createExampleBilling(t, e, "Stripe (live)", exPkLive, exSkLive) },
			preApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("apiconnect_billing_integration.live", plancheck.ResourceActionUpdate),
			},
			stateChecks: func(e *accEnv) []statecheck.StateCheck {
				return []statecheck.StateCheck{statecheck.ExpectIdentity("apiconnect_billing_integration.live", liveIdentity(e))}
			},
			check: func(e *accEnv) resource.TestCheckFunc {
				return resource.ComposeAggregateTestCheckFunc(
					e.checkStoredKey("stripe-live", exSkLive),
					e.checkCount(http.MethodPost, emulator.RouteBillings, 1), // the out-of-band create only
				)
			},
			checkDestroy: allDestroyed,
		},

		// The live integration and its Sandbox association, made in API
		// Manager, adopted by identity; the rest of resource.tf is created.
		"resources/apiconnect_catalog_billing/import-by-identity.tf": {
			requires: &featureIdentity,
			with: []string{
				"resources/apiconnect_catalog_billing/resource.tf",
				"resources/apiconnect_billing_integration/import-by-identity.tf",
			},
			vars: config.Variables{
				"stripe_live_publishable_key": config.StringVariable(exPkLive),
				"stripe_live_secret_key":      config.StringVariable(exSkLive),
				"stripe_test_publishable_key": config.StringVariable(exPkTest),
				"stripe_test_secret_key":      config.StringVariable(exSkTest),
			},
			prepare: func(t *testing.T, e *accEnv) map[string]string {
				createExampleBilling(t, e, "Stripe (live)", exPkLive, exSkLive)
				b, _ := e.srv.Billing(e.org, "stripe-live")
				cb, err := e.client().CreateConfiguredBilling(context.Background(), e.org, "sandbox", b.URL)
				if err != nil {
					t.Fatal(err)
				}
				return map[string]string{exampleCatalogBillingID: cb.ID}
			},
			preApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("apiconnect_billing_integration.live", plancheck.ResourceActionUpdate),
				plancheck.ExpectResourceAction("apiconnect_catalog_billing.sandbox", plancheck.ResourceActionNoop),
				plancheck.ExpectResourceAction("apiconnect_catalog_billing.production", plancheck.ResourceActionCreate),
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

		"list-resources/apiconnect_billing_integration/list-resource.tfquery.hcl": {
			requires: &featureQuery,
			setup: func(t *testing.T, e *accEnv) {
				createExampleBilling(t, e, "Stripe (live)", exPkLive, exSkLive)
				createExampleBilling(t, e, "Stripe (test)", exPkTest, exSkTest)
			},
			queryChecks: func(e *accEnv) []querycheck.QueryResultCheck {
				return []querycheck.QueryResultCheck{
					querycheck.ExpectLength("apiconnect_billing_integration.live", 1),
					querycheck.ExpectIdentity("apiconnect_billing_integration.live", liveIdentity(e)),
				}
			},
		},

		"list-resources/apiconnect_catalog_billing/list-resource.tfquery.hcl": {
			requires: &featureQuery,
			setup: func(t *testing.T, e *accEnv) {
				createExampleBilling(t, e, "Stripe (live)", exPkLive, exSkLive)
				b, _ := e.srv.Billing(e.org, "stripe-live")
				if _, err := e.client().CreateConfiguredBilling(context.Background(), e.org, "sandbox", b.URL); err != nil {
					t.Fatal(err)
				}
			},
			queryChecks: func(e *accEnv) []querycheck.QueryResultCheck {
				return []querycheck.QueryResultCheck{
					querycheck.ExpectLength("apiconnect_catalog_billing.sandbox", 1),
					querycheck.ExpectIdentity("apiconnect_catalog_billing.sandbox", map[string]knownvalue.Check{
						"org": knownvalue.StringExact(e.org), "catalog": knownvalue.StringExact("sandbox"), "id": knownvalue.NotNull(),
					}),
				}
			},
		},

		// Created, then a key rotation triggers the action, which retries the
		// blocked job.
		"actions/apiconnect_billing_jobs_retry/action.tf": {
			requires: &featureActions,
			vars:     liveVars,
			check: func(e *accEnv) resource.TestCheckFunc {
				return e.checkCount(http.MethodPost, emulator.RouteJobRetry, 0)
			},
			then: func(e *accEnv, cfg string) []resource.TestStep {
				_, skRotated := emulator.StripeKeys("AcmeLive", "live", "r2")
				return []resource.TestStep{{
					PreConfig: func() { e.enqueue("stripe-live", "blocked") },
					Config:    cfg,
					ConfigVariables: config.Variables{
						"stripe_live_publishable_key": config.StringVariable(exPkLive),
						"stripe_live_secret_key":      config.StringVariable(skRotated),
					},
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction("apiconnect_billing_integration.live", plancheck.ResourceActionUpdate)},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					Check: resource.ComposeAggregateTestCheckFunc(e.checkRetried(1), e.checkJobs("stripe-live")),
				}}
			},
			checkDestroy: allDestroyed,
		},
	}
}
