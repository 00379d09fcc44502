package provider

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/keypolicy"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/stripekey"
)

// setting is one resolved provider setting and where it came from, so that
// diagnostics can name both the attribute and its environment variable.
type setting struct {
	value, attr, env string
	// fromFile: read from the toolkit credentials file.
	fromFile bool
	// inFile: the credentials file may set it.
	inFile bool
}

// source names where s was set.
func (s setting) source() string {
	if s.fromFile {
		return "credentials_file (" + s.attr + " is read from it)"
	}
	return s.attr + " or " + s.env
}

// howToSet says where s can be set.
func (s setting) howToSet() string {
	how := "Set " + s.attr + " in the provider block or " + s.env + " in the environment"
	if s.inFile {
		how += ", or credentials_file (the toolkit credentials.json from API Manager)"
	}
	return how + "."
}

// settings are the provider's settings: each from the provider block, else
// its environment variable, else (endpoint, client_id, client_secret) the
// toolkit credentials file; what none of them sets has its default.
type settings struct {
	endpoint, org, username, password, realm, apiKey, clientID, clientSecret, token setting
	caCert, stripeBase, keyCheck                                                    setting
	insecure                                                                        bool
	maxRetries                                                                      int
	timeout                                                                         time.Duration
}

// resolveSettings resolves cfg, reading the environment with getenv. It
// reports settings unknown at plan, a credentials file it cannot read and
// values it cannot parse; the endpoint and credential rules are the
// client's (apic.Config.Check, see addClientErrors).
func resolveSettings(cfg providerModel, getenv func(string) string) (settings, diag.Diagnostics) {
	var diags diag.Diagnostics
	for _, attr := range unknownSettings(cfg) {
		addProviderError(&diags, attr, "Unknown provider setting",
			fmt.Sprintf("%q depends on a value known only after apply. Provider settings must be known at plan time: use a literal, a variable or an environment variable.", attr))
	}
	if diags.HasError() {
		return settings{}, diags
	}
	get := func(v types.String, attr, env string) setting {
		if !v.IsNull() {
			return setting{value: v.ValueString(), attr: attr, env: env}
		}
		return setting{value: getenv(env), attr: attr, env: env}
	}
	s := settings{
		endpoint: get(cfg.Endpoint, "endpoint", "APIC_ENDPOINT"), org: get(cfg.Org, "org", "APIC_ORG"),
		username: get(cfg.Username, "username", "APIC_USERNAME"), password: get(cfg.Password, "password", "APIC_PASSWORD"),
		realm: get(cfg.Realm, "realm", "APIC_REALM"), apiKey: get(cfg.APIKey, "api_key", "APIC_API_KEY"),
		clientID: get(cfg.ClientID, "client_id", "APIC_CLIENT_ID"), clientSecret: get(cfg.ClientSecret, "client_secret", "APIC_CLIENT_SECRET"),
		token: get(cfg.Token, "token", "APIC_TOKEN"), caCert: get(cfg.CACertificate, "ca_certificate", "APIC_CA_CERTIFICATE"),
		stripeBase: get(cfg.StripeAPIBase, "stripe_api_base", "APIC_STRIPE_API_BASE"),
		keyCheck:   get(cfg.StripeKeyCheck, "stripe_key_check", "APIC_STRIPE_KEY_CHECK"),
	}
	if !s.readCredentialsFile(get(cfg.CredentialsFile, "credentials_file", "APIC_CREDENTIALS_FILE"), &diags) {
		return s, diags
	}
	s.applyDefaults()
	s.parseNumbers(cfg, getenv, &diags)
	s.check(&diags)
	return s, diags
}

// unknownSettings are the attributes of cfg whose values are unknown.
func unknownSettings(cfg providerModel) []string {
	var attrs []string
	v, t := reflect.ValueOf(cfg), reflect.TypeOf(cfg)
	for i := range t.NumField() {
		if u, ok := v.Field(i).Interface().(interface{ IsUnknown() bool }); ok && u.IsUnknown() {
			attrs = append(attrs, t.Field(i).Tag.Get("tfsdk"))
		}
	}
	return attrs
}

// readCredentialsFile fills endpoint, client_id and client_secret from the
// toolkit credentials file where neither the block nor the environment set
// them.
func (s *settings) readCredentialsFile(file setting, diags *diag.Diagnostics) bool {
	for _, st := range []*setting{&s.endpoint, &s.clientID, &s.clientSecret} {
		st.inFile = true
	}
	if file.value == "" {
		return true
	}
	toolkit, err := readCredentialsFile(file.value)
	if err != nil {
		diags.AddAttributeError(path.Root("credentials_file"), "Cannot read the toolkit credentials file",
			fmt.Sprintf("%s (set by %s): %s", file.value, file.source(), err))
		return false
	}
	for st, v := range map[*setting]string{&s.endpoint: toolkit.Endpoint, &s.clientID: toolkit.ClientID, &s.clientSecret: toolkit.ClientSecret} {
		if st.value == "" && v != "" {
			st.value, st.fromFile = v, true
		}
	}
	return true
}

func (s *settings) applyDefaults() {
	for st, def := range map[*setting]string{
		&s.realm:      apic.DefaultRealm,
		&s.keyCheck:   string(keypolicy.CheckAccount),
		&s.stripeBase: stripekey.DefaultAPIBase,
	} {
		if st.value == "" {
			st.value = def
		}
	}
	s.maxRetries, s.timeout = apic.DefaultMaxRetries, apic.DefaultRequestTimeout
}

// parseNumbers reads insecure (or APIC_INSECURE), max_retries and
// request_timeout.
func (s *settings) parseNumbers(cfg providerModel, getenv func(string) string, diags *diag.Diagnostics) {
	s.insecure = cfg.Insecure.ValueBool()
	if v := getenv("APIC_INSECURE"); cfg.Insecure.IsNull() && v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			diags.AddAttributeError(path.Root("insecure"), "Invalid APIC_INSECURE", "APIC_INSECURE must be true or false.")
		}
		s.insecure = b
	}
	if !cfg.MaxRetries.IsNull() {
		s.maxRetries = int(cfg.MaxRetries.ValueInt64())
	}
	if !cfg.RequestTimeout.IsNull() {
		d, err := time.ParseDuration(cfg.RequestTimeout.ValueString())
		if err != nil || d <= 0 {
			diags.AddAttributeError(path.Root("request_timeout"), "Invalid request_timeout", "request_timeout must be a positive Go duration such as 30s or 2m.")
		}
		s.timeout = d
	}
}

// check reports the provider's own settings that cannot be used; the
// client's are apic.Config.Check's.
func (s settings) check(diags *diag.Diagnostics) {
	if s.org.value != "" {
		if err := apic.CheckPathSegment(s.org.value); err != nil {
			addSettingError(diags, s.org, "Invalid org", fmt.Sprintf("%q cannot be used in the platform's URLs: %s. It must be %s.", s.org.value, err, pathSegmentRule))
		}
	}
	if c := keypolicy.Check(s.keyCheck.value); c != keypolicy.CheckAccount && c != keypolicy.CheckMode {
		addSettingError(diags, s.keyCheck, "Invalid stripe_key_check", `must be "account" or "mode"`)
	}
	if err := apic.CheckURL(s.stripeBase.value); err != nil {
		addSettingError(diags, s.stripeBase, "Invalid stripe_api_base", err.Error())
	}
}

// clientConfig is the platform client's configuration.
func (s settings) clientConfig(tlsConfig *tls.Config, userAgent string) apic.Config {
	return apic.Config{
		Endpoint: s.endpoint.value, Username: s.username.value, Password: s.password.value, Realm: s.realm.value,
		APIKey: s.apiKey.value, ClientID: s.clientID.value, ClientSecret: s.clientSecret.value, Token: s.token.value,
		TLSConfig: tlsConfig, MaxRetries: s.maxRetries, RequestTimeout: s.timeout, UserAgent: userAgent, Logger: tflogLogger{},
	}
}

// addClientErrors reports what apic.Config.Check found, on the attribute at
// fault (the provider block for a secret one), naming where it was set or
// where it can be set.
func (s settings) addClientErrors(diags *diag.Diagnostics, problems []*apic.ConfigError) {
	byAttr := map[string]setting{}
	for _, st := range []setting{s.endpoint, s.username, s.password, s.apiKey, s.clientID, s.clientSecret, s.token} {
		byAttr[st.attr] = st
	}
	for _, p := range problems {
		st, ok := byAttr[p.Setting]
		switch {
		case !ok:
			diags.AddError(p.Summary, p.Reason+" Also check APIC_TOKEN, APIC_USERNAME/APIC_PASSWORD and APIC_API_KEY in the environment.")
		case st.value == "":
			addProviderError(diags, st.attr, p.Summary, p.Reason+" "+st.howToSet())
		default:
			addSettingError(diags, st, p.Summary, p.Reason)
		}
	}
}

// tlsConfig trusts the system pool plus ca_certificate (PEM text or a file
// path), and skips verification when insecure (with a warning).
func (s settings) tlsConfig(diags *diag.Diagnostics) *tls.Config {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if s.caCert.value != "" {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if pem, err := readPEM(s.caCert.value); err != nil {
			addSettingError(diags, s.caCert, "Invalid ca_certificate", "not PEM text, and not a readable file: "+err.Error())
		} else if !pool.AppendCertsFromPEM([]byte(pem)) {
			addSettingError(diags, s.caCert, "Invalid ca_certificate", "no PEM certificate could be read from it.")
		}
		cfg.RootCAs = pool
	}
	if s.insecure {
		cfg.InsecureSkipVerify = true //nolint:gosec // the user asked for it, and is warned
		diags.AddAttributeWarning(path.Root("insecure"), "TLS verification is disabled",
			"insecure = true (or APIC_INSECURE) skips verification of the platform API certificate (and of a stripe_api_base that is not Stripe's own API): credentials and Stripe keys could be intercepted. Prefer ca_certificate.")
	}
	return cfg
}

// readPEM is PEM text as given, or the content of the file it names.
func readPEM(v string) (string, error) {
	if strings.Contains(v, "-----BEGIN") {
		return v, nil
	}
	b, err := os.ReadFile(v) //nolint:gosec // path chosen by the user
	return string(b), err
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
		return toolkitCredentials{}, errors.New(`no "toolkit" entry: download the toolkit credentials from the API Manager home page`)
	}
	return *f.Toolkit, nil
}

func addSettingError(diags *diag.Diagnostics, s setting, summary, detail string) {
	addProviderError(diags, s.attr, summary, detail+" (set by "+s.source()+")")
}
