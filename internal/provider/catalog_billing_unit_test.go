package provider

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

// TestCatalogBillingCreate_productionGuardAndDelete calls Create directly, as
// Terraform does when the integration was unknown at plan: a test-mode
// integration is refused for a production Catalog before any POST. Delete
// treats a configured billing that is already gone as deleted.
func TestCatalogBillingCreate_productionGuardAndDelete(t *testing.T) {
	srv := emulator.NewServer(emulator.Config{})
	t.Cleanup(srv.Close)
	e := &accEnv{t: t, srv: srv, org: srv.Config().Org}
	ctx := context.Background()
	client := e.client()
	b, err := client.CreateBilling(ctx, e.org, apic.BillingCreate{
		Name: "unit", Title: "Unit", IntegrationURL: srv.Endpoint() + stripeIntegrationPath,
		Configuration: apic.BillingConfiguration{PublishableKey: cbPkTestOne, FullAccessKey: cbSkTestOne},
	})
	if err != nil {
		t.Fatal(err)
	}
	data := newProviderData()
	data.client, data.org = client, e.org
	r := &catalogBillingResource{data: data}
	var sresp resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sresp)
	typ := sresp.Schema.Type().TerraformType(ctx)
	unknown := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	create := func(catalog string) *resource.CreateResponse {
		raw := tftypes.NewValue(typ, map[string]tftypes.Value{
			"id": unknown, "url": unknown, "name": unknown, "mode": unknown, "stripe_account_id": unknown,
			"org":         tftypes.NewValue(tftypes.String, e.org),
			"catalog":     tftypes.NewValue(tftypes.String, catalog),
			"billing_url": tftypes.NewValue(tftypes.String, b.URL),
		})
		resp := &resource.CreateResponse{State: tfsdk.State{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, nil)}}
		r.Create(ctx, resource.CreateRequest{
			Plan:   tfsdk.Plan{Schema: sresp.Schema, Raw: raw},
			Config: tfsdk.Config{Schema: sresp.Schema, Raw: raw},
		}, resp)
		return resp
	}

	resp := create("production")
	if !resp.Diagnostics.HasError() {
		t.Fatal("a test-mode integration was added to the production Catalog")
	}
	d := resp.Diagnostics.Errors()[0]
	wd, ok := d.(interface{ Path() path.Path })
	if !ok || !wd.Path().Equal(path.Root("billing_url")) {
		t.Errorf("error not on billing_url: %v", d)
	}
	if !strings.Contains(d.Detail(), ibmTestKeysRule) || !strings.Contains(d.Detail(), "only known at apply") {
		t.Errorf("unexpected detail: %s", d.Detail())
	}
	if strings.Contains(d.Detail(), cbSkTestOne) {
		t.Error("the secret key appears in the error")
	}
	if n := srv.Count(http.MethodPost, emulator.RouteConfiguredList); n != 0 {
		t.Fatalf("%d POST configured-billings after a refused create, want 0", n)
	}

	resp = create("test")
	if resp.Diagnostics.HasError() {
		t.Fatalf("create in the test Catalog: %v", resp.Diagnostics)
	}
	var got catalogBillingModel
	resp.Diagnostics.Append(resp.State.Get(ctx, &got)...)
	if got.ID.ValueString() == "" || got.Mode.ValueString() != "test" || got.BillingURL.ValueString() != b.URL {
		t.Errorf("unexpected state: %+v", got)
	}
	if n := srv.Count(http.MethodPost, emulator.RouteConfiguredList); n != 1 {
		t.Errorf("%d POST configured-billings, want 1", n)
	}
	// Delete, then delete again: a configured billing already gone is done.
	for i := 0; i < 2; i++ {
		dresp := &resource.DeleteResponse{}
		r.Delete(ctx, resource.DeleteRequest{State: resp.State}, dresp)
		if dresp.Diagnostics.HasError() {
			t.Fatalf("delete %d: %v", i+1, dresp.Diagnostics)
		}
	}
	if n := len(srv.ConfiguredBillings(e.org, "test")); n != 0 {
		t.Errorf("%d configured billings left after delete", n)
	}
	// Production settings were read once and cached for the process.
	if n := srv.Count(http.MethodGet, emulator.RouteCatalogSettings); n != 2 {
		t.Errorf("%d GET catalog settings for two catalogs, want 2", n)
	}
}
