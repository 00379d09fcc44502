package provider

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// pathSegmentInputs are orgs, Catalogs, names and billing URLs that cannot
// be one segment of a platform URL path: each is refused on its attribute
// at plan time, before any request (url.PathEscape keeps dots, so ".."
// would address the parent object).
func pathSegmentInputs() []badInput {
	const (
		res  = badInputAddr
		cbr  = "apiconnect_catalog_billing.test"
		prov = "provider"
		bad  = "Invalid name or id"
	)
	ds := func(typ, body string) string {
		return fmt.Sprintf("data %q \"test\" {\n%s\n}\n", typ, body)
	}
	return []badInput{
		{name: "org dot dot", resources: bi(`org = ".."`), summary: bad, addr: res, attr: "org", detail: `".." is a dot segment`},
		{name: "org dot", resources: bi(`org = "."`), summary: bad, addr: res, attr: "org", detail: `"." is a dot segment`},
		{name: "org with a slash", resources: bi(`org = "acme/../other"`), summary: bad, addr: res, attr: "org", detail: `contains "/"`},
		{name: "org with a space", resources: bi(`org = "ac me"`), summary: bad, addr: res, attr: "org", detail: "contains whitespace"},
		{name: "org with a control character", resources: bi(`org = "ac\u0007me"`), summary: bad, addr: res, attr: "org", detail: "contains a control character"},
		{name: "catalog dot dot", resources: cb("..", "http://127.0.0.1:1/api/orgs/acme/billings/b"), summary: bad, addr: cbr, attr: "catalog", detail: `".." is a dot segment`},
		{name: "catalog billing org tab", resources: cb("sandbox", "http://127.0.0.1:1/api/orgs/acme/billings/b", `org = "a\tb"`), summary: bad, addr: cbr, attr: "org", detail: "contains whitespace"},
		{name: "billing_url ending in an escaped dot dot", resources: cb("sandbox", "http://127.0.0.1:1/api/orgs/acme/billings/%2e%2e"), summary: "Invalid billing_url", addr: cbr, attr: "billing_url", detail: `its integration ".." cannot be used`},
		{name: "billing_url with an escaped dot dot org", resources: cb("sandbox", "http://127.0.0.1:1/api/orgs/%2E%2E/billings/b"), summary: "Invalid billing_url", addr: cbr, attr: "billing_url", detail: `its org ".." cannot be used`},
		{name: "billing_url with an escaped slash", resources: cb("sandbox", "http://127.0.0.1:1/api/orgs/acme/billings/a%2Fb"), summary: "Invalid billing_url", addr: cbr, attr: "billing_url", detail: `contains "/"`},
		{name: "data source name with a space", resources: ds("apiconnect_billing_integration", `name = "a b"`), summary: bad, addr: "data.apiconnect_billing_integration.test", attr: "name", detail: "contains whitespace"},
		{name: "jobs data source name dot dot", resources: ds("apiconnect_billing_jobs", `name = ".."`), summary: bad, addr: "data.apiconnect_billing_jobs.test", attr: "name", detail: "dot segment"},
		{name: "catalog data source org dot", resources: ds("apiconnect_catalog", "name = \"sandbox\"\norg = \".\""), summary: bad, addr: "data.apiconnect_catalog.test", attr: "org", detail: "dot segment"},
		{name: "provider org dot dot", provider: map[string]string{"org": `".."`}, resources: bi(), summary: bad, addr: prov, attr: "org", detail: "dot segment"},
	}
}

// TestAccPathSegmentInputs runs pathSegmentInputs: each gives its
// diagnostic on its attribute and sends nothing to the platform.
func TestAccPathSegmentInputs(t *testing.T) {
	for _, bc := range pathSegmentInputs() {
		t.Run(strings.ReplaceAll(bc.name, " ", "_"), func(t *testing.T) {
			runBadInput(t, bc, true)
		})
	}
}

// TestAccImportPathSegments: an import ID whose org, name, Catalog or id is
// a dot segment (or holds "/" or whitespace) is refused before any request.
func TestAccImportPathSegments(t *testing.T) {
	for _, tc := range []struct{ addr, id, config string }{
		{badInputAddr, "acme/..", bi()},
		{badInputAddr, "..", bi()},
		{badInputAddr, "ac me/billing", bi()},
		{"apiconnect_catalog_billing.test", "acme/../id", cb("sandbox", "http://127.0.0.1:1/api/orgs/acme/billings/b")},
		{"apiconnect_catalog_billing.test", "acme/sandbox/.", cb("sandbox", "http://127.0.0.1:1/api/orgs/acme/billings/b")},
	} {
		t.Run(strings.NewReplacer("/", "_", " ", "_").Replace(tc.addr+"_"+tc.id), func(t *testing.T) {
			e := newAccEnv(t)
			cfg := badInputVarBlocks() + e.providerConfig(map[string]string{"password": "var.password", "client_secret": "var.client_secret"}) + tc.config //nolint:gosec // variable references
			vars := config.Variables{}
			for k, v := range badInputVars(e) {
				vars[k] = config.StringVariable(v)
			}
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: cfg, ConfigVariables: vars, ResourceName: tc.addr, ImportState: true, ImportStateId: tc.id,
					ExpectError: words(`Invalid import ID`),
				}},
			})
			if t.Skipped() {
				return
			}
			for _, r := range e.srv.Requests() {
				if r.Method != http.MethodGet && r.Method != http.MethodPost || strings.Contains(r.Path, "/..") || strings.HasSuffix(r.Path, "/.") {
					t.Errorf("the platform received %s %s", r.Method, r.Path)
				}
			}
		})
	}
}
