// Package billingname holds the naming rules of billing integrations, shared
// by the resource (a name derived from the title) and the billing_name
// provider function. It has no Terraform or platform types.
package billingname

import (
	"errors"
	"regexp"
	"strings"
)

// Pattern is the platform's name shape: lower-case letters, digits and inner
// hyphens, starting and ending with a letter or digit.
var Pattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)

// ErrNoName is returned for a title without a letter or digit to build a
// name from.
var ErrNoName = errors.New("the title has no letters or digits (a-z, 0-9) to build a name from")

// FromTitle derives a name from a title the way API Manager's UI does: lower
// case, every run of other characters becomes one hyphen, and hyphens at
// either end are dropped. Letters outside a-z (accented ones included) count
// as "other characters".
func FromTitle(title string) (string, error) {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(title) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			hyphen = false
			continue
		}
		if !hyphen && b.Len() > 0 {
			b.WriteByte('-')
			hyphen = true
		}
	}
	name := strings.TrimRight(b.String(), "-")
	if name == "" {
		return "", ErrNoName
	}
	return name, nil
}
