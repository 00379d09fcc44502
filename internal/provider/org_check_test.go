package provider

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

// TestOrgCheckFailureIsKept: the org check's failures other than 404 are
// kept for the process like its answers, so that every resource of a plan
// does not repeat the same retries; a check cut short by a cancelled
// context is not kept.
func TestOrgCheckFailureIsKept(t *testing.T) {
	srv := emulator.NewServer(emulator.Config{})
	t.Cleanup(srv.Close)
	c := srv.Config()
	client, err := apic.New(apic.Config{Endpoint: srv.Endpoint(), Username: c.Username, Password: c.Password,
		ClientID: c.ClientID, ClientSecret: c.ClientSecret, MaxRetries: 1, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	d := newProviderData()
	d.client = client

	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	var diags diag.Diagnostics
	if d.checkOrg(cancelled, c.Org, &diags) {
		t.Fatal("the check passed with a cancelled context")
	}

	srv.SetFaults(emulator.Faults{Rate503: 1, Routes: []string{emulator.RouteOrg}})
	for i := range 5 {
		diags = nil
		if d.checkOrg(context.Background(), c.Org, &diags) || !diags.HasError() {
			t.Fatalf("check %d passed while the platform answers 503", i)
		}
	}
	if got := srv.Count(http.MethodGet, emulator.RouteOrg); got != 2 {
		t.Fatalf("GET /orgs/{org} = %d, want 2 (one check and its retry, kept for the next four; the cancelled check is not kept)", got)
	}
}
