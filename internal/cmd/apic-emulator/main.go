// Command apic-emulator runs the in-memory API Connect platform API emulator
// (and its built-in Stripe fake) as a standalone process, for demos.
//
//	go run ./internal/cmd/apic-emulator -addr 127.0.0.1:0 [-tls] [-org acme] [-env-file path] [-latency 50ms]
//
// It prints, one per line, APIC_ENDPOINT, APIC_ORG, APIC_USERNAME,
// APIC_PASSWORD, APIC_CLIENT_ID, APIC_CLIENT_SECRET and APIC_STRIPE_API_BASE in a
// form a shell can eval or source, then serves until SIGINT or SIGTERM.
//
// Admin routes (outside /api, open to loopback clients only unless
// -admin-token is set) serve the request journal for benchmarks:
// GET /_emulator/counts (request counts per route), GET /_emulator/journal
// (every request without bodies or headers) and POST /_emulator/reset.
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "apic-emulator:", err)
		os.Exit(1)
	}
}

func run() error {
	addr := flag.String("addr", "127.0.0.1:8443", "listen address (port 0 picks a free port)")
	useTLS := flag.Bool("tls", false, "serve HTTPS with a self-signed certificate")
	caFile := flag.String("ca-file", "", "with -tls: write the self-signed certificate (PEM) to this file")
	orgName := flag.String("org", "acme", "provider organization to seed")
	envFile := flag.String("env-file", "", "also write the environment lines to this file")
	stripeBase := flag.String("stripe-base", "", "Stripe API base URL (default: the built-in Stripe fake of this process)")
	staticToken := flag.String("static-token", "", "a bearer token that is always accepted")
	seed := flag.Int64("seed", 1, "RNG seed for fault injection")
	latency := flag.Duration("latency", 0, "fault: latency added to every platform API request, token included (e.g. 50ms)")
	stripeLatency := flag.Duration("stripe-latency", 0, "fault: latency added to every request to the built-in Stripe fake")
	adminToken := flag.String("admin-token", "", "bearer token that opens the admin routes ("+emulator.AdminPrefix+"...) to non-loopback clients; without it they answer loopback clients only")
	flag.Parse()
	if *latency < 0 || *stripeLatency < 0 {
		return errors.New("-latency and -stripe-latency must not be negative")
	}

	// Catch signals first, so that a signal sent right after the
	// environment lines are printed still shuts down cleanly.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", *addr)
	if err != nil {
		return err
	}
	host := ln.Addr().String()
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		host = net.JoinHostPort("127.0.0.1", fmt.Sprint(tcp.Port))
	}
	scheme := "http"
	if *useTLS {
		scheme = "https"
	}
	base := scheme + "://" + host

	emu := emulator.New(emulator.Config{Org: *orgName, StripeBase: *stripeBase, StaticToken: *staticToken, Seed: *seed, BaseURL: base})
	cfg := emu.Config()
	if *latency > 0 || *stripeLatency > 0 {
		emu.SetFaults(emulator.Faults{Latency: *latency, StripeLatency: *stripeLatency})
	}

	srv := &http.Server{Handler: emu.WithAdmin(*adminToken), ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(os.Stderr, "apic-emulator: ", log.LstdFlags)}
	if *useTLS {
		cert, certPEM, err := selfSigned(ln.Addr())
		if err != nil {
			return err
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		if *caFile != "" {
			if err := os.WriteFile(*caFile, certPEM, 0o600); err != nil {
				return err
			}
		}
	}

	sb := cfg.StripeBase
	if sb == "" {
		sb = base
	}
	lines := []string{
		"APIC_ENDPOINT=" + shellQuote(base+"/api"),
		"APIC_ORG=" + shellQuote(cfg.Org),
		"APIC_USERNAME=" + shellQuote(cfg.Username),
		"APIC_PASSWORD=" + shellQuote(cfg.Password),
		"APIC_CLIENT_ID=" + shellQuote(cfg.ClientID),
		"APIC_CLIENT_SECRET=" + shellQuote(cfg.ClientSecret),
		"APIC_STRIPE_API_BASE=" + shellQuote(sb),
	}
	text := strings.Join(lines, "\n") + "\n"
	if *envFile != "" {
		if err := os.WriteFile(*envFile, []byte(text), 0o600); err != nil {
			return err
		}
	}
	if _, err := os.Stdout.WriteString(text); err != nil {
		return err
	}
	_ = os.Stdout.Sync()

	errc := make(chan error, 1)
	go func() {
		if *useTLS {
			errc <- srv.ServeTLS(ln, "", "")
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

// shellQuote single-quotes s when it holds characters a shell would interpret.
func shellQuote(s string) string {
	safe := s != ""
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') && !strings.ContainsRune("-_./:@%+,=", r) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// selfSigned makes an ECDSA certificate for localhost, 127.0.0.1, ::1 and
// the listen address.
func selfSigned(addr net.Addr) (tls.Certificate, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "apic-emulator", Organization: []string{"apic-emulator"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(30 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	if tcp, ok := addr.(*net.TCPAddr); ok && !tcp.IP.IsUnspecified() && !tcp.IP.IsLoopback() {
		tmpl.IPAddresses = append(tmpl.IPAddresses, tcp.IP)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	return cert, certPEM, err
}
