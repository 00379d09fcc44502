package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// ModifyPlan applies the key rules: both keys share one mode; a secret key of
// another Stripe account or mode than the integration's forces replacement;
// the same account and mode is an in-place rotation.
func (r *billingIntegrationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return // destroy, or provider not configured yet
	}
	if r.unchanged(ctx, req) {
		return
	}
	var plan, config billingIntegrationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	var state *billingIntegrationModel
	if !req.State.Raw.IsNull() {
		state = &billingIntegrationModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	secret := configuredSecret(config)
	ctx = maskSecrets(ctx, secret.value)

	if !r.data.planOrg(config.Org, &plan.Org, &resp.Diagnostics) {
		return
	}
	if state != nil && !plan.Org.IsUnknown() && !plan.Org.Equal(state.Org) {
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("org"))
	}
	if state == nil {
		if config.Name.IsNull() && !plan.Title.IsUnknown() {
			name := slugify(plan.Title.ValueString())
			if name == "" {
				resp.Diagnostics.AddAttributeError(path.Root("title"), "Cannot derive a name from the title",
					"The title has no letters or digits to build a name from; set name explicitly.")
				return
			}
			plan.Name = types.StringValue(name)
		}
		if config.IntegrationURL.IsNull() {
			plan.IntegrationURL = types.StringValue(r.data.endpoint + stripeIntegrationPath)
		}
	}

	keys, ok := r.planKeys(ctx, config, state, secret, req.Private, &resp.Diagnostics)
	if !ok {
		return
	}
	if state == nil && known(plan.Org) && !r.data.checkOrg(ctx, plan.Org.ValueString(), &resp.Diagnostics) {
		return
	}
	plan.Mode = keys.mode
	plan.StripeAccountID = keys.account

	if state != nil {
		var reasons []string
		if known(keys.mode) && known(state.Mode) && !keys.mode.Equal(state.Mode) {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("mode"))
			reasons = append(reasons, fmt.Sprintf("the keys change Stripe mode from %s to %s", state.Mode.ValueString(), keys.mode.ValueString()))
		}
		if known(keys.account) && known(state.StripeAccountID) && !keys.account.Equal(state.StripeAccountID) {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("stripe_account_id"))
			reasons = append(reasons, fmt.Sprintf("the secret key belongs to Stripe account %s, the integration to %s", keys.account.ValueString(), state.StripeAccountID.ValueString()))
		}
		if len(reasons) > 0 {
			resp.Diagnostics.AddWarning("Stripe key change forces replacement",
				fmt.Sprintf("apiconnect_billing_integration %q will be replaced: %s. API Connect cannot switch an integration's keys to another Stripe account or between test and live, "+
					"because it could no longer resolve the Stripe objects created with the old keys. The new integration starts with no Stripe objects, and Catalogs that use it must be configured again.",
					state.Name.ValueString(), strings.Join(reasons, "; ")))
		} else if secret.path.Equal(path.Root("secret_key_wo")) && keys.secretChanged && secret.known && plan.SecretKeyWOVersion.Equal(state.SecretKeyWOVersion) {
			resp.Diagnostics.AddAttributeWarning(path.Root("secret_key_wo_version"), "Write-only secret key changed without a new version",
				"secret_key_wo differs from the key last sent to the platform, but secret_key_wo_version did not change, so the new key will not be sent. Change secret_key_wo_version to rotate the key.")
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// unchanged reports a no-change plan that needs no key checks: the plan
// equals the state, no write-only key could have changed unseen, and the
// provider's org still matches. Large no-change plans then skip decoding
// every attribute of every resource.
func (r *billingIntegrationResource) unchanged(ctx context.Context, req resource.ModifyPlanRequest) bool {
	if req.State.Raw.IsNull() || !req.Plan.Raw.Equal(req.State.Raw) {
		return false
	}
	var wo, configOrg, stateOrg types.String
	if d := req.Config.GetAttribute(ctx, path.Root("secret_key_wo"), &wo); d.HasError() || !wo.IsNull() {
		return false
	}
	if d := req.Config.GetAttribute(ctx, path.Root("org"), &configOrg); d.HasError() {
		return false
	}
	if d := req.State.GetAttribute(ctx, path.Root("org"), &stateOrg); d.HasError() {
		return false
	}
	return !configOrg.IsNull() || stateOrg.ValueString() == r.data.org
}
