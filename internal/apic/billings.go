package apic

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/transport"
)

func billingsPath(org string) string { return "/orgs/" + esc(org) + "/billings" }

func billingPath(org, nameOrID string) string { return billingsPath(org) + "/" + esc(nameOrID) }

// ListBillings returns every billing integration of org (name or id).
func (c *Client) ListBillings(ctx context.Context, org string) ([]Billing, error) {
	if err := segments("org", org); err != nil {
		return nil, err
	}
	return listAll(ctx, c, billingsPath(org), func(b Billing) string { return b.ID })
}

// GetBilling reads one billing integration by name or id.
func (c *Client) GetBilling(ctx context.Context, org, nameOrID string) (*Billing, error) {
	if err := segments("org", org, "billing", nameOrID); err != nil {
		return nil, err
	}
	var out Billing
	if err := c.get(ctx, billingPath(org, nameOrID), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CreateBilling creates a billing integration. The POST is never repeated
// blindly: after an ambiguous failure (connection lost after sending, 5xx,
// timeout) the billing is looked up by in.Name and returned if it exists and
// is the one sent (same title, publishable key and integration URL; else a
// *ForeignObjectError: it is someone else's, and is never adopted);
// otherwise the POST is sent again. A 409 after an ambiguous failure counts
// as created, under the same check. Without in.Name no recovery is possible
// and the ambiguous error is returned.
func (c *Client) CreateBilling(ctx context.Context, org string, in BillingCreate) (*Billing, error) {
	if err := segments("org", org); err != nil {
		return nil, err
	}
	var lookup func(context.Context) (*Billing, error)
	if in.Name != "" {
		lookup = func(ctx context.Context) (*Billing, error) {
			b, err := c.GetBilling(ctx, org, in.Name)
			if IsNotFound(err) {
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			if differs := billingDiffers(b, in); len(differs) > 0 {
				return nil, &ForeignObjectError{Org: org, Name: in.Name, ID: b.ID, URL: b.URL, Differs: differs}
			}
			return b, nil
		}
	}
	return createWithRecovery(ctx, c, billingsPath(org), in, lookup)
}

// ForeignObjectError: after an ambiguous create, an object of the requested
// name exists but is not the one sent. It may belong to someone else: it is
// not adopted, so that a later destroy cannot delete it.
type ForeignObjectError struct {
	Org, Name, ID, URL string
	// Differs names the fields that do not match what was sent.
	Differs []string
}

func (e *ForeignObjectError) Error() string {
	return fmt.Sprintf("billing integration %q (id %s, %s) exists in org %q, but its %s differ from what this create sent: "+
		"it was not created by this request and was not adopted", e.Name, e.ID, e.URL, e.Org, strings.Join(e.Differs, ", "))
}

// billingDiffers lists the fields of b that differ from the create in.
func billingDiffers(b *Billing, in BillingCreate) []string {
	var out []string
	if b.Title != in.Title {
		out = append(out, "title")
	}
	pk := ""
	if b.Configuration != nil {
		pk = b.Configuration.PublishableKey
	}
	if pk != in.Configuration.PublishableKey {
		out = append(out, "publishable key")
	}
	if strings.TrimRight(b.IntegrationURL, "/") != strings.TrimRight(in.IntegrationURL, "/") {
		out = append(out, "integration URL")
	}
	return out
}

// UpdateBilling PATCHes a billing integration and returns the result.
func (c *Client) UpdateBilling(ctx context.Context, org, nameOrID string, p BillingPatch) (*Billing, error) {
	if err := segments("org", org, "billing", nameOrID); err != nil {
		return nil, err
	}
	var out Billing
	if err := c.patch(ctx, billingPath(org, nameOrID), p, &out); err != nil {
		return nil, err
	}
	if out.ID == "" && out.Name == "" {
		// No body: read it back.
		return c.GetBilling(ctx, org, nameOrID)
	}
	return &out, nil
}

// DeleteBilling deletes a billing integration. 200, 202 and 204 succeed; a
// 404 is returned as an *Error (see IsNotFound).
func (c *Client) DeleteBilling(ctx context.Context, org, nameOrID string) error {
	if err := segments("org", org, "billing", nameOrID); err != nil {
		return err
	}
	return c.del(ctx, billingPath(org, nameOrID))
}

// createWithRecovery POSTs in to path and resolves ambiguous failures with
// lookup (nil, nil meaning "not there"). At most MaxRetries+1 HTTP attempts
// of the POST are made in total.
func createWithRecovery[T any](ctx context.Context, c *Client, path string, in any, lookup func(context.Context) (*T, error)) (*T, error) {
	maxAttempts := c.maxRetries + 1
	st, err := newCall(http.MethodPost, path, in, policyCreate)
	if err != nil {
		return nil, err
	}
	st.budget = maxAttempts
	ambiguous := false
	var lastErr error
	for round := 0; ; round++ {
		var out T
		err := c.do(ctx, st, &out, http.StatusOK, http.StatusCreated, http.StatusAccepted)
		if err == nil {
			if ambiguous && lookup != nil && isZero(out) {
				found, lerr := lookup(ctx)
				if isForeign(lerr) {
					return nil, lerr
				}
				if lerr == nil && found != nil {
					return found, nil
				}
			}
			return &out, nil
		}
		lastErr = err
		if ctx.Err() != nil {
			return nil, err
		}
		if ambiguous && IsConflict(err) && lookup != nil {
			// An earlier attempt did create it.
			found, lerr := lookup(ctx)
			if isForeign(lerr) {
				return nil, lerr
			}
			if lerr == nil && found != nil {
				c.warn(ctx, "apic: create answered 409 after an ambiguous failure; the object exists", map[string]any{"path": path})
				return found, nil
			}
			return nil, err
		}
		if !isAmbiguous(ctx, err) {
			return nil, withAttempts(err, int(st.attempts.Load()))
		}
		if lookup == nil {
			return nil, fmt.Errorf("%w; the create may or may not have happened and cannot be checked without a name", err)
		}
		ambiguous = true
		c.warn(ctx, "apic: create failed ambiguously; looking the object up before trying again", map[string]any{
			"method": http.MethodPost, "path": path, "attempt": int(st.attempts.Load()), "reason": sanitizeMessage(err.Error()),
		})
		found, lerr := lookup(ctx)
		if isForeign(lerr) {
			return nil, lerr
		}
		if lerr != nil {
			return nil, fmt.Errorf("%w; checking whether it was created failed: %w", err, lerr)
		}
		if found != nil {
			return found, nil
		}
		n := int(st.attempts.Load())
		if n >= maxAttempts {
			break
		}
		wait := jitter(c.waitMin, c.waitMax, round)
		var e *Error
		if asError(err, &e) && e.retryAfter > 0 {
			wait = e.retryAfter
		}
		c.warn(ctx, "apic: retrying create", map[string]any{
			"method": http.MethodPost, "path": path, "attempt": n + 1, "wait": wait.String(),
			"reason": "not created after an ambiguous failure",
		})
		if err := transport.Sleep(ctx, wait); err != nil {
			return nil, lastErr
		}
	}
	return nil, withAttempts(lastErr, int(st.attempts.Load()))
}

func isForeign(err error) bool {
	var f *ForeignObjectError
	return errors.As(err, &f)
}

// isZero reports an empty decoded object (no body).
func isZero[T any](v T) bool {
	switch t := any(v).(type) {
	case Billing:
		return t.ID == "" && t.Name == ""
	case ConfiguredBilling:
		return t.ID == "" && t.BillingURL == ""
	}
	return false
}

// isAmbiguous: the request may have been processed by the server.
func isAmbiguous(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	code := StatusCode(err)
	if code != 0 {
		return code >= 500 && code != http.StatusNotImplemented
	}
	var e *Error
	if !asError(err, &e) || e.Err == nil {
		return false
	}
	return !notSent(e.Err) && !permanentTransportError(e.Err)
}

// withAttempts records the attempt count on an *Error.
func withAttempts(err error, n int) error {
	var e *Error
	if n > 1 && asError(err, &e) {
		cp := *e
		cp.Attempts = n
		return &cp
	}
	return err
}
