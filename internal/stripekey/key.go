// Package stripekey parses Stripe API keys and resolves the Stripe account a
// secret key belongs to. It never logs, stores or returns a key: the cache is
// keyed by a hash and every error message is built without the key.
package stripekey

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Kind is the key type from the prefix.
type Kind string

// Mode is the Stripe mode from the prefix: test and live objects live in
// separate namespaces.
type Mode string

const (
	KindPublishable Kind = "pk"
	KindSecret      Kind = "sk"
	KindRestricted  Kind = "rk"

	ModeTest Mode = "test"
	ModeLive Mode = "live"
)

// Key is what the prefix of a key says about it.
type Key struct {
	Kind Kind
	Mode Mode
}

// IsSecret reports whether the key may call the Stripe API as the account
// (standard secret or restricted key).
func (k Key) IsSecret() bool { return k.Kind == KindSecret || k.Kind == KindRestricted }

// ErrEmpty is returned for an empty or whitespace-only key.
var ErrEmpty = errors.New("the key is empty")

// Parse reads the kind and mode from a key of the form <kind>_<mode>_<body>.
// The error never contains the key itself.
func Parse(s string) (Key, error) {
	if strings.TrimSpace(s) == "" {
		return Key{}, ErrEmpty
	}
	if s != strings.TrimSpace(s) || strings.ContainsAny(s, " \t\r\n") {
		return Key{}, errors.New("the key contains whitespace; copy it again without spaces or line breaks")
	}
	parts := strings.SplitN(s, "_", 3)
	if len(parts) < 3 {
		return Key{}, errors.New("the key is not of the form <pk|sk|rk>_<test|live>_<characters> (legacy keys without a mode are not supported)")
	}
	var k Key
	switch Kind(parts[0]) {
	case KindPublishable, KindSecret, KindRestricted:
		k.Kind = Kind(parts[0])
	default:
		return Key{}, errors.New("unknown key prefix: expected pk_, sk_ or rk_")
	}
	switch Mode(parts[1]) {
	case ModeTest, ModeLive:
		k.Mode = Mode(parts[1])
	default:
		return Key{}, fmt.Errorf("unknown key mode after %s_: expected %s_test_… or %s_live_…", k.Kind, k.Kind, k.Kind)
	}
	body := parts[2]
	if body == "" {
		return Key{}, errors.New("the key has no characters after its prefix")
	}
	for _, r := range body {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '_' {
			return Key{}, errors.New("the key contains characters Stripe keys never have (only letters, digits and _ are allowed)")
		}
	}
	return k, nil
}

// ParsePublishable parses s and requires a publishable key.
func ParsePublishable(s string) (Key, error) {
	k, err := Parse(s)
	if err != nil {
		return k, err
	}
	if k.Kind != KindPublishable {
		return k, fmt.Errorf("a %s key was given where a publishable key (pk_test_… or pk_live_…) is expected; secret keys belong in the secret key attribute", k.Kind.Name())
	}
	return k, nil
}

// ParseSecret parses s and requires a secret or restricted key.
func ParseSecret(s string) (Key, error) {
	k, err := Parse(s)
	if err != nil {
		return k, err
	}
	if !k.IsSecret() {
		return k, errors.New("a publishable key was given where a secret key (sk_… or rk_…) is expected; publishable keys belong in publishable_key")
	}
	return k, nil
}

// Fingerprint is a keyed hash of a key, safe to keep in private state or a
// cache map: it identifies a key without revealing it.
func Fingerprint(salt []byte, key string) string {
	m := hmac.New(sha256.New, salt)
	m.Write([]byte(key))
	return hex.EncodeToString(m.Sum(nil))
}

// Name is the kind's word: "publishable", "secret" or "restricted".
func (k Kind) Name() string {
	switch k {
	case KindSecret:
		return "secret"
	case KindRestricted:
		return "restricted"
	default:
		return "publishable"
	}
}
