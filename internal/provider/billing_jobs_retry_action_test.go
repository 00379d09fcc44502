package provider

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

// checkJobs asserts the emulator's job queue of an integration: the states,
// head first.
func (e *accEnv) checkJobs(billing string, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		jobs, err := e.client().ListJobs(context.Background(), e.org, billing)
		if err != nil {
			return err
		}
		got := make([]string, 0, len(jobs))
		for _, j := range jobs {
			got = append(got, j.State)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("job queue of %s: %v, want %v", billing, got, want)
		}
		return nil
	}
}

// enqueue adds jobs to an integration's queue, as the platform does when
// Stripe calls fail.
func (e *accEnv) enqueue(billing string, states ...string) {
	e.t.Helper()
	for _, st := range states {
		if _, ok := e.srv.EnqueueJob(e.org, billing, st, "Stripe: the API key provided has been rolled"); !ok {
			e.t.Fatalf("EnqueueJob %s %s failed", billing, st)
		}
	}
}

// A key rotation (in-place update) triggers the action, which retries the
// blocked and failed jobs and leaves the running one alone.
func TestAccBillingJobsRetryAction_trigger(t *testing.T) {
	e := newAccEnv(t)
	accTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{featureActions},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config:           e.fixture("billing_jobs_retry_trigger", pkOneTest, skOneTest),
				ConfigPlanChecks: planAction(plancheck.ResourceActionCreate),
				Check:            e.checkCount(http.MethodPost, emulator.RouteJobRetry, 0), // no update yet
			},
			{
				PreConfig:        func() { e.enqueue("jobs-retry", "blocked", "failed", "running") },
				Config:           e.fixture("billing_jobs_retry_trigger", pkOneTest, skOneTestRotated),
				ConfigPlanChecks: planAction(plancheck.ResourceActionUpdate),
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkStoredKey("jobs-retry", skOneTestRotated),
					e.checkRetried(2),
					e.checkJobs("jobs-retry", "running"),
				),
			},
		},
	})
}

// checkRetried asserts that the emulator answered n job retries with 200.
func (e *accEnv) checkRetried(n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ok := 0
		for _, r := range e.srv.Requests() {
			if r.Method == http.MethodPost && r.Route == emulator.RouteJobRetry && r.Status == http.StatusOK {
				ok++
			}
		}
		if ok != n {
			return fmt.Errorf("emulator answered %d job retries with 200, want %d", ok, n)
		}
		return nil
	}
}

// On a platform that does not serve the (inferred) retry path, the action
// fails and says so; nothing was retried.
func TestAccBillingJobsRetryAction_unsupported(t *testing.T) {
	if realPlatform() {
		t.Skip("skipped on a real platform: needs an emulator without the retry path")
	}
	srv := emulator.NewServer(emulator.Config{NoJobRetry: true})
	t.Cleanup(srv.Close)
	e := &accEnv{t: t, srv: srv, org: srv.Config().Org, keys: emulatorKeySet()}
	accTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{featureActions},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config: e.fixture("billing_jobs_retry_trigger", pkOneTest, skOneTest),
			},
			{
				PreConfig:   func() { e.enqueue("jobs-retry", "blocked") },
				Config:      e.fixture("billing_jobs_retry_trigger", pkOneTest, skOneTestRotated),
				ExpectError: words(`Job retry not supported over the API: .* answered 404 .* this platform version may not support retrying jobs over the API`),
			},
			{
				// The key rotation itself was applied; the job is still blocked.
				Config:           e.fixture("billing_jobs_retry_trigger", pkOneTest, skOneTestRotated),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkStoredKey("jobs-retry", skOneTestRotated),
					e.checkJobs("jobs-retry", "blocked"),
					e.checkRetried(0),
				),
			},
		},
	})
}
