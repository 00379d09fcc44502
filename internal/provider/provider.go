// Package provider holds the Terraform schemas and the glue between Terraform
// and the platform API client (internal/apic). It builds no HTTP requests.
package provider

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/memo"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/stripekey"
)

// Stripe key check modes (provider attribute stripe_key_check).
const (
	keyCheckAccount = "account"
	keyCheckMode    = "mode"

	defaultRealm          = "provider/default-idp-2"
	defaultMaxRetries     = 5
	defaultRequestTimeout = 60 * time.Second
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

// providerData is what resources and data sources receive from Configure.
type providerData struct {
	client   *apic.Client
	org      string
	endpoint string
	keyCheck string
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

func (p *apiconnectProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "apiconnect"
	resp.Version = p.version
}

func (p *apiconnectProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages IBM API Connect v10 billing integrations (Stripe) and their Catalog associations through the platform REST API. " +
			"Settings come from the provider block, then environment variables, then the toolkit `credentials_file`.",
		Attributes: map[string]schema.Attribute{
			"endpoint": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Platform API base URL, ending in `/api` (for example `https://platform-api.example.com/api`). Env: `APIC_ENDPOINT`; also read from `credentials_file`.",
			},
			"org": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Default provider organization (name or id) for resources and data sources. Env: `APIC_ORG`.",
				Validators:          []validator.String{pathSegmentValidator{}},
			},
			"username": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "User for the `password` grant. Env: `APIC_USERNAME`.",
			},
			"password": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Password for the `password` grant. Env: `APIC_PASSWORD`.",
			},
			"realm": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Realm of the user registry for the `password` grant, `provider/<identity-provider>`. Default `" + defaultRealm + "`. Env: `APIC_REALM`.",
			},
			"api_key": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Platform API key for the `api_key` grant. Env: `APIC_API_KEY`.",
			},
			"client_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Client id of the toolkit (or a registered) application. Env: `APIC_CLIENT_ID`; also read from `credentials_file`.",
			},
			"client_secret": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Client secret of that application. Env: `APIC_CLIENT_SECRET`; also read from `credentials_file`.",
			},
			"token": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "A ready bearer token (for example an IBM Cloud IAM token); no token request is made. Conflicts with the other credentials. Env: `APIC_TOKEN`.",
			},
			"credentials_file": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Path of the toolkit `credentials.json` downloaded from API Manager; supplies `endpoint`, `client_id` and `client_secret`. Env: `APIC_CREDENTIALS_FILE`.",
			},
			"insecure": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Skip TLS certificate verification of the platform API, and of `stripe_api_base` unless it is Stripe's own API (whose certificate is always verified). Default `false`; a warning is shown when `true`. Env: `APIC_INSECURE`.",
			},
			"ca_certificate": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "PEM bundle of CA certificates (PEM text or a file path) to trust for the platform API and a `stripe_api_base` that is not Stripe's own API (Stripe's hosts get the system roots only), in addition to the system pool. Env: `APIC_CA_CERTIFICATE`.",
			},
			"max_retries": schema.Int64Attribute{
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(0, 20)},
				MarkdownDescription: "Retries of a request after 429, 5xx or a connection error, with exponential backoff and jitter, honouring `Retry-After`. Default `5`.",
			},
			"request_timeout": schema.StringAttribute{
				Optional:            true,
				Validators:          []validator.String{durationValidator{}},
				MarkdownDescription: "Timeout of one HTTP request, as a Go duration. Default `60s`.",
			},
			"stripe_api_base": schema.StringAttribute{
				Optional:            true,
				Validators:          []validator.String{httpURLValidator{}},
				MarkdownDescription: "Stripe API base URL used to resolve the account of a secret key: it receives every secret key the provider checks. Default `https://api.stripe.com`; a base that is neither a Stripe host nor loopback gets a warning. Env: `APIC_STRIPE_API_BASE` (the generic `STRIPE_API_BASE` is not read).",
			},
			"stripe_key_check": schema.StringAttribute{
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(keyCheckAccount, keyCheckMode)},
				MarkdownDescription: "How keys are checked at plan time. `account` (default): resolve each secret key's Stripe account with `GET /v1/account`, so a key of another account forces replacement. " +
					"`mode`: offline, key prefixes only; an account swap is then only caught by the platform at apply. Env: `APIC_STRIPE_KEY_CHECK`.",
			},
		},
	}
}

// setting is one resolved provider setting and where it came from, so that
// diagnostics can name both the attribute and its environment variable.
type setting struct {
	value string
	attr  string
	env   string
}

func (p *apiconnectProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for attr, v := range map[string]interface{ IsUnknown() bool }{
		"endpoint": cfg.Endpoint, "org": cfg.Org, "username": cfg.Username, "password": cfg.Password, "realm": cfg.Realm,
		"api_key": cfg.APIKey, "client_id": cfg.ClientID, "client_secret": cfg.ClientSecret, "token": cfg.Token,
		"credentials_file": cfg.CredentialsFile, "insecure": cfg.Insecure, "ca_certificate": cfg.CACertificate,
		"max_retries": cfg.MaxRetries, "request_timeout": cfg.RequestTimeout, "stripe_api_base": cfg.StripeAPIBase,
		"stripe_key_check": cfg.StripeKeyCheck,
	} {
		if v.IsUnknown() {
			addProviderError(&resp.Diagnostics, attr, "Unknown provider setting",
				fmt.Sprintf("%q depends on a value known only after apply. Provider settings must be known at plan time: use a literal, a variable or an environment variable.", attr))
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	get := func(v types.String, attr, env string) setting {
		if !v.IsNull() {
			return setting{value: v.ValueString(), attr: attr, env: env}
		}
		return setting{value: os.Getenv(env), attr: attr, env: env}
	}
	credFile := get(cfg.CredentialsFile, "credentials_file", "APIC_CREDENTIALS_FILE")
	var toolkit toolkitCredentials
	if credFile.value != "" {
		var err error
		toolkit, err = readCredentialsFile(credFile.value)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("credentials_file"), "Cannot read the toolkit credentials file",
				fmt.Sprintf("%s (set by credentials_file or APIC_CREDENTIALS_FILE): %s", credFile.value, err))
			return
		}
	}
	fallback := func(s setting, v string) setting {
		if s.value == "" && v != "" {
			s.value, s.env = v, "credentials_file"
		}
		return s
	}

	endpoint := fallback(get(cfg.Endpoint, "endpoint", "APIC_ENDPOINT"), toolkit.Endpoint)
	org := get(cfg.Org, "org", "APIC_ORG")
	username := get(cfg.Username, "username", "APIC_USERNAME")
	password := get(cfg.Password, "password", "APIC_PASSWORD")
	realm := get(cfg.Realm, "realm", "APIC_REALM")
	apiKey := get(cfg.APIKey, "api_key", "APIC_API_KEY")
	clientID := fallback(get(cfg.ClientID, "client_id", "APIC_CLIENT_ID"), toolkit.ClientID)
	clientSecret := fallback(get(cfg.ClientSecret, "client_secret", "APIC_CLIENT_SECRET"), toolkit.ClientSecret)
	token := get(cfg.Token, "token", "APIC_TOKEN")
	caCert := get(cfg.CACertificate, "ca_certificate", "APIC_CA_CERTIFICATE")
	stripeBase := get(cfg.StripeAPIBase, "stripe_api_base", "APIC_STRIPE_API_BASE")
	keyCheck := get(cfg.StripeKeyCheck, "stripe_key_check", "APIC_STRIPE_KEY_CHECK")

	if realm.value == "" {
		realm.value = defaultRealm
	}
	if org.value != "" {
		if err := apic.CheckPathSegment(org.value); err != nil {
			addSettingError(&resp.Diagnostics, org, "Invalid org", fmt.Sprintf("%q cannot be used in the platform's URLs: %s. It must be %s.", org.value, err, pathSegmentRule))
		}
	}
	if keyCheck.value == "" {
		keyCheck.value = keyCheckAccount
	}
	if keyCheck.value != keyCheckAccount && keyCheck.value != keyCheckMode {
		addSettingError(&resp.Diagnostics, keyCheck, "Invalid stripe_key_check", `must be "account" or "mode"`)
	}
	if stripeBase.value == "" {
		stripeBase.value = stripekey.DefaultAPIBase
	} else if err := checkHTTPURL(stripeBase.value); err != nil {
		addSettingError(&resp.Diagnostics, stripeBase, "Invalid stripe_api_base", err.Error())
	}

	insecure := cfg.Insecure.ValueBool()
	if cfg.Insecure.IsNull() {
		if v := os.Getenv("APIC_INSECURE"); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				resp.Diagnostics.AddAttributeError(path.Root("insecure"), "Invalid APIC_INSECURE", "APIC_INSECURE must be true or false.")
			}
			insecure = b
		}
	}

	switch endpoint.value {
	case "":
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Missing platform API endpoint",
			"Set endpoint in the provider block, the APIC_ENDPOINT environment variable, or credentials_file (the toolkit credentials.json from API Manager). It is the platform API base URL ending in /api.")
	default:
		if err := checkEndpoint(endpoint.value); err != nil {
			addSettingError(&resp.Diagnostics, endpoint, "Invalid platform API endpoint", err.Error())
		}
	}

	// Exactly one way to authenticate.
	grants := []string{}
	if token.value != "" {
		grants = append(grants, "token")
	}
	if username.value != "" || password.value != "" {
		grants = append(grants, "username/password")
	}
	if apiKey.value != "" {
		grants = append(grants, "api_key")
	}
	switch {
	case len(grants) > 1:
		// On the provider block: the conflicting settings are often secrets.
		resp.Diagnostics.AddError("Conflicting credentials",
			fmt.Sprintf("Only one way to authenticate may be set, found %s. Unset all but one (also check APIC_TOKEN, APIC_USERNAME/APIC_PASSWORD and APIC_API_KEY in the environment).", strings.Join(grants, " and ")))
	case len(grants) == 1 && grants[0] == "username/password":
		if username.value == "" {
			addSettingError(&resp.Diagnostics, username, "Missing username", "password is set but username is not.")
		}
		if password.value == "" {
			addSettingError(&resp.Diagnostics, password, "Missing password", "username is set but password is not.")
		}
	}
	needsClient := len(grants) == 0 || grants[0] == "username/password" || grants[0] == "api_key"
	if len(grants) <= 1 && needsClient {
		if clientID.value == "" {
			hint := "The password, api_key and client_credentials grants need the client id of the toolkit or a registered application."
			if len(grants) == 0 {
				hint = "No credentials are set. Set token (APIC_TOKEN), username and password (APIC_USERNAME, APIC_PASSWORD), api_key (APIC_API_KEY), or client_id and client_secret for the client_credentials grant; each except token needs client_id and client_secret (or credentials_file)."
			}
			addSettingError(&resp.Diagnostics, clientID, "Missing client_id", hint)
		}
		if clientSecret.value == "" && clientID.value != "" {
			addSettingError(&resp.Diagnostics, clientSecret, "Missing client_secret", "client_id is set but client_secret is not.")
		}
	}

	maxRetries := int64(defaultMaxRetries)
	if !cfg.MaxRetries.IsNull() {
		maxRetries = cfg.MaxRetries.ValueInt64()
	}
	timeout := defaultRequestTimeout
	if !cfg.RequestTimeout.IsNull() {
		d, err := time.ParseDuration(cfg.RequestTimeout.ValueString())
		if err != nil || d <= 0 {
			resp.Diagnostics.AddAttributeError(path.Root("request_timeout"), "Invalid request_timeout", "request_timeout must be a positive Go duration such as 30s or 2m.")
		}
		timeout = d
	}

	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if caCert.value != "" {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		pem := caCert.value
		if !strings.Contains(pem, "-----BEGIN") {
			// Allow a path to a PEM file as well as the PEM text itself.
			b, rerr := os.ReadFile(pem) //nolint:gosec // path chosen by the user
			if rerr != nil {
				addSettingError(&resp.Diagnostics, caCert, "Invalid ca_certificate", "not PEM text, and not a readable file: "+rerr.Error())
			}
			pem = string(b)
		}
		if pem != "" && !pool.AppendCertsFromPEM([]byte(pem)) {
			addSettingError(&resp.Diagnostics, caCert, "Invalid ca_certificate", "no PEM certificate could be read from it.")
		}
		tlsConfig.RootCAs = pool
	}
	if insecure {
		tlsConfig.InsecureSkipVerify = true //nolint:gosec // the user asked for it, and is warned
		resp.Diagnostics.AddAttributeWarning(path.Root("insecure"), "TLS verification is disabled",
			"insecure = true (or APIC_INSECURE) skips verification of the platform API certificate (and of a stripe_api_base that is not Stripe's own API): credentials and Stripe keys could be intercepted. Prefer ca_certificate.")
	}
	addCleartextWarnings(&resp.Diagnostics, endpoint, stripeBase)
	if resp.Diagnostics.HasError() {
		return
	}

	clientCfg := apic.Config{
		Endpoint:       endpoint.value,
		Username:       username.value,
		Password:       password.value,
		Realm:          realm.value,
		APIKey:         apiKey.value,
		ClientID:       clientID.value,
		ClientSecret:   clientSecret.value,
		Token:          token.value,
		TLSConfig:      tlsConfig,
		MaxRetries:     int(maxRetries),
		RequestTimeout: timeout,
		UserAgent:      "terraform-provider-apiconnect/" + p.version + " (+terraform " + req.TerraformVersion + ")",
		Logger:         tflogLogger{},
	}
	if clientConfigHook != nil {
		clientConfigHook(&clientCfg)
	}
	client, err := apic.New(clientCfg)
	if err != nil {
		addSettingError(&resp.Diagnostics, endpoint, "Cannot configure the platform API client", err.Error())
		return
	}
	data := newProviderData()
	data.client = client
	data.org = org.value
	data.endpoint = strings.TrimRight(endpoint.value, "/")
	data.keyCheck = keyCheck.value
	data.resolver = stripekey.NewResolver(stripekey.ResolverConfig{APIBase: stripeBase.value, HTTPClient: stripeHTTPClient(stripeBase.value, tlsConfig, timeout)})
	tflog.Debug(ctx, "apiconnect provider configured", map[string]any{
		"endpoint": data.endpoint, "org": data.org, "stripe_key_check": data.keyCheck, "stripe_api_base": stripeBase.value,
		"max_retries": maxRetries, "request_timeout": timeout.String(), "grant": grantName(grants),
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

// toolkitCredentials is the "toolkit" entry of API Manager's credentials.json.
type toolkitCredentials struct {
	Endpoint     string `json:"endpoint"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
}

func readCredentialsFile(name string) (toolkitCredentials, error) {
	b, err := os.ReadFile(name) //nolint:gosec // path chosen by the user
	if err != nil {
		return toolkitCredentials{}, err
	}
	var f struct {
		Toolkit *toolkitCredentials `json:"toolkit"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return toolkitCredentials{}, fmt.Errorf("not valid JSON: %w", err)
	}
	if f.Toolkit == nil {
		return toolkitCredentials{}, fmt.Errorf(`no "toolkit" entry: download the toolkit credentials from the API Manager home page`)
	}
	return *f.Toolkit, nil
}

func checkEndpoint(raw string) error {
	if err := checkHTTPURL(raw); err != nil {
		return err
	}
	u, _ := url.Parse(raw)
	if !strings.HasSuffix(strings.TrimRight(u.Path, "/"), "/api") {
		return fmt.Errorf("the platform API endpoint must end in /api (for example https://%s/api), got path %q", u.Host, u.Path)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("the endpoint must not carry a query or fragment")
	}
	return nil
}

func checkHTTPURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("must be an absolute http(s) URL such as https://host.example.com/api")
	}
	if u.User != nil {
		return fmt.Errorf("must not carry credentials in the URL")
	}
	return nil
}

func addSettingError(diags *diag.Diagnostics, s setting, summary, detail string) {
	from := s.attr + " or " + s.env
	if s.env == "credentials_file" {
		from = "credentials_file (" + s.attr + " is read from it)"
	}
	addProviderError(diags, s.attr, summary, detail+" (set by "+from+")")
}

func grantName(grants []string) string {
	if len(grants) == 0 {
		return "client_credentials"
	}
	return grants[0]
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
