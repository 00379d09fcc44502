// Package diagguard wraps the provider's protocol server so that no
// diagnostic that reaches Terraform carries the path of a sensitive or
// write-only attribute.
//
// Terraform prints the configuration line of any diagnostic that carries an
// attribute path; for `secret_key = "sk_live_…"` that line is the secret
// itself. The provider's own code never attaches such a path, but
// diagnostics also come from code it does not own (framework validators,
// the framework itself: on Terraform < 1.11 a write-only value gets
// "WriteOnly Attribute Not Allowed" on its path). This wrapper, at the
// protocol boundary, is the one place that sees them all.
package diagguard

import (
	"context"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Kinds of schema a diagnostic's path refers to.
const (
	kindProvider  = "provider"
	kindResource  = "resource"
	kindData      = "data"
	kindEphemeral = "ephemeral"
	kindList      = "list"
	kindAction    = "action"
)

// secretPaths are the attribute-name paths (element keys left out) of the
// sensitive or write-only attributes of one schema.
type secretPaths [][]string

// Server is a tfprotov6.ProviderServer that forwards every call to the
// wrapped server and strips, from the diagnostics of each response, the
// path of a sensitive or write-only attribute, naming the attribute in the
// summary instead. Terraform then shows the resource or provider block
// rather than the secret's line.
//
// It implements every method itself (no embedding), so that a method added
// to the protocol breaks the build instead of passing diagnostics through
// unguarded. State stores are not forwarded: this provider has none.
type Server struct {
	inner tfprotov6.ProviderServer

	once    sync.Once
	secrets map[string]secretPaths // by kind + "." + type name; nil: schema unavailable
}

// New wraps inner.
func New(inner tfprotov6.ProviderServer) *Server {
	return &Server{inner: inner}
}

// load reads the schemas of the wrapped server once, on the first
// diagnostic with a path (most runs never need it).
func (s *Server) load(ctx context.Context) {
	s.once.Do(func() {
		resp, err := s.inner.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
		if err != nil || resp == nil || hasError(resp.Diagnostics) {
			return // s.secrets stays nil: every path is stripped
		}
		m := map[string]secretPaths{kindProvider + ".": collect(resp.Provider)}
		add := func(kind string, schemas map[string]*tfprotov6.Schema) {
			for name, sch := range schemas {
				m[kind+"."+name] = collect(sch)
			}
		}
		add(kindResource, resp.ResourceSchemas)
		add(kindData, resp.DataSourceSchemas)
		add(kindEphemeral, resp.EphemeralResourceSchemas)
		add(kindList, resp.ListResourceSchemas)
		for name, a := range resp.ActionSchemas {
			if a != nil {
				m[kindAction+"."+name] = collect(a.Schema)
			}
		}
		s.secrets = m
	})
}

func hasError(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d != nil && d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

func collect(sch *tfprotov6.Schema) secretPaths {
	var out secretPaths
	if sch != nil {
		collectBlock(sch.Block, nil, &out)
	}
	return out
}

func collectBlock(b *tfprotov6.SchemaBlock, prefix []string, out *secretPaths) {
	if b == nil {
		return
	}
	for _, a := range b.Attributes {
		collectAttribute(a, prefix, out)
	}
	for _, nb := range b.BlockTypes {
		if nb != nil {
			collectBlock(nb.Block, appendPath(prefix, nb.TypeName), out)
		}
	}
}

func collectAttribute(a *tfprotov6.SchemaAttribute, prefix []string, out *secretPaths) {
	if a == nil {
		return
	}
	p := appendPath(prefix, a.Name)
	if a.Sensitive || a.WriteOnly {
		*out = append(*out, p)
		return
	}
	if a.NestedType != nil {
		for _, na := range a.NestedType.Attributes {
			collectAttribute(na, p, out)
		}
	}
}

func appendPath(prefix []string, name string) []string {
	return append(append(make([]string, 0, len(prefix)+1), prefix...), name)
}

// guard strips secret paths from diags in place. kinds are the schemas the
// paths may refer to (a list result may name its resource's attributes).
func (s *Server) guard(ctx context.Context, diags []*tfprotov6.Diagnostic, typeName string, kinds ...string) {
	for _, d := range diags {
		if d == nil || d.Attribute == nil || len(d.Attribute.Steps()) == 0 {
			continue
		}
		names := attributeNames(d.Attribute)
		s.load(ctx)
		if s.secrets != nil && !s.isSecret(names, typeName, kinds) {
			continue
		}
		d.Attribute = nil
		name := strings.Join(names, ".")
		if name != "" && !strings.Contains(d.Summary, name) {
			d.Summary += " (" + name + ")"
		}
	}
}

// isSecret reports whether the path is, is inside, or contains a sensitive
// attribute (a diagnostic on a parent would show the secret's lines too).
func (s *Server) isSecret(names []string, typeName string, kinds []string) bool {
	for _, kind := range kinds {
		key := kind + "." + typeName
		if kind == kindProvider {
			key = kindProvider + "."
		}
		paths, ok := s.secrets[key]
		if !ok {
			return true // an unknown type: fail closed
		}
		for _, p := range paths {
			if isPrefix(p, names) || isPrefix(names, p) {
				return true
			}
		}
	}
	return false
}

func isPrefix(prefix, full []string) bool {
	if len(prefix) > len(full) {
		return false
	}
	for i := range prefix {
		if prefix[i] != full[i] {
			return false
		}
	}
	return true
}

// attributeNames is the path's attribute names; element keys (list
// indexes, map keys) are left out.
func attributeNames(p *tftypes.AttributePath) []string {
	var names []string
	for _, step := range p.Steps() {
		if n, ok := step.(tftypes.AttributeName); ok {
			names = append(names, string(n))
		}
	}
	return names
}
