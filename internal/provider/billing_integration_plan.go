package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/keypolicy"
)

// ModifyPlan fills org, name and integration_url, and applies the key rules
// (internal/keypolicy): both keys share one mode; a secret key of another
// Stripe account or mode than the integration's forces replacement; the
// same account and mode is an in-place rotation.
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
	ctx = maskSecrets(ctx, secret.Value)
	if !r.data.planOrg(config.Org, &plan.Org, &resp.Diagnostics) {
		return
	}
	if state != nil && !plan.Org.IsUnknown() && !plan.Org.Equal(state.Org) {
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("org"))
	}
	if state == nil && !r.planDefaults(config, &plan, &resp.Diagnostics) {
		return
	}
	d := r.decideKeys(ctx, keypolicy.Plan, plan, secret, state, req.Private, &resp.Diagnostics)
	if d.Stop {
		return
	}
	if state == nil && known(plan.Org) && !r.data.checkOrg(ctx, plan.Org.ValueString(), &resp.Diagnostics) {
		return
	}
	plan.Mode, plan.StripeAccountID = planValue(d.Mode), planValue(d.Account)
	for _, attr := range d.Replace {
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root(attr))
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// planDefaults fills what a new integration takes from elsewhere when the
// configuration leaves it unset: name from the title, integration_url from
// the endpoint.
func (r *billingIntegrationResource) planDefaults(config billingIntegrationModel, plan *billingIntegrationModel, diags *diag.Diagnostics) bool {
	if config.Name.IsNull() && !plan.Title.IsUnknown() {
		name := slugify(plan.Title.ValueString())
		if name == "" {
			diags.AddAttributeError(path.Root("title"), "Cannot derive a name from the title",
				"The title has no letters or digits to build a name from; set name explicitly.")
			return false
		}
		plan.Name = types.StringValue(name)
	}
	if config.IntegrationURL.IsNull() {
		plan.IntegrationURL = types.StringValue(r.data.endpoint + stripeIntegrationPath)
	}
	return true
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
