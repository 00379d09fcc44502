package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/keypolicy"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/stripekey"
)

var (
	_ provider.ProviderWithListResources = (*apiconnectProvider)(nil)
	_ list.ListResourceWithConfigure     = (*billingIntegrationList)(nil)
)

// ListResources serve terraform query (Terraform 1.14 or later).
func (p *apiconnectProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{NewBillingIntegrationList, NewCatalogBillingList}
}

// NewBillingIntegrationList is the apiconnect_billing_integration list resource.
func NewBillingIntegrationList() list.ListResource { return &billingIntegrationList{} }

type billingIntegrationList struct {
	data *providerData
}

type billingIntegrationListConfig struct {
	Org  types.String `tfsdk:"org"`
	Mode types.String `tfsdk:"mode"`
}

func (l *billingIntegrationList) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_billing_integration"
}

func (l *billingIntegrationList) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the billing integrations of a provider organization for `terraform query`, to adopt integrations made in API Manager: " +
			"each result is the integration's identity (`org`, `name`) and, with `include_resource = true` or `-generate-config-out`, its attributes. " +
			"The secret key is never listed (the platform does not reveal it): generated configuration leaves `secret_key` and `secret_key_wo` null, " +
			"and plan asks for one of them before the import. Terraform 1.14 or later (OpenTofu has no `terraform query`).",
		Attributes: map[string]schema.Attribute{
			"org": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Provider organization (name or id). Defaults to the provider's `org`.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1), pathSegmentValidator{}},
			},
			"mode": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only integrations of this Stripe mode: `test` or `live`.",
				Validators:          []validator.String{stringvalidator.OneOf(string(stripekey.ModeTest), string(stripekey.ModeLive))},
			},
		},
	}
}

func (l *billingIntegrationList) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (l *billingIntegrationList) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg billingIntegrationListConfig
	var diags diag.Diagnostics
	diags.Append(req.Config.Get(ctx, &cfg)...)
	org, ok := listOrg(l.data, cfg.Org, &diags)
	if diags.HasError() || !ok {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	billings, err := l.data.client.ListBillings(ctx, org)
	if err != nil {
		diags.AddError("Cannot list the billing integrations", fmt.Sprintf("Listing the billing integrations of org %q failed: %s", org, errDetail(err)))
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		sent := int64(0)
		for i := range billings {
			b := &billings[i]
			mode, _ := integrationModeAccount(b.Metadata, publishableKey(b))
			if known(cfg.Mode) && mode != cfg.Mode.ValueString() {
				continue
			}
			if req.Limit > 0 && sent >= req.Limit {
				return
			}
			sent++
			if !push(l.result(ctx, req, org, b)) {
				return
			}
		}
	}
}

// result is one listed integration: its identity, and on request the
// attributes an import would read (never a secret key).
func (l *billingIntegrationList) result(ctx context.Context, req list.ListRequest, org string, b *apic.Billing) list.ListResult {
	res := req.NewListResult(ctx)
	res.DisplayName = fmt.Sprintf("%s (%s)", b.Title, b.Name)
	m := billingIntegrationModel{Org: types.StringValue(org)}
	r := &billingIntegrationResource{data: l.data}
	r.fromAPI(ctx, &m, b, keypolicy.Null(), keypolicy.Null(), &res.Diagnostics)
	res.Diagnostics.Append(setBillingIntegrationIdentity(ctx, res.Identity, m)...)
	if req.IncludeResource {
		res.Diagnostics.Append(res.Resource.Set(ctx, &m)...)
	}
	return res
}

// listOrg is the org of a list block: its own, else the provider's.
func listOrg(data *providerData, org types.String, diags *diag.Diagnostics) (string, bool) {
	if data == nil {
		diags.AddError("Provider not configured", "The apiconnect provider was not configured before the list ran.")
		return "", false
	}
	if known(org) {
		return org.ValueString(), true
	}
	if data.org == "" {
		diags.AddAttributeError(path.Root("org"), "Missing provider organization",
			"Set org in the list block's config, or org (APIC_ORG) on the provider.")
		return "", false
	}
	return data.org, true
}
