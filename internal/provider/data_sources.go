package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
)

// dataSourceOrgAttribute is the optional org argument of every data source.
func dataSourceOrgAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Optional:            true,
		Computed:            true,
		MarkdownDescription: "Provider organization (name or id). Defaults to the provider's `org`.",
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1), pathSegmentValidator{}},
	}
}

// dataSourceOrg is the configured org, else the provider's.
func dataSourceOrg(data *providerData, org types.String, diags *diag.Diagnostics) (string, bool) {
	if !org.IsNull() && !org.IsUnknown() {
		return org.ValueString(), true
	}
	if data == nil || data.org == "" {
		diags.AddAttributeError(path.Root("org"), "Missing provider organization",
			"Set org on this data source, or org (APIC_ORG) on the provider.")
		return "", false
	}
	return data.org, true
}

// readNamed reads the object a data source names, in its org: a 404 is an
// error on name ("<noun> not found"), another failure an error titled
// failure. It returns the org read from.
func readNamed[T any](ctx context.Context, data *providerData, org, name types.String, noun, failure string,
	read func(ctx context.Context, org, name string) (T, error), diags *diag.Diagnostics,
) (string, T, bool) {
	var zero T
	o, ok := dataSourceOrg(data, org, diags)
	if !ok {
		return "", zero, false
	}
	v, err := read(ctx, o, name.ValueString())
	switch {
	case apic.IsNotFound(err):
		diags.AddAttributeError(path.Root("name"), strings.ToUpper(noun[:1])+noun[1:]+" not found",
			fmt.Sprintf("Org %q has no %s %q.\n\n%s", o, noun, name.ValueString(), err))
		return "", zero, false
	case err != nil:
		diags.AddError(failure, errDetail(err))
		return "", zero, false
	}
	return o, v, true
}
