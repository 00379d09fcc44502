package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
)

var _ datasource.DataSourceWithConfigure = (*billingIntegrationDataSource)(nil)

// NewBillingIntegrationDataSource is the apiconnect_billing_integration data source factory.
func NewBillingIntegrationDataSource() datasource.DataSource { return &billingIntegrationDataSource{} }

type billingIntegrationDataSource struct {
	data *providerData
}

// billingIntegrationDataModel is every non-secret attribute of a billing
// integration; also the element of apiconnect_billing_integrations.
type billingIntegrationDataModel struct {
	ID              types.String `tfsdk:"id"`
	Org             types.String `tfsdk:"org"`
	Name            types.String `tfsdk:"name"`
	Title           types.String `tfsdk:"title"`
	Summary         types.String `tfsdk:"summary"`
	IntegrationURL  types.String `tfsdk:"integration_url"`
	PublishableKey  types.String `tfsdk:"publishable_key"`
	Mode            types.String `tfsdk:"mode"`
	StripeAccountID types.String `tfsdk:"stripe_account_id"`
	URL             types.String `tfsdk:"url"`
	CreatedAt       types.String `tfsdk:"created_at"`
	UpdatedAt       types.String `tfsdk:"updated_at"`
	JobQueue        types.Object `tfsdk:"job_queue"`
}

// billingIntegrationDataAttrTypes is the object type of one integration
// (an element of apiconnect_billing_integrations), from its schema.
var billingIntegrationDataAttrTypes = attrTypesOf(schema.NestedAttributeObject{Attributes: billingIntegrationDataAttributes()}.Type())

// billingIntegrationDataAttributes is the schema of one integration, every
// attribute computed; callers make name and org arguments where they apply.
func billingIntegrationDataAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id":                schema.StringAttribute{Computed: true, MarkdownDescription: "Platform id of the integration."},
		"org":               schema.StringAttribute{Computed: true, MarkdownDescription: "Provider organization (name or id) it was read from."},
		"name":              schema.StringAttribute{Computed: true, MarkdownDescription: "Name of the integration."},
		"title":             schema.StringAttribute{Computed: true, MarkdownDescription: "Title shown in API Manager."},
		"summary":           schema.StringAttribute{Computed: true, MarkdownDescription: "Summary; null when empty."},
		"integration_url":   schema.StringAttribute{Computed: true, MarkdownDescription: "URL of the platform's Stripe billing integration."},
		"publishable_key":   schema.StringAttribute{Computed: true, MarkdownDescription: "Stripe publishable key (`pk_test_…` or `pk_live_…`). The secret key is never exposed."},
		"mode":              schema.StringAttribute{Computed: true, MarkdownDescription: "Stripe mode of the keys, `test` or `live` (from the platform's metadata, else the publishable key's prefix)."},
		"stripe_account_id": schema.StringAttribute{Computed: true, MarkdownDescription: "Stripe account (`acct_…`) from the platform's metadata; null when the platform does not report it."},
		"url":               schema.StringAttribute{Computed: true, MarkdownDescription: "Platform URL of the integration; use it as `billing_url` of `apiconnect_catalog_billing`."},
		"created_at":        schema.StringAttribute{Computed: true, MarkdownDescription: "Creation time reported by the platform."},
		"updated_at":        schema.StringAttribute{Computed: true, MarkdownDescription: "Last update time reported by the platform."},
		"job_queue":         jobQueueDataSourceAttribute(),
	}
}

func (d *billingIntegrationDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_billing_integration"
}

func (d *billingIntegrationDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := billingIntegrationDataAttributes()
	attrs["name"] = schema.StringAttribute{
		Required:            true,
		MarkdownDescription: "Name (or id) of the billing integration to read.",
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1), pathSegmentValidator{}},
	}
	attrs["org"] = dataSourceOrgAttribute()
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads a Stripe billing integration of a provider organization: every attribute except the secret key.",
		Attributes:          attrs,
	}
}

func (d *billingIntegrationDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *billingIntegrationDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg billingIntegrationDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, b, ok := readNamed(ctx, d.data, cfg.Org, cfg.Name, "billing integration", "Cannot read the billing integration", d.data.client.GetBilling, &resp.Diagnostics)
	if !ok {
		return
	}
	m := billingIntegrationData(ctx, org, b, &resp.Diagnostics)
	m.Name = cfg.Name // as configured (it may be the id)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// billingIntegrationData is the data sources' model of an integration.
func billingIntegrationData(ctx context.Context, org string, b *apic.Billing, diags *diag.Diagnostics) billingIntegrationDataModel {
	v := viewOf(ctx, b, diags)
	return billingIntegrationDataModel{
		ID:              v.ID,
		Org:             types.StringValue(org),
		Name:            v.Name,
		Title:           v.Title,
		Summary:         v.Summary,
		IntegrationURL:  v.IntegrationURL,
		PublishableKey:  v.PublishableKey,
		Mode:            optionalString(v.mode),
		StripeAccountID: optionalString(v.account),
		URL:             v.URL,
		CreatedAt:       v.CreatedAt,
		UpdatedAt:       v.UpdatedAt,
		JobQueue:        v.JobQueue,
	}
}
