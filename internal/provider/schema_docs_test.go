package provider

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// describedAttribute is what every framework attribute and block implements
// (resource, data source and provider schema packages alike).
type describedAttribute interface {
	GetMarkdownDescription() string
}

// missingDescriptions walks a map of attributes or blocks (any of the
// framework schema packages) and returns the dotted paths of those without a
// MarkdownDescription, descending into nested attributes and blocks.
func missingDescriptions(prefix string, attrs any) []string {
	var missing []string
	m := reflect.ValueOf(attrs)
	if m.Kind() != reflect.Map {
		return nil
	}
	for _, k := range m.MapKeys() {
		name := prefix + k.String()
		v := m.MapIndex(k).Interface()
		d, ok := v.(describedAttribute)
		if !ok || strings.TrimSpace(d.GetMarkdownDescription()) == "" {
			missing = append(missing, name)
		}
		missing = append(missing, nestedMissing(name+".", reflect.ValueOf(v))...)
	}
	return missing
}

// nestedMissing looks into the Attributes/Blocks maps of a nested attribute
// or block, directly or through its NestedObject.
func nestedMissing(prefix string, v reflect.Value) []string {
	for v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil
	}
	var missing []string
	for _, field := range []string{"Attributes", "Blocks"} {
		if f := v.FieldByName(field); f.IsValid() && f.Kind() == reflect.Map {
			missing = append(missing, missingDescriptions(prefix, f.Interface())...)
		}
	}
	if f := v.FieldByName("NestedObject"); f.IsValid() {
		missing = append(missing, nestedMissing(prefix, f)...)
	}
	return missing
}

// TestSchema_markdownDescriptions: the provider, every resource and every data
// source, and each of their attributes and blocks (nested ones included),
// carry a MarkdownDescription, so that the generated docs/ leave nothing
// undocumented.
func TestSchema_markdownDescriptions(t *testing.T) {
	ctx := context.Background()
	p, ok := New("test")().(*apiconnectProvider)
	if !ok {
		t.Fatal("New does not return *apiconnectProvider")
	}
	check := func(what, desc string, attrs, blocks any) {
		t.Helper()
		if strings.TrimSpace(desc) == "" {
			t.Errorf("%s has no MarkdownDescription", what)
		}
		missing := append(missingDescriptions("", attrs), missingDescriptions("", blocks)...)
		sort.Strings(missing)
		for _, m := range missing {
			t.Errorf("%s: attribute %s has no MarkdownDescription", what, m)
		}
	}

	var pr provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &pr)
	if pr.Diagnostics.HasError() {
		t.Fatalf("provider schema: %v", pr.Diagnostics)
	}
	check("provider", pr.Schema.MarkdownDescription, pr.Schema.Attributes, pr.Schema.Blocks)
	if n := len(pr.Schema.Attributes); n == 0 {
		t.Error("provider schema has no attributes")
	}

	var mr provider.MetadataResponse
	p.Metadata(ctx, provider.MetadataRequest{}, &mr)

	resources := p.Resources(ctx)
	if len(resources) == 0 {
		t.Error("provider has no resources")
	}
	for _, f := range resources {
		r := f()
		var meta resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: mr.TypeName}, &meta)
		var sr resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &sr)
		if sr.Diagnostics.HasError() {
			t.Errorf("resource %s schema: %v", meta.TypeName, sr.Diagnostics)
			continue
		}
		check("resource "+meta.TypeName, sr.Schema.MarkdownDescription, sr.Schema.Attributes, sr.Schema.Blocks)
	}

	dataSources := p.DataSources(ctx)
	if len(dataSources) == 0 {
		t.Error("provider has no data sources")
	}
	for _, f := range dataSources {
		d := f()
		var meta datasource.MetadataResponse
		d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: mr.TypeName}, &meta)
		var sr datasource.SchemaResponse
		d.Schema(ctx, datasource.SchemaRequest{}, &sr)
		if sr.Diagnostics.HasError() {
			t.Errorf("data source %s schema: %v", meta.TypeName, sr.Diagnostics)
			continue
		}
		check("data source "+meta.TypeName, sr.Schema.MarkdownDescription, sr.Schema.Attributes, sr.Schema.Blocks)
	}
}

// TestSchema_missingDescriptionsWalker: the walker itself finds undocumented
// nested attributes (so that the test above cannot pass vacuously).
func TestSchema_missingDescriptionsWalker(t *testing.T) {
	ctx := context.Background()
	var sr resource.SchemaResponse
	NewBillingIntegrationResource().Schema(ctx, resource.SchemaRequest{}, &sr)
	if got := missingDescriptions("", sr.Schema.Attributes); len(got) != 0 {
		t.Fatalf("unexpected missing descriptions: %v", got)
	}
	// Strip the descriptions of a copy and expect every attribute reported,
	// including those nested in job_queue.
	stripped := stripDescriptions(reflect.ValueOf(sr.Schema.Attributes))
	got := missingDescriptions("", stripped.Interface())
	sort.Strings(got)
	want := []string{"job_queue.blocked_reason", "job_queue.pending_jobs", "job_queue.state"}
	for _, w := range want {
		if i := sort.SearchStrings(got, w); i == len(got) || got[i] != w {
			t.Errorf("walker did not report nested %s (got %v)", w, got)
		}
	}
	if len(got) != countAttributes(reflect.ValueOf(sr.Schema.Attributes)) {
		t.Errorf("walker reported %d of %d attributes: %v", len(got), countAttributes(reflect.ValueOf(sr.Schema.Attributes)), got)
	}
}

// stripDescriptions returns a deep copy of an attribute map with every
// MarkdownDescription emptied.
func stripDescriptions(m reflect.Value) reflect.Value {
	out := reflect.MakeMap(m.Type())
	for _, k := range m.MapKeys() {
		v := m.MapIndex(k)
		concrete := v.Elem()
		cp := reflect.New(concrete.Type()).Elem()
		cp.Set(concrete)
		if f := cp.FieldByName("MarkdownDescription"); f.IsValid() {
			f.SetString("")
		}
		if f := cp.FieldByName("Attributes"); f.IsValid() && f.Kind() == reflect.Map {
			f.Set(stripDescriptions(f))
		}
		if no := cp.FieldByName("NestedObject"); no.IsValid() {
			if f := no.FieldByName("Attributes"); f.IsValid() {
				f.Set(stripDescriptions(f))
			}
		}
		out.SetMapIndex(k, cp)
	}
	return out
}

func countAttributes(m reflect.Value) int {
	n := 0
	for _, k := range m.MapKeys() {
		n++
		v := m.MapIndex(k).Elem()
		if f := v.FieldByName("Attributes"); f.IsValid() && f.Kind() == reflect.Map {
			n += countAttributes(f)
		}
		if no := v.FieldByName("NestedObject"); no.IsValid() {
			if f := no.FieldByName("Attributes"); f.IsValid() {
				n += countAttributes(f)
			}
		}
	}
	return n
}

// TestSchema_docSnippets: the Terraform code blocks written directly in
// templates/ (not rendered from examples/) are formatted as terraform fmt
// would, and their apiconnect provider, resource and data blocks use only
// attributes of the schemas, so that the hand-written guide cannot rot.
func TestSchema_docSnippets(t *testing.T) {
	ctx := context.Background()
	p := New("test")()
	var pm provider.MetadataResponse
	p.Metadata(ctx, provider.MetadataRequest{}, &pm)
	var ps provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &ps)
	known := map[string]map[string]bool{"provider": attrNames(ps.Schema.Attributes)}
	for _, f := range p.Resources(ctx) {
		r := f()
		var m resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: pm.TypeName}, &m)
		var s resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &s)
		known["resource."+m.TypeName] = attrNames(s.Schema.Attributes)
	}
	for _, f := range p.DataSources(ctx) {
		d := f()
		var m datasource.MetadataResponse
		d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: pm.TypeName}, &m)
		var s datasource.SchemaResponse
		d.Schema(ctx, datasource.SchemaRequest{}, &s)
		known["data."+m.TypeName] = attrNames(s.Schema.Attributes)
	}
	meta := map[string]bool{"count": true, "for_each": true, "depends_on": true, "provider": true, "alias": true}

	templates, err := filepath.Glob(filepath.Join("..", "..", "templates", "*.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	more, err := filepath.Glob(filepath.Join("..", "..", "templates", "*", "*.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	templates = append(templates, more...)
	if len(templates) == 0 {
		t.Skip("no templates/")
	}
	fence := regexp.MustCompile("(?ms)^```(terraform|hcl)\n(.*?)^```")
	snippets := 0
	for _, tmpl := range templates {
		b, err := os.ReadFile(tmpl) //nolint:gosec // templates found by glob
		if err != nil {
			t.Fatal(err)
		}
		for i, m := range fence.FindAllStringSubmatch(string(b), -1) {
			snippets++
			where := fmt.Sprintf("%s, code block %d", tmpl, i+1)
			src := []byte(m[2])
			if got := hclwrite.Format(src); !bytes.Equal(got, src) {
				t.Errorf("%s is not formatted as terraform fmt would:\n%s", where, got)
			}
			file, diags := hclsyntax.ParseConfig(src, where, hcl.InitialPos)
			if diags.HasErrors() {
				t.Errorf("%s: %s", where, diags.Error())
				continue
			}
			body, ok := file.Body.(*hclsyntax.Body)
			if !ok {
				t.Fatalf("%s: unexpected body type %T", where, file.Body)
			}
			for _, blk := range body.Blocks {
				var key string
				switch {
				case blk.Type == "provider" && len(blk.Labels) == 1 && blk.Labels[0] == pm.TypeName:
					key = "provider"
				case (blk.Type == "resource" || blk.Type == "data") && len(blk.Labels) == 2 && strings.HasPrefix(blk.Labels[0], pm.TypeName+"_"):
					key = blk.Type + "." + blk.Labels[0]
				default:
					continue
				}
				attrs, ok := known[key]
				if !ok {
					t.Errorf("%s: %s is not a type of the provider", where, key)
					continue
				}
				for name := range blk.Body.Attributes {
					if !attrs[name] && !meta[name] {
						t.Errorf("%s: %s has no attribute %q", where, key, name)
					}
				}
			}
		}
	}
	t.Logf("%d code blocks checked in %d templates", snippets, len(templates))
}

func attrNames(attrs any) map[string]bool {
	out := map[string]bool{}
	for _, k := range reflect.ValueOf(attrs).MapKeys() {
		out[k.String()] = true
	}
	return out
}
