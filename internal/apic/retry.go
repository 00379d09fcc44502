package apic

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/transport"
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
	if transport.IsCertificateError(err) {
		return true
	}
	msg := ue.Error()
	return strings.Contains(msg, "unsupported protocol scheme") ||
		strings.Contains(msg, "invalid header") ||
		strings.Contains(msg, "stopped after") // redirects
}

// backoff is the retryablehttp.Backoff: Retry-After (seconds or HTTP date)
// on 429/503, else exponential growth from min with full jitter, capped at
// max. The wait chosen is kept on the call for the retry's log line.
func (c *Client) backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	d := jitter(minWait, maxWait, attempt)
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if ra, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now(), c.maxRetryAfter); ok {
			d = ra
		}
	}
	if resp != nil && resp.Request != nil {
		if st := stateFrom(resp.Request.Context()); st != nil {
			st.lastWait.Store(int64(d))
		}
	}
	return d
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
// Values that are not finite or negative are refused; the result is capped
// at limit before any conversion can overflow.
func retryAfter(v string, now time.Time, limit time.Duration) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		switch {
		case math.IsNaN(secs) || math.IsInf(secs, -1) || secs < 0:
			return 0, false
		case secs >= limit.Seconds(): // +Inf included
			return limit, true
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return min(max(t.Sub(now), 0), limit), true
}
