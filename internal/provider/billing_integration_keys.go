package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/keypolicy"
	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/stripekey"
)

// resolvedKeys is what the plan can say about the keys: their mode and the
// secret key's Stripe account (unknown when the keys are not yet known).
type resolvedKeys struct {
	mode          types.String
	account       types.String
	secretChanged bool
}

func (r *billingIntegrationResource) planKeys(ctx context.Context, config billingIntegrationModel, state *billingIntegrationModel, secret configuredKey, private privateGetter, diags *diag.Diagnostics) (resolvedKeys, bool) {
	keys := resolvedKeys{mode: types.StringUnknown(), account: types.StringUnknown()}
	if r.data.keyCheck == keyCheckMode {
		keys.account = types.StringNull()
	}
	var pkMode, skMode stripekey.Mode
	if !config.PublishableKey.IsUnknown() {
		k, err := stripekey.ParsePublishable(config.PublishableKey.ValueString())
		if err != nil {
			return keys, false // the attribute validator has reported it
		}
		pkMode = k.Mode
	}
	if secret.known {
		k, err := stripekey.ParseSecret(secret.value)
		if err != nil {
			return keys, false
		}
		skMode = k.Mode
	}
	if pkMode != "" && skMode != "" && pkMode != skMode {
		addSecretKeyError(diags, secret.path, "Stripe keys of different modes",
			fmt.Sprintf("publishable_key is a %s-mode key but %s is a %s-mode key. Both keys of an integration must come from the same Stripe mode; "+
				"use test keys only in a separate test Catalog, never in a production Catalog.", pkMode, secret.path, skMode))
		return keys, false
	}
	switch {
	case skMode != "":
		keys.mode = types.StringValue(string(skMode))
	case pkMode != "":
		keys.mode = types.StringValue(string(pkMode)) // the secret key must match it; checked at apply
	}

	if state == nil {
		keys.secretChanged = true
	} else if secret.known {
		fingerprint, d := readFingerprint(ctx, private)
		diags.Append(d...)
		keys.secretChanged = secretDiffers(secret.value, *state, fingerprint)
	} else {
		keys.secretChanged = true
	}

	if r.data.keyCheck != keyCheckAccount {
		return keys, true
	}
	switch {
	case !secret.known:
		// Unknown until apply: the apply re-checks before any change.
	case !keys.secretChanged && known(state.StripeAccountID):
		keys.account = state.StripeAccountID
	default:
		account, err := r.data.resolver.Account(ctx, secret.value)
		if err != nil {
			addSecretKeyError(diags, secret.path, "Cannot resolve the Stripe account of the secret key", stripeResolveDetail(err, r.data.resolver.APIBase()))
			return keys, false
		}
		keys.account = types.StringValue(account)
	}
	return keys, true
}

// applyKeys re-checks the keys at apply time, when values that were unknown
// at plan are known: it refuses, before any call that changes the
// integration, a key of another mode or account than the integration's.
func (r *billingIntegrationResource) applyKeys(ctx context.Context, plan billingIntegrationModel, secret configuredKey, state *billingIntegrationModel, diags *diag.Diagnostics) (resolvedKeys, bool) {
	pk, err := stripekey.ParsePublishable(plan.PublishableKey.ValueString())
	if err != nil {
		addPublishableKeyError(diags, plan.PublishableKey.ValueString(), "Invalid Stripe publishable key", err.Error())
		return resolvedKeys{}, false
	}
	sk, err := stripekey.ParseSecret(secret.value)
	if err != nil {
		addSecretKeyError(diags, secret.path, "Invalid Stripe secret key", err.Error())
		return resolvedKeys{}, false
	}
	if pk.Mode != sk.Mode {
		addSecretKeyError(diags, secret.path, "Stripe keys of different modes",
			fmt.Sprintf("publishable_key is a %s-mode key but %s is a %s-mode key; both must come from the same Stripe mode. Nothing was changed.", pk.Mode, secret.path, sk.Mode))
		return resolvedKeys{}, false
	}
	keys := resolvedKeys{mode: types.StringValue(string(sk.Mode)), account: types.StringNull()}
	if r.data.keyCheck == keyCheckAccount {
		account, err := r.data.resolver.Account(ctx, secret.value)
		if err != nil {
			addSecretKeyError(diags, secret.path, "Cannot resolve the Stripe account of the secret key", stripeResolveDetail(err, r.data.resolver.APIBase()))
			return keys, false
		}
		keys.account = types.StringValue(account)
	}
	if state != nil {
		if known(state.Mode) && !state.Mode.Equal(keys.mode) {
			addSecretKeyError(diags, secret.path, "Refusing to switch Stripe mode",
				fmt.Sprintf("The keys known only now are %s-mode keys, but integration %q is in %s mode. API Connect cannot switch an integration between test and live. "+
					"Nothing was sent to the platform; run plan again to get a replacement plan.", keys.mode.ValueString(), state.Name.ValueString(), state.Mode.ValueString()))
			return keys, false
		}
		if known(keys.account) && known(state.StripeAccountID) && !state.StripeAccountID.Equal(keys.account) {
			addSecretKeyError(diags, secret.path, "Refusing to switch Stripe account",
				fmt.Sprintf("The secret key known only now belongs to Stripe account %s, but integration %q belongs to %s. API Connect cannot move an integration to another account. "+
					"Nothing was sent to the platform; run plan again to get a replacement plan.", keys.account.ValueString(), state.Name.ValueString(), state.StripeAccountID.ValueString()))
			return keys, false
		}
	}
	if known(plan.Mode) && !plan.Mode.Equal(keys.mode) {
		addSecretKeyError(diags, secret.path, "Stripe mode differs from the plan", "The keys' mode at apply differs from the planned mode. Nothing was changed.")
		return keys, false
	}
	return keys, true
}

type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// readFingerprint is the private state's fingerprint of the last write-only
// key sent (keypolicy.NewFingerprint, or an earlier build's); nil when none.
func readFingerprint(ctx context.Context, p privateGetter) ([]byte, diag.Diagnostics) {
	if p == nil {
		return nil, nil
	}
	var diags diag.Diagnostics
	for _, k := range []string{keypolicy.PrivateStateKey, keypolicy.LegacyPrivateStateKey} {
		b, d := p.GetKey(ctx, k)
		diags.Append(d...)
		if _, ok := keypolicy.FingerprintMatches(b, ""); ok {
			return b, diags
		}
	}
	return nil, diags
}

// setFingerprint stores a compact fingerprint of key and drops an earlier
// build's.
func setFingerprint(ctx context.Context, p privateSetter, key string) diag.Diagnostics {
	f := keypolicy.NewFingerprint(key)
	if f == nil {
		return nil
	}
	diags := p.SetKey(ctx, keypolicy.LegacyPrivateStateKey, nil)
	diags.Append(p.SetKey(ctx, keypolicy.PrivateStateKey, f)...)
	return diags
}

func clearFingerprint(ctx context.Context, p privateSetter) diag.Diagnostics {
	diags := p.SetKey(ctx, keypolicy.LegacyPrivateStateKey, nil)
	diags.Append(p.SetKey(ctx, keypolicy.PrivateStateKey, nil)...)
	return diags
}

// secretDiffers reports whether key differs from the key last sent: the
// state's secret_key when set, else the private fingerprint. With neither
// (an imported integration) the key counts as changed.
func secretDiffers(key string, state billingIntegrationModel, f []byte) bool {
	if !state.SecretKey.IsNull() && !state.SecretKey.IsUnknown() {
		return state.SecretKey.ValueString() != key
	}
	matches, ok := keypolicy.FingerprintMatches(f, key)
	return !ok || !matches
}
