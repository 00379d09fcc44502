package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*catalogDataSource)(nil)

// sandboxCatalog is the name of the Sandbox Catalog every provider org has.
const sandboxCatalog = "sandbox"

// NewCatalogDataSource is the apiconnect_catalog data source factory.
func NewCatalogDataSource() datasource.DataSource { return &catalogDataSource{} }

type catalogDataSource struct {
	data *providerData
}

type catalogDataModel struct {
	Org            types.String `tfsdk:"org"`
	Name           types.String `tfsdk:"name"`
	ID             types.String `tfsdk:"id"`
	URL            types.String `tfsdk:"url"`
	Title          types.String `tfsdk:"title"`
	ProductionMode types.Bool   `tfsdk:"production_mode"`
	Sandbox        types.Bool   `tfsdk:"sandbox"`
}

func (d *catalogDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_catalog"
}

func (d *catalogDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads a Catalog of a provider organization and its `production_mode` setting. " +
			"A Catalog in production mode must not be given an integration with Stripe test keys.",
		Attributes: map[string]schema.Attribute{
			"org": dataSourceOrgAttribute(),
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Name (or id) of the Catalog, for example `sandbox`.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1), pathSegmentValidator{}},
			},
			"id":              schema.StringAttribute{Computed: true, MarkdownDescription: "Platform id of the Catalog."},
			"url":             schema.StringAttribute{Computed: true, MarkdownDescription: "Platform URL of the Catalog."},
			"title":           schema.StringAttribute{Computed: true, MarkdownDescription: "Title of the Catalog."},
			"production_mode": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the Catalog's settings say `production_mode = true`."},
			"sandbox":         schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether this is the Sandbox Catalog (named `sandbox`). Monetized Plans need the billing integration in the target Catalog and in the Sandbox Catalog."},
		},
	}
}

func (d *catalogDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *catalogDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg catalogDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, c, ok := readNamed(ctx, d.data, cfg.Org, cfg.Name, "Catalog", "Cannot read the Catalog", d.data.client.GetCatalog, &resp.Diagnostics)
	if !ok {
		return
	}
	name := cfg.Name.ValueString()
	settings, err := d.data.getCatalogSettings(ctx, org, name)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the Catalog settings", errDetail(err))
		return
	}
	catalogName := c.Name
	if catalogName == "" {
		catalogName = name
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &catalogDataModel{
		Org:            types.StringValue(org),
		Name:           cfg.Name,
		ID:             types.StringValue(c.ID),
		URL:            optionalString(c.URL),
		Title:          optionalString(c.Title),
		ProductionMode: types.BoolValue(settings.ProductionMode),
		Sandbox:        types.BoolValue(strings.EqualFold(catalogName, sandboxCatalog)),
	})...)
}
