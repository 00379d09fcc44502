package provider

import (
	"fmt"
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
)

const (
	dsIntegration  = "data.apiconnect_billing_integration.test"
	dsIntegrations = "data.apiconnect_billing_integrations.all"
	dsJobs         = "data.apiconnect_billing_jobs.test"
)

func TestAccDataSource_billingIntegration(t *testing.T) {
	e := newAccEnv(t)
	same := func(attr string) statecheck.StateCheck {
		return statecheck.CompareValuePairs(dsIntegration, tfjsonpath.New(attr), cbIntegration, tfjsonpath.New(attr), compare.ValuesSame())
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkAllDestroyed,
		Steps: []resource.TestStep{
			{
				Config: e.fixture("data_sources", "Read Back", cbPkTestOne, cbSkTestOne),
				ConfigPlanChecks: expectActions(map[string]plancheck.ResourceActionType{
					cbIntegration: plancheck.ResourceActionCreate,
				}),
				ConfigStateChecks: []statecheck.StateCheck{
					same("id"), same("org"), same("name"), same("title"), same("summary"), same("integration_url"),
					same("publishable_key"), same("mode"), same("stripe_account_id"), same("url"),
					same("created_at"), same("updated_at"), same("job_queue"),
					statecheck.ExpectKnownValue(dsIntegration, tfjsonpath.New("name"), knownvalue.StringExact("read-back")),
					statecheck.ExpectKnownValue(dsIntegration, tfjsonpath.New("org"), knownvalue.StringExact(e.org)),
					statecheck.ExpectKnownValue(dsIntegration, tfjsonpath.New("summary"), knownvalue.StringExact("Read back by the data sources")),
					statecheck.ExpectKnownValue(dsIntegration, tfjsonpath.New("mode"), knownvalue.StringExact("test")),
					statecheck.ExpectKnownValue(dsIntegration, tfjsonpath.New("stripe_account_id"), knownvalue.StringExact(cbAcctOne)),
					statecheck.ExpectKnownValue(dsIntegration, tfjsonpath.New("publishable_key"), knownvalue.StringExact(cbPkTestOne)),
					statecheck.ExpectKnownValue(dsIntegration, tfjsonpath.New("job_queue"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"state":          knownvalue.StringExact("idle"),
						"pending_jobs":   knownvalue.Int64Exact(0),
						"blocked_reason": knownvalue.Null(),
					})),
					statecheck.ExpectKnownValue(dsIntegrations, tfjsonpath.New("org"), knownvalue.StringExact(e.org)),
					statecheck.ExpectKnownValue(dsIntegrations, tfjsonpath.New("integrations"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{
							"name":              knownvalue.StringExact("read-back"),
							"title":             knownvalue.StringExact("Read Back"),
							"mode":              knownvalue.StringExact("test"),
							"stripe_account_id": knownvalue.StringExact(cbAcctOne),
							"publishable_key":   knownvalue.StringExact(cbPkTestOne),
							"org":               knownvalue.StringExact(e.org),
							"url":               knownvalue.NotNull(),
							"job_queue":         knownvalue.NotNull(),
						}),
					})),
					statecheck.CompareValuePairs(dsIntegrations, tfjsonpath.New("integrations").AtSliceIndex(0).AtMapKey("id"),
						cbIntegration, tfjsonpath.New("id"), compare.ValuesSame()),
				},
				// The data source has no secret attribute at all.
				Check: func(s *terraform.State) error {
					for k, v := range s.RootModule().Resources[dsIntegration].Primary.Attributes {
						if v == cbSkTestOne || strings.Contains(k, "secret") {
							return fmt.Errorf("data source exposes %s", k)
						}
					}
					return nil
				},
			},
			{
				Config:      e.fixture("data_source_billing_missing", "no-such-integration"),
				PlanOnly:    true,
				ExpectError: words(`Billing integration not found .* no billing integration "no-such-integration"`),
			},
		},
	})
}

func TestAccDataSource_catalog(t *testing.T) {
	e := newAccEnv(t)
	sandboxID, _ := e.srv.CatalogID(e.org, "sandbox")
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:           e.fixture("data_source_catalogs", e.org),
				ConfigPlanChecks: postApplyEmpty,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.apiconnect_catalog.sandbox", tfjsonpath.New("id"), knownvalue.StringExact(sandboxID)),
					statecheck.ExpectKnownValue("data.apiconnect_catalog.sandbox", tfjsonpath.New("title"), knownvalue.StringExact("Sandbox")),
					statecheck.ExpectKnownValue("data.apiconnect_catalog.sandbox", tfjsonpath.New("url"), knownvalue.StringRegexp(regexp.MustCompile(`/api/catalogs/[^/]+/`+sandboxID+`$`))),
					statecheck.ExpectKnownValue("data.apiconnect_catalog.sandbox", tfjsonpath.New("sandbox"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("data.apiconnect_catalog.sandbox", tfjsonpath.New("production_mode"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue("data.apiconnect_catalog.sandbox", tfjsonpath.New("org"), knownvalue.StringExact(e.org)),
					statecheck.ExpectKnownValue("data.apiconnect_catalog.production", tfjsonpath.New("title"), knownvalue.StringExact("Production")),
					statecheck.ExpectKnownValue("data.apiconnect_catalog.production", tfjsonpath.New("sandbox"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue("data.apiconnect_catalog.production", tfjsonpath.New("production_mode"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("data.apiconnect_catalog.test", tfjsonpath.New("sandbox"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue("data.apiconnect_catalog.test", tfjsonpath.New("production_mode"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue("data.apiconnect_catalog.test", tfjsonpath.New("id"), knownvalue.NotNull()),
				},
			},
			{
				Config:      e.fixture("data_source_catalog_missing", "no-such-catalog"),
				PlanOnly:    true,
				ExpectError: words(`Catalog not found .* no Catalog "no-such-catalog"`),
			},
		},
	})
}

// TestAccDataSource_billingJobsBlocked: a blocked job shows in the
// integration's job_queue after a refresh, and in apiconnect_billing_jobs.
func TestAccDataSource_billingJobsBlocked(t *testing.T) {
	e := newAccEnv(t)
	cfg := e.fixture("catalog_billing_jobs", "Jobs", cbPkLiveOne, cbSkLiveOne)
	const reason = "Stripe API unreachable"
	var jobID string
	isJob := knownvalue.StringFunc(func(v string) error {
		if v != jobID {
			return fmt.Errorf("job id %q, want %q", v, jobID)
		}
		return nil
	})
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkAllDestroyed,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigPlanChecks: expectActions(map[string]plancheck.ResourceActionType{
					cbIntegration: plancheck.ResourceActionCreate,
					cbA:           plancheck.ResourceActionCreate,
				}),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(cbIntegration, tfjsonpath.New("job_queue").AtMapKey("state"), knownvalue.StringExact("idle")),
					statecheck.ExpectKnownValue(dsJobs, tfjsonpath.New("jobs"), knownvalue.ListSizeExact(0)),
				},
			},
			{
				// The job appears out of band; this step's refresh sees it.
				PreConfig: func() {
					id, ok := e.srv.EnqueueJob(e.org, "jobs", "blocked", reason)
					if !ok {
						t.Fatal("EnqueueJob failed")
					}
					jobID = id
				},
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(cbIntegration, tfjsonpath.New("job_queue"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"state":          knownvalue.StringExact("blocked"),
						"pending_jobs":   knownvalue.Int64Exact(1),
						"blocked_reason": knownvalue.StringExact(reason),
					})),
					statecheck.ExpectKnownValue(dsJobs, tfjsonpath.New("jobs"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"id":         isJob,
							"state":      knownvalue.StringExact("blocked"),
							"error":      knownvalue.StringExact(reason),
							"created_at": knownvalue.NotNull(),
						}),
					})),
					statecheck.ExpectKnownValue(dsJobs, tfjsonpath.New("org"), knownvalue.StringExact(e.org)),
				},
			},
			{
				// A second running job behind it, read by a refresh-only step.
				PreConfig: func() {
					if _, ok := e.srv.EnqueueJob(e.org, "jobs", "running", ""); !ok {
						t.Fatal("EnqueueJob failed")
					}
				},
				RefreshState: true,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(cbIntegration, "job_queue.state", "blocked"),
					resource.TestCheckResourceAttr(cbIntegration, "job_queue.pending_jobs", "2"),
					resource.TestCheckResourceAttr(cbIntegration, "job_queue.blocked_reason", reason),
					resource.TestCheckResourceAttr(dsJobs, "jobs.#", "2"),
					resource.TestCheckResourceAttr(dsJobs, "jobs.0.state", "blocked"),
					resource.TestCheckResourceAttr(dsJobs, "jobs.1.state", "running"),
					resource.TestCheckNoResourceAttr(dsJobs, "jobs.1.error"),
				),
			},
			{
				Config:      e.fixture("data_source_jobs_missing", "no-such-integration"),
				PlanOnly:    true,
				ExpectError: words(`Billing integration not found`),
			},
		},
	})
}
