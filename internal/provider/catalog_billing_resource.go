package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
)

var (
	_ resource.ResourceWithConfigure   = (*catalogBillingResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*catalogBillingResource)(nil)
	_ resource.ResourceWithImportState = (*catalogBillingResource)(nil)
)

// NewCatalogBillingResource is the apiconnect_catalog_billing factory.
func NewCatalogBillingResource() resource.Resource { return &catalogBillingResource{} }

type catalogBillingResource struct {
	data *providerData
}

func (r *catalogBillingResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_catalog_billing"
}

func (r *catalogBillingResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (r *catalogBillingResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan catalogBillingModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, catalog, billingURL := plan.Org.ValueString(), plan.Catalog.ValueString(), plan.BillingURL.ValueString()
	if plan.Org.IsUnknown() || org == "" {
		org = r.data.org
	}
	// The production guard again, before any change, unless this apply's
	// final plan has just checked it (the mode is then known): when the
	// integration is created in the same apply, the first plan could not.
	var b *apic.Billing
	billingName := apic.BillingRef(billingURL)
	if !known(plan.Mode) {
		var ok bool
		if b, ok = r.checkCatalogBilling(ctx, org, catalog, billingURL, false, &resp.Diagnostics); !ok {
			return
		}
		billingName = b.Name
	}
	tflog.Debug(ctx, "adding billing integration to catalog", map[string]any{"org": org, "catalog": catalog, "billing": billingName})
	cb, err := r.data.client.CreateConfiguredBilling(ctx, org, catalog, billingURL)
	if err != nil {
		if apic.IsConflict(err) {
			detail := fmt.Sprintf("Billing integration %q is already configured in Catalog %q.", billingName, catalog)
			if found, ferr := r.data.client.FindConfiguredBilling(ctx, org, catalog, billingURL); ferr == nil && found != nil {
				detail += fmt.Sprintf(" Import it: terraform import <address> %s/%s/%s", org, catalog, found.ID)
			}
			resp.Diagnostics.AddAttributeError(path.Root("billing_url"), "Billing integration already configured in the Catalog", detail+"\n\n"+err.Error())
			return
		}
		addAPIError(&resp.Diagnostics, "Cannot add the billing integration to the Catalog", org, err)
		return
	}
	state := plan
	state.Org = types.StringValue(org)
	r.fromAPI(ctx, &state, cb, b, &resp.Diagnostics)
	state.BillingURL = plan.BillingURL // as configured: it names the integration just checked
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	resp.Diagnostics.Append(setCatalogBillingIdentity(ctx, resp.Identity, state)...)
}

func (r *catalogBillingResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state catalogBillingModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, catalog := state.Org.ValueString(), state.Catalog.ValueString()
	cb, err := r.data.client.GetConfiguredBilling(ctx, org, catalog, state.ID.ValueString())
	if apic.IsNotFound(err) {
		tflog.Warn(ctx, "configured billing not found, removing it from state", map[string]any{"org": org, "catalog": catalog, "id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		// Terraform drops the identity with the instance; the framework still
		// wants one (state written before identity existed has none).
		resp.Diagnostics.Append(setCatalogBillingIdentity(ctx, resp.Identity, state)...)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the configured billing", errDetail(err))
		return
	}
	r.fromAPI(ctx, &state, cb, nil, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	resp.Diagnostics.Append(setCatalogBillingIdentity(ctx, resp.Identity, state)...)
}

// Update is never called: every configurable attribute forces replacement.
func (r *catalogBillingResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan catalogBillingModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setCatalogBillingIdentity(ctx, resp.Identity, plan)...)
}

func (r *catalogBillingResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state catalogBillingModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	tflog.Debug(ctx, "removing billing integration from catalog", map[string]any{"org": state.Org.ValueString(), "catalog": state.Catalog.ValueString(), "id": state.ID.ValueString()})
	err := r.data.client.DeleteConfiguredBilling(ctx, state.Org.ValueString(), state.Catalog.ValueString(), state.ID.ValueString())
	if err != nil && !apic.IsNotFound(err) {
		addAPIError(&resp.Diagnostics, "Cannot remove the billing integration from the Catalog", state.Org.ValueString(), err)
	}
}

// ImportState accepts org/catalog/id, or catalog/id with the provider's org.
func (r *catalogBillingResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID == "" && req.Identity != nil {
		r.importCatalogBillingIdentity(ctx, req, resp)
		return
	}
	parts := strings.Split(req.ID, "/")
	var org, catalog, id string
	switch {
	case len(parts) == 3 && parts[0] != "" && parts[1] != "" && parts[2] != "":
		org, catalog, id = parts[0], parts[1], parts[2]
	case len(parts) == 2 && parts[0] != "" && parts[1] != "" && r.data != nil && r.data.org != "":
		org, catalog, id = r.data.org, parts[0], parts[1]
	default:
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("Import ID %q must be <org>/<catalog>/<id> (or <catalog>/<id> with the provider's org), where id is the configured billing's id.", req.ID))
		return
	}
	if !checkImportSegments(&resp.Diagnostics, fmt.Sprintf("ID %q", req.ID), "org", org, "catalog", catalog, "id", id) {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("org"), org)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("catalog"), catalog)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
}
