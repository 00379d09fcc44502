package apic

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// retryableStatus: 429 and 5xx except 501.
func retryableStatus(code int) bool {
	return code == http.StatusTooManyRequests || (code >= 500 && code <= 599 && code != http.StatusNotImplemented)
}

// checkRetry is the retryablehttp.CheckRetry policy.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	st := stateFrom(ctx)
	policy := policyIdempotent
	if st != nil {
		policy = st.policy
	}
	retry, reason := shouldRetry(policy, resp, err)
	if retry && st != nil && st.budget > 0 && int(st.attempts.Load()) >= st.budget {
		retry = false
	}
	if retry && st != nil {
		st.setReason(reason)
	}
	return retry, nil
}

// shouldRetry decides for one attempt and says why.
func shouldRetry(policy retryPolicy, resp *http.Response, err error) (bool, string) {
	if err != nil {
		if isContextErr(err) && !isTimeout(err) {
			return false, ""
		}
		if permanentTransportError(err) {
			return false, ""
		}
		if policy == policyCreate && !notSent(err) {
			// The request may have been processed: the caller resolves it.
			return false, ""
		}
		return true, "connection error: " + sanitizeMessage(err.Error())
	}
	if resp == nil {
		return false, ""
	}
	if policy == policyCreate {
		if resp.StatusCode == http.StatusTooManyRequests {
			return true, "status 429 Too Many Requests"
		}
		return false, ""
	}
	if retryableStatus(resp.StatusCode) {
		return true, fmt.Sprintf("status %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	return false, ""
}

// isTimeout reports a per-attempt timeout (http.Client.Timeout).
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// notSent reports errors raised before the request left the client: the
// server cannot have processed it.
func notSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// permanentTransportError: failures that a retry cannot fix.
func permanentTransportError(err error) bool {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return false
	}
	var (
		unknownAuth x509.UnknownAuthorityError
		hostname    x509.HostnameError
		invalid     x509.CertificateInvalidError
		verify      *tls.CertificateVerificationError
	)
	if errors.As(err, &unknownAuth) || errors.As(err, &hostname) || errors.As(err, &invalid) || errors.As(err, &verify) {
		return true
	}
	msg := ue.Error()
	return strings.Contains(msg, "unsupported protocol scheme") ||
		strings.Contains(msg, "invalid header") ||
		strings.Contains(msg, "stopped after") // redirects
}

// backoff is the retryablehttp.Backoff: Retry-After (seconds or HTTP date)
// on 429/503, else exponential growth from min with full jitter, capped at
// max.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return d
		}
	}
	return jitter(minWait, maxWait, attempt)
}

// jitter returns a random wait in [min, min(max, min*2^attempt)].
func jitter(minWait, maxWait time.Duration, attempt int) time.Duration {
	if minWait <= 0 {
		minWait = time.Millisecond
	}
	if maxWait < minWait {
		maxWait = minWait
	}
	ceil := minWait
	for i := 0; i < attempt && ceil < maxWait; i++ {
		ceil *= 2
	}
	ceil = min(ceil, maxWait)
	if ceil <= minWait {
		return minWait
	}
	return minWait + rand.N(ceil-minWait+1) //nolint:gosec // jitter/fault injection, not security
}

// retryAfter parses a Retry-After header: delta seconds or an HTTP date.
// The result is capped at maxRetryAfter.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	var d time.Duration
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		d = time.Duration(secs * float64(time.Second))
	} else if t, err := http.ParseTime(v); err == nil {
		d = max(t.Sub(now), 0)
	} else {
		return 0, false
	}
	return min(d, maxRetryAfter), true
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
