package stripekey

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/form"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/transport"
)

// maxResponseBytes bounds a Stripe response body: an account is a few KB.
const maxResponseBytes = 1 << 20

// userAgent identifies the provider to Stripe. It says nothing about the
// machine: stripe-go's own backend runs `uname -a` (a child process that
// inherits the provider's environment, passwords included) and sends the
// host name and kernel in X-Stripe-Client-User-Agent.
const userAgent = "terraform-provider-apiconnect (stripe-go/v76; Stripe API " + stripe.APIVersion + ")"

// Retry bounds of a lookup (stripe-go's own defaults).
const (
	retryWaitMin = 500 * time.Millisecond
	retryWaitMax = 5 * time.Second
)

// backend is a stripe.Backend of our own: stripe-go's clients and types, sent
// through our HTTP client, which never follows a redirect (Go keeps the
// Authorization header for the same host on another port or scheme, so a
// redirect could carry a secret key in clear), caps response bodies and runs
// no child process. One backend serves one call (it carries its context).
type backend struct {
	ctx        context.Context
	base       string
	httpClient *http.Client
	maxRetries int64
}

var _ stripe.Backend = (*backend)(nil)

// errUnsupported: the provider only reads from Stripe.
var errUnsupported = errors.New("stripekey: only GET requests are supported")

// Call performs a GET with params as the query and decodes the answer into v.
func (b *backend) Call(method, path, key string, params stripe.ParamsContainer, v stripe.LastResponseSetter) error {
	if method != http.MethodGet {
		return errUnsupported
	}
	query := &form.Values{}
	if params != nil {
		form.AppendTo(query, params)
	}
	target := b.base + path
	if q := query.Encode(); q != "" {
		target += "?" + q
	}
	var lastErr error
	for attempt := int64(0); ; attempt++ {
		res, body, err := b.send(target, key) //nolint:bodyclose // send reads and closes the body
		retry := b.retryable(res, err)
		if err == nil && !retry {
			return decode(res, body, v)
		}
		lastErr = err
		if err == nil {
			lastErr = decode(res, body, v)
		}
		if !retry || attempt >= b.maxRetries {
			return lastErr
		}
		if werr := wait(b.ctx, attempt); werr != nil {
			return werr
		}
	}
}

// send performs one attempt and reads the (bounded) body.
func (b *backend) send(target, key string) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(b.ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Stripe-Version", stripe.APIVersion)
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept", "application/json")
	res, err := b.httpClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer func() { _ = res.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(res.Body, maxResponseBytes+1))
	if err != nil {
		return nil, nil, err
	}
	if len(body) > maxResponseBytes {
		return nil, nil, fmt.Errorf("the response of %s exceeds %d bytes", res.Request.URL.Redacted(), maxResponseBytes)
	}
	return res, body, nil
}

// retryable follows stripe-go: connection errors, 409, 429 and 5xx are
// retried unless Stripe says otherwise; a cancelled call and redirects are not.
func (b *backend) retryable(res *http.Response, err error) bool {
	if b.ctx.Err() != nil {
		return false
	}
	if err != nil {
		var ue *url.Error
		return errors.As(err, &ue) && !transport.IsCertificateError(err)
	}
	switch res.Header.Get("Stripe-Should-Retry") {
	case "true":
		return true
	case "false":
		return false
	}
	return res.StatusCode == http.StatusConflict || res.StatusCode == http.StatusTooManyRequests || res.StatusCode >= 500
}

// wait sleeps before retry attempt+1: exponential from retryWaitMin, capped
// at retryWaitMax, with jitter in its upper half.
func wait(ctx context.Context, attempt int64) error {
	d := retryWaitMin << min(attempt, 4)
	d = min(d, retryWaitMax)
	d = d/2 + rand.N(d/2+1) //nolint:gosec // jitter, not security
	return transport.Sleep(ctx, d)
}

// decode turns an answer into v or into a *stripe.Error.
func decode(res *http.Response, body []byte, v stripe.LastResponseSetter) error {
	if res.StatusCode >= 300 && res.StatusCode < 400 {
		return &redirectError{status: res.StatusCode, location: res.Header.Get("Location")}
	}
	if res.StatusCode >= 400 {
		var raw struct {
			Error *stripe.Error `json:"error"`
		}
		if err := json.Unmarshal(body, &raw); err != nil || raw.Error == nil {
			return &stripe.Error{HTTPStatusCode: res.StatusCode, Msg: http.StatusText(res.StatusCode), Type: stripe.ErrorTypeAPI}
		}
		raw.Error.HTTPStatusCode = res.StatusCode
		raw.Error.RequestID = res.Header.Get("Request-Id")
		return raw.Error
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("the answer is not valid JSON: %w", err)
	}
	v.SetLastResponse(&stripe.APIResponse{
		Header: res.Header, RawJSON: bytes.Clone(body), RequestID: res.Header.Get("Request-Id"),
		Status: res.Status, StatusCode: res.StatusCode,
	})
	return nil
}

// redirectError: Stripe's API never redirects; the redirect is not followed.
type redirectError struct {
	status   int
	location string
}

func (e *redirectError) Error() string {
	where := ""
	if u, err := url.Parse(e.location); err == nil && u.Host != "" {
		where = " to " + u.Scheme + "://" + u.Host
	}
	return "a redirect" + where + ", not followed (it would carry the secret key)"
}

// CallStreaming is not supported.
func (b *backend) CallStreaming(string, string, string, stripe.ParamsContainer, stripe.StreamingLastResponseSetter) error {
	return errUnsupported
}

// CallRaw is not supported.
func (b *backend) CallRaw(string, string, string, *form.Values, *stripe.Params, stripe.LastResponseSetter) error {
	return errUnsupported
}

// CallMultipart is not supported.
func (b *backend) CallMultipart(string, string, string, string, *bytes.Buffer, *stripe.Params, stripe.LastResponseSetter) error {
	return errUnsupported
}

// SetMaxNetworkRetries sets the retries after the first attempt.
func (b *backend) SetMaxNetworkRetries(n int64) { b.maxRetries = n }
