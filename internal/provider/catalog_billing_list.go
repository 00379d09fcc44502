package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
)

var _ list.ListResourceWithConfigure = (*catalogBillingList)(nil)

// NewCatalogBillingList is the apiconnect_catalog_billing list resource.
func NewCatalogBillingList() list.ListResource { return &catalogBillingList{} }

type catalogBillingList struct {
	data *providerData
}

type catalogBillingListConfig struct {
	Org     types.String `tfsdk:"org"`
	Catalog types.String `tfsdk:"catalog"`
}

func (l *catalogBillingList) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_catalog_billing"
}

func (l *catalogBillingList) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the billing integrations configured in a Catalog for `terraform query`: " +
			"each result is the configured billing's identity (`org`, `catalog`, `id`) and, with `include_resource = true` or `-generate-config-out`, its attributes. " +
			"Terraform 1.14 or later (OpenTofu has no `terraform query`).",
		Attributes: map[string]schema.Attribute{
			"org": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Provider organization (name or id). Defaults to the provider's `org`.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1), pathSegmentValidator{}},
			},
			"catalog": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Catalog (name or id), for example `sandbox`.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1), pathSegmentValidator{}},
			},
		},
	}
}

func (l *catalogBillingList) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (l *catalogBillingList) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg catalogBillingListConfig
	var diags diag.Diagnostics
	diags.Append(req.Config.Get(ctx, &cfg)...)
	org, ok := listOrg(l.data, cfg.Org, &diags)
	if diags.HasError() || !ok {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	catalog := cfg.Catalog.ValueString()
	cbs, err := l.data.client.ListConfiguredBillings(ctx, org, catalog)
	if err != nil {
		summary := "Cannot list the configured billings"
		if apic.IsNotFound(err) {
			summary = "Catalog not found"
		}
		diags.AddError(summary, fmt.Sprintf("Listing the billing integrations of Catalog %q in org %q failed: %s", catalog, org, errDetail(err)))
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		for i := range cbs {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			if !push(l.result(ctx, req, org, catalog, &cbs[i])) {
				return
			}
		}
	}
}

// result is one configured billing: its identity, and on request its
// attributes as Read would set them.
func (l *catalogBillingList) result(ctx context.Context, req list.ListRequest, org, catalog string, cb *apic.ConfiguredBilling) list.ListResult {
	res := req.NewListResult(ctx)
	res.DisplayName = cb.ID
	if cb.Title != "" && cb.Title != cb.ID {
		res.DisplayName = fmt.Sprintf("%s (%s)", cb.Title, cb.ID)
	}
	m := catalogBillingModel{Org: types.StringValue(org), Catalog: types.StringValue(catalog)}
	if req.IncludeResource {
		r := &catalogBillingResource{data: l.data}
		r.fromAPI(ctx, &m, cb, nil, &res.Diagnostics)
	} else {
		m.ID = types.StringValue(cb.ID)
	}
	res.Diagnostics.Append(setCatalogBillingIdentity(ctx, res.Identity, m)...)
	if req.IncludeResource {
		res.Diagnostics.Append(res.Resource.Set(ctx, &m)...)
	}
	return res
}
