package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func credentialsFile(t *testing.T, content string) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "credentials.json")
	if err := os.WriteFile(f, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestResolveSettings: the provider block, then the environment, then the
// toolkit credentials file; defaults for what none sets; each setting knows
// where it came from.
func TestResolveSettings(t *testing.T) {
	file := credentialsFile(t, `{"toolkit": {"endpoint": "https://file.example.com/api", "client_id": "file-id", "client_secret": "file-secret"}}`)
	cfg := providerModel{
		Endpoint:        types.StringValue("https://block.example.com/api"),
		Username:        types.StringValue("block-user"),
		CredentialsFile: types.StringValue(file),
		MaxRetries:      types.Int64Value(2),
	}
	s, diags := resolveSettings(cfg, env(map[string]string{
		"APIC_ENDPOINT": "https://env.example.com/api", "APIC_USERNAME": "env-user", "APIC_PASSWORD": "env-pass",
		"APIC_CLIENT_ID": "env-id", "APIC_INSECURE": "true",
	}))
	if diags.HasError() {
		t.Fatal(diags)
	}
	for _, tc := range []struct {
		got           setting
		value, source string
	}{
		{s.endpoint, "https://block.example.com/api", "endpoint or APIC_ENDPOINT"},
		{s.username, "block-user", "username or APIC_USERNAME"},
		{s.password, "env-pass", "password or APIC_PASSWORD"},
		{s.clientID, "env-id", "client_id or APIC_CLIENT_ID"},
		{s.clientSecret, "file-secret", "credentials_file (client_secret is read from it)"},
		{s.realm, apic.DefaultRealm, "realm or APIC_REALM"},
		{s.keyCheck, "account", "stripe_key_check or APIC_STRIPE_KEY_CHECK"},
		{s.stripeBase, "https://api.stripe.com", "stripe_api_base or APIC_STRIPE_API_BASE"},
	} {
		if tc.got.value != tc.value || tc.got.source() != tc.source {
			t.Errorf("%s = %q from %q, want %q from %q", tc.got.attr, tc.got.value, tc.got.source(), tc.value, tc.source)
		}
	}
	if !s.insecure || s.maxRetries != 2 || s.timeout != apic.DefaultRequestTimeout {
		t.Errorf("insecure, max_retries, request_timeout = %v, %d, %s", s.insecure, s.maxRetries, s.timeout)
	}
	c := s.clientConfig(nil, "ua")
	if c.Grant() != apic.GrantPassword || c.ClientSecret != "file-secret" || c.Endpoint != "https://block.example.com/api" || len(c.Check()) != 0 {
		t.Errorf("client config %v: grant %s, problems %v", c, c.Grant(), c.Check())
	}
}

func TestResolveSettingsErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		cfg      providerModel
		env      map[string]string
		summary  string
		attr     string // "" = on the provider block
		inDetail string
	}{
		{"unknown value", providerModel{Endpoint: types.StringUnknown()}, nil, "Unknown provider setting", "endpoint", `"endpoint" depends on a value known only after apply`},
		{"unknown secret", providerModel{Password: types.StringUnknown()}, nil, "Unknown provider setting (password)", "", `"password" depends on`},
		{"missing credentials file", providerModel{}, map[string]string{"APIC_CREDENTIALS_FILE": "/nonexistent/credentials.json"}, "Cannot read the toolkit credentials file", "credentials_file", "set by credentials_file or APIC_CREDENTIALS_FILE"},
		{"credentials file without toolkit", providerModel{CredentialsFile: types.StringValue(credentialsFile(t, `{"consumer_toolkit": {}}`))}, nil, "Cannot read the toolkit credentials file", "credentials_file", `no "toolkit" entry`},
		{"APIC_INSECURE not a bool", providerModel{}, map[string]string{"APIC_INSECURE": "maybe"}, "Invalid APIC_INSECURE", "insecure", "true or false"},
		{"request_timeout", providerModel{RequestTimeout: types.StringValue("-1s")}, nil, "Invalid request_timeout", "request_timeout", "positive Go duration"},
		{"stripe_key_check from the environment", providerModel{}, map[string]string{"APIC_STRIPE_KEY_CHECK": "full"}, "Invalid stripe_key_check", "stripe_key_check", "set by stripe_key_check or APIC_STRIPE_KEY_CHECK"},
		{"stripe_api_base", providerModel{}, map[string]string{"APIC_STRIPE_API_BASE": "ftp://stripe"}, "Invalid stripe_api_base", "stripe_api_base", "absolute http(s) URL"},
		{"org", providerModel{Org: types.StringValue("a/b")}, nil, "Invalid org", "org", "cannot be used in the platform's URLs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, diags := resolveSettings(tc.cfg, env(tc.env))
			checkOneError(t, diags, tc.summary, tc.attr, tc.inDetail)
		})
	}
}

// TestClientErrors: what apic.Config.Check finds is reported on the
// attribute at fault, or on the provider block for a secret one or for a
// conflict, saying where the value came from or where it can be set.
func TestClientErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		env      map[string]string
		summary  string
		attr     string
		inDetail string
	}{
		{"no endpoint", map[string]string{"APIC_TOKEN": "t"}, "Missing platform API endpoint", "endpoint", "or credentials_file (the toolkit credentials.json"},
		{"endpoint without /api", map[string]string{"APIC_ENDPOINT": "https://h/apim", "APIC_TOKEN": "t"}, "Invalid platform API endpoint", "endpoint", "must end in /api (for example https://h/api), got path \"/apim\". (set by endpoint or APIC_ENDPOINT)"},
		{"token and api key", map[string]string{"APIC_ENDPOINT": "https://h/api", "APIC_TOKEN": "t", "APIC_API_KEY": "k"}, "Conflicting credentials", "", "found token and api_key. Unset all but one. Also check APIC_TOKEN"},
		{"password without user", map[string]string{"APIC_ENDPOINT": "https://h/api", "APIC_PASSWORD": "p", "APIC_CLIENT_ID": "c", "APIC_CLIENT_SECRET": "s"}, "Missing username", "username", "Set username in the provider block or APIC_USERNAME in the environment."},
		{"user without password", map[string]string{"APIC_ENDPOINT": "https://h/api", "APIC_USERNAME": "u", "APIC_CLIENT_ID": "c", "APIC_CLIENT_SECRET": "s"}, "Missing password", "", "username is set but password is not"},
		{"client_id without secret", map[string]string{"APIC_ENDPOINT": "https://h/api", "APIC_CLIENT_ID": "c"}, "Missing client_secret", "", "or credentials_file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, diags := resolveSettings(providerModel{}, env(tc.env))
			if diags.HasError() {
				t.Fatal(diags)
			}
			s.addClientErrors(&diags, s.clientConfig(nil, "").Check())
			checkOneError(t, diags, tc.summary, tc.attr, tc.inDetail)
		})
	}
	s, _ := resolveSettings(providerModel{}, env(map[string]string{"APIC_ENDPOINT": "https://h/api", "APIC_TOKEN": "t"}))
	if p := s.clientConfig(nil, "").Check(); len(p) != 0 {
		t.Errorf("a token and an endpoint: %v", p)
	}
	if s.timeout != 60*time.Second || s.maxRetries != 5 {
		t.Errorf("defaults: %s, %d", s.timeout, s.maxRetries)
	}
}

func checkOneError(t *testing.T, diags diag.Diagnostics, summary, attr, inDetail string) {
	t.Helper()
	errs := diags.Errors()
	if len(errs) != 1 {
		t.Fatalf("errors = %v, want one %q", errs, summary)
	}
	d := errs[0]
	if d.Summary() != summary || !strings.Contains(d.Detail(), inDetail) {
		t.Errorf("error %q: %q; want %q with %q", d.Summary(), d.Detail(), summary, inDetail)
	}
	got := ""
	if wp, ok := d.(interface{ Path() path.Path }); ok {
		got = wp.Path().String()
	}
	if got != attr {
		t.Errorf("error on %q, want %q", got, attr)
	}
}
