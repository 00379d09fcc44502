package stripekey

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestResolverTLS: an untrusted certificate is reported plainly (and the
// x509 error stays in the chain, for the provider's hint); an HTTP client
// that trusts the certificate resolves the account.
func TestResolverTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"acct_TLS0000000000000","object":"account"}`)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	key := "sk_test_TLS0000000000000k1"

	_, err := NewResolver(ResolverConfig{APIBase: srv.URL}).Account(context.Background(), key)
	var ae *AccountError
	var ua x509.UnknownAuthorityError
	if !errors.As(err, &ae) || !ae.Unreachable || !errors.As(err, &ua) {
		t.Fatalf("err = %v, want an unreachable AccountError wrapping the x509 error", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "the TLS certificate of "+srv.URL+" is not trusted") || strings.Contains(msg, key) {
		t.Fatalf("message: %s", msg)
	}

	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	acct, err := NewResolver(ResolverConfig{APIBase: srv.URL, HTTPClient: hc}).Account(context.Background(), key)
	if err != nil || acct != "acct_TLS0000000000000" {
		t.Fatalf("with the certificate trusted: %q, %v", acct, err)
	}
}
