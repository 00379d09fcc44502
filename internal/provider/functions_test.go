package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func runFunction(t *testing.T, f function.Function, result attr.Value, arg string) (attr.Value, *function.FuncError) {
	t.Helper()
	ctx := context.Background()
	req := function.RunRequest{Arguments: function.NewArgumentsData([]attr.Value{types.StringValue(arg)})}
	resp := function.RunResponse{Result: function.NewResultData(result)}
	f.Run(ctx, req, &resp)
	return resp.Result.Value(), resp.Error
}

func TestStripeKeyFunction(t *testing.T) {
	cases := []struct {
		key, kind, mode string
		err             string // part of the error text; "" = success
	}{
		{key: "pk_test_51AbCdEf", kind: "publishable", mode: "test"},
		{key: "pk_live_51AbCdEf", kind: "publishable", mode: "live"},
		{key: "sk_test_51AbCdEf", kind: "secret", mode: "test"},
		{key: "sk_live_51AbCdEf_x", kind: "secret", mode: "live"},
		{key: "rk_live_51AbCdEf", kind: "restricted", mode: "live"},
		{key: "rk_test_51AbCdEf", kind: "restricted", mode: "test"},
		{key: "", err: "empty"},
		{key: "sk_prod_51AbCdEfSecretBody", err: "unknown key mode"},
		{key: "xk_live_51AbCdEfSecretBody", err: "unknown key prefix"},
		{key: "sk_live_51AbCdEf SecretBody", err: "whitespace"},
		{key: "sk_live_51AbCd-EfSecretBody", err: "characters"},
		{key: "sk_51AbCdEfSecretBody", err: "not of the form"},
	}
	for _, c := range cases {
		got, ferr := runFunction(t, stripeKeyFunction{}, types.ObjectUnknown(stripeKeyAttrTypes), c.key)
		if c.err != "" {
			if ferr == nil || !strings.Contains(ferr.Text, c.err) {
				t.Errorf("stripe_key(case %q): error %v, want one containing %q", c.err, ferr, c.err)
				continue
			}
			if ferr.FunctionArgument == nil || *ferr.FunctionArgument != 0 {
				t.Errorf("stripe_key(case %q): the error does not name argument 0", c.err)
			}
			if body := secretBody(c.key); body != "" && strings.Contains(ferr.Text, body) {
				t.Errorf("stripe_key(case %q): the error repeats the key: %q", c.err, ferr.Text)
			}
			continue
		}
		if ferr != nil {
			t.Errorf("stripe_key(%s…): unexpected error %v", c.key[:8], ferr)
			continue
		}
		want := types.ObjectValueMust(stripeKeyAttrTypes, map[string]attr.Value{
			"kind": types.StringValue(c.kind), "mode": types.StringValue(c.mode),
		})
		if !got.Equal(want) {
			t.Errorf("stripe_key(%s…) = %v, want %v", c.key[:8], got, want)
		}
	}
}

// secretBody is the part of a test key after its prefix, which an error
// must never contain.
func secretBody(key string) string {
	if len(key) > 8 {
		return key[8:]
	}
	return ""
}

func TestBillingNameFunction(t *testing.T) {
	cases := []struct{ title, want, err string }{
		{title: "Stripe (Live)", want: "stripe-live"},
		{title: "Acme Billing (Test)", want: "acme-billing-test"},
		{title: "  EU  2025  ", want: "eu-2025"},
		{title: "(!)", err: "no letters or digits"},
	}
	for _, c := range cases {
		got, ferr := runFunction(t, billingNameFunction{}, types.StringUnknown(), c.title)
		if c.err != "" {
			if ferr == nil || !strings.Contains(ferr.Text, c.err) || ferr.FunctionArgument == nil {
				t.Errorf("billing_name(%q): error %v, want an argument error containing %q", c.title, ferr, c.err)
			}
			continue
		}
		if ferr != nil || !got.Equal(types.StringValue(c.want)) {
			t.Errorf("billing_name(%q) = %v, %v; want %q", c.title, got, ferr, c.want)
		}
	}
}

// The resource derives the same name as the function.
func TestBillingNameFunctionMatchesResource(t *testing.T) {
	for _, title := range []string{"Stripe (Live)", "Acme Billing", "x--y", "Zürich 2"} {
		got, ferr := runFunction(t, billingNameFunction{}, types.StringUnknown(), title)
		if ferr != nil || !got.Equal(types.StringValue(slugify(title))) {
			t.Errorf("billing_name(%q) = %v, %v; the resource derives %q", title, got, ferr, slugify(title))
		}
	}
}
