package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/keypolicy"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/memo"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/stripekey"
)

// providerData is what resources and data sources receive from Configure.
type providerData struct {
	client   *apic.Client
	org      string
	endpoint string
	keyCheck keypolicy.Check
	resolver *stripekey.Resolver

	// orgs remembers, per organization, that it exists (or may not be
	// read: 403) or why the lookup failed, for the life of the process, so
	// that a plan names an unknown org before anything changes. Failures are
	// kept too: asking again for each resource would only repeat the
	// retries (or the refused login) that failed.
	orgs memo.Cache[struct{}]
	// catalogSettings remembers each Catalog's settings (keyed org/catalog):
	// production_mode does not change during a run, and many catalog
	// billings may share one Catalog.
	catalogSettings memo.Cache[*apic.CatalogSettings]
}

func newProviderData() *providerData {
	d := &providerData{}
	d.orgs.KeepError = func(error) bool { return true }
	return d
}

// getCatalogSettings reads a Catalog's settings once per process.
func (d *providerData) getCatalogSettings(ctx context.Context, org, catalog string) (*apic.CatalogSettings, error) {
	return d.catalogSettings.Get(ctx, org+"/"+catalog, func(ctx context.Context) (*apic.CatalogSettings, error) {
		return d.client.GetCatalogSettings(ctx, org, catalog)
	})
}

// configuredData is what Configure of a resource or data source keeps: the
// provider's data, or nil before the provider is configured.
func configuredData(data any, diags *diag.Diagnostics) *providerData {
	if data == nil {
		return nil
	}
	d, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("got %T", data))
	}
	return d
}

// planOrg fills a resource's planned org from the provider when the
// configuration leaves it unset; false when neither names one.
func (d *providerData) planOrg(config types.String, plan *types.String, diags *diag.Diagnostics) bool {
	if !config.IsNull() {
		return true
	}
	if d.org == "" {
		diags.AddAttributeError(path.Root("org"), "Missing provider organization",
			"Set org on this resource, or org (APIC_ORG) on the provider.")
		return false
	}
	*plan = types.StringValue(d.org)
	return true
}

// checkOrg reports whether org exists, adding an error on the org attribute
// when it does not, or a general error when the platform cannot be read.
func (d *providerData) checkOrg(ctx context.Context, org string, diags *diag.Diagnostics) bool {
	_, err := d.orgs.Get(ctx, org, func(ctx context.Context) (struct{}, error) {
		_, err := d.client.GetOrg(ctx, org)
		if apic.IsForbidden(err) {
			// The user may not read the org itself; whether it may change
			// billings there is for the platform to say.
			return struct{}{}, nil
		}
		return struct{}{}, err
	})
	switch {
	case err == nil:
		return true
	case apic.IsNotFound(err):
		diags.AddAttributeError(path.Root("org"), "Provider organization not found",
			fmt.Sprintf("Organization %q does not exist on the platform, or the provider's user is not a member of it. "+
				"Set org on this resource, or org (APIC_ORG) on the provider, to the name or id of a provider organization. Nothing was changed.\n\n%s", org, err))
	default:
		diags.AddError("Cannot read the provider organization", fmt.Sprintf("Reading organization %q failed: %s", org, errDetail(err)))
	}
	return false
}

// resourceOrgAttribute is the org argument of every resource: the
// provider's org unless set (planOrg); a change replaces the object.
func resourceOrgAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Optional:            true,
		Computed:            true,
		MarkdownDescription: "Provider organization (name or id). Defaults to the provider's `org`. Changing it forces replacement.",
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1), pathSegmentValidator{}},
	}
}

// identityOrg is the org of an import block's identity, else the
// provider's.
func identityOrg(data *providerData, org types.String, diags *diag.Diagnostics) (string, bool) {
	if org.ValueString() != "" {
		return org.ValueString(), true
	}
	if data == nil || data.org == "" {
		diags.AddError("Cannot import without an organization",
			"The import identity has no org: set identity.org, or org (APIC_ORG) on the provider.")
		return "", false
	}
	return data.org, true
}
