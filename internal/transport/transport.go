// Package transport holds what the platform client (internal/apic) and the
// Stripe account resolver (internal/stripekey) share about HTTP: the
// transport they start from and how a failed TLS certificate check is told
// apart and described.
package transport

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/url"
	"time"
)

// New returns a transport of its own: a copy of http.DefaultTransport (its
// proxy, dial and TLS handshake settings), or the same defaults when
// DefaultTransport was replaced, trusting tlsConfig when it is set.
func New(tlsConfig *tls.Config) *http.Transport {
	var tr *http.Transport
	if dt, ok := http.DefaultTransport.(*http.Transport); ok {
		tr = dt.Clone()
	} else {
		tr = &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          100,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   10 * time.Second,
			ExpectContinueTimeout: 1 * time.Second,
		}
	}
	if tlsConfig != nil {
		tr.TLSClientConfig = tlsConfig.Clone()
	}
	return tr
}

// IsCertificateError reports whether err, or an error it wraps, is a failed
// verification of the server's TLS certificate: signed by an unknown
// authority (self-signed or a private CA), issued for another host name,
// expired or otherwise invalid. It looks at the error chain, never at text.
func IsCertificateError(err error) bool {
	if err == nil {
		return false
	}
	var (
		unknownAuth x509.UnknownAuthorityError
		hostname    x509.HostnameError
		invalid     x509.CertificateInvalidError
		verify      *tls.CertificateVerificationError
	)
	return errors.As(err, &unknownAuth) || errors.As(err, &hostname) || errors.As(err, &invalid) || errors.As(err, &verify)
}

// Describe is the message of a failed request. A certificate failure says so
// plainly, naming the server, instead of Go's
// `Get "https://…": tls: failed to verify certificate: x509: …`.
func Describe(err error) string {
	if !IsCertificateError(err) {
		return err.Error()
	}
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		server := ""
		if u, perr := url.Parse(ue.URL); perr == nil {
			server = " of " + u.Scheme + "://" + u.Host
		}
		return "the TLS certificate" + server + " is not trusted: " + ue.Err.Error()
	}
	return "the TLS certificate is not trusted: " + err.Error()
}

// Sleep waits d, or until ctx ends (then it returns ctx's error): the pause
// between two attempts of a request.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
