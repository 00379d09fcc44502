package provider

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestStripeHostsGetSystemRootsOnly: Stripe's own hosts, however written
// (upper case, a port, a trailing dot), are verified against the system
// roots only: neither insecure nor ca_certificate applies to them. A fake
// or proxy keeps both.
func TestStripeHostsGetSystemRootsOnly(t *testing.T) {
	private := x509.NewCertPool()
	platform := &tls.Config{InsecureSkipVerify: true, RootCAs: private, MinVersion: tls.VersionTLS12} //nolint:gosec // what is tested
	for base, stripe := range map[string]bool{
		"https://api.stripe.com":              true,
		"https://api.stripe.com.":             true,
		"https://api.stripe.com.:443/":        true,
		"https://API.Stripe.COM":              true,
		"https://files.stripe.com":            true,
		"https://stripe.com":                  true,
		"https://api.stripe.com.evil.example": false,
		"https://notstripe.com":               false,
		"http://127.0.0.1:12111":              false,
		"https://stripe-mock.internal:12112/": false,
	} {
		tr, ok := stripeHTTPClient(base, platform, 0).Transport.(*http.Transport)
		if !ok || tr.TLSClientConfig == nil {
			t.Fatalf("%s: no TLS config", base)
		}
		c := tr.TLSClientConfig
		if stripe && (c.InsecureSkipVerify || c.RootCAs != nil) {
			t.Errorf("%s: InsecureSkipVerify %v, private roots %v; want verification against the system roots", base, c.InsecureSkipVerify, c.RootCAs != nil)
		}
		if !stripe && (!c.InsecureSkipVerify || c.RootCAs != private) {
			t.Errorf("%s: a fake or proxy lost the platform's TLS settings", base)
		}
	}
	if platform.RootCAs != private || !platform.InsecureSkipVerify {
		t.Fatal("the platform's TLS config was changed")
	}
}

// TestCleartextAndForeignStripeWarnings: an http:// endpoint or Stripe base
// on another machine gets a warning naming what travels in clear; a Stripe
// base that is neither Stripe nor this machine gets one because it receives
// the secret keys; loopback (tests, the demo) and Stripe get none.
func TestCleartextAndForeignStripeWarnings(t *testing.T) {
	for _, tc := range []struct {
		endpoint, stripe string
		want             map[string]string // attribute -> a phrase of the warning
	}{
		{"https://platform.example.com/api", "", nil},
		{"http://127.0.0.1:8080/api", "http://127.0.0.1:12111", nil},
		{"http://localhost:8080/api", "http://localhost:12111", nil},
		{"https://platform.example.com/api", "https://api.stripe.com.", nil},
		{"http://platform.example.com/api", "", map[string]string{"endpoint": "travel in clear"}},
		{"https://platform.example.com/api", "https://stripe-proxy.example.com", map[string]string{"stripe_api_base": "sends it every Stripe secret key"}},
		{"https://platform.example.com/api", "http://stripe-mock.internal:12111", map[string]string{"stripe_api_base": "the secret keys travel in clear"}},
	} {
		attrs := map[string]tftypes.Value{
			"endpoint": tftypes.NewValue(tftypes.String, tc.endpoint),
			"token":    tftypes.NewValue(tftypes.String, "static-token"),
		}
		if tc.stripe != "" {
			attrs["stripe_api_base"] = tftypes.NewValue(tftypes.String, tc.stripe)
		}
		resp := configureProvider(t, attrs)
		if resp.Diagnostics.HasError() {
			t.Fatalf("%s %s: errors %v", tc.endpoint, tc.stripe, resp.Diagnostics)
		}
		got := map[string]string{}
		for _, d := range resp.Diagnostics.Warnings() {
			if wp, ok := d.(interface{ Path() path.Path }); ok {
				got[wp.Path().String()] += d.Detail()
			}
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s %s: warnings %v, want on %v", tc.endpoint, tc.stripe, got, tc.want)
		}
		for attr, phrase := range tc.want {
			if !words(phrase).MatchString(got[attr]) {
				t.Errorf("%s %s: the warning on %s (%q) lacks %q", tc.endpoint, tc.stripe, attr, got[attr], phrase)
			}
		}
	}
}

// TestStripeAPIBaseEnvironment: APIC_STRIPE_API_BASE sets the Stripe base;
// the generic STRIPE_API_BASE, which a CI may set for another tool, is not
// read.
func TestStripeAPIBaseEnvironment(t *testing.T) {
	attrs := map[string]tftypes.Value{
		"endpoint": tftypes.NewValue(tftypes.String, "https://platform.example.com/api"),
		"token":    tftypes.NewValue(tftypes.String, "static-token"),
	}
	base := func() string {
		data, ok := configureProvider(t, attrs).ResourceData.(*providerData)
		if !ok {
			t.Fatal("the provider was not configured")
		}
		return data.resolver.APIBase()
	}
	t.Setenv("STRIPE_API_BASE", "https://other-tool.example.com")
	t.Setenv("APIC_STRIPE_API_BASE", "")
	if got := base(); got != "https://api.stripe.com" {
		t.Errorf("with STRIPE_API_BASE only, the Stripe base is %s", got)
	}
	t.Setenv("APIC_STRIPE_API_BASE", "http://127.0.0.1:12111")
	if got := base(); got != "http://127.0.0.1:12111" {
		t.Errorf("with APIC_STRIPE_API_BASE, the Stripe base is %s", got)
	}
}
