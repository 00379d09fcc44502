package apic

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// CheckPathSegment reports why v cannot be one segment of a platform URL
// path (an org, a Catalog, an integration's name or id, an import id): it
// is empty, a dot segment ("." or ".."), or holds "/", whitespace or a
// control character. url.PathEscape keeps dots, so ".." would reach the
// parent object (DELETE /orgs/o/billings/.. is DELETE /orgs/o/billings).
func CheckPathSegment(v string) error {
	switch {
	case v == "":
		return errors.New("it is empty")
	case v == "." || v == "..":
		return fmt.Errorf("%q is a dot segment, which would address another object", v)
	case strings.Contains(v, "/"):
		return errors.New(`it contains "/"`)
	}
	for _, r := range v {
		if unicode.IsSpace(r) {
			return errors.New("it contains whitespace")
		}
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return errors.New("it contains a control character")
		}
	}
	return nil
}

// segments checks path arguments given as name, value pairs and returns an
// error naming the first that cannot be a path segment.
func segments(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if err := CheckPathSegment(pairs[i+1]); err != nil {
			if pairs[i+1] == "" || strings.TrimSpace(pairs[i+1]) == "" {
				return fmt.Errorf("apic: %s must not be empty", pairs[i])
			}
			return fmt.Errorf("apic: %s %q is not a valid name or id: %w", pairs[i], pairs[i+1], err)
		}
	}
	return nil
}
