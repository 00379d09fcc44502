package provider

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

const billingType = "apiconnect_billing_integration"

// billingConfig is a configuration of the integration with the given
// string attributes set and every other attribute null.
func billingConfig(t *testing.T, s tfprotov6.ProviderServer, attrs map[string]string) *tfprotov6.DynamicValue {
	t.Helper()
	schema, err := s.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(schema.Diagnostics) > 0 {
		t.Fatalf("schema: %v %v", err, schema.Diagnostics)
	}
	typ, ok := schema.ResourceSchemas[billingType].ValueType().(tftypes.Object)
	if !ok {
		t.Fatalf("%s: not an object type", billingType)
	}
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
		if v, ok := attrs[name]; ok {
			vals[name] = tftypes.NewValue(tftypes.String, v)
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

// TestServer_noDiagnosticOnSecretPath validates configurations through the
// server main.go serves: the framework's own diagnostics (write-only values
// on a client without them) and the provider's never carry the path of a
// secret, and name the attribute instead.
func TestServer_noDiagnosticOnSecretPath(t *testing.T) {
	s, _ := NewProtocol6Server("test")()
	cases := []struct {
		name     string
		attrs    map[string]string
		woClient bool
		summary  string
	}{
		{"write-only key on an old client", map[string]string{"secret_key_wo": skOneTest}, false, "WriteOnly Attribute Not Allowed (secret_key_wo)"},
		{"both keys", map[string]string{"secret_key": skOneTest, "secret_key_wo": skOneTest}, true, "Conflicting secret keys"},
		{"no key", map[string]string{}, true, "Missing secret key"},
		{"malformed secret key", map[string]string{"secret_key": "sk_test_bad key"}, true, "Invalid Stripe secret key (secret_key)"}, //nolint:gosec // a malformed test key
		{"malformed write-only key", map[string]string{"secret_key_wo": pkOneTest}, true, "Invalid Stripe secret key (secret_key_wo)"},
		{"secret key as publishable key", map[string]string{"secret_key": skOneTest, "publishable_key": skOneTest}, true, "Invalid Stripe publishable key (publishable_key)"},
		{"secret_key on a write-only client", map[string]string{"secret_key": skOneTest}, true, "secret_key is stored in the state"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			attrs := map[string]string{"title": "T", "publishable_key": pkOneTest}
			for k, v := range c.attrs {
				attrs[k] = v
			}
			resp, err := s.ValidateResourceConfig(context.Background(), &tfprotov6.ValidateResourceConfigRequest{
				TypeName: billingType, Config: billingConfig(t, s, attrs),
				ClientCapabilities: &tfprotov6.ValidateResourceConfigClientCapabilities{WriteOnlyAttributesAllowed: c.woClient},
			})
			if err != nil {
				t.Fatal(err)
			}
			var summaries []string
			for _, d := range resp.Diagnostics {
				summaries = append(summaries, d.Summary)
				if d.Attribute != nil {
					t.Errorf("%q is on path %v", d.Summary, d.Attribute)
				}
				if strings.Contains(d.Summary+d.Detail, skOneTest) {
					t.Errorf("%q repeats the key", d.Summary)
				}
			}
			sort.Strings(summaries)
			if !contains(summaries, c.summary) {
				t.Errorf("diagnostics %q lack %q", summaries, c.summary)
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestProvider_sensitiveAttrsListed: sensitiveProviderAttrs is exactly the
// provider schema's sensitive attributes.
func TestProvider_sensitiveAttrsListed(t *testing.T) {
	s, _ := NewProtocol6Server("test")()
	schema, err := s.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, a := range schema.Provider.Block.Attributes {
		if a.Sensitive {
			got[a.Name] = true
		}
	}
	if len(got) != len(sensitiveProviderAttrs) {
		t.Errorf("schema: %v, list: %v", got, sensitiveProviderAttrs)
	}
	for name := range got {
		if !sensitiveProviderAttrs[name] {
			t.Errorf("%s is sensitive in the schema but not in sensitiveProviderAttrs", name)
		}
	}
}
