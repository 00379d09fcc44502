// Package provider holds the Terraform schemas and the glue between Terraform
// and the platform API client (internal/apic). It builds no HTTP requests.
package provider

import (
	"context"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/keypolicy"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/stripekey"
)

var _ provider.Provider = (*apiconnectProvider)(nil)

type apiconnectProvider struct {
	version string
}

// New returns the provider factory used by main.go and the tests.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &apiconnectProvider{version: version} }
}

type providerModel struct {
	Endpoint        types.String `tfsdk:"endpoint"`
	Org             types.String `tfsdk:"org"`
	Username        types.String `tfsdk:"username"`
	Password        types.String `tfsdk:"password"`
	Realm           types.String `tfsdk:"realm"`
	APIKey          types.String `tfsdk:"api_key"`
	ClientID        types.String `tfsdk:"client_id"`
	ClientSecret    types.String `tfsdk:"client_secret"`
	Token           types.String `tfsdk:"token"`
	CredentialsFile types.String `tfsdk:"credentials_file"`
	Insecure        types.Bool   `tfsdk:"insecure"`
	CACertificate   types.String `tfsdk:"ca_certificate"`
	MaxRetries      types.Int64  `tfsdk:"max_retries"`
	RequestTimeout  types.String `tfsdk:"request_timeout"`
	StripeAPIBase   types.String `tfsdk:"stripe_api_base"`
	StripeKeyCheck  types.String `tfsdk:"stripe_key_check"`
}

func (p *apiconnectProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "apiconnect"
	resp.Version = p.version
}

func (p *apiconnectProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	s, diags := resolveSettings(cfg, os.Getenv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	tlsConfig := s.tlsConfig(&resp.Diagnostics)
	addCleartextWarnings(&resp.Diagnostics, s.endpoint, s.stripeBase)
	clientCfg := s.clientConfig(tlsConfig, "terraform-provider-apiconnect/"+p.version+" (+terraform "+req.TerraformVersion+")")
	s.addClientErrors(&resp.Diagnostics, clientCfg.Check())
	if resp.Diagnostics.HasError() {
		return
	}
	if clientConfigHook != nil {
		clientConfigHook(&clientCfg)
	}
	client, err := apic.New(clientCfg)
	if err != nil {
		resp.Diagnostics.AddError("Cannot configure the platform API client", err.Error())
		return
	}
	data := newProviderData()
	data.client = client
	data.org = s.org.value
	data.endpoint = client.Endpoint()
	data.keyCheck = keypolicy.Check(s.keyCheck.value)
	data.resolver = stripekey.NewResolver(stripekey.ResolverConfig{APIBase: s.stripeBase.value, HTTPClient: stripeHTTPClient(s.stripeBase.value, tlsConfig, s.timeout)})
	tflog.Debug(ctx, "apiconnect provider configured", map[string]any{
		"endpoint": data.endpoint, "org": data.org, "stripe_key_check": data.keyCheck, "stripe_api_base": s.stripeBase.value,
		"max_retries": s.maxRetries, "request_timeout": s.timeout.String(), "grant": clientCfg.Grant(),
	})
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ActionData = data
	resp.ListResourceData = data
}

func (p *apiconnectProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewBillingIntegrationResource,
		NewCatalogBillingResource,
	}
}

func (p *apiconnectProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewBillingIntegrationDataSource,
		NewBillingIntegrationsDataSource,
		NewCatalogDataSource,
		NewBillingJobsDataSource,
	}
}
