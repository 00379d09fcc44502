package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/stripekey"
)

// ibmTestKeysRule is IBM's rule for Stripe test keys, quoted in the error
// raised when a test-mode integration is added to a production Catalog.
const ibmTestKeysRule = "If you want to use your Stripe test keys, you must create a separate Catalog for testing, and not add your Stripe test keys to production Catalogs."

// ModifyPlan fills org from the provider and, for a new configured billing
// whose integration is known, applies the production guard and shows the
// integration's mode and account in the plan. A replacement is planned by
// Terraform as a create (null prior state), so it is checked here too.
func (r *catalogBillingResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return // destroy, or provider not configured yet
	}
	var plan, config catalogBillingModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	var state *catalogBillingModel
	if !req.State.Raw.IsNull() {
		state = &catalogBillingModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.data.planOrg(config.Org, &plan.Org, &resp.Diagnostics) {
		return
	}
	if state != nil {
		if !plan.Org.IsUnknown() && !plan.Org.Equal(state.Org) {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("org"))
		}
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}
	if !known(plan.Org) || !known(plan.Catalog) || !known(plan.BillingURL) {
		// The integration is created or replaced in this apply: Create
		// checks it before adding it to the Catalog.
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}
	b, ok := r.checkCatalogBilling(ctx, plan.Org.ValueString(), plan.Catalog.ValueString(), plan.BillingURL.ValueString(), true, &resp.Diagnostics)
	if !ok {
		return
	}
	mode, account := integrationModeAccount(b.Metadata, publishableKey(b))
	plan.Mode = optionalString(mode)
	plan.StripeAccountID = optionalString(account)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// checkCatalogBilling reads the integration named by billingURL and the
// Catalog's settings, and refuses a test-mode integration in a production
// Catalog. atPlan only changes the wording of the errors.
func (r *catalogBillingResource) checkCatalogBilling(ctx context.Context, org, catalog, billingURL string, atPlan bool, diags *diag.Diagnostics) (*apic.Billing, bool) {
	if !r.data.checkOrg(ctx, org, diags) {
		return nil, false
	}
	b, ok := r.namedBilling(ctx, billingURL, atPlan, diags)
	if !ok {
		return nil, false
	}
	settings, err := r.data.getCatalogSettings(ctx, org, catalog)
	if apic.IsNotFound(err) {
		diags.AddAttributeError(path.Root("catalog"), "Catalog not found",
			fmt.Sprintf("Catalog %q does not exist in org %q.\n\n%s", catalog, org, err))
		return nil, false
	}
	if err != nil {
		diags.AddAttributeError(path.Root("catalog"), "Cannot read the Catalog settings",
			fmt.Sprintf("Reading the settings of Catalog %q in org %q failed: %s", catalog, org, errDetail(err)))
		return nil, false
	}
	mode, _ := integrationModeAccount(b.Metadata, publishableKey(b))
	if settings.ProductionMode && mode == string(stripekey.ModeTest) {
		when := "Nothing was changed."
		if !atPlan {
			when = "Nothing was changed: the integration's mode was only known at apply."
		}
		diags.AddAttributeError(path.Root("billing_url"), "Stripe test keys in a production Catalog",
			fmt.Sprintf("Billing integration %q uses Stripe test keys, and Catalog %q has production_mode = true. "+
				"Use a separate Catalog for Stripe test keys. IBM API Connect: %q\n\n"+
				"Add this integration to a test Catalog instead, or add an integration with live keys to %q. %s",
				b.Name, catalog, ibmTestKeysRule, catalog, when))
		return nil, false
	}
	return b, true
}

// namedBilling reads the integration that billingURL names, in the org of
// the URL (not the resource's: the URL may name another org's integration)
// and through the provider's endpoint, which must be the URL's server: an
// integration on another server cannot be checked.
func (r *catalogBillingResource) namedBilling(ctx context.Context, billingURL string, atPlan bool, diags *diag.Diagnostics) (*apic.Billing, bool) {
	if !apic.SameServer(r.data.client.Endpoint(), billingURL) {
		diags.AddAttributeError(path.Root("billing_url"), "Billing integration on another server",
			fmt.Sprintf("billing_url %s points at another server than the provider's endpoint %s. The provider checks the integration it adds to a Catalog "+
				"(Stripe test keys never go into a production Catalog) through its endpoint, and cannot check one elsewhere. "+
				"Use the url attribute of an apiconnect_billing_integration managed through this endpoint. Nothing was changed.", billingURL, r.data.client.Endpoint()))
		return nil, false
	}
	org, ref := apic.BillingOrg(billingURL), apic.BillingRef(billingURL)
	b, err := r.data.client.GetBilling(ctx, org, ref)
	if apic.IsNotFound(err) {
		hint := ""
		if atPlan {
			hint = " If the integration is created in this same configuration, set billing_url to its url attribute " +
				"(apiconnect_billing_integration.<name>.url, known once it exists) instead of building the URL from its name."
		}
		diags.AddAttributeError(path.Root("billing_url"), "Billing integration not found",
			fmt.Sprintf("billing_url %s names billing integration %q, which does not exist in org %q.%s\n\n%s", billingURL, ref, org, hint, err))
		return nil, false
	}
	if err != nil {
		diags.AddAttributeError(path.Root("billing_url"), "Cannot read the billing integration",
			fmt.Sprintf("Reading billing integration %q (from billing_url) in org %q failed: %s", ref, org, errDetail(err)))
		return nil, false
	}
	return b, true
}
