package apic

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Settings of a Config, named as the provider names them. A ConfigError
// says which one is at fault.
const (
	SettingEndpoint     = "endpoint"
	SettingUsername     = "username"
	SettingPassword     = "password"
	SettingAPIKey       = "api_key"
	SettingClientID     = "client_id"
	SettingClientSecret = "client_secret"
	SettingToken        = "token"
)

// Grants, as Config.Grant names them.
const (
	GrantToken             = "token"
	GrantPassword          = "password"
	GrantAPIKey            = "api_key"
	GrantClientCredentials = "client_credentials"
)

// ConfigError is a setting of a Config that the client cannot work with.
// Its texts name settings, never their values.
type ConfigError struct {
	// Setting is the setting at fault; "" when the fault is between several
	// (conflicting credentials).
	Setting string
	// Summary is a short title ("Missing client_id").
	Summary string
	// Reason says what is wrong and what to do.
	Reason string
}

func (e *ConfigError) Error() string { return e.Reason }

// Grant is how c authenticates: GrantToken, GrantPassword, GrantAPIKey or
// GrantClientCredentials; "" when c sets no credentials.
func (c Config) Grant() string {
	switch {
	case c.Token != "":
		return GrantToken
	case c.Username != "" || c.Password != "":
		return GrantPassword
	case c.APIKey != "":
		return GrantAPIKey
	case c.ClientID != "" || c.ClientSecret != "":
		return GrantClientCredentials
	}
	return ""
}

// Check returns every setting of c the client cannot use: a missing or
// malformed endpoint, and credentials that are not exactly one complete way
// to authenticate (a token; a user and password; or an API key; the last
// two, and client_credentials, with the client id and secret of the toolkit
// or a registered application). New refuses such a Config.
func (c Config) Check() []*ConfigError {
	var errs []*ConfigError
	if _, err := normalizeEndpoint(c.Endpoint); err != nil {
		errs = append(errs, err)
	}
	return append(errs, c.checkCredentials()...)
}

func (c Config) checkCredentials() []*ConfigError {
	var ways []string
	if c.Token != "" {
		ways = append(ways, "token")
	}
	if c.Username != "" || c.Password != "" {
		ways = append(ways, "username/password")
	}
	if c.APIKey != "" {
		ways = append(ways, "api_key")
	}
	if len(ways) > 1 {
		return []*ConfigError{{Summary: "Conflicting credentials",
			Reason: fmt.Sprintf("Only one way to authenticate may be set, found %s. Unset all but one.", strings.Join(ways, " and "))}}
	}
	var errs []*ConfigError
	missing := func(setting, reason string) {
		errs = append(errs, &ConfigError{Setting: setting, Summary: "Missing " + setting, Reason: reason})
	}
	if c.Username == "" && c.Password != "" {
		missing(SettingUsername, "password is set but username is not.")
	}
	if c.Password == "" && c.Username != "" {
		missing(SettingPassword, "username is set but password is not.")
	}
	if c.Token != "" {
		return errs // a ready token needs no client
	}
	switch {
	case c.ClientID == "" && len(ways) == 0:
		missing(SettingClientID, "No credentials are set. Set token; username and password; api_key; or client_id and client_secret for the client_credentials grant. "+
			"Each except token needs client_id and client_secret.")
	case c.ClientID == "":
		missing(SettingClientID, "The password, api_key and client_credentials grants need the client id of the toolkit or a registered application.")
	case c.ClientSecret == "":
		missing(SettingClientSecret, "client_id is set but client_secret is not.")
	}
	return errs
}

// CheckURL reports whether raw is an absolute http(s) URL without
// credentials in it.
func CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return errors.New("must be an absolute http(s) URL such as https://host.example.com/api")
	}
	if u.User != nil {
		return errors.New("must not carry credentials in the URL")
	}
	return nil
}

// normalizeEndpoint checks the platform API endpoint, an absolute http(s)
// URL whose path ends in /api, and strips a trailing slash.
func normalizeEndpoint(raw string) (string, *ConfigError) {
	invalid := func(format string, a ...any) (string, *ConfigError) {
		return "", &ConfigError{Setting: SettingEndpoint, Summary: "Invalid platform API endpoint", Reason: fmt.Sprintf(format, a...)}
	}
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", &ConfigError{Setting: SettingEndpoint, Summary: "Missing platform API endpoint",
			Reason: "The platform API base URL, ending in /api, is required (for example https://platform-api.example.com/api)."}
	}
	if err := CheckURL(raw); err != nil {
		return invalid("The endpoint %s.", err)
	}
	u, _ := url.Parse(raw)
	if u.RawQuery != "" || u.Fragment != "" {
		return invalid("The endpoint %q must not carry a query or fragment.", u.Redacted())
	}
	p := strings.TrimRight(u.Path, "/")
	if !strings.HasSuffix(p, "/api") {
		return invalid("The platform API endpoint must end in /api (for example https://%s/api), got path %q.", u.Host, u.Path)
	}
	u.Path = p
	u.RawPath = ""
	return u.String(), nil
}
