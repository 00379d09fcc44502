package provider

import (
	"context"
	"crypto/tls"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

// integrationAndSandbox is an integration with literal keys, added to the
// sandbox Catalog.
func integrationAndSandbox() string {
	return fmt.Sprintf(`
resource "apiconnect_billing_integration" "test" {
  title           = "Reliability"
  publishable_key = %q
  secret_key      = %q
}

resource "apiconnect_catalog_billing" "sandbox" {
  catalog     = "sandbox"
  billing_url = apiconnect_billing_integration.test.url
}
`, pkOneTest, skOneTest)
}

// assertNoWrites fails when anything but reads (and token requests)
// reached the platform, or anything changed.
func (e *accEnv) assertNoWrites(t *testing.T) {
	t.Helper()
	for _, r := range e.srv.Requests() {
		if r.Method != http.MethodGet && r.Route != emulator.RouteToken {
			t.Errorf("the platform received %s %s", r.Method, r.Path)
		}
	}
	if n := e.srv.Changes(); n != 0 {
		t.Errorf("%d writes changed the platform: %s", n, formatCounts(e.srv.ChangeCounts()))
	}
	if n := len(e.srv.Billings(e.org)); n != 0 {
		t.Errorf("%d billing integrations on the platform", n)
	}
}

// closedPortURL is the URL of a local port on which nothing listens.
func closedPortURL(t *testing.T) string {
	t.Helper()
	l, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return "http://" + addr
}

var stripeUnreachable = regexp.MustCompile(`(?s)Error: Cannot resolve the Stripe account of the secret key \(secret_key\).*` +
	`with apiconnect_billing_integration\.test,.*` +
	`stripe_api_base\s+\(APIC_STRIPE_API_BASE\).*stripe_key_check\s+=\s+"mode"\s+\(APIC_STRIPE_KEY_CHECK\).*Nothing\s+was\s+changed`)

// TestAccStripeUnreachable: under stripe_key_check = "account", a Stripe
// that cannot be reached (nothing listens on stripe_api_base, or the Stripe
// fake is down) fails the plan for secret_key with a message naming
// stripe_api_base and the "mode" alternative, and nothing reaches the
// platform but reads; with stripe_key_check = "mode" the same configuration
// plans.
func TestAccStripeUnreachable(t *testing.T) {
	fake := func(_ *testing.T, e *accEnv) string { return e.srv.StripeBase() }
	for _, tc := range []struct {
		name    string
		base    func(t *testing.T, e *accEnv) string
		faults  emulator.Faults
		timeout string
		detail  string
	}{
		{"closed port", func(t *testing.T, _ *accEnv) string { return closedPortURL(t) }, emulator.Faults{}, "", "Stripe could not be reached"},
		{"Stripe down", fake, emulator.Faults{StripeDown: true}, "", "Stripe answered 503 Service Unavailable"},
		{"Stripe slower than request_timeout", fake, emulator.Faults{StripeLatency: 3 * time.Second}, `"400ms"`, "Client.Timeout exceeded"},
	} {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			e := newAccEnv(t)
			e.srv.SetFaults(tc.faults)
			base := fmt.Sprintf("%q", tc.base(t, e))
			account := e.providerConfig(map[string]string{"stripe_api_base": base, "stripe_key_check": `"account"`, "request_timeout": tc.timeout}) + integrationAndSandbox()
			mode := e.providerConfig(map[string]string{"stripe_api_base": base, "stripe_key_check": `"mode"`, "request_timeout": tc.timeout}) + integrationAndSandbox()
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy:             e.checkDestroyed,
				Steps: []resource.TestStep{
					{Config: account, PlanOnly: true, ExpectError: stripeUnreachable},
					{Config: account, ExpectError: words(tc.detail)},
					{Config: mode, PlanOnly: true, ExpectNonEmptyPlan: true},
				},
			})
			if !t.Skipped() {
				e.assertNoWrites(t)
			}
		})
	}
}

// TestAccSlowPlatformAndStripe: a slow Stripe and a slow platform (latency
// on every request) are waited for: the apply of integrations sharing one
// key succeeds, and the provider asks Stripe about that key once per
// Terraform command, not once per resource.
func TestAccSlowPlatformAndStripe(t *testing.T) {
	e := newAccEnv(t)
	e.srv.SetFaults(emulator.Faults{Latency: 50 * time.Millisecond, StripeLatency: 500 * time.Millisecond})
	cfg := e.providerConfig(nil) + fmt.Sprintf(`
resource "apiconnect_billing_integration" "x" {
  count           = 3
  title           = "tfacc-slow ${count.index}"
  publishable_key = %q
  secret_key      = %q
}
`, pkOneTest, skOneTest)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkDestroyed,
		Steps: []resource.TestStep{{
			Config:           cfg,
			ConfigPlanChecks: emptyPlanAfterApply,
			Check: func(*terraform.State) error {
				if n := len(e.srv.Billings(e.org)); n != 3 {
					return fmt.Errorf("%d integrations, want 3", n)
				}
				if fc := e.srv.FaultCounts(); fc["latency"] == 0 {
					return fmt.Errorf("no latency was injected: %v", fc)
				}
				// The provider's own lookups (the emulator's are in-process).
				lookups := 0
				for _, r := range e.srv.Requests() {
					if r.Route == emulator.RouteStripeAccount && r.RemoteAddr != "" {
						lookups++
					}
				}
				if lookups == 0 || lookups > 2 {
					return fmt.Errorf("%d Stripe lookups by the provider for one key over plan and apply, want 1 or 2", lookups)
				}
				return nil
			},
		}},
	})
}

// TestAccTLS: the emulator over HTTPS with a self-signed certificate (the
// Stripe fake included). By default the provider refuses it with a message
// naming ca_certificate and insecure; with ca_certificate (the certificate's
// PEM) it trusts it, for the platform API and for stripe_api_base; with
// insecure = true it works too (and warns: TestConfigureInsecureWarns).
func TestAccTLS(t *testing.T) {
	srv := emulator.NewTLSServer(emulator.Config{})
	t.Cleanup(srv.Close)
	e := &accEnv{t: t, srv: srv, org: srv.Config().Org}
	certPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.HTTP.Certificate().Raw}))
	if !strings.HasPrefix(srv.Endpoint(), "https://") || !strings.HasPrefix(srv.StripeBase(), "https://") {
		t.Fatalf("not a TLS emulator: %s", srv.Endpoint())
	}
	refused := regexp.MustCompile(`(?s)TLS\s+certificate\s+of\s+https://127\.0\.0\.1:\d+\s+is\s+not\s+trusted.*` +
		`x509:\s+certificate\s+signed\s+by\s+unknown\s+authority.*set\s+ca_certificate\s+\(APIC_CA_CERTIFICATE\).*insecure\s+=\s+true\s+\(APIC_INSECURE\)`)
	withCA := e.providerConfig(map[string]string{"ca_certificate": fmt.Sprintf("%q", certPEM)})
	insecure := e.providerConfig(map[string]string{"insecure": "true"})
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkDestroyed,
		Steps: []resource.TestStep{
			// Stripe account check first: the Stripe fake is on the same server.
			{Config: e.providerConfig(nil) + integrationAndSandbox(), PlanOnly: true, ExpectError: refused},
			// Without the Stripe check, the platform API itself is refused.
			{Config: e.providerConfig(map[string]string{"stripe_key_check": `"mode"`}) + integrationAndSandbox(), PlanOnly: true, ExpectError: refused},
			{
				Config: withCA + integrationAndSandbox(),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(billingAddr, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					// Resolved through the Stripe fake over TLS.
					statecheck.ExpectKnownValue(billingAddr, tfjsonpath.New("stripe_account_id"), knownvalue.StringExact(acctOne)),
					statecheck.ExpectKnownValue(billingAddr, tfjsonpath.New("url"), knownvalue.StringRegexp(regexp.MustCompile(`^https://`))),
				},
			},
			{Config: insecure + integrationAndSandbox(), PlanOnly: true},
		},
	})
}

// TestConfigureInsecureWarns: insecure = true configures the provider with
// a warning on insecure.
func TestConfigureInsecureWarns(t *testing.T) {
	resp := configureProvider(t, map[string]tftypes.Value{
		"endpoint": tftypes.NewValue(tftypes.String, "https://127.0.0.1:1/api"),
		"token":    tftypes.NewValue(tftypes.String, "static-token"),
		"insecure": tftypes.NewValue(tftypes.Bool, true),
	})
	if resp.Diagnostics.HasError() {
		t.Fatalf("errors: %v", resp.Diagnostics)
	}
	found := false
	for _, d := range resp.Diagnostics.Warnings() {
		if wp, ok := d.(interface{ Path() path.Path }); ok && wp.Path().Equal(path.Root("insecure")) && d.Summary() == "TLS verification is disabled" {
			found = true
		}
	}
	if !found {
		t.Fatalf("no warning on insecure: %v", resp.Diagnostics)
	}
	data, ok := resp.ResourceData.(*providerData)
	if !ok || data.client == nil || data.resolver == nil {
		t.Fatal("the provider was not configured")
	}
}

// TestStripeHTTPClientTLS: the Stripe resolver's client shares the
// platform's trusted CAs; insecure reaches a Stripe fake or proxy, never
// Stripe's own API.
func TestStripeHTTPClientTLS(t *testing.T) {
	for base, wantInsecure := range map[string]bool{
		"https://api.stripe.com":        false,
		"https://API.Stripe.com:443/":   false,
		"https://files.stripe.com":      false,
		"https://127.0.0.1:12111":       true,
		"https://stripe-mock.internal/": true,
	} {
		tr, ok := stripeHTTPClient(base, &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS12}, 0).Transport.(*http.Transport) //nolint:gosec // what is tested
		if !ok || tr.TLSClientConfig == nil {
			t.Fatalf("%s: no TLS config", base)
		}
		if tr.TLSClientConfig.InsecureSkipVerify != wantInsecure {
			t.Errorf("%s: InsecureSkipVerify = %v", base, tr.TLSClientConfig.InsecureSkipVerify)
		}
	}
}

// configureProvider runs the provider's Configure with the given provider
// attributes (the others null).
func configureProvider(t *testing.T, attrs map[string]tftypes.Value) *provider.ConfigureResponse {
	t.Helper()
	ctx := context.Background()
	p := New("test")()
	var sr provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &sr)
	typ, ok := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("provider schema is not an object")
	}
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	for name, v := range attrs {
		vals[name] = v
	}
	var resp provider.ConfigureResponse
	p.Configure(ctx, provider.ConfigureRequest{Config: tfsdk.Config{Schema: sr.Schema, Raw: tftypes.NewValue(typ, vals)}}, &resp)
	return &resp
}
