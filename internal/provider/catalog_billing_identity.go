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

var _ resource.ResourceWithIdentity = (*catalogBillingResource)(nil)

// catalogBillingIdentity identifies a configured billing by org, Catalog and
// id: the platform assigns its name, and the id is its only path key.
type catalogBillingIdentity struct {
	Org     types.String `tfsdk:"org"`
	Catalog types.String `tfsdk:"catalog"`
	ID      types.String `tfsdk:"id"`
}

func (r *catalogBillingResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"org": identityschema.StringAttribute{
				OptionalForImport: true,
				Description:       "Provider organization (name or id) as in the resource's org; defaults to the provider's org on import.",
			},
			"catalog": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "Catalog (name or id) as in the resource's catalog.",
			},
			"id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "Platform id of the configured billing.",
			},
		},
	}
}

// setCatalogBillingIdentity writes the identity of the configured billing
// that m describes. A nil identity (a CLI without identity support) is skipped.
func setCatalogBillingIdentity(ctx context.Context, id *tfsdk.ResourceIdentity, m catalogBillingModel) diag.Diagnostics {
	if id == nil {
		return nil
	}
	return id.Set(ctx, catalogBillingIdentity{Org: m.Org, Catalog: m.Catalog, ID: m.ID})
}

// importCatalogBillingIdentity starts an import block's identity = {...}.
func (r *catalogBillingResource) importCatalogBillingIdentity(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	var id catalogBillingIdentity
	resp.Diagnostics.Append(req.Identity.Get(ctx, &id)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, ok := identityOrg(r.data, id.Org, &resp.Diagnostics)
	if !ok {
		return
	}
	if !checkImportSegments(&resp.Diagnostics, "identity", "org", org, "catalog", id.Catalog.ValueString(), "id", id.ID.ValueString()) {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("org"), org)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("catalog"), id.Catalog.ValueString())...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id.ID.ValueString())...)
}
