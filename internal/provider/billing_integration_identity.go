package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ resource.ResourceWithIdentity = (*billingIntegrationResource)(nil)

// billingIntegrationIdentity identifies an integration by org and name (not
// id): the name is what API Manager shows and the platform accepts in the
// path, it cannot change without replacing the integration, and an import
// block or a generated configuration then reads as the user knows it.
type billingIntegrationIdentity struct {
	Org  types.String `tfsdk:"org"`
	Name types.String `tfsdk:"name"`
}

func (r *billingIntegrationResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"org": identityschema.StringAttribute{
				OptionalForImport: true,
				Description:       "Provider organization (name or id) as in the resource's org; defaults to the provider's org on import.",
			},
			"name": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "Name of the integration (its path key in API Manager).",
			},
		},
	}
}

// setBillingIntegrationIdentity writes the identity of the integration that
// m describes. A nil identity (a CLI without identity support) is skipped.
func setBillingIntegrationIdentity(ctx context.Context, id *tfsdk.ResourceIdentity, m billingIntegrationModel) diag.Diagnostics {
	if id == nil {
		return nil
	}
	return id.Set(ctx, billingIntegrationIdentity{Org: m.Org, Name: m.Name})
}

// importBillingIntegrationIdentity starts an import block's identity = {...}:
// org (or the provider's) and the name, which Read resolves like an id.
func (r *billingIntegrationResource) importBillingIntegrationIdentity(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	var id billingIntegrationIdentity
	resp.Diagnostics.Append(req.Identity.Get(ctx, &id)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, ok := identityOrg(r.data, id.Org, &resp.Diagnostics)
	if !ok {
		return
	}
	if !checkImportSegments(&resp.Diagnostics, "identity", "org", org, "name", id.Name.ValueString()) {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("org"), org)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id.Name.ValueString())...)
}
