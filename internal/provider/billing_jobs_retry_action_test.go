package provider

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/clitest"
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

// terraform apply -invoke runs the action on demand (neither
// terraform-plugin-testing nor terraform-exec has -invoke: the CLI is run
// directly). Its report names what it retried and the queue after, and
// shows no secret.
func TestAccBillingJobsRetryAction_invoke(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	registerAcc(t, 2) // counted as skipped on a CLI without the feature
	cli := skipUnlessCLIHas(t, featureActions)
	e := newAccEnv(t)
	createExampleBilling(t, e, "Stripe (live)", pkOneLive, skOneLive)
	e.enqueue("stripe-live", "blocked", "failed", "running")
	w := clitest.NewWorkdir(t, cli)
	w.Write(e.providerBlock() + `
action "apiconnect_billing_jobs_retry" "live" {
  config {
    billing = "stripe-live"
  }
}
`)
	secrets := map[string]string{"secret key": skOneLive, "password": e.srv.Config().Password, "client secret": e.srv.Config().ClientSecret}
	run := func(exit int, args ...string) clitest.Result {
		r := mustRun(t, w, exit, args...)
		for _, l := range clitest.FindLeaks(r, secrets, nil) {
			t.Errorf("%v: %s", args, l)
		}
		return r
	}
	r := run(0, "apply", "-auto-approve", "-invoke=action.apiconnect_billing_jobs_retry.live")
	if want := `Retried 2 blocked or failed job(s) of billing integration "stripe-live" (org "acme"). Job queue after the retry: running, 1 job(s).`; !strings.Contains(r.Stdout, want) {
		t.Errorf("the action's report lacks %q:\n%s", want, r.Stdout)
	}
	if err := resource.ComposeAggregateTestCheckFunc(e.checkRetried(2), e.checkJobs("stripe-live", "running"))(nil); err != nil {
		t.Error(err)
	}
	// Nothing left to retry: a second run says so and changes nothing.
	r = run(0, "apply", "-auto-approve", "-invoke=action.apiconnect_billing_jobs_retry.live")
	if want := "had no blocked or failed jobs: nothing retried"; !strings.Contains(r.Stdout, want) {
		t.Errorf("the second report lacks %q:\n%s", want, r.Stdout)
	}
	if err := e.checkRetried(2)(nil); err != nil {
		t.Error(err)
	}
}
