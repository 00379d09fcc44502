package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
)

var _ datasource.DataSourceWithConfigure = (*billingJobsDataSource)(nil)

// NewBillingJobsDataSource is the apiconnect_billing_jobs data source factory.
func NewBillingJobsDataSource() datasource.DataSource { return &billingJobsDataSource{} }

type billingJobsDataSource struct {
	data *providerData
}

type billingJobsDataModel struct {
	Org  types.String `tfsdk:"org"`
	Name types.String `tfsdk:"name"`
	Jobs types.List   `tfsdk:"jobs"`
}

type billingJobModel struct {
	ID        types.String `tfsdk:"id"`
	State     types.String `tfsdk:"state"`
	Error     types.String `tfsdk:"error"`
	CreatedAt types.String `tfsdk:"created_at"`
}

var billingJobAttrTypes = map[string]attr.Type{
	"id":         types.StringType,
	"state":      types.StringType,
	"error":      types.StringType,
	"created_at": types.StringType,
}

func (d *billingJobsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_billing_jobs"
}

func (d *billingJobsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the job queue of a billing integration: the jobs that map bulk operations to Stripe calls. " +
			"A `blocked` job stops the queue until it is retried (in API Manager).",
		Attributes: map[string]schema.Attribute{
			"org": dataSourceOrgAttribute(),
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Name (or id) of the billing integration.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1), pathSegmentValidator{}},
			},
			"jobs": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Jobs in the queue, head first.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":         schema.StringAttribute{Computed: true, MarkdownDescription: "Job id."},
					"state":      schema.StringAttribute{Computed: true, MarkdownDescription: "`running`, `blocked` or `failed`; null when the platform reports another state or none."},
					"error":      schema.StringAttribute{Computed: true, MarkdownDescription: "Error of a blocked or failed job; null otherwise."},
					"created_at": schema.StringAttribute{Computed: true, MarkdownDescription: "Creation time reported by the platform."},
				}},
			},
		},
	}
}

func (d *billingJobsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *billingJobsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg billingJobsDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, jobs, ok := readNamed(ctx, d.data, cfg.Org, cfg.Name, "billing integration", "Cannot list the billing integration's jobs", d.data.client.ListJobs, &resp.Diagnostics)
	if !ok {
		return
	}
	items := make([]billingJobModel, 0, len(jobs))
	for _, j := range jobs {
		id := j.ID
		if id == "" {
			id = j.Name
		}
		items = append(items, billingJobModel{
			ID:        types.StringValue(id),
			State:     optionalString(apic.JobState(j.State)),
			Error:     optionalString(j.Error),
			CreatedAt: optionalString(j.CreatedAt),
		})
	}
	v, diags := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: billingJobAttrTypes}, items)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &billingJobsDataModel{Org: types.StringValue(org), Name: cfg.Name, Jobs: v})...)
}
