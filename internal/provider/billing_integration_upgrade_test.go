package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/stripekey"
)

// earlierBuildPrivateState serves this provider but leaves each
// integration's private state as the build before the compact fingerprint
// wrote it: {"salt": hex, "hmac": hex} under secret_key_fingerprint, for the
// key the test configures.
type earlierBuildPrivateState struct {
	tfprotov6.ProviderServer
	key string
}

func (s earlierBuildPrivateState) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	resp, err := s.ProviderServer.ApplyResourceChange(ctx, req)
	if err != nil || resp == nil || req.TypeName != "apiconnect_billing_integration" || len(resp.Private) == 0 {
		return resp, err
	}
	resp.Private = earlierBuildFingerprint(s.key)
	return resp, nil
}

// earlierBuildFingerprint is the previous build's setFingerprint, as the
// framework encoded it into private state.
func earlierBuildFingerprint(key string) []byte {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	inner, _ := json.Marshal(struct {
		Salt string `json:"salt"`
		HMAC string `json:"hmac"`
	}{hex.EncodeToString(salt), stripekey.Fingerprint(salt, key)})
	outer, _ := json.Marshal(map[string][]byte{"secret_key_fingerprint": inner})
	return outer
}

// TestAccBillingIntegration_fingerprintOfEarlierBuild: state whose write-only
// fingerprint an earlier build wrote plans and applies with this build. The
// same key is recognised (no Stripe lookup, keys not sent again, and the
// fingerprint is rewritten compact); a key of another account is told apart
// and replaces the integration.
func TestAccBillingIntegration_fingerprintOfEarlierBuild(t *testing.T) {
	e := newPortableAccEnv(t)
	e.requireKeys("keys of a second Stripe account", e.keys.pk2, e.keys.sk2)
	earlier := map[string]func() (tfprotov6.ProviderServer, error){
		"apiconnect": func() (tfprotov6.ProviderServer, error) {
			s, err := NewProtocol6Server("test")()
			return earlierBuildPrivateState{ProviderServer: s, key: e.keys.sk}, err
		},
	}
	stripeLookups := 0 // GET /v1/account by the provider or by the emulator (on keys sent)
	countLookups := func() {
		if e.srv != nil {
			stripeLookups = e.srv.Count(http.MethodGet, emulator.RouteStripeAccount)
		}
	}
	noNewLookups := func(*terraform.State) error {
		if e.emulatorOnly("no new Stripe lookups") {
			return nil
		}
		if got := e.srv.Count(http.MethodGet, emulator.RouteStripeAccount); got != stripeLookups {
			return fmt.Errorf("%d Stripe account lookups while the key did not change: the earlier build's fingerprint was not recognised", got-stripeLookups)
		}
		return nil
	}
	accTest(t, resource.TestCase{
		TerraformVersionChecks: writeOnlyCLIs,
		CheckDestroy:           e.checkDestroyed,
		Steps: []resource.TestStep{
			{
				ProtoV6ProviderFactories: earlier,
				Config:                   e.fixture("billing_integration_wo", e.title("Earlier build"), e.keys.pk, "", "1"),
				ConfigVariables:          woKey(e.keys.sk),
				ConfigPlanChecks:         planAction(plancheck.ResourceActionCreate),
			},
			{
				// This build: a new title with the same key is a PATCH without keys.
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				PreConfig:                countLookups,
				Config:                   e.fixture("billing_integration_wo", e.title("Earlier build renamed"), e.keys.pk, "", "1"),
				ConfigVariables:          woKey(e.keys.sk),
				ConfigPlanChecks:         planAction(plancheck.ResourceActionUpdate),
				Check: resource.ComposeAggregateTestCheckFunc(
					noNewLookups,
					e.checkCount(http.MethodPatch, billingID, 1),
					e.checkStoredKey(e.name("earlier-build"), e.keys.sk),
				),
			},
			{
				// The earlier build again (its fingerprint back in private state).
				ProtoV6ProviderFactories: earlier,
				Config:                   e.fixture("billing_integration_wo", e.title("Earlier build"), e.keys.pk, "", "1"),
				ConfigVariables:          woKey(e.keys.sk),
				ConfigPlanChecks:         planAction(plancheck.ResourceActionUpdate),
				Check:                    e.checkCount(http.MethodPatch, billingID, 2),
			},
			{
				// This build tells a key of another account from the earlier
				// build's fingerprint: replacement, without a version bump.
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Config:                   e.fixture("billing_integration_wo", e.title("Earlier build"), e.keys.pk2, "", "1"),
				ConfigVariables:          woKey(e.keys.sk2),
				ConfigPlanChecks:         planAction(plancheck.ResourceActionReplace),
				Check:                    e.checkStoredKey(e.name("earlier-build"), e.keys.sk2),
			},
		},
	})
}
