// Package keypolicy holds the rules that keep a billing integration's Stripe
// keys in one Stripe account and one mode. API Connect cannot switch an
// integration to keys of another account, nor between test and live: it could
// no longer resolve the Stripe objects created with the old keys. So a new key
// of another account or mode must replace the integration, never update it,
// and a key that turns out to be of another account or mode only at apply
// must be refused before anything is sent.
//
// Decide is the one place these rules live. The Terraform resource calls it
// at plan (ModifyPlan) and at apply (Create, Update) and only translates its
// Decision into plan values, replacements and diagnostics. The package knows
// nothing of Terraform: values are plain strings, and messages name the
// attribute they are about in their text, because a diagnostic attached to a
// secret attribute's path makes Terraform print that configuration line.
package keypolicy

import (
	"context"
	"fmt"
	"strings"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/stripekey"
)

// Phase says when Decide runs.
type Phase int

const (
	// Plan: values may be unknown; a difference with the integration plans a
	// replacement.
	Plan Phase = iota + 1
	// Apply: every value is known; a difference with the integration is
	// refused, since the plan said update.
	Apply
)

// Check is the provider's stripe_key_check.
type Check string

const (
	// CheckAccount resolves the Stripe account of each secret key.
	CheckAccount Check = "account"
	// CheckMode checks key prefixes only, offline.
	CheckMode Check = "mode"
)

// Attribute names of apiconnect_billing_integration that messages and
// replacements refer to.
const (
	AttrPublishableKey  = "publishable_key"
	AttrSecretKey       = "secret_key"
	AttrSecretKeyWO     = "secret_key_wo"
	AttrWOVersion       = "secret_key_wo_version"
	AttrMode            = "mode"
	AttrStripeAccountID = "stripe_account_id"
)

// Key is a configured key: its value, or unknown until apply.
type Key struct {
	Value string
	Known bool
}

// KnownKey is a key whose value is known.
func KnownKey(v string) Key { return Key{Value: v, Known: true} }

// UnknownKey is a key known only at apply.
func UnknownKey() Key { return Key{} }

// Secret is the configured secret key and the attribute that holds it.
type Secret struct {
	Key
	// Attribute is AttrSecretKey or AttrSecretKeyWO.
	Attribute string
}

func (s Secret) writeOnly() bool { return s.Attribute == AttrSecretKeyWO }

// Prior is what the state says about an existing integration.
type Prior struct {
	Name string
	// Mode and Account are the state's mode and stripe_account_id; "" when null.
	Mode    string
	Account string
	// StoredSecret is the state's secret_key; "" when null (a write-only key,
	// or an imported integration).
	StoredSecret string
	Publishable  string
	// Fingerprint is the private state's fingerprint of the last secret key
	// sent (see NewFingerprint); nil when there is none.
	Fingerprint []byte
}

// Resolver finds the Stripe account of a secret key (stripekey.Resolver).
type Resolver interface {
	Account(ctx context.Context, secretKey string) (string, error)
}

// Input is everything Decide looks at.
type Input struct {
	Phase Phase
	Check Check
	// Publishable is publishable_key as planned.
	Publishable Key
	// Secret comes from the configuration: a write-only value exists only there.
	Secret Secret
	// VersionChanged reports that secret_key_wo_version differs from the state's.
	VersionChanged bool
	// PlannedMode is the mode the plan showed ("" when unknown); Apply only.
	PlannedMode string
	// Prior is nil for a new integration.
	Prior *Prior
	// Resolver is used under CheckAccount.
	Resolver Resolver
	// ExplainResolveError, when set, turns a failed account lookup into the
	// text shown to the user (the provider adds its hints about
	// stripe_api_base and stripe_key_check); else the error's text is shown.
	ExplainResolveError func(error) string
}

// Message is a diagnostic's summary and detail. It names the attribute it is
// about in its text and never contains a key.
type Message struct {
	Summary string
	Detail  string
	// Attribute is the attribute the message is about ("" for the
	// integration as a whole). A caller must not attach a message to the
	// path of a secret attribute: Terraform prints that configuration line.
	Attribute string
}

// Decision is what Decide concludes.
type Decision struct {
	// Mode and Account are the values to plan (or to store after apply).
	Mode    Value
	Account Value
	// Replace lists the attributes whose change forces replacement
	// (AttrMode, AttrStripeAccountID); Plan only.
	Replace []string
	// SecretChanged: the configured secret key differs from the last one sent.
	SecretChanged bool
	// SendKeys: the keys go to the platform (create, a new key, a new
	// secret_key_wo_version or a new publishable key).
	SendKeys bool
	// NewFingerprint, when set, is the private state to store under
	// PrivateStateKey once the platform accepted the keys (Apply only; a
	// write-only key); the legacy key is then removed.
	NewFingerprint []byte
	// ClearFingerprint: remove the fingerprint from private state (Apply
	// only): the key is stored in state, which is what plans compare with.
	ClearFingerprint bool
	Warnings         []Message
	Errors           []Message
	// Stop: nothing more can be planned. Set with Errors, or at Plan alone
	// when a key does not parse (its attribute's validator reports that).
	Stop bool
}

// Decide applies the key rules to in.
func Decide(ctx context.Context, in Input) Decision {
	d := Decision{Mode: Unknown(), Account: Unknown()}
	if in.Check == CheckMode {
		d.Account = Null()
	}
	mode, ok := d.keysMode(in)
	if !ok {
		return d
	}
	d.Mode = mode
	d.SecretChanged = secretChanged(in)
	d.SendKeys = sendKeys(in, d.SecretChanged)
	if in.Phase == Apply && !d.SendKeys {
		// Nothing goes to the platform, so nothing can move the integration.
		d.Mode, d.Account = fromState(in.Prior.Mode), fromState(in.Prior.Account)
		d.keepFingerprint(in, false)
		return d
	}
	if in.Check != CheckMode && !d.resolveAccount(ctx, in) {
		return d
	}
	if in.Phase == Plan {
		d.planAgainstPrior(in)
		return d
	}
	if d.refuseSwitch(in) {
		d.keepFingerprint(in, true)
	}
	return d
}

// keysMode parses both keys and returns their common mode (unknown while
// neither key is known).
func (d *Decision) keysMode(in Input) (Value, bool) {
	var pkMode, skMode stripekey.Mode
	if in.Publishable.Known {
		k, err := stripekey.ParsePublishable(in.Publishable.Value)
		if err != nil {
			d.invalidKey(in, "Invalid Stripe publishable key", AttrPublishableKey, err)
			return Unknown(), false
		}
		pkMode = k.Mode
	}
	if in.Secret.Known {
		k, err := stripekey.ParseSecret(in.Secret.Value)
		if err != nil {
			d.invalidKey(in, "Invalid Stripe secret key", in.Secret.Attribute, err)
			return Unknown(), false
		}
		skMode = k.Mode
	}
	if pkMode != "" && skMode != "" && pkMode != skMode {
		d.fail(in.Secret.Attribute, "Stripe keys of different modes", fmt.Sprintf(
			"%s is a %s-mode key but %s is a %s-mode key. Both keys of an integration must come from the same Stripe mode; "+
				"use test keys only in a separate test Catalog, never in a production Catalog. Nothing was changed.",
			AttrPublishableKey, pkMode, in.Secret.Attribute, skMode))
		return Unknown(), false
	}
	switch {
	case skMode != "":
		return Known(string(skMode)), true
	case pkMode != "":
		return Known(string(pkMode)), true // the secret key must match it; checked at apply
	}
	return Unknown(), true
}

// invalidKey stops on a key that does not parse. At plan the attribute's
// validator has already reported it, so Decide adds no second error.
func (d *Decision) invalidKey(in Input, summary, attr string, err error) {
	d.Stop = true
	if in.Phase == Apply {
		d.fail(attr, summary, fmt.Sprintf("%s: %s. Nothing was changed.", attr, err))
	}
}

// fail stops with an error about attr. An error about the secret key names
// its attribute in the summary too: the caller cannot attach it there.
func (d *Decision) fail(attr, summary, detail string) {
	if attr == AttrSecretKey || attr == AttrSecretKeyWO {
		summary += " (" + attr + ")"
	}
	d.Errors = append(d.Errors, Message{Summary: summary, Detail: detail, Attribute: attr})
	d.Stop = true
}

// secretChanged reports whether the configured secret key differs from the
// last one sent: the state's secret_key when stored, else the private
// fingerprint. With neither (an imported integration), or a key not yet
// known, it counts as changed.
func secretChanged(in Input) bool {
	switch {
	case in.Prior == nil, !in.Secret.Known:
		return true
	case in.Prior.StoredSecret != "":
		return in.Prior.StoredSecret != in.Secret.Value
	}
	matches, ok := fingerprintMatches(in.Prior.Fingerprint, in.Secret.Value)
	return !ok || !matches
}

// sendKeys reports whether the keys go to the platform. A new
// secret_key_wo_version re-sends a write-only key, except while moving from
// secret_key to secret_key_wo (the state still holds the key: a migration).
func sendKeys(in Input, secretChanged bool) bool {
	if in.Prior == nil || secretChanged {
		return true
	}
	versionBump := in.Secret.writeOnly() && in.Prior.StoredSecret == "" && in.VersionChanged
	return versionBump || !in.Publishable.Known || in.Publishable.Value != in.Prior.Publishable
}

// resolveAccount sets the secret key's Stripe account: unknown while the
// key is, the state's for the key last sent, else Stripe's answer.
func (d *Decision) resolveAccount(ctx context.Context, in Input) bool {
	switch {
	case !in.Secret.Known:
		return true // Apply resolves it before any change.
	case !d.SecretChanged && in.Prior.Account != "":
		d.Account = Known(in.Prior.Account)
		return true
	}
	account, err := in.Resolver.Account(ctx, in.Secret.Value)
	if err != nil {
		explain := err.Error()
		if in.ExplainResolveError != nil {
			explain = in.ExplainResolveError(err)
		}
		d.fail(in.Secret.Attribute, "Cannot resolve the Stripe account of the secret key", explain)
		return false
	}
	d.Account = Known(account)
	return true
}

// planAgainstPrior plans a replacement when the keys' mode or account
// differs from the integration's, and warns about a write-only key that
// changed without a new version (it will not be sent).
func (d *Decision) planAgainstPrior(in Input) {
	p := in.Prior
	if p == nil {
		return
	}
	var reasons []string
	if d.Mode.IsKnown() && p.Mode != "" && d.Mode.String() != p.Mode {
		d.Replace = append(d.Replace, AttrMode)
		reasons = append(reasons, fmt.Sprintf("the keys change Stripe mode from %s to %s", p.Mode, d.Mode))
	}
	if d.Account.IsKnown() && p.Account != "" && d.Account.String() != p.Account {
		d.Replace = append(d.Replace, AttrStripeAccountID)
		reasons = append(reasons, fmt.Sprintf("the secret key in %s belongs to Stripe account %s, the integration to %s", in.Secret.Attribute, d.Account, p.Account))
	}
	switch {
	case len(reasons) > 0:
		d.Warnings = append(d.Warnings, Message{Summary: "Stripe key change forces replacement", Detail: fmt.Sprintf(
			"apiconnect_billing_integration %q will be replaced: %s. API Connect cannot switch an integration's keys to another Stripe account or between test and live, "+
				"because it could no longer resolve the Stripe objects created with the old keys. The new integration starts with no Stripe objects, and Catalogs that use it must be configured again.",
			p.Name, strings.Join(reasons, "; "))})
	case in.Secret.writeOnly() && in.Secret.Known && d.SecretChanged && !in.VersionChanged:
		d.Warnings = append(d.Warnings, Message{Summary: "Write-only secret key changed without a new version", Detail: fmt.Sprintf(
			"%s differs from the key last sent to the platform, but %s did not change, so the new key will not be sent. Change %s to rotate the key.",
			AttrSecretKeyWO, AttrWOVersion, AttrWOVersion), Attribute: AttrWOVersion})
	}
}

// refuseSwitch is the apply-time guard for keys that were unknown at plan:
// a key of another mode or account than the integration's, or than the
// plan showed, is refused before anything is sent.
func (d *Decision) refuseSwitch(in Input) bool {
	if p := in.Prior; p != nil {
		if p.Mode != "" && d.Mode.String() != p.Mode {
			d.fail(in.Secret.Attribute, "Refusing to switch Stripe mode", fmt.Sprintf(
				"The keys known only now (%s, %s) are %s-mode keys, but integration %q is in %s mode. API Connect cannot switch an integration between test and live. "+
					"Nothing was sent to the platform; run plan again to get a replacement plan.",
				AttrPublishableKey, in.Secret.Attribute, d.Mode, p.Name, p.Mode))
			return false
		}
		if d.Account.IsKnown() && p.Account != "" && d.Account.String() != p.Account {
			d.fail(in.Secret.Attribute, "Refusing to switch Stripe account", fmt.Sprintf(
				"The secret key in %s, known only now, belongs to Stripe account %s, but integration %q belongs to %s. API Connect cannot move an integration to another account. "+
					"Nothing was sent to the platform; run plan again to get a replacement plan.",
				in.Secret.Attribute, d.Account, p.Name, p.Account))
			return false
		}
	}
	if in.PlannedMode != "" && d.Mode.String() != in.PlannedMode {
		d.fail(in.Secret.Attribute, "Stripe mode differs from the plan", fmt.Sprintf(
			"The keys (%s, %s) are %s-mode keys at apply, but the plan showed mode %s. Nothing was changed.",
			AttrPublishableKey, in.Secret.Attribute, d.Mode, in.PlannedMode))
		return false
	}
	return true
}

// keepFingerprint decides the private state at apply. Only a write-only
// key needs a fingerprint (a secret_key is compared with the state): one of
// the key sent, or, when nothing is sent, of the current key if the state
// has none, has one of an earlier build (rewritten compact), or is moving
// from secret_key (whose fingerprint, if any, may be stale). A key stored
// in state drops any fingerprint.
func (d *Decision) keepFingerprint(in Input, sent bool) {
	var prior []byte
	if in.Prior != nil {
		prior = in.Prior.Fingerprint
	}
	if !in.Secret.writeOnly() {
		d.ClearFingerprint = len(prior) > 0
		return
	}
	if !in.Secret.Known {
		return
	}
	_, present := fingerprintMatches(prior, "")
	if sent || !present || isLegacyFingerprint(prior) || in.Prior.StoredSecret != "" {
		d.NewFingerprint = NewFingerprint(in.Secret.Value)
	}
}

func fromState(s string) Value {
	if s == "" {
		return Null()
	}
	return Known(s)
}

// PlatformModeAccount is an integration's Stripe mode and account as the
// platform reports them: metadata.testmode and metadata.account_id, else the
// mode of the publishable key's prefix. Either is "" when unknown.
func PlatformModeAccount(testMode bool, accountID, publishable string) (mode, account string) {
	switch {
	case testMode:
		mode = string(stripekey.ModeTest)
	case accountID != "":
		mode = string(stripekey.ModeLive)
	case publishable != "":
		if k, err := stripekey.Parse(publishable); err == nil {
			mode = string(k.Mode)
		}
	}
	return mode, accountID
}
