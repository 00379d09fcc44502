package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

// brownfield is what an organization made by hand in API Manager before
// adopting Terraform: two live integrations and a test one, the live ones in
// the production and sandbox Catalogs.
type brownfield struct {
	ids        map[string]string // integration name -> id
	configured map[string]string // "<catalog>/<integration name>" -> configured billing id
}

var (
	bfPkLive, bfSkLive   = emulator.StripeKeys("BrownLive", "live", "b1")
	bfPkLive2, bfSkLive2 = emulator.StripeKeys("BrownLiveTwo", "live", "b1")
	bfPkTest, bfSkTest   = emulator.StripeKeys("BrownTest", "test", "b1")
)

func (e *accEnv) makeBrownfield(t *testing.T) *brownfield {
	t.Helper()
	ctx := context.Background()
	bf := &brownfield{ids: map[string]string{}, configured: map[string]string{}}
	for _, in := range []struct{ title, pk, sk string }{
		{"Stripe EU (Live)", bfPkLive, bfSkLive},
		{"Stripe US (Live)", bfPkLive2, bfSkLive2},
		{"Stripe (Test)", bfPkTest, bfSkTest},
	} {
		createExampleBilling(t, e, in.title, in.pk, in.sk)
		b, ok := e.srv.Billing(e.org, emulator.Slug(in.title))
		if !ok {
			t.Fatalf("integration %q not created", in.title)
		}
		bf.ids[b.Name] = b.ID
	}
	for _, c := range []struct{ catalog, name string }{
		{"production", "stripe-eu-live"}, {"sandbox", "stripe-eu-live"}, {"sandbox", "stripe-us-live"},
	} {
		b, _ := e.srv.Billing(e.org, c.name)
		cb, err := e.client().CreateConfiguredBilling(ctx, e.org, c.catalog, b.URL)
		if err != nil {
			t.Fatalf("configure %s in %s: %v", c.name, c.catalog, err)
		}
		bf.configured[c.catalog+"/"+c.name] = cb.ID
	}
	return bf
}

const queryConfig = `
list "apiconnect_billing_integration" "all" {
  provider = apiconnect
}

list "apiconnect_billing_integration" "live" {
  provider         = apiconnect
  include_resource = true
  config {
    mode = "live"
  }
}

list "apiconnect_catalog_billing" "sandbox" {
  provider         = apiconnect
  include_resource = true
  config {
    catalog = "sandbox"
  }
}
`

func TestAccQuery_brownfield(t *testing.T) {
	e := newAccEnv(t)
	var bf *brownfield
	integration := func(name string) map[string]knownvalue.Check {
		return map[string]knownvalue.Check{"org": knownvalue.StringExact(e.org), "name": knownvalue.StringExact(name)}
	}
	configured := func(key string) map[string]knownvalue.Check {
		return map[string]knownvalue.Check{
			"org": knownvalue.StringExact(e.org), "catalog": knownvalue.StringExact("sandbox"),
			"id": knownvalue.StringFunc(func(id string) error {
				if id != bf.configured[key] {
					return fmt.Errorf("id %s, want the configured billing %s (%s)", id, bf.configured[key], key)
				}
				return nil
			}),
		}
	}
	accTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{featureQuery},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// Nothing is managed yet: the integrations exist only on the platform.
				PreConfig:        func() { bf = e.makeBrownfield(t) },
				Config:           e.providerBlock() + "\ndata \"apiconnect_catalog\" \"sandbox\" {\n  name = \"sandbox\"\n}\n",
				ConfigPlanChecks: emptyPlanAfterApply,
			},
			{
				Query:  true,
				Config: queryConfig, // the provider block is in the .tf file of the first step
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("apiconnect_billing_integration.all", 3),
					querycheck.ExpectIdentity("apiconnect_billing_integration.all", integration("stripe-eu-live")),
					querycheck.ExpectIdentity("apiconnect_billing_integration.all", integration("stripe-us-live")),
					querycheck.ExpectIdentity("apiconnect_billing_integration.all", integration("stripe-test")),
					querycheck.ExpectLength("apiconnect_billing_integration.live", 2),
					querycheck.ExpectNoIdentity("apiconnect_billing_integration.live", integration("stripe-test")),
					querycheck.ExpectResourceDisplayName("apiconnect_billing_integration.live",
						queryfilter.ByResourceIdentity(integration("stripe-eu-live")), knownvalue.StringExact("Stripe EU (Live) (stripe-eu-live)")),
					querycheck.ExpectResourceKnownValues("apiconnect_billing_integration.live", queryfilter.ByResourceIdentity(integration("stripe-eu-live")),
						[]querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("title"), KnownValue: knownvalue.StringExact("Stripe EU (Live)")},
							{Path: tfjsonpath.New("publishable_key"), KnownValue: knownvalue.StringExact(bfPkLive)},
							{Path: tfjsonpath.New("mode"), KnownValue: knownvalue.StringExact("live")},
							{Path: tfjsonpath.New("stripe_account_id"), KnownValue: knownvalue.StringExact(emulator.StripeAccountID("BrownLive"))},
							{Path: tfjsonpath.New("secret_key"), KnownValue: knownvalue.Null()},
							{Path: tfjsonpath.New("secret_key_wo"), KnownValue: knownvalue.Null()},
							{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringFunc(func(id string) error {
								if id != bf.ids["stripe-eu-live"] {
									return fmt.Errorf("id %s, want %s", id, bf.ids["stripe-eu-live"])
								}
								return nil
							})},
						}),
					querycheck.ExpectLength("apiconnect_catalog_billing.sandbox", 2),
					querycheck.ExpectIdentity("apiconnect_catalog_billing.sandbox", configured("sandbox/stripe-eu-live")),
					querycheck.ExpectIdentity("apiconnect_catalog_billing.sandbox", configured("sandbox/stripe-us-live")),
					querycheck.ExpectResourceKnownValues("apiconnect_catalog_billing.sandbox", queryfilter.ByResourceIdentity(configured("sandbox/stripe-us-live")),
						[]querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("billing_url"), KnownValue: knownvalue.StringFunc(func(u string) error {
								if !regexp.MustCompile(`/billings/` + regexp.QuoteMeta(bf.ids["stripe-us-live"]) + `$`).MatchString(u) {
									return fmt.Errorf("billing_url %s is not the url of stripe-us-live", u)
								}
								return nil
							})},
							{Path: tfjsonpath.New("mode"), KnownValue: knownvalue.StringExact("live")},
						}),
				},
			},
		},
	})
}
