package provider

import (
	"context"
	"os"
	"testing"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/stripekey"
)

// TestAccRealPlatform_inferredFacts checks, on a real platform only, the
// platform behaviour the emulator infers from IBM's documentation ([I] in
// PLATFORM.md): create answers the integration, GET masks the
// secret key, metadata carries the key's mode and account, DELETE succeeds
// and a later GET is a 404. A difference is a bug of the emulator: report
// it (CONTRIBUTING.md).
func TestAccRealPlatform_inferredFacts(t *testing.T) {
	if !realPlatform() || os.Getenv("TF_ACC") == "" {
		t.Skip("real platform not configured: set TF_ACC=1, APIC_ACC_REAL=1 and APIC_ENDPOINT (see CONTRIBUTING.md)")
	}
	e := newPortableAccEnv(t)
	client, err := sweepClient()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	name := e.name("inferred-facts")
	b, err := client.CreateBilling(ctx, e.org, apic.BillingCreate{
		Name: name, Title: e.title("Inferred facts"), IntegrationURL: client.Endpoint() + stripeIntegrationPath,
		Configuration: apic.BillingConfiguration{PublishableKey: e.keys.pk, FullAccessKey: e.keys.sk},
	})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	t.Cleanup(func() { _ = client.DeleteBilling(context.Background(), e.org, b.ID) })
	got, err := client.GetBilling(ctx, e.org, name)
	if err != nil {
		t.Fatalf("get by name: %v", err)
	}
	if got.ID != b.ID || got.URL == "" {
		t.Errorf("get by name answered id %q url %q, want id %q and a url", got.ID, got.URL, b.ID)
	}
	if got.Configuration == nil || got.Configuration.FullAccessKey == e.keys.sk {
		t.Errorf("the platform does not mask full_access_key")
	}
	if got.Metadata == nil || got.Metadata.AccountID == "" {
		t.Logf("no metadata.account_id in the answer: the provider then relies on stripe_key_check = \"account\"")
	} else if !bool(got.Metadata.TestMode) {
		t.Errorf("metadata.testmode is not true for test keys")
	} else if acct, err := stripekey.NewResolver(stripekey.ResolverConfig{APIBase: os.Getenv("APIC_STRIPE_API_BASE")}).Account(ctx, e.keys.sk); err == nil && acct != got.Metadata.AccountID {
		t.Errorf("metadata.account_id %s differs from Stripe's account %s for the key", got.Metadata.AccountID, acct)
	}
	if err := client.DeleteBilling(ctx, e.org, b.ID); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if _, err := client.GetBilling(ctx, e.org, b.ID); !apic.IsNotFound(err) {
		t.Errorf("GET after DELETE: %v, want 404", err)
	}
}
