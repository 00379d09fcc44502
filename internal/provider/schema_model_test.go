package provider

import (
	"context"
	"reflect"
	"slices"
	"sort"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// TestSchemaModelParity: every schema attribute has a model field (tfsdk
// tag) and every model field an attribute, for the provider block, each
// resource (and its identity), list resource, action and data source, and the
// nested objects decoded into models. One added without a model here fails
// the test.
func TestSchemaModelParity(t *testing.T) {
	ctx := context.Background()
	p := New("test")()
	var ps provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &ps)
	checkParity(t, "provider", keys(ps.Schema.Attributes), providerModel{})

	resourceModels := map[string][2]any{ // model, identity
		"apiconnect_billing_integration": {billingIntegrationModel{}, billingIntegrationIdentity{}},
		"apiconnect_catalog_billing":     {catalogBillingModel{}, catalogBillingIdentity{}},
	}
	for _, f := range p.Resources(ctx) {
		r := f()
		var meta resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "apiconnect"}, &meta)
		var s resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &s)
		models, ok := resourceModels[meta.TypeName]
		if !ok {
			t.Errorf("resource %s: no model registered in this test", meta.TypeName)
			continue
		}
		checkParity(t, "resource "+meta.TypeName, keys(s.Schema.Attributes), models[0])
		if ri, ok := r.(resource.ResourceWithIdentity); ok {
			var is resource.IdentitySchemaResponse
			ri.IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &is)
			checkParity(t, "identity of "+meta.TypeName, keys(is.IdentitySchema.Attributes), models[1])
		}
	}

	listModels := map[string]any{
		"apiconnect_billing_integration": billingIntegrationListConfig{},
		"apiconnect_catalog_billing":     catalogBillingListConfig{},
	}
	lp, ok := p.(provider.ProviderWithListResources)
	if !ok {
		t.Fatal("the provider serves no list resources")
	}
	for _, f := range lp.ListResources(ctx) {
		l := f()
		var meta resource.MetadataResponse
		l.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "apiconnect"}, &meta)
		var s list.ListResourceSchemaResponse
		l.ListResourceConfigSchema(ctx, list.ListResourceSchemaRequest{}, &s)
		model, ok := listModels[meta.TypeName]
		if !ok {
			t.Errorf("list resource %s: no model registered in this test", meta.TypeName)
			continue
		}
		checkParity(t, "list resource "+meta.TypeName, keys(s.Schema.Attributes), model)
	}

	actionModels := map[string]any{"apiconnect_billing_jobs_retry": billingJobsRetryModel{}}
	ap, ok := p.(provider.ProviderWithActions)
	if !ok {
		t.Fatal("the provider serves no actions")
	}
	for _, f := range ap.Actions(ctx) {
		a := f()
		var meta action.MetadataResponse
		a.Metadata(ctx, action.MetadataRequest{ProviderTypeName: "apiconnect"}, &meta)
		var s action.SchemaResponse
		a.Schema(ctx, action.SchemaRequest{}, &s)
		model, ok := actionModels[meta.TypeName]
		if !ok {
			t.Errorf("action %s: no model registered in this test", meta.TypeName)
			continue
		}
		checkParity(t, "action "+meta.TypeName, keys(s.Schema.Attributes), model)
	}

	dataSourceModels := map[string]any{
		"apiconnect_billing_integration":  billingIntegrationDataModel{},
		"apiconnect_billing_integrations": billingIntegrationsDataModel{},
		"apiconnect_catalog":              catalogDataModel{},
		"apiconnect_billing_jobs":         billingJobsDataModel{},
	}
	nestedModels := map[string]any{
		"apiconnect_billing_integrations.integrations": billingIntegrationDataModel{},
		"apiconnect_billing_jobs.jobs":                 billingJobModel{},
	}
	for _, f := range p.DataSources(ctx) {
		d := f()
		var meta datasource.MetadataResponse
		d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "apiconnect"}, &meta)
		var s datasource.SchemaResponse
		d.Schema(ctx, datasource.SchemaRequest{}, &s)
		model, ok := dataSourceModels[meta.TypeName]
		if !ok {
			t.Errorf("data source %s: no model registered in this test", meta.TypeName)
			continue
		}
		checkParity(t, "data source "+meta.TypeName, keys(s.Schema.Attributes), model)
		for name, a := range s.Schema.Attributes {
			if l, ok := a.(dschema.ListNestedAttribute); ok {
				where := meta.TypeName + "." + name
				nested, ok := nestedModels[where]
				if !ok {
					t.Errorf("%s: no model registered for its elements", where)
					continue
				}
				checkParity(t, where, keys(l.NestedObject.Attributes), nested)
			}
		}
	}
}

func checkParity(t *testing.T, what string, attrs []string, model any) {
	t.Helper()
	var fields []string
	typ := reflect.TypeOf(model)
	for i := range typ.NumField() {
		if tag := typ.Field(i).Tag.Get("tfsdk"); tag != "" && tag != "-" {
			fields = append(fields, tag)
		}
	}
	for _, a := range attrs {
		if !slices.Contains(fields, a) {
			t.Errorf("%s: attribute %q has no field in %s", what, a, typ.Name())
		}
	}
	for _, f := range fields {
		if !slices.Contains(attrs, f) {
			t.Errorf("%s: field %q of %s is no attribute of the schema", what, f, typ.Name())
		}
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
