package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

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
	ctx = maskSecrets(ctx, secret.value)
	keys, ok := r.applyKeys(ctx, plan, secret, nil, &resp.Diagnostics)
	if !ok {
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
		Configuration:  apic.BillingConfiguration{PublishableKey: plan.PublishableKey.ValueString(), FullAccessKey: secret.value},
	}
	tflog.Debug(ctx, "creating billing integration", map[string]any{"org": org, "name": name, "mode": keys.mode.ValueString()})
	b, err := r.data.client.CreateBilling(ctx, org, in)
	if err != nil {
		var foreign *apic.ForeignObjectError
		if errors.As(err, &foreign) {
			resp.Diagnostics.AddAttributeError(path.Root("name"), "A billing integration of this name exists and is not this one",
				fmt.Sprintf("The create failed ambiguously (the platform's answer was lost), and org %q now has a billing integration named %q whose %s differ from this configuration's. "+
					"It may belong to someone else, so it was not adopted and Terraform will not manage or delete it. Nothing was written to state. "+
					"If it is yours, import it (terraform import <address> %s/%s); otherwise choose another name.\n\n%s",
					org, name, strings.Join(foreign.Differs, ", "), org, name, err))
			return
		}
		if apic.IsConflict(err) {
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Billing integration already exists",
				fmt.Sprintf("Org %q already has a billing integration named %q. Import it (terraform import <address> %s/%s) or choose another name.\n\n%s", org, name, org, name, err))
			return
		}
		if apic.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("org"), "Provider organization not found",
				fmt.Sprintf("The platform has no organization %q (or the provider's user is not a member of it). Nothing was created.\n\n%s", org, err))
			return
		}
		addAPIError(&resp.Diagnostics, "Cannot create the billing integration", org, err)
		return
	}
	state := plan
	state.Org = types.StringValue(org)
	state.SecretKey = config.SecretKey
	state.SecretKeyWO = types.StringNull()
	r.fromAPI(ctx, &state, b, keys, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	resp.Diagnostics.Append(setBillingIntegrationIdentity(ctx, resp.Identity, state)...)
	if secret.writeOnly() {
		resp.Diagnostics.Append(setFingerprint(ctx, resp.Private, secret.value)...)
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
	keys := resolvedKeys{mode: state.Mode, account: state.StripeAccountID}
	r.fromAPI(ctx, &state, b, keys, &resp.Diagnostics)
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
	ctx = maskSecrets(ctx, secret.value, state.SecretKey.ValueString())

	fingerprint, diags := readFingerprint(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	secretChanged := secretDiffers(secret.value, state, fingerprint)
	// A new secret_key_wo_version re-sends the write-only key, except when it
	// is set while moving from secret_key to secret_key_wo (a migration).
	versionBump := secret.path.Equal(path.Root("secret_key_wo")) && state.SecretKey.IsNull() &&
		!plan.SecretKeyWOVersion.Equal(state.SecretKeyWOVersion)
	sendKeys := secretChanged || versionBump || !plan.PublishableKey.Equal(state.PublishableKey)

	keys := resolvedKeys{mode: state.Mode, account: state.StripeAccountID}
	if sendKeys {
		var ok bool
		if keys, ok = r.applyKeys(ctx, plan, secret, &state, &resp.Diagnostics); !ok {
			return
		}
	}

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
		patch.Configuration = &apic.BillingConfiguration{PublishableKey: plan.PublishableKey.ValueString(), FullAccessKey: secret.value}
	}

	newState := plan
	newState.SecretKey = config.SecretKey
	newState.SecretKeyWO = types.StringNull()
	if patch == (apic.BillingPatch{}) {
		// Only Terraform-side attributes changed (e.g. secret_key moved to
		// secret_key_wo with the same key): nothing to send.
		b, err := r.data.client.GetBilling(ctx, state.Org.ValueString(), state.ID.ValueString())
		if err != nil {
			resp.Diagnostics.AddError("Cannot read the billing integration", errDetail(err))
			return
		}
		r.fromAPI(ctx, &newState, b, keys, &resp.Diagnostics)
	} else {
		tflog.Debug(ctx, "updating billing integration", map[string]any{"org": state.Org.ValueString(), "id": state.ID.ValueString(), "send_keys": sendKeys})
		b, err := r.data.client.UpdateBilling(ctx, state.Org.ValueString(), state.ID.ValueString(), patch)
		if err != nil {
			addAPIError(&resp.Diagnostics, "Cannot update the billing integration", state.Org.ValueString(), err)
			return
		}
		r.fromAPI(ctx, &newState, b, keys, &resp.Diagnostics)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &newState)...)
	resp.Diagnostics.Append(setBillingIntegrationIdentity(ctx, resp.Identity, newState)...)
	switch {
	case !secret.writeOnly():
		// The state holds the key: plans compare with it, not a fingerprint.
		if fingerprint != nil {
			resp.Diagnostics.Append(clearFingerprint(ctx, resp.Private)...)
		}
	case sendKeys || fingerprint == nil || keypolicy.IsLegacyFingerprint(fingerprint) || !state.SecretKey.IsNull():
		// Sent, missing, of an earlier build, or left from before secret_key.
		resp.Diagnostics.Append(setFingerprint(ctx, resp.Private, secret.value)...)
	}
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
