package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*billingIntegrationsDataSource)(nil)

// NewBillingIntegrationsDataSource is the apiconnect_billing_integrations data source factory.
func NewBillingIntegrationsDataSource() datasource.DataSource {
	return &billingIntegrationsDataSource{}
}

type billingIntegrationsDataSource struct {
	data *providerData
}

type billingIntegrationsDataModel struct {
	Org          types.String `tfsdk:"org"`
	Integrations types.List   `tfsdk:"integrations"`
}

func (d *billingIntegrationsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_billing_integrations"
}

func (d *billingIntegrationsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the Stripe billing integrations of a provider organization (every attribute except the secret keys).",
		Attributes: map[string]schema.Attribute{
			"org": dataSourceOrgAttribute(),
			"integrations": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The organization's billing integrations, in the platform's order.",
				NestedObject:        schema.NestedAttributeObject{Attributes: billingIntegrationDataAttributes()},
			},
		},
	}
}

func (d *billingIntegrationsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *billingIntegrationsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg billingIntegrationsDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, ok := dataSourceOrg(d.data, cfg.Org, &resp.Diagnostics)
	if !ok {
		return
	}
	list, err := d.data.client.ListBillings(ctx, org)
	if err != nil {
		resp.Diagnostics.AddError("Cannot list the billing integrations", errDetail(err))
		return
	}
	items := make([]billingIntegrationDataModel, 0, len(list))
	for i := range list {
		items = append(items, billingIntegrationData(ctx, org, &list[i], &resp.Diagnostics))
	}
	elem := types.ObjectType{AttrTypes: billingIntegrationDataAttrTypes}
	v, diags := types.ListValueFrom(ctx, elem, items)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &billingIntegrationsDataModel{Org: types.StringValue(org), Integrations: v})...)
}
