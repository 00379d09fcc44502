package keypolicy

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// Keys of two Stripe accounts; the fake resolver knows which is whose.
const (
	pkTestA = "pk_test_AccountA000000000001"
	skTestA = "sk_test_AccountA000000000001"
	skTestB = "sk_test_AccountA000000000002" // rotation: account A, test mode
	rkTestA = "rk_test_AccountA000000000003" // restricted key of account A
	pkLiveA = "pk_live_AccountA000000000001"
	skLiveA = "sk_live_AccountA000000000001"
	rkLiveA = "rk_live_AccountA000000000001"
	pkTestZ = "pk_test_AccountZ000000000001"
	skTestZ = "sk_test_AccountZ000000000001"
	skBad   = "sk_test_Rejected00000000001" // Stripe refuses it

	acctA = "acct_A"
	acctZ = "acct_Z"
)

var errRejected = errors.New("the secret key was rejected (401 Unauthorized)")

// fakeResolver answers from a table and counts its lookups.
type fakeResolver struct{ calls int }

func (r *fakeResolver) Account(_ context.Context, key string) (string, error) {
	r.calls++
	switch key {
	case skTestA, skTestB, rkTestA, skLiveA, rkLiveA:
		return acctA, nil
	case skTestZ:
		return acctZ, nil
	}
	return "", errRejected
}

// prior is an integration created with keys of account A in test mode
// through secret_key.
func prior() *Prior {
	return &Prior{Name: "payments", Mode: "test", Account: acctA, StoredSecret: skTestA, Publishable: pkTestA}
}

// woPrior is the same integration with its key sent through secret_key_wo.
func woPrior() *Prior {
	p := prior()
	p.StoredSecret = ""
	p.Fingerprint = NewFingerprint(skTestA)
	return p
}

// legacyFingerprintA is what the build before the compact fingerprint wrote
// into private state for skTestA (its setFingerprint: a 16-byte hex salt and
// the hex HMAC-SHA256, as JSON).
const legacyFingerprintA = `{"salt":"000102030405060708090a0b0c0d0e0f","hmac":"83f679fdb2d1356cfd12db8610e4e2cf39ac436264c914f1128021201fc851bf"}`

// woPrior with the fingerprint an earlier build wrote.
func legacyWOPrior() *Prior {
	p := woPrior()
	p.Fingerprint = []byte(legacyFingerprintA)
	return p
}

// prior (secret_key) with the fingerprint an earlier build wrote for it too.
func legacySecretPrior() *Prior {
	p := prior()
	p.Fingerprint = []byte(legacyFingerprintA)
	return p
}

func secret(v string) Secret   { return Secret{Key: KnownKey(v), Attribute: AttrSecretKey} }
func secretWO(v string) Secret { return Secret{Key: KnownKey(v), Attribute: AttrSecretKeyWO} }

type want struct {
	mode, account  Value
	replace        []string
	sendKeys       bool
	secretChanged  bool
	stop           bool
	errSummary     string // "" = no error
	warnSummary    string // "" = no warning
	detail         []string
	lookups        int
	newFingerprint bool // a fingerprint of the configured key is to be stored
	clearFinger    bool // the fingerprint is to be removed
}

func TestDecide(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   Input
		want want
	}{
		// Create.
		{"create: plan resolves the account", Input{Phase: Plan, Publishable: KnownKey(pkTestA), Secret: secret(skTestA)},
			want{mode: Known("test"), account: Known(acctA), sendKeys: true, secretChanged: true, lookups: 1}},
		{"create: apply resolves; secret_key needs no fingerprint", Input{Phase: Apply, Publishable: KnownKey(pkTestA), Secret: secret(skTestA), PlannedMode: "test"},
			want{mode: Known("test"), account: Known(acctA), sendKeys: true, secretChanged: true, lookups: 1}},
		{"create: restricted key", Input{Phase: Plan, Publishable: KnownKey(pkTestA), Secret: secret(rkTestA)},
			want{mode: Known("test"), account: Known(acctA), sendKeys: true, secretChanged: true, lookups: 1}},
		{"create: live keys", Input{Phase: Plan, Publishable: KnownKey(pkLiveA), Secret: secretWO(skLiveA)},
			want{mode: Known("live"), account: Known(acctA), sendKeys: true, secretChanged: true, lookups: 1}},

		// Unknown at plan.
		{"unknown secret: mode from the publishable key, account unknown, no lookup", Input{Phase: Plan, Publishable: KnownKey(pkLiveA), Secret: Secret{Attribute: AttrSecretKey}, Prior: prior()},
			want{mode: Known("live"), account: Unknown(), sendKeys: true, secretChanged: true, replace: []string{AttrMode}, warnSummary: "Stripe key change forces replacement", detail: []string{"from test to live"}}},
		{"unknown publishable: mode from the secret key", Input{Phase: Plan, Publishable: UnknownKey(), Secret: secret(skTestA), Prior: prior()},
			want{mode: Known("test"), account: Known(acctA), sendKeys: true}},
		{"both unknown", Input{Phase: Plan, Publishable: UnknownKey(), Secret: Secret{Attribute: AttrSecretKeyWO}},
			want{mode: Unknown(), account: Unknown(), sendKeys: true, secretChanged: true}},

		// Rotation within one account and mode.
		{"rotation: plan updates in place", Input{Phase: Plan, Publishable: KnownKey(pkTestA), Secret: secret(skTestB), Prior: prior()},
			want{mode: Known("test"), account: Known(acctA), sendKeys: true, secretChanged: true, lookups: 1}},
		{"rotation: apply sends", Input{Phase: Apply, Publishable: KnownKey(pkTestA), Secret: secret(skTestB), Prior: prior(), PlannedMode: "test"},
			want{mode: Known("test"), account: Known(acctA), sendKeys: true, secretChanged: true, lookups: 1}},
		{"rotation to a restricted key of the account", Input{Phase: Plan, Publishable: KnownKey(pkTestA), Secret: secret(rkTestA), Prior: prior()},
			want{mode: Known("test"), account: Known(acctA), sendKeys: true, secretChanged: true, lookups: 1}},
		{"same key: no lookup, the state's account", Input{Phase: Plan, Publishable: KnownKey(pkTestA), Secret: secret(skTestA), Prior: prior()},
			want{mode: Known("test"), account: Known(acctA)}},
		{"same key, new publishable key: sent", Input{Phase: Apply, Publishable: KnownKey("pk_test_AccountA000000000009"), Secret: secret(skTestA), Prior: prior(), PlannedMode: "test"},
			want{mode: Known("test"), account: Known(acctA), sendKeys: true}},

		// Account swap.
		{"account swap: plan replaces", Input{Phase: Plan, Publishable: KnownKey(pkTestZ), Secret: secret(skTestZ), Prior: prior()},
			want{mode: Known("test"), account: Known(acctZ), replace: []string{AttrStripeAccountID}, sendKeys: true, secretChanged: true, lookups: 1,
				warnSummary: "Stripe key change forces replacement", detail: []string{`"payments" will be replaced`, "secret_key belongs to Stripe account acct_Z, the integration to acct_A"}}},
		{"account swap known only at apply: refused", Input{Phase: Apply, Publishable: KnownKey(pkTestZ), Secret: secret(skTestZ), Prior: prior()},
			want{mode: Known("test"), account: Known(acctZ), sendKeys: true, secretChanged: true, stop: true, lookups: 1,
				errSummary: "Refusing to switch Stripe account", detail: []string{"secret key in secret_key", "acct_Z", "Nothing was sent"}}},
		{"account swap of a write-only key without a version bump: replaces", Input{Phase: Plan, Publishable: KnownKey(pkTestZ), Secret: secretWO(skTestZ), Prior: woPrior()},
			want{mode: Known("test"), account: Known(acctZ), replace: []string{AttrStripeAccountID}, sendKeys: true, secretChanged: true, lookups: 1,
				warnSummary: "Stripe key change forces replacement", detail: []string{"secret key in secret_key_wo belongs to Stripe account acct_Z"}}},

		// Mode swap.
		{"mode swap in one account: plan replaces", Input{Phase: Plan, Publishable: KnownKey(pkLiveA), Secret: secret(skLiveA), Prior: prior()},
			want{mode: Known("live"), account: Known(acctA), replace: []string{AttrMode}, sendKeys: true, secretChanged: true, lookups: 1,
				warnSummary: "Stripe key change forces replacement", detail: []string{"the keys change Stripe mode from test to live"}}},
		{"mode and account swap: both reasons", Input{Phase: Plan, Publishable: KnownKey(pkLiveA), Secret: secret(skLiveA), Prior: &Prior{Name: "p", Mode: "test", Account: acctZ, StoredSecret: skTestZ, Publishable: pkTestZ}},
			want{mode: Known("live"), account: Known(acctA), replace: []string{AttrMode, AttrStripeAccountID}, sendKeys: true, secretChanged: true, lookups: 1,
				warnSummary: "Stripe key change forces replacement", detail: []string{"from test to live", "account acct_A, the integration to acct_Z"}}},
		{"mode swap known only at apply: refused", Input{Phase: Apply, Publishable: KnownKey(pkLiveA), Secret: secret(rkLiveA), Prior: prior()},
			want{mode: Known("live"), account: Known(acctA), sendKeys: true, secretChanged: true, stop: true, lookups: 1,
				errSummary: "Refusing to switch Stripe mode", detail: []string{"publishable_key, secret_key", "live-mode keys", `"payments" is in test mode`}}},
		{"apply: mode other than planned", Input{Phase: Apply, Publishable: KnownKey(pkLiveA), Secret: secret(skLiveA), PlannedMode: "test"},
			want{mode: Known("live"), account: Known(acctA), sendKeys: true, secretChanged: true, stop: true, lookups: 1,
				errSummary: "Stripe mode differs from the plan", detail: []string{"publishable_key, secret_key", "plan showed mode test"}}},

		// Mixed modes: one wording at plan and apply.
		{"mixed modes at plan", Input{Phase: Plan, Publishable: KnownKey(pkTestA), Secret: secret(skLiveA)},
			want{mode: Unknown(), account: Unknown(), stop: true, errSummary: "Stripe keys of different modes", detail: []string{"publishable_key is a test-mode key but secret_key is a live-mode key"}}},
		{"mixed modes at apply", Input{Phase: Apply, Publishable: KnownKey(pkLiveA), Secret: secretWO(rkTestA), Prior: woPrior()},
			want{mode: Unknown(), account: Unknown(), stop: true, errSummary: "Stripe keys of different modes", detail: []string{"publishable_key is a live-mode key but secret_key_wo is a test-mode key"}}},

		// Wrong kinds and malformed keys: at plan the validators report them.
		{"publishable key as the secret, plan", Input{Phase: Plan, Publishable: KnownKey(pkTestA), Secret: secret(pkTestA)},
			want{mode: Unknown(), account: Unknown(), stop: true}},
		{"publishable key as the secret, apply", Input{Phase: Apply, Publishable: KnownKey(pkTestA), Secret: secretWO(pkTestA)},
			want{mode: Unknown(), account: Unknown(), stop: true, errSummary: "Invalid Stripe secret key", detail: []string{"secret_key_wo: a publishable key was given"}}},
		{"secret key as the publishable key, apply", Input{Phase: Apply, Publishable: KnownKey(skTestA), Secret: secret(skTestA)},
			want{mode: Unknown(), account: Unknown(), stop: true, errSummary: "Invalid Stripe publishable key", detail: []string{"publishable_key: a secret key was given"}}},
		{"unknown mode segment, apply", Input{Phase: Apply, Publishable: KnownKey(pkTestA), Secret: secret("sk_prod_AccountA000000000001")},
			want{mode: Unknown(), account: Unknown(), stop: true, errSummary: "Invalid Stripe secret key", detail: []string{"secret_key: unknown key mode"}}},

		// Write-only keys and the version.
		{"write-only: same key, same version: nothing sent", Input{Phase: Apply, Publishable: KnownKey(pkTestA), Secret: secretWO(skTestA), Prior: woPrior()},
			want{mode: Known("test"), account: Known(acctA)}},
		{"write-only: same key, new version: sent again", Input{Phase: Apply, Publishable: KnownKey(pkTestA), Secret: secretWO(skTestA), Prior: woPrior(), VersionChanged: true},
			want{mode: Known("test"), account: Known(acctA), sendKeys: true, newFingerprint: true}},
		{"write-only: rotated key, new version: in place", Input{Phase: Plan, Publishable: KnownKey(pkTestA), Secret: secretWO(skTestB), Prior: woPrior(), VersionChanged: true},
			want{mode: Known("test"), account: Known(acctA), sendKeys: true, secretChanged: true, lookups: 1}},
		{"write-only: rotated key without a new version: warned", Input{Phase: Plan, Publishable: KnownKey(pkTestA), Secret: secretWO(skTestB), Prior: woPrior()},
			want{mode: Known("test"), account: Known(acctA), sendKeys: true, secretChanged: true, lookups: 1,
				warnSummary: "Write-only secret key changed without a new version", detail: []string{"secret_key_wo differs", "secret_key_wo_version did not change"}}},
		{"write-only: imported, no fingerprint: counts as changed", Input{Phase: Plan, Publishable: KnownKey(pkTestA), Secret: secretWO(skTestA), Prior: &Prior{Name: "i", Mode: "test", Account: acctA, Publishable: pkTestA}, VersionChanged: true},
			want{mode: Known("test"), account: Known(acctA), sendKeys: true, secretChanged: true, lookups: 1}},
		{"write-only: a damaged fingerprint counts as none", Input{Phase: Plan, Publishable: KnownKey(pkTestA), Secret: secretWO(skTestA), Prior: &Prior{Name: "i", Mode: "test", Account: acctA, Publishable: pkTestA, Fingerprint: []byte(`{"salt":"zz","hmac":"00"}`)}, VersionChanged: true},
			want{mode: Known("test"), account: Known(acctA), sendKeys: true, secretChanged: true, lookups: 1}},

		// Migration between secret_key and secret_key_wo.
		{"migration to secret_key_wo with a first version: nothing sent", Input{Phase: Apply, Publishable: KnownKey(pkTestA), Secret: secretWO(skTestA), Prior: prior(), VersionChanged: true},
			want{mode: Known("test"), account: Known(acctA), newFingerprint: true}},
		{"migration to secret_key_wo: no warning at plan", Input{Phase: Plan, Publishable: KnownKey(pkTestA), Secret: secretWO(skTestA), Prior: prior(), VersionChanged: true},
			want{mode: Known("test"), account: Known(acctA)}},
		{"migration back to secret_key: the fingerprint recognises the key, then is dropped", Input{Phase: Apply, Publishable: KnownKey(pkTestA), Secret: secret(skTestA), Prior: woPrior(), VersionChanged: true},
			want{mode: Known("test"), account: Known(acctA), clearFinger: true}},
		{"migration back with another key: sent", Input{Phase: Apply, Publishable: KnownKey(pkTestA), Secret: secret(skTestB), Prior: woPrior(), PlannedMode: "test"},
			want{mode: Known("test"), account: Known(acctA), sendKeys: true, secretChanged: true, lookups: 1, clearFinger: true}},

		// Resolver errors.
		{"resolver error at plan", Input{Phase: Plan, Publishable: KnownKey(pkTestA), Secret: secretWO(skBad)},
			want{mode: Known("test"), account: Unknown(), sendKeys: true, secretChanged: true, stop: true, lookups: 1,
				errSummary: "Cannot resolve the Stripe account of the secret key", detail: []string{"EXPLAINED: the secret key was rejected"}}},
		{"resolver error at apply", Input{Phase: Apply, Publishable: KnownKey(pkTestA), Secret: secret(skBad), Prior: prior()},
			want{mode: Known("test"), account: Unknown(), sendKeys: true, secretChanged: true, stop: true, lookups: 1,
				errSummary: "Cannot resolve the Stripe account of the secret key", detail: []string{"EXPLAINED: the secret key was rejected"}}},

		// stripe_key_check = "mode".
		{"mode check: offline, account null", Input{Phase: Plan, Check: CheckMode, Publishable: KnownKey(pkTestZ), Secret: secret(skTestZ), Prior: prior()},
			want{mode: Known("test"), account: Null(), sendKeys: true, secretChanged: true}},
		{"mode check: a mode swap still replaces", Input{Phase: Plan, Check: CheckMode, Publishable: KnownKey(pkLiveA), Secret: secret(skLiveA), Prior: prior()},
			want{mode: Known("live"), account: Null(), replace: []string{AttrMode}, sendKeys: true, secretChanged: true, warnSummary: "Stripe key change forces replacement"}},
		{"mode check: apply refuses a mode swap", Input{Phase: Apply, Check: CheckMode, Publishable: KnownKey(pkLiveA), Secret: secret(skLiveA), Prior: prior()},
			want{mode: Known("live"), account: Null(), sendKeys: true, secretChanged: true, stop: true, errSummary: "Refusing to switch Stripe mode"}},
		{"account check after mode check: the state has no account, so resolve", Input{Phase: Plan, Check: CheckAccount, Publishable: KnownKey(pkTestA), Secret: secret(skTestA), Prior: &Prior{Name: "m", Mode: "test", StoredSecret: skTestA, Publishable: pkTestA}},
			want{mode: Known("test"), account: Known(acctA), lookups: 1}},
		{"apply without keys to send keeps the state's values", Input{Phase: Apply, Check: CheckMode, Publishable: KnownKey(pkTestA), Secret: secretWO(skTestA), Prior: woPrior()},
			want{mode: Known("test"), account: Known(acctA)}},
		{"apply without keys to send fingerprints a key that has none", Input{Phase: Apply, Publishable: KnownKey(pkTestA), Secret: secretWO(skTestA), Prior: &Prior{Name: "i", Mode: "test", StoredSecret: skTestA, Publishable: pkTestA}},
			want{mode: Known("test"), account: Null(), newFingerprint: true}},
		{"write-only create: apply fingerprints the key", Input{Phase: Apply, Publishable: KnownKey(pkTestA), Secret: secretWO(skTestA), PlannedMode: "test"},
			want{mode: Known("test"), account: Known(acctA), sendKeys: true, secretChanged: true, lookups: 1, newFingerprint: true}},
		{"write-only, nothing sent, current fingerprint: kept as is", Input{Phase: Apply, Publishable: KnownKey(pkTestA), Secret: secretWO(skTestA), Prior: woPrior()},
			want{mode: Known("test"), account: Known(acctA)}},
		{"write-only, nothing sent, fingerprint of an earlier build: rewritten compact", Input{Phase: Apply, Publishable: KnownKey(pkTestA), Secret: secretWO(skTestA), Prior: legacyWOPrior()},
			want{mode: Known("test"), account: Known(acctA), newFingerprint: true}},
		{"write-only plan: a fingerprint of an earlier build still tells a changed key", Input{Phase: Plan, Publishable: KnownKey(pkTestA), Secret: secretWO(skTestB), Prior: legacyWOPrior()},
			want{mode: Known("test"), account: Known(acctA), sendKeys: true, secretChanged: true, lookups: 1, warnSummary: "Write-only secret key changed without a new version"}},
		{"write-only plan: a fingerprint of an earlier build matches the same key", Input{Phase: Plan, Publishable: KnownKey(pkTestA), Secret: secretWO(skTestA), Prior: legacyWOPrior()},
			want{mode: Known("test"), account: Known(acctA)}},
		{"secret_key, nothing sent, fingerprint of an earlier build: dropped", Input{Phase: Apply, Publishable: KnownKey(pkTestA), Secret: secret(skTestA), Prior: legacySecretPrior()},
			want{mode: Known("test"), account: Known(acctA), clearFinger: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &fakeResolver{}
			tc.in.Resolver = r
			tc.in.ExplainResolveError = func(err error) string { return "EXPLAINED: " + err.Error() }
			d := Decide(context.Background(), tc.in)
			checkDecision(t, tc.in, d, tc.want, r.calls)
		})
	}
}

func checkDecision(t *testing.T, in Input, d Decision, w want, lookups int) {
	t.Helper()
	if d.ClearFingerprint != w.clearFinger {
		t.Errorf("clear fingerprint = %v, want %v", d.ClearFingerprint, w.clearFinger)
	}
	if d.Mode != w.mode || d.Account != w.account {
		t.Errorf("mode, account = %s, %s; want %s, %s", show(d.Mode), show(d.Account), show(w.mode), show(w.account))
	}
	if !slices.Equal(d.Replace, w.replace) {
		t.Errorf("replace = %v, want %v", d.Replace, w.replace)
	}
	if d.SendKeys != w.sendKeys || d.SecretChanged != w.secretChanged || d.Stop != w.stop {
		t.Errorf("send keys, secret changed, stop = %v, %v, %v; want %v, %v, %v", d.SendKeys, d.SecretChanged, d.Stop, w.sendKeys, w.secretChanged, w.stop)
	}
	checkMessages(t, "error", d.Errors, w.errSummary)
	checkMessages(t, "warning", d.Warnings, w.warnSummary)
	all := strings.Join(texts(append(d.Errors, d.Warnings...)), "\n")
	for _, s := range w.detail {
		if !strings.Contains(all, s) {
			t.Errorf("the messages do not say %q:\n%s", s, all)
		}
	}
	for _, key := range []string{in.Secret.Value, skTestA, skTestB, skTestZ, skLiveA, rkTestA, rkLiveA, skBad} {
		if key != "" && strings.Contains(all, key) {
			t.Errorf("a message repeats a secret key:\n%s", all)
		}
	}
	for _, m := range append(d.Errors, d.Warnings...) {
		if m.Attribute != "" && !strings.Contains(m.Summary+m.Detail, m.Attribute) {
			t.Errorf("%q is about %s but does not name it: %s", m.Summary, m.Attribute, m.Detail)
		}
	}
	for _, m := range d.Errors {
		if m.Attribute != in.Secret.Attribute && m.Attribute != AttrPublishableKey {
			t.Errorf("error %q is about %q, want the secret's or the publishable key's attribute", m.Summary, m.Attribute)
		}
	}
	if lookups != w.lookups {
		t.Errorf("%d account lookups, want %d", lookups, w.lookups)
	}
	matches, present := fingerprintMatches(d.NewFingerprint, in.Secret.Value)
	if present != w.newFingerprint || (present && !matches) {
		t.Errorf("new fingerprint present=%v matches=%v, want present=%v", present, matches, w.newFingerprint)
	}
	if d.Stop && d.NewFingerprint != nil {
		t.Errorf("a stopped decision stores a fingerprint")
	}
}

// checkMessages wants one message of the summary given, or none. An error
// about a secret attribute names it at the end of its summary.
func checkMessages(t *testing.T, kind string, msgs []Message, summary string) {
	t.Helper()
	if summary == "" {
		if len(msgs) > 0 {
			t.Errorf("unexpected %s: %v", kind, msgs)
		}
		return
	}
	if len(msgs) != 1 {
		t.Errorf("%ss = %v, want one %q", kind, msgs, summary)
		return
	}
	got := msgs[0].Summary
	if a := msgs[0].Attribute; kind == "error" && (a == AttrSecretKey || a == AttrSecretKeyWO) {
		got = strings.TrimSuffix(got, " ("+a+")")
		if got == msgs[0].Summary {
			t.Errorf("the summary %q does not name %s", got, a)
		}
	}
	if got != summary {
		t.Errorf("%s summary = %q, want %q", kind, got, summary)
	}
}

func texts(msgs []Message) []string {
	out := make([]string, 0, len(msgs))
	for _, m := range msgs {
		out = append(out, m.Summary+": "+m.Detail)
	}
	return out
}

func show(v Value) string {
	switch {
	case v.IsUnknown():
		return "(unknown)"
	case v.IsNull():
		return "(null)"
	}
	return fmt.Sprintf("%q", v.String())
}

func TestFingerprint(t *testing.T) {
	f := NewFingerprint(skTestA)
	if strings.Contains(string(f), skTestA) || strings.Contains(string(f), "AccountA") {
		t.Fatalf("the fingerprint holds the key: %s", f)
	}
	if m, ok := fingerprintMatches(f, skTestA); !m || !ok {
		t.Errorf("the fingerprint does not match its key")
	}
	if m, ok := fingerprintMatches(f, skTestB); m || !ok {
		t.Errorf("the fingerprint matches another key")
	}
	if string(NewFingerprint(skTestA)) == string(f) {
		t.Errorf("two fingerprints of one key are equal: the salt is not random")
	}
	if NewFingerprint("") != nil {
		t.Errorf("an empty key has a fingerprint")
	}
	if len(f) != 34 {
		t.Errorf("the fingerprint takes %d bytes, want 34 (one JSON string of base64): %s", len(f), f)
	}
	for _, raw := range []string{"", "not json", `{"salt":"00"}`, `"short"`, `""`, `"` + strings.Repeat("A", 32) + `="`} {
		if _, ok := fingerprintMatches([]byte(raw), skTestA); ok {
			t.Errorf("%q counts as a fingerprint", raw)
		}
	}
}

// TestFingerprintOfEarlierBuild: the private state the previous build wrote
// (its fingerprint under the key secret_key_fingerprint, base64 by the
// framework, then by Terraform) still tells the key it was made from from
// another key.
func TestFingerprintOfEarlierBuild(t *testing.T) {
	// "private" of an apiconnect_billing_integration in a terraform.tfstate
	// written by the build before the compact fingerprint, for the
	// emulator's key below.
	const statePrivate = "eyJzZWNyZXRfa2V5X2ZpbmdlcnByaW50IjoiZXlKellXeDBJam9pTXpVNU1XVm1NVGt6WVdSaU5XVTNNbVEyWmpnM01UZzJNRE14WWpBM1lqSWlMQ0pvYldGaklqb2lOekpsTVRObU5EY3paak5rTURnelpXTTBaVGt6WVRWa01HRmpPVEpoTTJGaFl6azVaRGN3TTJZelptSTRZemxoWWpReU9UbGxNbVZoTW1Ga05qYzFNeUo5In0="
	const key = "sk_test_bench00000000000"
	framework, err := base64.StdEncoding.DecodeString(statePrivate)
	if err != nil {
		t.Fatal(err)
	}
	var provider map[string][]byte // the framework's JSON: values base64
	if err := json.Unmarshal(framework, &provider); err != nil {
		t.Fatal(err)
	}
	raw, ok := provider[LegacyPrivateStateKey]
	if !ok {
		t.Fatalf("no %s in %s", LegacyPrivateStateKey, framework)
	}
	if m, present := fingerprintMatches(raw, key); !m || !present {
		t.Errorf("the earlier build's fingerprint does not match its key: matches=%v present=%v", m, present)
	}
	if m, present := fingerprintMatches(raw, key+"x"); m || !present {
		t.Errorf("the earlier build's fingerprint matches another key: matches=%v present=%v", m, present)
	}
	if !isLegacyFingerprint(raw) || isLegacyFingerprint(NewFingerprint(key)) {
		t.Error("isLegacyFingerprint does not tell the formats apart")
	}
	if m, _ := fingerprintMatches([]byte(legacyFingerprintA), skTestA); !m {
		t.Error("legacyFingerprintA does not match skTestA")
	}
}

func TestPlatformModeAccount(t *testing.T) {
	for _, tc := range []struct {
		testMode              bool
		account, publishable  string
		wantMode, wantAccount string
	}{
		{true, "acct_1", pkLiveA, "test", "acct_1"}, // the platform's metadata wins over the prefix
		{false, "acct_1", pkTestA, "live", "acct_1"},
		{false, "", pkTestA, "test", ""},
		{false, "", pkLiveA, "live", ""},
		{false, "", "", "", ""},
		{false, "", "garbage", "", ""},
		{true, "", "", "test", ""},
	} {
		mode, account := PlatformModeAccount(tc.testMode, tc.account, tc.publishable)
		if mode != tc.wantMode || account != tc.wantAccount {
			t.Errorf("PlatformModeAccount(%v, %q, %q) = %q, %q; want %q, %q", tc.testMode, tc.account, tc.publishable, mode, account, tc.wantMode, tc.wantAccount)
		}
	}
}
