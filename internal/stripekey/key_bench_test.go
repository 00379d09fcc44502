package stripekey

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// Keys shaped like real ones: Stripe secret keys are about 107 characters.
var (
	benchSecret      = "sk_live_51" + strings.Repeat("Ab3dE", 19) + "x0"
	benchPublishable = "pk_live_51" + strings.Repeat("Ab3dE", 19) + "x0"
)

func BenchmarkParse(b *testing.B) {
	for _, bc := range []struct{ name, key string }{
		{"secret", benchSecret},
		{"publishable", benchPublishable},
		{"restricted", "rk_test_" + strings.Repeat("Zz9", 33)},
		{"invalid_mode", "sk_prod_" + strings.Repeat("Zz9", 33)},
		{"invalid_char", benchSecret[:60] + "-" + benchSecret[61:]},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = Parse(bc.key)
			}
		})
	}
}

func BenchmarkParseSecret(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseSecret(benchSecret); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFingerprint(b *testing.B) {
	salt := []byte(strings.Repeat("s", 32))
	b.ReportAllocs()
	for b.Loop() {
		_ = Fingerprint(salt, benchSecret)
	}
}

// BenchmarkResolverAccountCached is the per-resource cost of the account
// check once the key is cached: every resource of a plan that shares a key
// takes this path.
func BenchmarkResolverAccountCached(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"acct_51Ab3dEAb3dEAb3d","object":"account"}`))
	}))
	defer srv.Close()
	r := NewResolver(ResolverConfig{APIBase: srv.URL})
	ctx := context.Background()
	if _, err := r.Account(ctx, benchSecret); err != nil {
		b.Fatal(err)
	}
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := r.Account(ctx, benchSecret); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := r.Account(ctx, benchSecret); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	if r.Calls() != 1 {
		b.Fatalf("Stripe was called %d times, want 1", r.Calls())
	}
}

// BenchmarkResolverAccountMiss is a full GET /v1/account through stripe-go
// to a local server (a new key each time, so never cached).
func BenchmarkResolverAccountMiss(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"acct_51Ab3dEAb3dEAb3d","object":"account"}`))
	}))
	defer srv.Close()
	r := NewResolver(ResolverConfig{APIBase: srv.URL})
	ctx := context.Background()
	keys := make([]string, 0, 1024)
	for i := range cap(keys) {
		keys = append(keys, benchSecret+strconv.Itoa(10000+i))
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i == len(keys) {
			b.StopTimer()
			r = NewResolver(ResolverConfig{APIBase: srv.URL})
			i = 0
			b.StartTimer()
		}
		if _, err := r.Account(ctx, keys[i]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
