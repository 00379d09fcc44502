package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/keypolicy"
)

var (
	_ resource.ResourceWithConfigure        = (*billingIntegrationResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*billingIntegrationResource)(nil)
	_ resource.ResourceWithImportState      = (*billingIntegrationResource)(nil)
	_ resource.ResourceWithConfigValidators = (*billingIntegrationResource)(nil)
)

// stripeIntegrationPath is the platform's Stripe billing integration, relative
// to the endpoint.
const stripeIntegrationPath = "/cloud/integrations/billing/stripe"

// NewBillingIntegrationResource is the apiconnect_billing_integration factory.
func NewBillingIntegrationResource() resource.Resource { return &billingIntegrationResource{} }

type billingIntegrationResource struct {
	data *providerData
}

func (r *billingIntegrationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_billing_integration"
}

func (r *billingIntegrationResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		secretKeyChoice{},
		preferWriteOnlyKey{},
	}
}

func (r *billingIntegrationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (r *billingIntegrationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, config billingIntegrationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	secret := configuredSecret(config)
	ctx = maskSecrets(ctx, secret.Value)
	keys := r.decideKeys(ctx, keypolicy.Apply, plan, secret, nil, nil, &resp.Diagnostics)
	if keys.Stop {
		return
	}
	name := plan.Name.ValueString()
	if plan.Name.IsUnknown() {
		name = slugify(plan.Title.ValueString())
	}
	integrationURL := plan.IntegrationURL.ValueString()
	if plan.IntegrationURL.IsUnknown() || integrationURL == "" {
		integrationURL = r.data.endpoint + stripeIntegrationPath
	}
	org := plan.Org.ValueString()
	in := apic.BillingCreate{
		Name:           name,
		Title:          plan.Title.ValueString(),
		Summary:        plan.Summary.ValueString(),
		IntegrationURL: integrationURL,
		Configuration:  apic.BillingConfiguration{PublishableKey: plan.PublishableKey.ValueString(), FullAccessKey: secret.Value},
	}
	tflog.Debug(ctx, "creating billing integration", map[string]any{"org": org, "name": name, "mode": keys.Mode.String()})
	b, err := r.data.client.CreateBilling(ctx, org, in)
	if err != nil {
		addCreateError(&resp.Diagnostics, org, name, err)
		return
	}
	state := plan
	state.Org = types.StringValue(org)
	state.SecretKey = config.SecretKey
	state.SecretKeyWO = types.StringNull()
	r.fromAPI(ctx, &state, b, keys.Mode, keys.Account, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	resp.Diagnostics.Append(setBillingIntegrationIdentity(ctx, resp.Identity, state)...)
	resp.Diagnostics.Append(storeFingerprint(ctx, resp.Private, keys)...)
}

// addCreateError reports a failed create: the name taken (by this
// configuration's object or, after an ambiguous failure, by a foreign one),
// an unknown org, or anything else.
func addCreateError(diags *diag.Diagnostics, org, name string, err error) {
	var foreign *apic.ForeignObjectError
	switch {
	case errors.As(err, &foreign):
		diags.AddAttributeError(path.Root("name"), "A billing integration of this name exists and is not this one",
			fmt.Sprintf("The create failed ambiguously (the platform's answer was lost), and org %q now has a billing integration named %q whose %s differ from this configuration's. "+
				"It may belong to someone else, so it was not adopted and Terraform will not manage or delete it. Nothing was written to state. "+
				"If it is yours, import it (terraform import <address> %s/%s); otherwise choose another name.\n\n%s",
				org, name, strings.Join(foreign.Differs, ", "), org, name, err))
	case apic.IsConflict(err):
		diags.AddAttributeError(path.Root("name"), "Billing integration already exists",
			fmt.Sprintf("Org %q already has a billing integration named %q. Import it (terraform import <address> %s/%s) or choose another name.\n\n%s", org, name, org, name, err))
	case apic.IsNotFound(err):
		diags.AddAttributeError(path.Root("org"), "Provider organization not found",
			fmt.Sprintf("The platform has no organization %q (or the provider's user is not a member of it). Nothing was created.\n\n%s", org, err))
	default:
		addAPIError(diags, "Cannot create the billing integration", org, err)
	}
}

func (r *billingIntegrationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state billingIntegrationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx = maskSecrets(ctx, state.SecretKey.ValueString())
	b, err := r.data.client.GetBilling(ctx, state.Org.ValueString(), state.ID.ValueString())
	if apic.IsNotFound(err) {
		tflog.Warn(ctx, "billing integration not found, removing it from state", map[string]any{"org": state.Org.ValueString(), "id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		// Terraform drops the identity with the instance; the framework still
		// wants one (state written before identity existed has none).
		resp.Diagnostics.Append(setBillingIntegrationIdentity(ctx, resp.Identity, state)...)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the billing integration", errDetail(err))
		return
	}
	r.fromAPI(ctx, &state, b, valueOf(state.Mode), valueOf(state.StripeAccountID), &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	resp.Diagnostics.Append(setBillingIntegrationIdentity(ctx, resp.Identity, state)...)
}

func (r *billingIntegrationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state, config billingIntegrationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	secret := configuredSecret(config)
	ctx = maskSecrets(ctx, secret.Value, state.SecretKey.ValueString())
	keys := r.decideKeys(ctx, keypolicy.Apply, plan, secret, &state, req.Private, &resp.Diagnostics)
	if keys.Stop {
		return
	}
	org, id := state.Org.ValueString(), state.ID.ValueString()
	patch := billingPatch(plan, state, keys.SendKeys, secret.Value)
	var b *apic.Billing
	var err error
	if patch == (apic.BillingPatch{}) {
		// Only Terraform-side attributes changed (e.g. secret_key moved to
		// secret_key_wo with the same key): nothing to send.
		if b, err = r.data.client.GetBilling(ctx, org, id); err != nil {
			resp.Diagnostics.AddError("Cannot read the billing integration", errDetail(err))
			return
		}
	} else {
		tflog.Debug(ctx, "updating billing integration", map[string]any{"org": org, "id": id, "send_keys": keys.SendKeys})
		if b, err = r.data.client.UpdateBilling(ctx, org, id, patch); err != nil {
			addAPIError(&resp.Diagnostics, "Cannot update the billing integration", org, err)
			return
		}
	}
	newState := plan
	newState.SecretKey = config.SecretKey
	newState.SecretKeyWO = types.StringNull()
	r.fromAPI(ctx, &newState, b, keys.Mode, keys.Account, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &newState)...)
	resp.Diagnostics.Append(setBillingIntegrationIdentity(ctx, resp.Identity, newState)...)
	resp.Diagnostics.Append(storeFingerprint(ctx, resp.Private, keys)...)
}

// billingPatch is what an update sends: the attributes that changed, and the
// keys when the key rules say so.
func billingPatch(plan, state billingIntegrationModel, sendKeys bool, secret string) apic.BillingPatch {
	var patch apic.BillingPatch
	if !plan.Title.Equal(state.Title) {
		patch.Title = plan.Title.ValueStringPointer()
	}
	if !plan.Summary.Equal(state.Summary) {
		s := plan.Summary.ValueString() // null clears the summary
		patch.Summary = &s
	}
	if !plan.IntegrationURL.Equal(state.IntegrationURL) && !plan.IntegrationURL.IsUnknown() {
		patch.IntegrationURL = plan.IntegrationURL.ValueStringPointer()
	}
	if sendKeys {
		patch.Configuration = &apic.BillingConfiguration{PublishableKey: plan.PublishableKey.ValueString(), FullAccessKey: secret}
	}
	return patch
}

func (r *billingIntegrationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state billingIntegrationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	err := r.data.client.DeleteBilling(ctx, state.Org.ValueString(), state.ID.ValueString())
	switch {
	case err == nil, apic.IsNotFound(err):
	case apic.IsConflict(err):
		resp.Diagnostics.AddError("Billing integration is still configured in a Catalog",
			fmt.Sprintf("The platform refused to delete %q because Catalogs still use it. Remove the apiconnect_catalog_billing resources whose billing_url is %s first "+
				"(when both are in this configuration, reference the integration's url from them so that Terraform deletes them first).\n\n%s",
				state.Name.ValueString(), state.URL.ValueString(), err))
	default:
		addAPIError(&resp.Diagnostics, "Cannot delete the billing integration", state.Org.ValueString(), err)
	}
}

// ImportState accepts org/name, org/id, or a name or id in the provider's org.
func (r *billingIntegrationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID == "" && req.Identity != nil {
		r.importBillingIntegrationIdentity(ctx, req, resp)
		return
	}
	parts := strings.Split(req.ID, "/")
	var org, ref string
	switch {
	case len(parts) == 1 && parts[0] != "":
		if r.data == nil || r.data.org == "" {
			resp.Diagnostics.AddError("Cannot import without an organization",
				fmt.Sprintf("Import ID %q has no org: use <org>/<name-or-id>, or set org (APIC_ORG) on the provider.", req.ID))
			return
		}
		org, ref = r.data.org, parts[0]
	case len(parts) == 2 && parts[0] != "" && parts[1] != "":
		org, ref = parts[0], parts[1]
	default:
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("Import ID %q must be <org>/<name>, <org>/<id>, or <name> with the provider's org.", req.ID))
		return
	}
	if !checkImportSegments(&resp.Diagnostics, fmt.Sprintf("ID %q", req.ID), "org", org, "name or id", ref) {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("org"), org)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), ref)...)
}
