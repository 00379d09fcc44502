package diagguard

import (
	"context"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The schema every kind of the fake uses: secrets at the root, under a
// nested attribute, in a nested block, and a write-only one.
func fakeSchema() *tfprotov6.Schema {
	str := tftypes.String
	return &tfprotov6.Schema{Block: &tfprotov6.SchemaBlock{
		Attributes: []*tfprotov6.SchemaAttribute{
			{Name: "name", Type: str, Optional: true},
			{Name: "secret", Type: str, Optional: true, Sensitive: true},
			{Name: "wo", Type: str, Optional: true, WriteOnly: true},
			{Name: "settings", NestedType: &tfprotov6.SchemaObject{
				Nesting: tfprotov6.SchemaObjectNestingModeSingle,
				Attributes: []*tfprotov6.SchemaAttribute{
					{Name: "label", Type: str, Optional: true},
					{Name: "token", Type: str, Optional: true, Sensitive: true},
				},
			}},
		},
		BlockTypes: []*tfprotov6.SchemaNestedBlock{{
			TypeName: "auth", Nesting: tfprotov6.SchemaNestedBlockNestingModeList,
			Block: &tfprotov6.SchemaBlock{Attributes: []*tfprotov6.SchemaAttribute{
				{Name: "user", Type: str, Optional: true},
				{Name: "password", Type: str, Optional: true, Sensitive: true},
			}},
		}},
	}}
}

// A diagnostic of the fake, and what the guard must make of it.
type diagCase struct {
	path    *tftypes.AttributePath
	keep    bool   // the path stays
	summary string // the summary after the guard
}

func diagCases() []diagCase {
	root := tftypes.NewAttributePath
	return []diagCase{
		{path: root().WithAttributeName("secret"), summary: "Bad (secret)"},
		{path: root().WithAttributeName("wo"), summary: "Bad (wo)"},
		{path: root().WithAttributeName("settings").WithAttributeName("token"), summary: "Bad (settings.token)"},
		{path: root().WithAttributeName("settings"), summary: "Bad (settings)"}, // holds a secret
		{path: root().WithAttributeName("auth").WithElementKeyInt(0).WithAttributeName("password"), summary: "Bad (auth.password)"},
		{path: root().WithAttributeName("name"), keep: true, summary: "Bad"},
		{path: root().WithAttributeName("settings").WithAttributeName("label"), keep: true, summary: "Bad"},
		{path: root().WithAttributeName("auth").WithElementKeyInt(0).WithAttributeName("user"), keep: true, summary: "Bad"},
		{path: nil, keep: true, summary: "Bad"},
	}
}

func fakeDiags() []*tfprotov6.Diagnostic {
	var out []*tfprotov6.Diagnostic
	for _, c := range diagCases() {
		out = append(out, &tfprotov6.Diagnostic{Severity: tfprotov6.DiagnosticSeverityError, Summary: "Bad", Detail: "detail", Attribute: c.path})
	}
	return out
}

// checkDiags compares diags (the fake's, after the guard) with diagCases.
func checkDiags(t *testing.T, where string, diags []*tfprotov6.Diagnostic, stripAll bool) {
	t.Helper()
	cases := diagCases()
	if len(diags) != len(cases) {
		t.Fatalf("%s: %d diagnostics, want %d", where, len(diags), len(cases))
	}
	for i, c := range cases {
		d := diags[i]
		keep, summary := c.keep, c.summary
		if stripAll && c.path != nil {
			keep = false
			summary = "Bad (" + strings.Join(attributeNames(c.path), ".") + ")"
		}
		if keep && !d.Attribute.Equal(c.path) {
			t.Errorf("%s: the path %v was changed to %v", where, c.path, d.Attribute)
		}
		if !keep && d.Attribute != nil {
			t.Errorf("%s: the path %v was kept", where, c.path)
		}
		if d.Summary != summary {
			t.Errorf("%s: summary %q, want %q", where, d.Summary, summary)
		}
	}
}

// fakeServer answers every call with fakeDiags (streams: in their last
// result or completed event).
type fakeServer struct {
	schemaCalls atomic.Int32
	schemaFails bool
}

func (f *fakeServer) GetProviderSchema(context.Context, *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	f.schemaCalls.Add(1)
	if f.schemaFails {
		return &tfprotov6.GetProviderSchemaResponse{Diagnostics: []*tfprotov6.Diagnostic{{Severity: tfprotov6.DiagnosticSeverityError, Summary: "no schema"}}}, nil
	}
	one := map[string]*tfprotov6.Schema{"thing": fakeSchema()}
	return &tfprotov6.GetProviderSchemaResponse{
		Provider: fakeSchema(), ResourceSchemas: one, DataSourceSchemas: one, EphemeralResourceSchemas: one, ListResourceSchemas: one,
		ActionSchemas: map[string]*tfprotov6.ActionSchema{"thing": {Schema: fakeSchema()}},
	}, nil
}

// respond is a response of type T with fakeDiags, when T has diagnostics.
func respond[T any]() (*T, error) {
	r := new(T)
	if f := reflect.ValueOf(r).Elem().FieldByName("Diagnostics"); f.IsValid() {
		f.Set(reflect.ValueOf(fakeDiags()))
	}
	return r, nil
}

func (f *fakeServer) GetMetadata(context.Context, *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	return respond[tfprotov6.GetMetadataResponse]()
}
func (f *fakeServer) GetResourceIdentitySchemas(context.Context, *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return respond[tfprotov6.GetResourceIdentitySchemasResponse]()
}
func (f *fakeServer) ValidateProviderConfig(context.Context, *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return respond[tfprotov6.ValidateProviderConfigResponse]()
}
func (f *fakeServer) ConfigureProvider(context.Context, *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return respond[tfprotov6.ConfigureProviderResponse]()
}
func (f *fakeServer) StopProvider(context.Context, *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	return respond[tfprotov6.StopProviderResponse]()
}
func (f *fakeServer) ValidateResourceConfig(context.Context, *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return respond[tfprotov6.ValidateResourceConfigResponse]()
}
func (f *fakeServer) UpgradeResourceState(context.Context, *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return respond[tfprotov6.UpgradeResourceStateResponse]()
}
func (f *fakeServer) ReadResource(context.Context, *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return respond[tfprotov6.ReadResourceResponse]()
}
func (f *fakeServer) PlanResourceChange(context.Context, *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return respond[tfprotov6.PlanResourceChangeResponse]()
}
func (f *fakeServer) ApplyResourceChange(context.Context, *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return respond[tfprotov6.ApplyResourceChangeResponse]()
}
func (f *fakeServer) ImportResourceState(context.Context, *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return respond[tfprotov6.ImportResourceStateResponse]()
}
func (f *fakeServer) MoveResourceState(context.Context, *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return respond[tfprotov6.MoveResourceStateResponse]()
}
func (f *fakeServer) UpgradeResourceIdentity(context.Context, *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return respond[tfprotov6.UpgradeResourceIdentityResponse]()
}
func (f *fakeServer) GenerateResourceConfig(context.Context, *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	return respond[tfprotov6.GenerateResourceConfigResponse]()
}
func (f *fakeServer) ValidateDataResourceConfig(context.Context, *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return respond[tfprotov6.ValidateDataResourceConfigResponse]()
}
func (f *fakeServer) ReadDataSource(context.Context, *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return respond[tfprotov6.ReadDataSourceResponse]()
}
func (f *fakeServer) CallFunction(context.Context, *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	return respond[tfprotov6.CallFunctionResponse]()
}
func (f *fakeServer) GetFunctions(context.Context, *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	return respond[tfprotov6.GetFunctionsResponse]()
}
func (f *fakeServer) ValidateEphemeralResourceConfig(context.Context, *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	return respond[tfprotov6.ValidateEphemeralResourceConfigResponse]()
}
func (f *fakeServer) OpenEphemeralResource(context.Context, *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	return respond[tfprotov6.OpenEphemeralResourceResponse]()
}
func (f *fakeServer) RenewEphemeralResource(context.Context, *tfprotov6.RenewEphemeralResourceRequest) (*tfprotov6.RenewEphemeralResourceResponse, error) {
	return respond[tfprotov6.RenewEphemeralResourceResponse]()
}
func (f *fakeServer) CloseEphemeralResource(context.Context, *tfprotov6.CloseEphemeralResourceRequest) (*tfprotov6.CloseEphemeralResourceResponse, error) {
	return respond[tfprotov6.CloseEphemeralResourceResponse]()
}
func (f *fakeServer) ValidateListResourceConfig(context.Context, *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	return respond[tfprotov6.ValidateListResourceConfigResponse]()
}
func (f *fakeServer) ListResource(context.Context, *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	return &tfprotov6.ListResourceServerStream{Results: func(yield func(tfprotov6.ListResourceResult) bool) {
		if yield(tfprotov6.ListResourceResult{DisplayName: "first"}) {
			yield(tfprotov6.ListResourceResult{Diagnostics: fakeDiags()})
		}
	}}, nil
}
func (f *fakeServer) ValidateActionConfig(context.Context, *tfprotov6.ValidateActionConfigRequest) (*tfprotov6.ValidateActionConfigResponse, error) {
	return respond[tfprotov6.ValidateActionConfigResponse]()
}
func (f *fakeServer) PlanAction(context.Context, *tfprotov6.PlanActionRequest) (*tfprotov6.PlanActionResponse, error) {
	return respond[tfprotov6.PlanActionResponse]()
}
func (f *fakeServer) InvokeAction(context.Context, *tfprotov6.InvokeActionRequest) (*tfprotov6.InvokeActionServerStream, error) {
	return &tfprotov6.InvokeActionServerStream{Events: func(yield func(tfprotov6.InvokeActionEvent) bool) {
		if yield(tfprotov6.InvokeActionEvent{Type: tfprotov6.ProgressInvokeActionEventType{Message: "working"}}) {
			yield(tfprotov6.InvokeActionEvent{Type: tfprotov6.CompletedInvokeActionEventType{Diagnostics: fakeDiags()}})
		}
	}}, nil
}

var (
	_ listServer   = (*fakeServer)(nil)
	_ actionServer = (*fakeServer)(nil)
)

// passThrough are the calls whose diagnostics carry no attribute path and
// are forwarded unchanged.
var passThrough = map[string]bool{"GetMetadata": true, "GetProviderSchema": true, "GetResourceIdentitySchemas": true, "GetFunctions": true}

// callAll calls every method of the guard with a request for type "thing"
// and returns the diagnostics each answered with, by method.
func callAll(t *testing.T, s *Server) map[string][]*tfprotov6.Diagnostic {
	t.Helper()
	out := map[string][]*tfprotov6.Diagnostic{}
	v := reflect.ValueOf(s)
	for i := 0; i < v.NumMethod(); i++ {
		m := v.Type().Method(i)
		if m.Type.NumIn() != 3 || m.Type.NumOut() != 2 {
			continue
		}
		req := reflect.New(m.Type.In(2).Elem())
		for _, f := range []string{"TypeName", "TargetTypeName", "ActionType"} {
			if fv := req.Elem().FieldByName(f); fv.IsValid() {
				fv.SetString("thing")
			}
		}
		res := v.Method(i).Call([]reflect.Value{reflect.ValueOf(context.Background()), req})
		if !res[1].IsNil() {
			t.Fatalf("%s: %v", m.Name, res[1].Interface())
		}
		out[m.Name] = responseDiags(res[0].Interface())
	}
	return out
}

// responseDiags is the diagnostics of a response or of a stream's items.
func responseDiags(resp any) []*tfprotov6.Diagnostic {
	switch r := resp.(type) {
	case *tfprotov6.ListResourceServerStream:
		var out []*tfprotov6.Diagnostic
		for res := range r.Results {
			out = append(out, res.Diagnostics...)
		}
		return out
	case *tfprotov6.InvokeActionServerStream:
		var out []*tfprotov6.Diagnostic
		for ev := range r.Events {
			if c, ok := ev.Type.(tfprotov6.CompletedInvokeActionEventType); ok {
				out = append(out, c.Diagnostics...)
			}
		}
		return out
	}
	if f := reflect.ValueOf(resp).Elem().FieldByName("Diagnostics"); f.IsValid() {
		diags, _ := f.Interface().([]*tfprotov6.Diagnostic)
		return diags
	}
	return nil
}

// TestServer_everyCallGuarded calls every method the wrapper has, so a
// call added to the protocol (and to the wrapper) is covered too.
func TestServer_everyCallGuarded(t *testing.T) {
	inner := &fakeServer{}
	s := New(inner)
	guarded := 0
	for name, diags := range callAll(t, s) {
		switch {
		case name == "GetProviderSchema":
		case passThrough[name]:
			if len(diags) != len(diagCases()) || diags[0].Attribute == nil {
				t.Errorf("%s: a pass-through call changed its diagnostics", name)
			}
		case diags == nil:
			// StopProvider, CallFunction: no diagnostics.
		default:
			checkDiags(t, name, diags, false)
			guarded++
		}
	}
	if guarded != 22 { // 2 provider, 9 resource, 2 data source, 4 ephemeral, 2 list, 3 action calls
		t.Errorf("only %d calls checked: the reflection walk missed some", guarded)
	}
	if n := inner.schemaCalls.Load(); n != 2 { // one by the guard, one by the GetProviderSchema call itself
		t.Errorf("the schema was read %d times, want 2", n)
	}
}

// TestServer_failsClosed: without a schema, or for an unknown type, every
// path is stripped.
func TestServer_failsClosed(t *testing.T) {
	s := New(&fakeServer{schemaFails: true})
	resp, _ := s.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{TypeName: "thing"})
	checkDiags(t, "no schema", resp.Diagnostics, true)

	s = New(&fakeServer{})
	resp, _ = s.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{TypeName: "other"})
	checkDiags(t, "unknown type", resp.Diagnostics, true)
}

// TestServer_noSchemaReadWithoutPaths: runs without path diagnostics never
// pay for a schema read.
func TestServer_noSchemaReadWithoutPaths(t *testing.T) {
	inner := &fakeServer{}
	s := New(inner)
	resp := &tfprotov6.PlanResourceChangeResponse{Diagnostics: []*tfprotov6.Diagnostic{{Summary: "whole resource"}}}
	s.guard(context.Background(), resp.Diagnostics, "thing", kindResource)
	if n := inner.schemaCalls.Load(); n != 0 {
		t.Errorf("the schema was read %d times", n)
	}
}

// TestServer_summaryNamesAttributeOnce: a summary that already names the
// attribute is left as it is.
func TestServer_summaryNamesAttributeOnce(t *testing.T) {
	s := New(&fakeServer{})
	diags := []*tfprotov6.Diagnostic{{Summary: "Invalid secret", Attribute: tftypes.NewAttributePath().WithAttributeName("secret")}}
	s.guard(context.Background(), diags, "", kindProvider)
	if diags[0].Attribute != nil || diags[0].Summary != "Invalid secret" {
		t.Errorf("got %q on %v", diags[0].Summary, diags[0].Attribute)
	}
}

// TestServer_withoutOptionalInterfaces: a wrapped server without list
// resources or actions answers those calls with an error, not a panic.
func TestServer_withoutOptionalInterfaces(t *testing.T) {
	s := New(struct{ tfprotov6.ProviderServer }{&fakeServer{}})
	ctx := context.Background()
	list, _ := s.ListResource(ctx, &tfprotov6.ListResourceRequest{TypeName: "thing"})
	action, _ := s.InvokeAction(ctx, &tfprotov6.InvokeActionRequest{ActionType: "thing"})
	plan, _ := s.PlanAction(ctx, &tfprotov6.PlanActionRequest{ActionType: "thing"})
	for name, diags := range map[string][]*tfprotov6.Diagnostic{"ListResource": responseDiags(list), "InvokeAction": responseDiags(action), "PlanAction": plan.Diagnostics} {
		if len(diags) != 1 || diags[0].Summary != "Unsupported protocol call" {
			t.Errorf("%s: %+v", name, diags)
		}
	}
}
