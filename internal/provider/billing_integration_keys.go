package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/keypolicy"
)

// The Terraform side of the key rules, which live in internal/keypolicy:
// building keypolicy's input from plan, configuration, state and private
// state, and reporting its messages as diagnostics.

// configuredSecret is the secret key from configuration (never from the
// plan: a write-only value exists only there) and the attribute holding it.
func configuredSecret(config billingIntegrationModel) keypolicy.Secret {
	if !config.SecretKeyWO.IsNull() {
		return keypolicy.Secret{Key: keyOf(config.SecretKeyWO), Attribute: keypolicy.AttrSecretKeyWO}
	}
	return keypolicy.Secret{Key: keyOf(config.SecretKey), Attribute: keypolicy.AttrSecretKey}
}

func keyOf(v types.String) keypolicy.Key {
	if v.IsUnknown() || v.IsNull() {
		return keypolicy.UnknownKey()
	}
	return keypolicy.KnownKey(v.ValueString())
}

// decideKeys runs the key rules for a plan or an apply and reports their
// messages. state is nil for a new integration; private is the private
// state it was stored with (nil for none).
func (r *billingIntegrationResource) decideKeys(ctx context.Context, phase keypolicy.Phase, plan billingIntegrationModel, secret keypolicy.Secret,
	state *billingIntegrationModel, private privateGetter, diags *diag.Diagnostics,
) keypolicy.Decision {
	in := keypolicy.Input{
		Phase:       phase,
		Check:       keypolicy.Check(r.data.keyCheck),
		Publishable: keyOf(plan.PublishableKey),
		Secret:      secret,
		Resolver:    r.data.resolver,
		ExplainResolveError: func(err error) string {
			return stripeResolveDetail(err, r.data.resolver.APIBase())
		},
	}
	if phase == keypolicy.Apply && known(plan.Mode) {
		in.PlannedMode = plan.Mode.ValueString()
	}
	if state != nil {
		fingerprint, d := readFingerprint(ctx, private)
		diags.Append(d...)
		in.VersionChanged = !plan.SecretKeyWOVersion.Equal(state.SecretKeyWOVersion)
		in.Prior = &keypolicy.Prior{
			Name:         state.Name.ValueString(),
			Mode:         state.Mode.ValueString(),
			Account:      state.StripeAccountID.ValueString(),
			StoredSecret: state.SecretKey.ValueString(),
			Publishable:  state.PublishableKey.ValueString(),
			Fingerprint:  fingerprint,
		}
	}
	d := keypolicy.Decide(ctx, in)
	addKeyMessages(diags, d, plan.PublishableKey.ValueString())
	return d
}

// addKeyMessages reports keypolicy's messages, never on a secret's path.
func addKeyMessages(diags *diag.Diagnostics, d keypolicy.Decision, publishable string) {
	for _, m := range d.Errors {
		switch m.Attribute {
		case keypolicy.AttrPublishableKey:
			addPublishableKeyError(diags, publishable, m.Summary, m.Detail)
		case keypolicy.AttrSecretKey, keypolicy.AttrSecretKeyWO:
			addSecretKeyError(diags, path.Root(m.Attribute), m.Summary, m.Detail)
		default:
			diags.AddError(m.Summary, m.Detail)
		}
	}
	for _, m := range d.Warnings {
		switch m.Attribute {
		case "", keypolicy.AttrSecretKey, keypolicy.AttrSecretKeyWO, keypolicy.AttrPublishableKey:
			diags.AddWarning(m.Summary, m.Detail)
		default:
			diags.AddAttributeWarning(path.Root(m.Attribute), m.Summary, m.Detail)
		}
	}
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

// storeFingerprint writes what the decision says to private state, once the
// platform has accepted the apply: a new fingerprint (dropping an earlier
// build's), or none.
func storeFingerprint(ctx context.Context, p privateSetter, d keypolicy.Decision) diag.Diagnostics {
	if d.NewFingerprint == nil && !d.ClearFingerprint {
		return nil
	}
	diags := p.SetKey(ctx, keypolicy.LegacyPrivateStateKey, nil)
	diags.Append(p.SetKey(ctx, keypolicy.PrivateStateKey, d.NewFingerprint)...)
	return diags
}
