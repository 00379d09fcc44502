package apic

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Bodies shaped like the platform's (and the emulator's) answers.

const benchBase = "https://platform-api.example.com/api"

func benchBillingJSON(i int) map[string]any {
	id := fmt.Sprintf("0b6c7f1e-4c1d-4a8e-9d6a-%012d", i)
	org := "https://platform-api.example.com/api/orgs/5e0a4b7d-2c39-4f1a-8d8f-6f0c2a7e9b11"
	return map[string]any{
		"type": "billing", "api_version": "2.0.0", "id": id, "name": fmt.Sprintf("stripe-billing-%d", i),
		"title": fmt.Sprintf("Stripe billing %d", i), "summary": "Stripe integration for monetized plans", "scope": "org",
		"integration_url":  benchBase + "/cloud/integrations/billing/stripe",
		"configuration":    map[string]any{"publishable_key": "pk_test_51" + strings.Repeat("Ab3dE", 19) + "x0", "full_access_key": "********"},
		"metadata":         map[string]any{"testmode": "true", "account_id": "acct_1Ab3dEAb3dEAb3dE"},
		"job_queue_status": map[string]any{"state": "idle", "pending_jobs": 0, "blocked_reason": ""},
		"created_at":       "2026-01-02T03:04:05.000Z", "updated_at": "2026-01-02T03:04:05.000Z",
		"org_url": org, "url": org + "/billings/" + id,
	}
}

func mustMarshal(tb testing.TB, v any) []byte {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func benchListBody(tb testing.TB, n int) []byte {
	items := make([]any, n)
	for i := range items {
		items[i] = benchBillingJSON(i)
	}
	return mustMarshal(tb, map[string]any{"total_results": n, "results": items})
}

var benchCreate = BillingCreate{
	Name: "stripe-live", Title: "Stripe (live)", Summary: "Stripe integration",
	IntegrationURL: benchBase + "/cloud/integrations/billing/stripe",
	Configuration: BillingConfiguration{
		PublishableKey: "pk_live_51" + strings.Repeat("Ab3dE", 19) + "x0",
		FullAccessKey:  "sk_live_51" + strings.Repeat("Ab3dE", 19) + "x0",
	},
}

// BenchmarkListPageBillings100 decodes one page of the billing list: the
// {total_results, results} envelope with 100 integrations.
func BenchmarkListPageBillings100(b *testing.B) {
	body := benchListBody(b, 100)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		items, total, err := listPage[Billing](body)
		if err != nil || len(items) != 100 || total != 100 {
			b.Fatalf("listPage: %d items, total %d, %v", len(items), total, err)
		}
	}
}

// BenchmarkDecodeBilling decodes one billing answer (GET, POST, PATCH).
func BenchmarkDecodeBilling(b *testing.B) {
	body := mustMarshal(b, benchBillingJSON(1))
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var out Billing
		if err := json.Unmarshal(body, &out); err != nil || !bool(out.Metadata.TestMode) {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewCallBillingCreate builds the POST of a new integration.
func BenchmarkNewCallBillingCreate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := newCall(http.MethodPost, billingsPath("acme"), benchCreate, policyCreate); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMaskJSON masks the bodies the client logs: the create request
// (with the secret key), a billing answer and a page of 100.
func BenchmarkMaskJSON(b *testing.B) {
	for _, bc := range []struct {
		name string
		body []byte
	}{
		{"create_request", mustMarshal(b, benchCreate)},
		{"billing_response", mustMarshal(b, benchBillingJSON(1))},
		{"token_request", []byte(`{"grant_type":"password","username":"apic-admin","password":"s3cret","realm":"provider/default-idp-2","client_id":"abc","client_secret":"def"}`)},
		{"list_100", benchListBody(b, 100)},
		{"not_json", []byte(`{"full_access_key": "sk_live_abcdefghijklmnop", truncated`)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.body)))
			b.ReportAllocs()
			for b.Loop() {
				_ = MaskJSON(bc.body)
			}
		})
	}
}

func BenchmarkDecodeError(b *testing.B) {
	for _, bc := range []struct {
		name   string
		status int
		body   string
	}{
		{"message_array", 400, `{"status":400,"message":["Invalid name \"x\": use lower case letters, digits and '-'"]}`},
		{"message_string", 404, `{"status":404,"message":"Billing \"stripe-live\" not found"}`},
		{"errors_objects", 409, `{"errors":[{"message":"already exists"},{"message":"conflict"}]}`},
		{"stripe_key_in_message", 400, `{"status":400,"message":["Stripe rejected sk_live_51Ab3dEAb3dEAb3dEAb3dE"]}`},
		{"html", 502, `<html><body><h1>502 Bad Gateway</h1></body></html>`},
		{"empty", 503, ``},
	} {
		b.Run(bc.name, func(b *testing.B) {
			body := []byte(bc.body)
			b.ReportAllocs()
			for b.Loop() {
				if msgs := DecodeError(bc.status, body); len(msgs) == 0 {
					b.Fatal("no message")
				}
			}
		})
	}
}

// nopLogger discards, like tflog when TF_LOG is off: what remains is the
// cost of building the log fields (MaskJSON of every body).
type nopLogger struct{}

func (nopLogger) Debug(context.Context, string, map[string]any) {}
func (nopLogger) Warn(context.Context, string, map[string]any)  {}

// BenchmarkClient is one GetBilling / CreateBilling round trip over
// loopback HTTP (static token), without a Logger and with one that
// discards (the provider always sets one).
func BenchmarkClient(b *testing.B) {
	billing := mustMarshal(b, benchBillingJSON(1))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusCreated)
		}
		_, _ = w.Write(billing)
	}))
	defer srv.Close()
	for _, logged := range []bool{false, true} {
		cfg := Config{Endpoint: srv.URL + "/api", Token: "static-token"}
		name := "nolog"
		if logged {
			cfg.Logger, name = nopLogger{}, "nop_logger"
		}
		c, err := New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		b.Run("GetBilling/"+name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.GetBilling(ctx, "acme", "stripe-billing-1"); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("CreateBilling/"+name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.CreateBilling(ctx, "acme", benchCreate); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
