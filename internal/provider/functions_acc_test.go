package provider

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

// functionsConfig calls both functions with no provider block: they work
// offline, without provider configuration.
const functionsConfig = `
terraform {
  required_providers {
    apiconnect = { source = "hashicorp/apiconnect" }
  }
}

variable "secret_key" {
  type      = string
  sensitive = true
}

variable "publishable_key" {
  type = string
}

output "secret" {
  value     = provider::apiconnect::stripe_key(var.secret_key)
  sensitive = true
}

output "publishable" {
  value = provider::apiconnect::stripe_key(var.publishable_key)
}

output "name" {
  value = provider::apiconnect::billing_name("Stripe (Live) EU")
}

# The use the functions are made for: a module that only takes live keys.
output "live_only" {
  value = "accepted"
  precondition {
    condition     = provider::apiconnect::stripe_key(var.secret_key).mode == "live"
    error_message = "This module only takes live Stripe keys."
  }
}
`

func TestAccFunctions(t *testing.T) {
	pkLive, skLive := emulator.StripeKeys("FnAcct", "live", "f1")
	_, skTest := emulator.StripeKeys("FnAcct", "test", "f1")
	badKey := "sk_prod_" + strings.Repeat("Zq9", 8) // well-formed body, unknown mode
	vars := func(sk string) config.Variables {
		return config.Variables{"secret_key": config.StringVariable(sk), "publishable_key": config.StringVariable(pkLive)}
	}
	var sawBadKeyError atomic.Bool
	t.Cleanup(func() {
		if !t.Skipped() && !t.Failed() && !sawBadKeyError.Load() {
			t.Error("the invalid key was accepted: stripe_key should have failed")
		}
	})
	accTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{featureFunctions},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		// The provider's message for an invalid key never repeats the key (the
		// CLI shows the calling line, here var.secret_key, a sensitive value).
		ErrorCheck: func(err error) error {
			msg := err.Error()
			switch {
			case strings.Contains(msg, badKey[8:]):
				return errors.New("the error for an invalid key repeats the key")
			case !words("not a Stripe API key: unknown key mode after sk_").MatchString(msg):
				return fmt.Errorf("unexpected error: %w", err)
			}
			sawBadKeyError.Store(true)
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config:          functionsConfig,
				ConfigVariables: vars(skLive),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("secret", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"kind": knownvalue.StringExact("secret"), "mode": knownvalue.StringExact("live"),
					})),
					statecheck.ExpectKnownOutputValue("publishable", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"kind": knownvalue.StringExact("publishable"), "mode": knownvalue.StringExact("live"),
					})),
					statecheck.ExpectKnownOutputValue("name", knownvalue.StringExact("stripe-live-eu")),
					statecheck.ExpectKnownOutputValue("live_only", knownvalue.StringExact("accepted")),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				Config:          functionsConfig,
				ConfigVariables: vars(skTest),
				ExpectError:     words("This module only takes live Stripe keys."),
			},
			{
				Config:          functionsConfig,
				ConfigVariables: vars(badKey),
			},
		},
	})
}
