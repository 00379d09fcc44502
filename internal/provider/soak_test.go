package provider

import (
	"fmt"
	"math"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

// Soak: one apply of soakCount integrations and soakCount catalog billings
// against a platform that fails a third of the requests.
const (
	soakCount = 100
	// soakMaxRetries: a request fails for good only when its first attempt
	// and all its retries fail. With a fault share q per attempt that is
	// q^(soakMaxRetries+1) per request; see soakFailureOdds.
	soakMaxRetries = 20
)

// soakWaitMin and soakWaitMax bound the exponential backoff of the soak's
// clients (the provider's defaults are 500ms and 30s). What the soak checks
// is that every request gets through and nothing is created twice or lost;
// with the default cap, the one request in a thousand that fails six or
// seven times in a row waits 30s or more, and each of the run's Terraform
// commands waits for its slowest request. The 429s' Retry-After (1s) is
// honoured as always. The backoff itself is unit-tested in internal/apic.
const (
	soakWaitMin = 100 * time.Millisecond
	soakWaitMax = 2 * time.Second
)

// soakFaults are the faults of the soak tests: 20% 503, 10% 429 (with
// Retry-After: 1), 5% connection resets, and, to give "no duplicates" a
// meaning, 5% of the creates that pass those are committed and then lose
// their response.
var soakFaults = emulator.Faults{Rate503: 0.20, Rate429: 0.10, RateReset: 0.05, RateCommitDrop: 0.05, RetryAfter: time.Second}

// soakFailureOdds bounds the probability that a run of n logical requests
// fails: each request fails only if all its maxRetries+1 attempts fail, an
// attempt failing with probability q (a POST: a fault, or a commit drop
// after none).
func soakFailureOdds(f emulator.Faults, maxRetries, n int) float64 {
	q := f.Rate503 + f.Rate429 + f.RateReset
	q += (1 - q) * f.RateCommitDrop
	return float64(n) * math.Pow(q, float64(maxRetries+1))
}

func TestAccSoak_faults(t *testing.T) {
	soakTest(t, "faults", soakFaults)
}

func TestAccSoak_faultsAndTokenExpiry(t *testing.T) {
	f := soakFaults
	f.TokenTTL = 5 * time.Second
	soakTest(t, "faults+token_ttl_5s", f)
}

func soakTest(t *testing.T, name string, faults emulator.Faults) {
	e := newAccEnv(t)
	watchClient(e.srv.Endpoint(), soakWaitMin, soakWaitMax)
	cfg := e.providerConfig(map[string]string{"max_retries": fmt.Sprint(soakMaxRetries)})
	b, err := os.ReadFile("testdata/soak.tf")
	if err != nil {
		t.Fatal(err)
	}
	cfg += fmt.Sprintf(string(b), soakCount, pkOneTest, skOneTest)

	var start time.Time
	var applied time.Duration
	var dup, lost int
	var changesAfterApply map[string]int
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		PreCheck: func() {
			e.srv.SetFaults(faults)
			start = time.Now()
		},
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: func(s *terraform.State) error {
				applied = time.Since(start)
				changesAfterApply = e.srv.ChangeCounts()
				var err error
				dup, lost, err = e.checkSoakState(s)
				return err
			},
		}},
		CheckDestroy: func(*terraform.State) error {
			if n := len(e.srv.Billings(e.org)); n != 0 {
				return fmt.Errorf("%d billing integrations left after destroy", n)
			}
			if n := len(e.srv.ConfiguredBillings(e.org, "sandbox")); n != 0 {
				return fmt.Errorf("%d configured billings left in sandbox after destroy", n)
			}
			return nil
		},
	})
	if t.Failed() || t.Skipped() {
		return
	}
	// Requests the provider sent (the emulator's own Stripe lookups on
	// create are left out), per route.
	counts, internal, fc := map[string]int{}, 0, e.srv.FaultCounts()
	requests := 0
	for _, r := range e.srv.Requests() {
		if r.RemoteAddr == "" {
			internal++
			continue
		}
		counts[r.Method+" "+r.Route]++
		requests++
	}
	changes := e.srv.ChangeCounts()
	t.Logf("soak %s on %s: %d integrations and %d catalog billings; apply %s, total %s",
		name, cliName(), soakCount, soakCount, applied.Round(time.Second), time.Since(start).Round(time.Second))
	t.Logf("requests the provider made, per route (%d; and %d Stripe lookups of the emulator itself): %s", requests, internal, formatCounts(counts))
	t.Logf("injected faults: %s", formatCounts(fc))
	failed, reauths := e.journalRetries()
	t.Logf("failed attempts the client retried: %d; re-authentications: %d", failed, reauths)
	t.Logf("committed writes after apply: %s; over the whole test: %s", formatCounts(changesAfterApply), formatCounts(changes))
	t.Logf("odds that a run like this fails for want of retries (max_retries %d): %.1e; backoff %s..%s, Retry-After %s",
		soakMaxRetries, soakFailureOdds(faults, soakMaxRetries, requests), soakWaitMin, soakWaitMax, faults.RetryAfter)
	fmt.Printf("SOAK SUMMARY cli=%s test=%s integrations=%d catalog_billings=%d requests=%d failed_attempts=%d reauth=%d faults={%s} duplicates=%d lost=%d apply=%s total=%s\n",
		cliName(), name, soakCount, soakCount, requests, failed, reauths, formatCounts(fc), dup, lost,
		applied.Round(time.Second), time.Since(start).Round(time.Second))
}

// checkSoakState compares the emulator with the state after the apply: it
// must hold exactly soakCount integrations and soakCount configured billings
// in sandbox, those of the state, each integration configured once; each
// create committed exactly once, and no create answered 409 (a create sent
// again after it had been committed).
func (e *accEnv) checkSoakState(s *terraform.State) (dup, lost int, err error) {
	billings := e.srv.Billings(e.org)
	configured := e.srv.ConfiguredBillings(e.org, "sandbox")
	byID := map[string]bool{}
	for _, b := range billings {
		byID[b.ID] = true
	}
	cbByID := map[string]bool{}
	perBilling := map[string]int{}
	for _, cb := range configured {
		cbByID[cb.ID] = true
		perBilling[cb.BillingID]++
	}
	for i := range soakCount {
		bi := s.RootModule().Resources[fmt.Sprintf("apiconnect_billing_integration.x.%d", i)]
		if bi == nil || !byID[bi.Primary.ID] {
			lost++
		}
		cb := s.RootModule().Resources[fmt.Sprintf("apiconnect_catalog_billing.x.%d", i)]
		if cb == nil || !cbByID[cb.Primary.ID] {
			lost++
		}
	}
	for _, n := range perBilling {
		if n > 1 {
			dup += n - 1
		}
	}
	changes := e.srv.ChangeCounts()
	dup += changes[http.MethodPost+" "+emulator.RouteBillings] - soakCount
	dup += changes[http.MethodPost+" "+emulator.RouteConfiguredList] - soakCount
	for _, r := range e.srv.Requests() {
		if r.Method == http.MethodPost && r.Status == http.StatusConflict &&
			(r.Route == emulator.RouteBillings || r.Route == emulator.RouteConfiguredList) {
			dup++
		}
	}
	switch {
	case len(billings) != soakCount:
		err = fmt.Errorf("the emulator holds %d billing integrations, want %d", len(billings), soakCount)
	case len(configured) != soakCount:
		err = fmt.Errorf("the emulator holds %d configured billings in sandbox, want %d", len(configured), soakCount)
	case lost != 0:
		err = fmt.Errorf("%d resources of the state are not on the platform", lost)
	case dup != 0:
		err = fmt.Errorf("%d duplicate creates (committed POSTs %s)", dup, formatCounts(changes))
	}
	return dup, lost, err
}
