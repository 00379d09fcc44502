package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

// writeOnlyCLIs: write-only attributes need Terraform or OpenTofu 1.11+.
var writeOnlyCLIs = []tfversion.TerraformVersionCheck{featureWriteOnly}

// noTraceInPlan fails when a secret appears anywhere in the saved plan
// (terraform show -json of the plan file).
type noTraceInPlan struct{ secrets []string }

func (c noTraceInPlan) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	b, err := json.Marshal(req.Plan)
	if err != nil {
		resp.Error = err
		return
	}
	if len(b) < 200 {
		resp.Error = fmt.Errorf("the plan JSON is suspiciously small (%d bytes)", len(b))
		return
	}
	for _, s := range c.secrets {
		if strings.Contains(string(b), s) {
			i := strings.Index(string(b), s)
			resp.Error = fmt.Errorf("a write-only secret key appears in the saved plan, after %q", strings.ReplaceAll(string(b[max(0, i-300):i]), s, "KEY"))
		}
	}
}

// noTraceInState fails when a secret appears anywhere in the state
// (terraform show -json of the state).
type noTraceInState struct{ secrets []string }

func (c noTraceInState) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	b, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	if !strings.Contains(string(b), "apiconnect_billing_integration") {
		resp.Error = fmt.Errorf("the state JSON holds no integration: the check would prove nothing")
		return
	}
	for _, s := range c.secrets {
		if strings.Contains(string(b), s) {
			resp.Error = fmt.Errorf("a write-only secret key appears in the state")
		}
	}
}

func TestAccBillingIntegration_writeOnly(t *testing.T) {
	e := newPortableAccEnv(t)
	e.requireKeys("a rotated key and keys of a second Stripe account", e.keys.skRotated, e.keys.pk2, e.keys.sk2)
	secrets := []string{e.keys.sk, e.keys.skRotated}
	noTrace := noTraceInPlan{secrets: secrets}
	stateChecks := func(extra ...statecheck.StateCheck) []statecheck.StateCheck {
		return append([]statecheck.StateCheck{
			noTraceInState{secrets: secrets},
			statecheck.ExpectKnownValue(billingAddr, tfjsonpath.New("secret_key"), knownvalue.Null()),
			statecheck.ExpectKnownValue(billingAddr, tfjsonpath.New("secret_key_wo"), knownvalue.Null()),
		}, extra...)
	}
	steps := []resource.TestStep{
		{
			Config:          e.fixture("billing_integration_wo", e.title("Write only"), e.keys.pk, "", "1"),
			ConfigVariables: woKey(e.keys.sk),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(billingAddr, plancheck.ResourceActionCreate), noTrace},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: stateChecks(
				statecheck.ExpectKnownValue(billingAddr, tfjsonpath.New("stripe_account_id"), e.accountCheck(e.keys.acct)),
				statecheck.ExpectKnownValue(billingAddr, tfjsonpath.New("secret_key_wo_version"), knownvalue.StringExact("1")),
			),
			Check: e.checkStoredKey(e.name("write-only"), e.keys.sk),
		},
		{
			// A changed key without a new version is not sent (a warning says so).
			Config:          e.fixture("billing_integration_wo", e.title("Write only"), e.keys.pk, "", "1"),
			ConfigVariables: woKey(e.keys.skRotated),
			PlanOnly:        true,
		},
		{
			// Rotation in one account and mode with a version bump: in place.
			Config:          e.fixture("billing_integration_wo", e.title("Write only"), e.keys.pk, "", "2"),
			ConfigVariables: woKey(e.keys.skRotated),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(billingAddr, plancheck.ResourceActionUpdate), noTrace},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: stateChecks(),
			Check: resource.ComposeAggregateTestCheckFunc(
				e.checkStoredKey(e.name("write-only"), e.keys.skRotated),
				e.checkCount(http.MethodPatch, billingID, 1),
			),
		},
		{
			// Another account's key forces replacement even without a version bump.
			Config:          e.fixture("billing_integration_wo", e.title("Write only"), e.keys.pk2, "", "2"),
			ConfigVariables: woKey(e.keys.sk2),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(billingAddr, plancheck.ResourceActionReplace),
					noTraceInPlan{secrets: []string{e.keys.sk2}},
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: stateChecks(statecheck.ExpectKnownValue(billingAddr, tfjsonpath.New("stripe_account_id"), e.accountCheck(e.keys.acct2))),
			Check: resource.ComposeAggregateTestCheckFunc(
				e.checkStoredKey(e.name("write-only"), e.keys.sk2),
				e.checkCount(http.MethodPatch, billingID, 1),
			),
		},
	}
	if !e.emulatorOnly("the step with live keys (never used on a real platform)") {
		steps = append(steps, resource.TestStep{
			// Live keys of the same account: replacement too.
			Config:          e.fixture("billing_integration_wo", e.title("Write only"), pkTwoLive, "", "2"),
			ConfigVariables: woKey(skTwoLive),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(billingAddr, plancheck.ResourceActionReplace)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: stateChecks(statecheck.ExpectKnownValue(billingAddr, tfjsonpath.New("mode"), knownvalue.StringExact("live"))),
			Check:             e.checkCount(http.MethodPatch, billingID, 1),
		})
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   writeOnlyCLIs,
		CheckDestroy:             e.checkDestroyed,
		Steps:                    steps,
	})
}

var pkTwoLive, skTwoLive = emulator.StripeKeys("AcctTwo", "live", "r1")

func woKey(secret string) config.Variables {
	return config.Variables{"secret_key_wo": config.StringVariable(secret)}
}

// TestAccBillingIntegration_migrateToWriteOnly moves a key from secret_key to
// secret_key_wo and back without replacing the integration.
func TestAccBillingIntegration_migrateToWriteOnly(t *testing.T) {
	e := newPortableAccEnv(t)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   writeOnlyCLIs,
		CheckDestroy:             e.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config:           e.fixture("billing_integration", e.title("Migrate"), "null", e.keys.pk, e.keys.sk),
				ConfigPlanChecks: planAction(plancheck.ResourceActionCreate),
			},
			{
				Config:           e.fixture("billing_integration_wo", e.title("Migrate"), e.keys.pk, "", "1"),
				ConfigVariables:  woKey(e.keys.sk),
				ConfigPlanChecks: planAction(plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{
					noTraceInState{secrets: []string{e.keys.sk}},
					statecheck.ExpectKnownValue(billingAddr, tfjsonpath.New("secret_key"), knownvalue.Null()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkCount(http.MethodPost, emulator.RouteBillings, 1),
					e.checkCount(http.MethodDelete, billingID, 0),
				),
			},
			{
				// The fingerprint in private state recognises the same key.
				Config:           e.fixture("billing_integration", e.title("Migrate"), "null", e.keys.pk, e.keys.sk),
				ConfigPlanChecks: planAction(plancheck.ResourceActionUpdate),
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkCount(http.MethodPost, emulator.RouteBillings, 1),
					e.checkCount(http.MethodDelete, billingID, 0),
					e.checkStoredKey(e.name("migrate"), e.keys.sk),
				),
			},
		},
	})
}
