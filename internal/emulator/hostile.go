package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Hostile makes the emulator behave like a misbehaving or malicious platform,
// for reliability tests (SPEC section 7); see SetHostile. Hostile{} is the
// normal platform.
type Hostile struct {
	// EchoSecrets: every error answer (status 400 and above, injected
	// faults included) echoes the request's credentials in its messages:
	// the Authorization header, the password, API key and client secret of
	// a token request, and the secrets of the body (full_access_key), raw,
	// glued to a word, after an encoded "=" (%3D), and padded to well past
	// 512 characters.
	EchoSecrets bool

	// RedirectTo, when set, answers the requests of RedirectRoutes (every
	// route, the Stripe fake's included, when empty) with RedirectStatus
	// (default 307) to RedirectTo followed by the request's path and query.
	RedirectTo     string
	RedirectStatus int
	RedirectRoutes []string

	// RetryAfter is the literal Retry-After of injected 429 and 503 answers
	// (for example "NaN", "Inf", "1e300", "-5"); it replaces
	// Faults.RetryAfter.
	RetryAfter string

	// ForeignOnDroppedCreate: a POST creating a billing integration stores
	// instead someone else's integration of the same name (another title,
	// publishable key, Stripe account and integration URL) and drops the
	// connection without an answer, as if another user had won the race.
	ForeignOnDroppedCreate bool

	// JobQueueShape, when set, replaces job_queue_status in billing answers
	// by this raw JSON value (for example `"Running"`, `{"state":"paused"}`,
	// `[1,2]`); OmitJobQueue leaves the field out instead.
	JobQueueShape string
	OmitJobQueue  bool
	// JobFields override fields of every job answered (raw JSON values, for
	// example {"error": `{"message":"declined"}`, "state": `"Blocked"`}).
	JobFields map[string]string

	// StaticTokenExpired: the configured StaticToken is refused (401) from
	// now on, as an IBM Cloud IAM token after its hour.
	StaticTokenExpired bool
}

// SetHostile replaces the hostile behaviours. Hostile{} turns them off.
func (e *Emulator) SetHostile(h Hostile) {
	e.mu.Lock()
	defer e.mu.Unlock()
	h.RedirectRoutes = slices.Clone(h.RedirectRoutes)
	fields := make(map[string]string, len(h.JobFields))
	for k, v := range h.JobFields {
		fields[k] = v
	}
	h.JobFields = fields
	e.hostile = h
}

// SetStaticToken sets Config.StaticToken: a ready bearer token the platform
// accepts (until Hostile.StaticTokenExpired), like an IBM Cloud IAM token.
func (e *Emulator) SetStaticToken(tok string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.cfg.StaticToken = tok
}

// redirect answers a request of RedirectRoutes with a redirect; false when
// the request is not redirected.
func (h Hostile) redirect(w http.ResponseWriter, r *http.Request, route string) bool {
	if h.RedirectTo == "" || (len(h.RedirectRoutes) > 0 && !slices.Contains(h.RedirectRoutes, route) &&
		!slices.Contains(h.RedirectRoutes, r.Method+" "+route)) {
		return false
	}
	status := h.RedirectStatus
	if status == 0 {
		status = http.StatusTemporaryRedirect
	}
	target := strings.TrimRight(h.RedirectTo, "/") + r.URL.Path
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	w.Header().Set("Location", target)
	w.WriteHeader(status)
	return true
}

// echo returns the messages that repeat the request's credentials.
func (h Hostile) echo(r *http.Request, body []byte) []string {
	if !h.EchoSecrets {
		return nil
	}
	var secrets []string
	if a := r.Header.Get("Authorization"); a != "" {
		secrets = append(secrets, a, strings.TrimSpace(strings.TrimPrefix(a, "Bearer")))
	}
	if vals, err := url.ParseQuery(string(body)); err == nil && strings.Contains(r.Header.Get("Content-Type"), "form") {
		for _, k := range []string{"password", "api_key", "client_secret"} {
			secrets = append(secrets, vals.Get(k))
		}
	}
	var m map[string]any
	if json.Unmarshal(body, &m) == nil {
		for _, k := range []string{"password", "api_key", "client_secret"} {
			if s, ok := m[k].(string); ok {
				secrets = append(secrets, s)
			}
		}
		if c, ok := m["configuration"].(map[string]any); ok {
			if s, ok := c["full_access_key"].(string); ok {
				secrets = append(secrets, s)
			}
		}
	}
	var out []string
	for _, s := range secrets {
		if s == "" {
			continue
		}
		out = append(out, "request rejected for "+s+" (echoed: X"+s+", key%3D"+s+", "+strings.Repeat("padding ", 70)+s+")")
	}
	return out
}

// withEcho appends echo messages to an error payload.
func withEcho(payload any, echo []string) any {
	if len(echo) == 0 {
		return payload
	}
	if ae, ok := payload.(apiError); ok {
		ae.Message = append(slices.Clone(ae.Message), echo...)
		return ae
	}
	return payload
}

// reshape applies JobQueueShape, OmitJobQueue and JobFields to a payload.
func (h Hostile) reshape(payload any) any {
	if h.JobQueueShape == "" && !h.OmitJobQueue && len(h.JobFields) == 0 {
		return payload
	}
	switch p := payload.(type) {
	case billingOut:
		return h.reshapeBilling(p)
	case listOut[billingOut]:
		out := listOut[any]{TotalResults: p.TotalResults, Results: make([]any, 0, len(p.Results))}
		for _, b := range p.Results {
			out.Results = append(out.Results, h.reshapeBilling(b))
		}
		return out
	case jobOut:
		return h.reshapeJob(p)
	case listOut[jobOut]:
		out := listOut[any]{TotalResults: p.TotalResults, Results: make([]any, 0, len(p.Results))}
		for _, j := range p.Results {
			out.Results = append(out.Results, h.reshapeJob(j))
		}
		return out
	}
	return payload
}

func (h Hostile) reshapeBilling(b billingOut) any {
	if h.JobQueueShape == "" && !h.OmitJobQueue {
		return b
	}
	m := toMap(b)
	if h.OmitJobQueue {
		delete(m, "job_queue_status")
	} else {
		m["job_queue_status"] = json.RawMessage(h.JobQueueShape)
	}
	return m
}

func (h Hostile) reshapeJob(j jobOut) any {
	if len(h.JobFields) == 0 {
		return j
	}
	m := toMap(j)
	for k, v := range h.JobFields {
		m[k] = json.RawMessage(v)
	}
	return m
}

// toMap turns a struct answer into its JSON fields.
func toMap(v any) map[string]any {
	b, _ := json.Marshal(v)
	m := map[string]any{}
	_ = json.Unmarshal(b, &m)
	return m
}

// plantForeign stores someone else's integration under the name a create
// asks for (see Hostile.ForeignOnDroppedCreate); false when the request
// names none or the name is taken.
func (e *Emulator) plantForeign(c *call) bool {
	var in struct {
		Name  string `json:"name"`
		Title string `json:"title"`
	}
	if json.Unmarshal(c.body, &in) != nil {
		return false
	}
	name := in.Name
	if name == "" {
		name = Slug(in.Title)
	}
	if !nameRE.MatchString(name) {
		return false
	}
	pk, sk := StripeKeys("ForeignAccount99", "live", "foreign")
	e.mu.Lock()
	defer e.mu.Unlock()
	o := e.findOrg(c.params["org"])
	if o == nil || o.findBillingByName(name) != nil {
		return false
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	o.billings = append(o.billings, &billing{
		id: newUUID(), name: name, title: "Someone else's " + name, summary: "created by another user",
		integrationURL: e.baseLocked() + "/api/cloud/integrations/billing/other-stripe",
		pk:             pk, sk: sk, accountID: "acct_ForeignAccount99", mode: "live", created: now, updated: now,
	})
	return true
}
