package apic

import (
	"net/url"
	"strings"
)

// BillingRef is the integration's name or id in a billing URL,
// …/orgs/{org}/billings/{name-or-id}: the segment after the last /billings/,
// without query, fragment or trailing slash, unescaped; "" when the URL has
// no such segment.
func BillingRef(billingURL string) string {
	p := billingURL
	if u, err := url.Parse(billingURL); err == nil {
		p = u.EscapedPath()
	} else {
		p, _, _ = strings.Cut(p, "?")
	}
	p = strings.TrimRight(p, "/")
	i := strings.LastIndex(p, "/billings/")
	if i < 0 {
		return ""
	}
	ref := p[i+len("/billings/"):]
	if s, err := url.PathUnescape(ref); err == nil {
		ref = s
	}
	return ref
}

// RefersToBilling reports whether billingURL names one of an integration's
// identifiers (its name or id; names compare without case).
func RefersToBilling(billingURL string, ids ...string) bool {
	ref := BillingRef(billingURL)
	if ref == "" {
		return false
	}
	for _, id := range ids {
		if id != "" && strings.EqualFold(ref, id) {
			return true
		}
	}
	return false
}

// SameBillingURL reports whether two billing URLs are equal but for a
// trailing slash, or name the same integration in the same form (both by
// name or both by id).
func SameBillingURL(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if strings.TrimRight(a, "/") == strings.TrimRight(b, "/") {
		return true
	}
	ra := BillingRef(a)
	return ra != "" && ra == BillingRef(b)
}

// BillingOrg is the organization (name or id) in a billing URL,
// …/orgs/{org}/billings/{name-or-id}, unescaped; "" when the URL has no
// such segment.
func BillingOrg(billingURL string) string {
	u, err := url.Parse(billingURL)
	if err != nil {
		return ""
	}
	p := strings.TrimRight(u.EscapedPath(), "/")
	i := strings.LastIndex(p, "/billings/")
	if i < 0 {
		return ""
	}
	p = p[:i]
	j := strings.LastIndex(p, "/orgs/")
	if j < 0 || strings.Contains(p[j+len("/orgs/"):], "/") {
		return ""
	}
	org, err := url.PathUnescape(p[j+len("/orgs/"):])
	if err != nil {
		return ""
	}
	return org
}

// SameServer reports whether two URLs name the same server: scheme, host
// (case and a trailing dot aside) and port (a default port written or not).
func SameServer(a, b string) bool {
	ua, errA := url.Parse(a)
	ub, errB := url.Parse(b)
	if errA != nil || errB != nil {
		return false
	}
	return strings.EqualFold(ua.Scheme, ub.Scheme) && serverKey(ua) == serverKey(ub)
}

func serverKey(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[strings.ToLower(u.Scheme)]
	}
	return strings.TrimRight(strings.ToLower(u.Hostname()), ".") + ":" + port
}
