package stripekey

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/stripe/stripe-go/v76"
	accountclient "github.com/stripe/stripe-go/v76/account"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/memo"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/transport"
)

// DefaultAPIBase is Stripe's production API.
const DefaultAPIBase = "https://api.stripe.com"

// Resolver finds the Stripe account of a secret key with GET /v1/account
// (stripe-go/v76). Results are cached for the life of the process under a
// keyed hash of the key, and concurrent lookups of one key share a single
// request, so a plan of many resources that share a key calls Stripe once.
type Resolver struct {
	base       string
	httpClient *http.Client
	salt       []byte

	// accounts is keyed by Fingerprint(salt, key); failures are not kept, so
	// a later plan can succeed once Stripe is reachable again.
	accounts memo.Cache[string]
	calls    atomic.Int64
}

// ResolverConfig configures a Resolver.
type ResolverConfig struct {
	APIBase    string        // default DefaultAPIBase
	HTTPClient *http.Client  // default: a client of its own with Timeout
	Timeout    time.Duration // default 30s, used when HTTPClient is nil
}

// NewResolver returns a Resolver for one Stripe API base.
func NewResolver(cfg ResolverConfig) *Resolver {
	base := strings.TrimRight(cfg.APIBase, "/")
	if base == "" {
		base = DefaultAPIBase
	}
	hc := cfg.HTTPClient
	if hc == nil {
		timeout := cfg.Timeout
		if timeout == 0 {
			timeout = 30 * time.Second
		}
		hc = &http.Client{Timeout: timeout, Transport: transport.New(nil)}
	}
	// A copy that never follows a redirect: the Authorization header would
	// go with it (see backend).
	noRedirect := *hc
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	salt := make([]byte, 32)
	_, _ = rand.Read(salt)
	return &Resolver{base: base, httpClient: &noRedirect, salt: salt}
}

// APIBase is the Stripe base URL this resolver calls.
func (r *Resolver) APIBase() string { return r.base }

// Calls reports how many account lookups reached Stripe (for tests and benchmarks).
func (r *Resolver) Calls() int64 { return r.calls.Load() }

// AccountError is a failed account lookup. It carries what Stripe said about
// the failure, never the key.
type AccountError struct {
	HTTPStatus  int
	Type        string
	Message     string
	Unreachable bool
	// Cause is the transport error when Stripe could not be reached (for
	// errors.As, e.g. a TLS certificate failure); its text carries no key.
	Cause error
}

// Unwrap returns Cause.
func (e *AccountError) Unwrap() error { return e.Cause }

func (e *AccountError) Error() string {
	switch {
	case e.Unreachable:
		return "Stripe could not be reached: " + e.Message
	case e.HTTPStatus == http.StatusUnauthorized:
		return "Stripe rejected the secret key (401 Unauthorized): the key is invalid, revoked or expired"
	case e.HTTPStatus == http.StatusForbidden:
		return "Stripe refused GET /v1/account for this key (403 Forbidden): a restricted key needs read access to the account"
	default:
		return fmt.Sprintf("Stripe answered %d %s to GET /v1/account: %s", e.HTTPStatus, http.StatusText(e.HTTPStatus), e.Message)
	}
}

// Account returns the acct_… id that secretKey belongs to. Failures are not
// remembered, so a later plan can succeed once Stripe is reachable again.
func (r *Resolver) Account(ctx context.Context, secretKey string) (string, error) {
	if _, err := ParseSecret(secretKey); err != nil {
		return "", err
	}
	return r.accounts.Get(ctx, Fingerprint(r.salt, secretKey), func(ctx context.Context) (string, error) {
		r.calls.Add(1)
		return r.fetch(ctx, secretKey)
	})
}

func (r *Resolver) fetch(ctx context.Context, secretKey string) (string, error) {
	b := &backend{ctx: ctx, base: r.base, httpClient: r.httpClient, maxRetries: 2}
	acct, err := accountclient.Client{B: b, Key: secretKey}.Get()
	if err != nil {
		return "", toAccountError(ctx, err)
	}
	if !strings.HasPrefix(acct.ID, "acct_") {
		return "", &AccountError{HTTPStatus: http.StatusOK, Message: "the answer carried no acct_ id"}
	}
	return acct.ID, nil
}

func toAccountError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var re *redirectError
	if errors.As(err, &re) {
		return &AccountError{HTTPStatus: re.status, Message: re.Error()}
	}
	var se *stripe.Error
	if errors.As(err, &se) {
		// Stripe's own messages mask keys ("sk_test_****1234"), but keep
		// ours free of any key fragment all the same.
		return &AccountError{HTTPStatus: se.HTTPStatusCode, Type: string(se.Type), Message: scrub(se.Msg)}
	}
	return &AccountError{Unreachable: true, Message: scrub(transport.Describe(err)), Cause: err}
}

// scrub removes anything that looks like a Stripe key from a message.
func scrub(msg string) string {
	fields := strings.FieldsFunc(msg, func(r rune) bool { return r == ' ' || r == '\'' || r == '"' || r == ',' })
	for _, f := range fields {
		for _, p := range []string{"sk_", "rk_", "pk_"} {
			if i := strings.Index(f, p); i >= 0 {
				msg = strings.ReplaceAll(msg, f[i:], p+"****")
			}
		}
	}
	return msg
}
