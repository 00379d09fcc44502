package apic

import (
	"strings"
	"testing"
)

// TestConfigCheck: the endpoint and grant rules, each problem named by its
// setting, every problem at once.
func TestConfigCheck(t *testing.T) {
	ep := "https://platform.example.com/api"
	for _, tc := range []struct {
		name string
		cfg  Config
		want []string // "setting: summary: part of the reason"
	}{
		{"password grant", Config{Endpoint: ep, Username: "u", Password: "p", ClientID: "c", ClientSecret: "s"}, nil},
		{"api_key grant", Config{Endpoint: ep, APIKey: "k", ClientID: "c", ClientSecret: "s"}, nil},
		{"client_credentials grant", Config{Endpoint: ep, ClientID: "c", ClientSecret: "s"}, nil},
		{"token alone", Config{Endpoint: ep, Token: "t"}, nil},
		{"token with a client", Config{Endpoint: ep, Token: "t", ClientID: "c", ClientSecret: "s"}, nil},
		{"no endpoint, no credentials", Config{}, []string{
			"endpoint: Missing platform API endpoint: ending in /api, is required",
			"client_id: Missing client_id: No credentials are set"}},
		{"endpoint without /api", Config{Endpoint: "https://h/apim", Token: "t"}, []string{"endpoint: Invalid platform API endpoint: must end in /api"}},
		{"endpoint not a URL", Config{Endpoint: "h/api", Token: "t"}, []string{"endpoint: Invalid platform API endpoint: absolute http(s) URL"}},
		{"endpoint with credentials", Config{Endpoint: "https://u:pw@h/api", Token: "t"} /* #nosec G101 -- a fake credential in a URL the test expects refused */, []string{"endpoint: Invalid platform API endpoint: must not carry credentials"}},
		{"endpoint with a query", Config{Endpoint: "https://h/api?x=1", Token: "t"}, []string{"endpoint: Invalid platform API endpoint: query or fragment"}},
		{"token and password", Config{Endpoint: ep, Token: "t", Username: "u", Password: "p"}, []string{": Conflicting credentials: found token and username/password"}},
		{"password and api_key", Config{Endpoint: ep, Username: "u", Password: "p", APIKey: "k", ClientID: "c", ClientSecret: "s"}, []string{": Conflicting credentials: found username/password and api_key"}},
		{"password without username", Config{Endpoint: ep, Password: "p", ClientID: "c", ClientSecret: "s"}, []string{"username: Missing username: password is set but username is not"}},
		{"username without password", Config{Endpoint: ep, Username: "u", ClientID: "c", ClientSecret: "s"}, []string{"password: Missing password: username is set but password is not"}},
		{"password grant without a client", Config{Endpoint: ep, Username: "u", Password: "p"}, []string{"client_id: Missing client_id: need the client id"}},
		{"client_id without secret", Config{Endpoint: ep, ClientID: "c"}, []string{"client_secret: Missing client_secret: client_id is set but client_secret is not"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.cfg.Check()
			if len(got) != len(tc.want) {
				t.Fatalf("Check = %v, want %d problems %v", got, len(tc.want), tc.want)
			}
			for i, w := range tc.want {
				parts := strings.SplitN(w, ": ", 3)
				e := got[i]
				if e.Setting != parts[0] || e.Summary != parts[1] || !strings.Contains(e.Reason, parts[2]) {
					t.Errorf("problem %d = %q, %q, %q; want %q", i, e.Setting, e.Summary, e.Reason, w)
				}
				if strings.Contains(e.Reason, "pw") {
					t.Errorf("the reason repeats a credential: %s", e.Reason)
				}
			}
			if _, err := New(tc.cfg); (err == nil) != (len(tc.want) == 0) {
				t.Errorf("New: %v", err)
			}
		})
	}
}

func TestConfigGrant(t *testing.T) {
	for want, cfg := range map[string]Config{
		GrantToken:             {Token: "t", Username: "u"},
		GrantPassword:          {Password: "p"},
		GrantAPIKey:            {APIKey: "k", ClientID: "c"},
		GrantClientCredentials: {ClientSecret: "s"},
		"":                     {},
	} {
		if got := cfg.Grant(); got != want {
			t.Errorf("%v.Grant() = %q, want %q", cfg, got, want)
		}
	}
}
