package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

// testPrefix starts the name of every object an acceptance test creates, so
// that sweepers can find what an interrupted run left behind.
const testPrefix = "tfacc-"

func init() {
	// go test ./internal/provider -v -sweep=<org> (make sweep): the "region"
	// of terraform-plugin-testing's sweepers is the provider organization.
	resource.AddTestSweepers("apiconnect_catalog_billing", &resource.Sweeper{
		Name: "apiconnect_catalog_billing",
		F:    sweepCatalogBillings,
	})
	resource.AddTestSweepers("apiconnect_billing_integration", &resource.Sweeper{
		Name:         "apiconnect_billing_integration",
		Dependencies: []string{"apiconnect_catalog_billing"},
		F:            sweepBillingIntegrations,
	})
}

func sweepCatalogBillings(org string) error     { return sweepFromEnv(org, true) }
func sweepBillingIntegrations(org string) error { return sweepFromEnv(org, false) }

// sweepClient builds a platform client from the APIC_* environment (and
// APIC_CREDENTIALS_FILE), as the provider would without a provider block.
func sweepClient() (*apic.Client, error) {
	s, diags := resolveSettings(providerModel{}, os.Getenv)
	if diags.HasError() {
		return nil, fmt.Errorf("provider settings from the environment: %v", diags)
	}
	var tlsDiags diag.Diagnostics
	cfg := s.clientConfig(s.tlsConfig(&tlsDiags), "terraform-provider-apiconnect-sweeper")
	if tlsDiags.HasError() {
		return nil, fmt.Errorf("provider settings from the environment: %v", tlsDiags)
	}
	cfg.Logger = nil
	return apic.New(cfg)
}

func sweepFromEnv(org string, catalogsOnly bool) error {
	if org == "" || org == "all" {
		org = os.Getenv("APIC_ORG")
	}
	client, err := sweepClient()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	n, err := sweepOrg(ctx, client, org, testPrefix, catalogsOnly)
	fmt.Printf("sweeper: removed %d %s objects from org %s\n", n, testPrefix, org)
	return err
}

// sweepOrg removes from every Catalog the configured billings of the
// integrations named <prefix>…, then (unless catalogsOnly) those
// integrations. It returns how many objects it deleted.
func sweepOrg(ctx context.Context, client *apic.Client, org, prefix string, catalogsOnly bool) (int, error) {
	billings, err := client.ListBillings(ctx, org)
	if err != nil {
		return 0, fmt.Errorf("list billing integrations of %s: %w", org, err)
	}
	doomed := map[string]apic.Billing{}
	for _, b := range billings {
		if strings.HasPrefix(b.Name, prefix) {
			doomed[b.ID] = b
		}
	}
	if len(doomed) == 0 {
		return 0, nil
	}
	deleted := 0
	var errs []error
	catalogs, err := client.ListCatalogs(ctx, org)
	if err != nil {
		return 0, fmt.Errorf("list catalogs of %s: %w", org, err)
	}
	for _, cat := range catalogs {
		cbs, err := client.ListConfiguredBillings(ctx, org, cat.Name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, cb := range cbs {
			if _, ok := doomed[cb.OriginalID]; !ok && !referencesAny(cb.BillingURL, doomed) {
				continue
			}
			if err := client.DeleteConfiguredBilling(ctx, org, cat.Name, cb.ID); err != nil && !apic.IsNotFound(err) {
				errs = append(errs, err)
				continue
			}
			deleted++
		}
	}
	if !catalogsOnly {
		for _, b := range doomed {
			if err := client.DeleteBilling(ctx, org, b.ID); err != nil && !apic.IsNotFound(err) {
				errs = append(errs, err)
				continue
			}
			deleted++
		}
	}
	return deleted, errors.Join(errs...)
}

func referencesAny(billingURL string, billings map[string]apic.Billing) bool {
	for _, b := range billings {
		if apic.SameBillingURL(billingURL, b.URL) || apic.RefersToBilling(billingURL, b.ID, b.Name) {
			return true
		}
	}
	return false
}

// TestSweepers_removeLeftovers: what an interrupted run leaves (prefixed
// integrations, some still in Catalogs) is removed by the registered
// sweepers, through the same environment `make sweep` uses; other objects
// stay.
func TestSweepers_removeLeftovers(t *testing.T) {
	srv := emulator.NewServer(emulator.Config{})
	defer srv.Close()
	c := srv.Config()
	for k, v := range map[string]string{
		"APIC_ENDPOINT": srv.Endpoint(), "APIC_ORG": c.Org, "APIC_USERNAME": c.Username, "APIC_PASSWORD": c.Password,
		"APIC_CLIENT_ID": c.ClientID, "APIC_CLIENT_SECRET": c.ClientSecret,
	} {
		t.Setenv(k, v)
	}
	client, err := sweepClient()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	pk, sk := emulator.StripeKeys("Sweep", "live", "x")
	create := func(name string, catalogs ...string) {
		b, err := client.CreateBilling(ctx, c.Org, apic.BillingCreate{Name: name, Title: name, IntegrationURL: srv.Endpoint() + stripeIntegrationPath,
			Configuration: apic.BillingConfiguration{PublishableKey: pk, FullAccessKey: sk}})
		if err != nil {
			t.Fatal(err)
		}
		for _, cat := range catalogs {
			if _, err := client.CreateConfiguredBilling(ctx, c.Org, cat, b.URL); err != nil {
				t.Fatal(err)
			}
		}
	}
	create(testPrefix+"left-1", "sandbox", "production")
	create(testPrefix + "left-2")
	create("keep-me", "sandbox")

	// The sweepers as `go test -sweep` runs them, dependencies first.
	for _, sweep := range []func(string) error{sweepCatalogBillings, sweepBillingIntegrations} {
		if err := sweep(c.Org); err != nil {
			t.Fatalf("sweeper: %v", err)
		}
	}
	left := srv.Billings(c.Org)
	if len(left) != 1 || left[0].Name != "keep-me" {
		t.Fatalf("after the sweep the org holds %+v, want only keep-me", left)
	}
	if n := len(srv.ConfiguredBillings(c.Org, "production")); n != 0 {
		t.Errorf("production still holds %d configured billings", n)
	}
	if n := len(srv.ConfiguredBillings(c.Org, "sandbox")); n != 1 {
		t.Errorf("sandbox holds %d configured billings, want keep-me's only", n)
	}
}
