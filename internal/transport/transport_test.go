package transport

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestNewIsACopyWithTheTLSConfig(t *testing.T) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: "x"}
	tr := New(cfg)
	if tr == http.DefaultTransport {
		t.Fatal("New returned the shared default transport")
	}
	if tr.TLSClientConfig == cfg || tr.TLSClientConfig.ServerName != "x" {
		t.Errorf("the TLS config is not a copy of the one given")
	}
	if tr.Proxy == nil || tr.TLSHandshakeTimeout == 0 {
		t.Errorf("the defaults are missing")
	}
	if New(nil).TLSClientConfig != nil && New(nil).TLSClientConfig.InsecureSkipVerify {
		t.Errorf("no TLS config must not mean insecure")
	}
}

func TestCertificateErrors(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL, nil)
	resp, err := (&http.Client{Transport: New(nil)}).Do(req)
	if err == nil {
		_ = resp.Body.Close()
	}
	if !IsCertificateError(err) {
		t.Fatalf("a self-signed server's error is not a certificate error: %v", err)
	}
	msg := Describe(err)
	if !strings.HasPrefix(msg, "the TLS certificate of "+strings.Replace(srv.URL, "https://", "https://", 1)+" is not trusted: ") {
		t.Errorf("Describe = %q", msg)
	}
	wrapped := fmt.Errorf("lookup: %w", x509.HostnameError{Host: "h"})
	if !IsCertificateError(wrapped) || !strings.HasPrefix(Describe(wrapped), "the TLS certificate is not trusted") {
		t.Errorf("a wrapped hostname error: %v, %q", IsCertificateError(wrapped), Describe(wrapped))
	}
	for _, err := range []error{nil, errors.New("x509: certificate signed by unknown authority")} {
		if IsCertificateError(err) {
			t.Errorf("IsCertificateError(%v) = true: it must look at the chain, not the text", err)
		}
	}
	if Describe(errors.New("connection refused")) != "connection refused" {
		t.Errorf("another error is not described as itself")
	}
}
