// Package emulator is an in-memory fake of the IBM API Connect v10 platform
// REST API, limited to what the apiconnect Terraform provider uses: the
// token endpoint, provider-org billing integrations (Stripe) with their job
// queues, catalogs with their settings, and configured billings (a billing
// added to a Catalog). It also serves a tiny Stripe fake (GET /v1/account).
//
// It is a test double, independent of the provider's own client package, and
// never the definition of the platform: it implements PLATFORM.md at the
// root of the repository, which lists each call, field and status the
// provider relies on and tags each one documented by IBM, shown by IBM's
// samples, or inferred (201 on create, "********" masking of full_access_key,
// the {total_results, results} list envelope, {"status": N, "message": [...]}
// errors, the key-swap rule on update, 409 when deleting a billing that is
// still configured in a Catalog). Where a real platform differs from an
// inferred fact, change the emulator and PLATFORM.md (see CONTRIBUTING.md).
//
// Use it in-process from tests:
//
//	srv := emulator.NewServer(emulator.Config{})
//	defer srv.Close()
//	endpoint := srv.Endpoint()     // http://127.0.0.1:NNNN/api
//	stripeBase := srv.StripeBase() // http://127.0.0.1:NNNN (the built-in Stripe fake)
//
// or as a standalone process: go run ./internal/cmd/apic-emulator.
//
// # The built-in Stripe fake
//
// The fake answers GET /v1/account (Authorization: Bearer <key>, or basic
// auth with the key as user name). It derives the account from the key, so
// tests can mint keys of any account and mode without a network:
//
//   - A secret key has the form sk_<mode>_<account16><anything> (or
//     rk_<mode>_...), where <mode> is "test" or "live" and <account16> is the
//     first 16 characters after the mode prefix; they must be ASCII letters or
//     digits. The account id is "acct_<account16>". The test and live keys of
//     one account therefore share the same 16 characters.
//   - A secret key whose body is shorter than 16 characters, or not
//     alphanumeric there, is answered 401 invalid_request_error
//     "Invalid API Key provided: sk_test_****<last4>" (Stripe's own masking).
//   - A publishable key (pk_...) is answered 401 "This API call cannot be
//     made with a publishable API key. Please use a secret API key."
//   - Success is 200 {"id": "acct_...", "object": "account", ...}.
//
// StripeKeys builds a matching publishable/secret key pair for an account
// name, mode and variant; keys of the same account and mode but different
// variants model a key rotation.
//
// # Faults
//
// SetFaults injects 429 (with Retry-After), 503, connection resets, committed
// creates whose response is dropped, latency, short token lifetimes and a
// Stripe outage. Decisions come from a mutex-protected math/rand source seeded
// with Config.Seed. Faults.ErrorBody replaces the JSON body of injected 429
// and 503 answers by a gateway's HTML page. Every request is journaled
// (Requests, Counts, Count) with its route pattern, e.g.
// "POST /api/orgs/{org}/billings"; a request whose connection was dropped on
// purpose is journaled with Status 0. ChangeCounts counts the writes that
// changed state (a committed create whose response was dropped included), so
// tests can assert that an error path changed nothing and that faults caused
// no duplicate create.
//
// # Hostile mode
//
// SetHostile makes the emulator a misbehaving or malicious platform for
// reliability tests (SPEC section 7): error answers that echo the request's
// token, login secrets and Stripe secret key (raw, glued to a word, after
// %3D, padded past 512 characters); redirects of chosen routes (the Stripe
// fake's included) to another server; a literal, absurd Retry-After ("NaN",
// "1e300") on injected 429 and 503 answers; a create that stores someone
// else's integration of the same name and drops the connection; odd
// job_queue_status shapes and job fields; and the expiry of the static
// token. None of it is platform behaviour: it is what the provider must
// withstand.
//
// # Users and permissions
//
// Besides the administrator (Config.Username), the org has a read-only
// member, Config.ViewerUsername / Config.ViewerPassword (defaults
// "apic-viewer" / "emulator-Viewer-Passw0rd"), with the same realm and
// client: its reads succeed and its writes are answered 403
// {"status":403,"message":["Forbidden: ... lacks the permission settings:manage"]}.
package emulator
