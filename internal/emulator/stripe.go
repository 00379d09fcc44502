package emulator

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"
)

// stripeErrorBody is Stripe's error shape.
type stripeErrorBody struct {
	Error struct {
		Type    string `json:"type"`
		Message string `json:"message"`
	} `json:"error"`
}

// stripeError builds an invalid_request_error, the only type the fake emits.
func stripeError(msg string) stripeErrorBody {
	var b stripeErrorBody
	b.Error.Type = "invalid_request_error"
	b.Error.Message = msg
	return b
}

type stripeAccountOut struct {
	ID               string         `json:"id"`
	Object           string         `json:"object"`
	BusinessType     any            `json:"business_type"`
	ChargesEnabled   bool           `json:"charges_enabled"`
	Country          string         `json:"country"`
	Created          int64          `json:"created"`
	DefaultCurrency  string         `json:"default_currency"`
	DetailsSubmitted bool           `json:"details_submitted"`
	Email            string         `json:"email"`
	PayoutsEnabled   bool           `json:"payouts_enabled"`
	Type             string         `json:"type"`
	Metadata         map[string]any `json:"metadata"`
}

const publishableKeyMessage = "This API call cannot be made with a publishable API key. Please use a secret API key."

// maskKey masks a key the way Stripe does in its errors: the prefix up to
// the mode, "****" and the last four characters.
func maskKey(key string) string {
	prefix := ""
	for _, p := range []string{"sk_test_", "sk_live_", "rk_test_", "rk_live_", "pk_test_", "pk_live_"} {
		if strings.HasPrefix(key, p) {
			prefix = p
			break
		}
	}
	last := key
	if len(last) > 4 {
		last = last[len(last)-4:]
	}
	if len(key) <= len(prefix)+4 {
		last = ""
	}
	return prefix + "****" + last
}

// StripeAccountForKey applies the built-in Stripe fake's rule to a key: for
// sk_<mode>_<account16>... or rk_<mode>_<account16>... it returns
// "acct_<account16>" and the mode ("test" or "live"). ok is false for any
// other key (too short, not alphanumeric, publishable, unknown prefix).
func StripeAccountForKey(key string) (account, mode string, ok bool) {
	mode = keyMode(key, "sk", "rk")
	if mode == "" {
		return "", "", false
	}
	body := key[len("sk_")+len(mode)+1:]
	if len(body) < 16 {
		return "", "", false
	}
	acc := body[:16]
	for _, r := range acc {
		if !isAlnum(r) {
			return "", "", false
		}
	}
	return "acct_" + acc, mode, true
}

func isAlnum(r rune) bool {
	return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
}

// acc16 keeps the ASCII letters and digits of account, then pads with "0"
// or truncates to 16 characters.
func acc16(account string) string {
	var sb strings.Builder
	for _, r := range account {
		if isAlnum(r) {
			sb.WriteRune(r)
		}
	}
	s := sb.String()
	if len(s) > 16 {
		return s[:16]
	}
	return s + strings.Repeat("0", 16-len(s))
}

// StripeKeys returns a publishable and a secret key that the built-in Stripe
// fake resolves to the account StripeAccountID(account):
// pk_<mode>_<acc16><variant> and sk_<mode>_<acc16><variant>, where acc16 is
// account reduced to its letters and digits, padded with "0" or truncated to
// 16 characters. Keys of one account and mode with different variants model a
// key rotation; the same account in the other mode models a test/live swap.
func StripeKeys(account, mode, variant string) (publishable, secret string) {
	a := acc16(account)
	return "pk_" + mode + "_" + a + variant, "sk_" + mode + "_" + a + variant
}

// StripeAccountID is the account id ("acct_<acc16>") of StripeKeys(account, ...).
func StripeAccountID(account string) string { return "acct_" + acc16(account) }

// stripeKeyFromRequest reads the key from "Authorization: Bearer <key>" or
// basic auth (user = key).
func stripeKeyFromRequest(r *http.Request) string {
	if u, _, ok := r.BasicAuth(); ok {
		return u
	}
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if ok && strings.EqualFold(scheme, "Bearer") {
		return strings.TrimSpace(tok)
	}
	return ""
}

// stripeAccount serves GET /v1/account of the built-in Stripe fake.
func (e *Emulator) stripeAccount(c *call) (int, any) {
	key := stripeKeyFromRequest(c.r)
	if key == "" {
		return 401, stripeError("You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').")
	}
	if strings.HasPrefix(key, "pk_") {
		return 401, stripeError(publishableKeyMessage)
	}
	acct, _, ok := StripeAccountForKey(key)
	if !ok {
		return 401, stripeError("Invalid API Key provided: " + maskKey(key))
	}
	return 200, stripeAccountOut{
		ID: acct, Object: "account", ChargesEnabled: true, Country: "US",
		Created: 1700000000, DefaultCurrency: "usd", DetailsSubmitted: true,
		Email: strings.ToLower(acct[5:]) + "@example.com", PayoutsEnabled: true, Type: "standard",
		Metadata: map[string]any{},
	}
}

// resolveStripeAccount asks Stripe (the configured StripeBase, or the
// built-in fake in-process) which account a secret key belongs to. On error
// it returns the platform status (400 for a key Stripe rejects, 502 when
// Stripe cannot be reached or fails) and a message that never contains the key.
func (e *Emulator) resolveStripeAccount(ctx context.Context, sk string) (string, int, string) {
	base := e.Config().StripeBase
	var status int
	var body []byte
	if base == "" {
		req, err := http.NewRequestWithContext(context.WithValue(ctx, inProcessKey{}, true), http.MethodGet, "http://stripe.emulator.internal/v1/account", nil)
		if err != nil {
			return "", 500, "internal error building the Stripe request"
		}
		req.Header.Set("Authorization", "Bearer "+sk)
		req.Header.Set("User-Agent", "apic-emulator")
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		status, body = rec.Code, rec.Body.Bytes()
	} else {
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(cctx, http.MethodGet, base+"/v1/account", nil)
		if err != nil {
			return "", 500, "invalid Stripe base URL"
		}
		req.Header.Set("Authorization", "Bearer "+sk)
		req.Header.Set("User-Agent", "apic-emulator")
		resp, err := e.stripe.Do(req)
		if err != nil {
			return "", 502, "Unable to reach Stripe to verify the billing integration keys"
		}
		body, _ = io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		_ = resp.Body.Close()
		status = resp.StatusCode
	}
	switch {
	case status == 200:
		var acc struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(body, &acc); err != nil || !strings.HasPrefix(acc.ID, "acct_") {
			return "", 502, "Stripe returned an unexpected account response"
		}
		return acc.ID, 0, ""
	case status >= 400 && status < 500:
		var se stripeErrorBody
		_ = json.Unmarshal(body, &se)
		msg := strings.ReplaceAll(se.Error.Message, sk, maskKey(sk))
		if msg == "" {
			msg = http.StatusText(status)
		}
		return "", 400, "Stripe rejected the billing integration's secret key: " + msg
	default:
		return "", 502, "Stripe could not verify the billing integration keys (HTTP " + http.StatusText(status) + ")"
	}
}
