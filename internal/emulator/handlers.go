package emulator

import (
	"bytes"
	"encoding/json"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

const apiVersion = "2.0.0"

// KeySwapMessage is IBM's documented rule, returned (400) when an update
// would move a billing to another Stripe account or mode.
const KeySwapMessage = "You cannot switch the API keys of a billing integration to another Stripe account, or between test and live mode"

var nameRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)

// ---- token ----

type tokenRequest struct {
	GrantType    string `json:"grant_type"`
	Username     string `json:"username"`
	Password     string `json:"password"`
	Realm        string `json:"realm"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	APIKey       string `json:"api_key"`
}

type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
}

func (e *Emulator) postToken(c *call) (int, any) {
	var tr tokenRequest
	ct := c.r.Header.Get("Content-Type")
	if strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		v, err := url.ParseQuery(string(c.body))
		if err != nil {
			return errorf(400, "Invalid form body")
		}
		tr = tokenRequest{GrantType: v.Get("grant_type"), Username: v.Get("username"), Password: v.Get("password"),
			Realm: v.Get("realm"), ClientID: v.Get("client_id"), ClientSecret: v.Get("client_secret"), APIKey: v.Get("api_key")}
	} else if err := json.Unmarshal(c.body, &tr); err != nil {
		return errorf(400, "Invalid JSON body")
	}
	cfg := e.Config()
	clientOK := tr.ClientID == cfg.ClientID && tr.ClientSecret == cfg.ClientSecret
	viewer := false
	switch tr.GrantType {
	case "password":
		if tr.Username == "" || tr.Password == "" || tr.Realm == "" {
			return errorf(400, "username, password and realm are required for grant_type password")
		}
		viewer = tr.Username == cfg.ViewerUsername && tr.Password == cfg.ViewerPassword
		admin := tr.Username == cfg.Username && tr.Password == cfg.Password
		if !clientOK || tr.Realm != cfg.Realm || (!admin && !viewer) {
			return errorf(401, "Invalid credentials")
		}
	case "api_key":
		if tr.APIKey == "" {
			return errorf(400, "api_key is required for grant_type api_key")
		}
		if !clientOK || tr.APIKey != cfg.APIKey {
			return errorf(401, "Invalid credentials")
		}
	case "client_credentials":
		if !clientOK {
			return errorf(401, "Invalid client credentials")
		}
	case "":
		return errorf(400, "grant_type is required")
	default:
		return errorf(400, "Unsupported grant_type "+strconv.Quote(tr.GrantType))
	}
	tok := newToken()
	e.mu.Lock()
	life := e.cfg.TokenTTL
	if e.faults.TokenTTL > 0 {
		life = e.faults.TokenTTL
	}
	e.tokens[tok] = time.Now().Add(life)
	if viewer {
		e.viewers[tok] = true
	}
	e.mu.Unlock()
	c.w.Header().Set("Cache-Control", "no-store")
	return 200, tokenResponse{AccessToken: tok, TokenType: "Bearer", ExpiresIn: int64(math.Ceil(cfg.TokenTTL.Seconds()))}
}

// ---- orgs and catalogs ----

type orgOut struct {
	Type       string `json:"type"`
	APIVersion string `json:"api_version"`
	ID         string `json:"id"`
	Name       string `json:"name"`
	Title      string `json:"title"`
	OrgType    string `json:"org_type"`
	State      string `json:"state"`
	CreatedAt  string `json:"created_at"`
	UpdatedAt  string `json:"updated_at"`
	URL        string `json:"url"`
}

type catalogOut struct {
	Type       string `json:"type"`
	APIVersion string `json:"api_version"`
	ID         string `json:"id"`
	Name       string `json:"name"`
	Title      string `json:"title"`
	Summary    string `json:"summary"`
	CreatedAt  string `json:"created_at"`
	UpdatedAt  string `json:"updated_at"`
	OrgURL     string `json:"org_url"`
	URL        string `json:"url"`
}

type catalogSettingsOut struct {
	Type                string `json:"type"`
	APIVersion          string `json:"api_version"`
	ProductionMode      bool   `json:"production_mode"`
	SpacesEnabled       bool   `json:"spaces_enabled"`
	ApplicationLifecyle any    `json:"application_lifecycle"`
	CreatedAt           string `json:"created_at"`
	UpdatedAt           string `json:"updated_at"`
	OrgURL              string `json:"org_url"`
	CatalogURL          string `json:"catalog_url"`
	URL                 string `json:"url"`
}

type listOut[T any] struct {
	TotalResults int `json:"total_results"`
	Results      []T `json:"results"`
}

// page applies the limit and offset query parameters.
func page[T any](c *call, all []T) (int, any) {
	q := c.r.URL.Query()
	offset, limit := 0, 0
	if s := q.Get("offset"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return errorf(400, "Invalid value for offset: "+strconv.Quote(s))
		}
		offset = n
	}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return errorf(400, "Invalid value for limit: "+strconv.Quote(s))
		}
		limit = n
	}
	total := len(all)
	if offset > total {
		offset = total
	}
	res := all[offset:]
	if limit > 0 && limit < len(res) {
		res = res[:limit]
	}
	if res == nil {
		res = []T{}
	}
	return 200, listOut[T]{TotalResults: total, Results: res}
}

func (e *Emulator) lookupOrg(c *call) (*org, bool) {
	o := e.findOrg(c.params["org"])
	return o, o != nil
}

func notFound(kind, name string) (int, any) {
	return errorf(404, kind+" "+strconv.Quote(name)+" not found")
}

func (e *Emulator) orgJSON(base string, o *org) orgOut {
	return orgOut{Type: "org", APIVersion: apiVersion, ID: o.id, Name: o.name, Title: o.title, OrgType: "provider",
		State: "enabled", CreatedAt: ts(o.created), UpdatedAt: ts(o.created), URL: orgURL(base, o)}
}

func (e *Emulator) getOrg(c *call) (int, any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	o, ok := e.lookupOrg(c)
	if !ok {
		return notFound("Organization", c.params["org"])
	}
	return 200, e.orgJSON(c.base, o)
}

func catalogJSON(base string, o *org, cat *catalog) catalogOut {
	return catalogOut{Type: "catalog", APIVersion: apiVersion, ID: cat.id, Name: cat.name, Title: cat.title, Summary: cat.summary,
		CreatedAt: ts(cat.created), UpdatedAt: ts(cat.created), OrgURL: orgURL(base, o), URL: catalogURL(base, o, cat)}
}

func (e *Emulator) listCatalogs(c *call) (int, any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	o, ok := e.lookupOrg(c)
	if !ok {
		return notFound("Organization", c.params["org"])
	}
	out := make([]catalogOut, 0, len(o.catalogs))
	for _, cat := range o.catalogs {
		out = append(out, catalogJSON(c.base, o, cat))
	}
	return page(c, out)
}

func (e *Emulator) lookupCatalog(c *call) (*org, *catalog, int, any) {
	o, ok := e.lookupOrg(c)
	if !ok {
		st, body := notFound("Organization", c.params["org"])
		return nil, nil, st, body
	}
	cat := o.findCatalog(c.params["catalog"])
	if cat == nil {
		st, body := notFound("Catalog", c.params["catalog"])
		return nil, nil, st, body
	}
	return o, cat, 0, nil
}

func (e *Emulator) getCatalog(c *call) (int, any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	o, cat, st, body := e.lookupCatalog(c)
	if cat == nil {
		return st, body
	}
	return 200, catalogJSON(c.base, o, cat)
}

func (e *Emulator) getCatalogSettings(c *call) (int, any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	o, cat, st, body := e.lookupCatalog(c)
	if cat == nil {
		return st, body
	}
	cu := catalogURL(c.base, o, cat)
	return 200, catalogSettingsOut{Type: "catalog_setting", APIVersion: apiVersion, ProductionMode: cat.productionMode,
		ApplicationLifecyle: map[string]any{}, CreatedAt: ts(cat.created), UpdatedAt: ts(cat.created),
		OrgURL: orgURL(c.base, o), CatalogURL: cu, URL: cu + "/settings"}
}

// ---- billings ----

type configOut struct {
	PublishableKey string `json:"publishable_key"`
	FullAccessKey  string `json:"full_access_key"`
}

type metadataOut struct {
	TestMode  string `json:"testmode"`
	AccountID string `json:"account_id"`
}

type jobQueueOut struct {
	State         string `json:"state"`
	PendingJobs   int    `json:"pending_jobs"`
	BlockedReason string `json:"blocked_reason"`
}

type billingOut struct {
	Type           string      `json:"type"`
	APIVersion     string      `json:"api_version"`
	ID             string      `json:"id"`
	Name           string      `json:"name"`
	Title          string      `json:"title"`
	Summary        string      `json:"summary"`
	Scope          string      `json:"scope"`
	IntegrationURL string      `json:"integration_url"`
	Configuration  configOut   `json:"configuration"`
	Metadata       metadataOut `json:"metadata"`
	JobQueueStatus jobQueueOut `json:"job_queue_status"`
	CreatedAt      string      `json:"created_at"`
	UpdatedAt      string      `json:"updated_at"`
	OrgURL         string      `json:"org_url"`
	URL            string      `json:"url"`
}

const masked = "********"

func meta(mode, account string) metadataOut {
	tm := "false"
	if mode == "test" {
		tm = "true"
	}
	return metadataOut{TestMode: tm, AccountID: account}
}

func billingJSON(base string, o *org, b *billing) billingOut {
	q := jobQueueOut{State: "idle"}
	if len(b.jobs) > 0 {
		h := b.jobs[0]
		q = jobQueueOut{State: h.state, PendingJobs: len(b.jobs)}
		if h.state == "blocked" || h.state == "failed" {
			q.BlockedReason = h.err
		}
	}
	return billingOut{
		Type: "billing", APIVersion: apiVersion, ID: b.id, Name: b.name, Title: b.title, Summary: b.summary,
		Scope: "org", IntegrationURL: b.integrationURL,
		Configuration:  configOut{PublishableKey: b.pk, FullAccessKey: masked},
		Metadata:       meta(b.mode, b.accountID),
		JobQueueStatus: q,
		CreatedAt:      ts(b.created), UpdatedAt: ts(b.updated),
		OrgURL: orgURL(base, o), URL: billingURL(base, o, b),
	}
}

func (e *Emulator) listBillings(c *call) (int, any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	o, ok := e.lookupOrg(c)
	if !ok {
		return notFound("Organization", c.params["org"])
	}
	out := make([]billingOut, 0, len(o.billings))
	for _, b := range o.billings {
		out = append(out, billingJSON(c.base, o, b))
	}
	return page(c, out)
}

func (e *Emulator) getBilling(c *call) (int, any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	o, ok := e.lookupOrg(c)
	if !ok {
		return notFound("Organization", c.params["org"])
	}
	b := o.findBilling(c.params["billing"])
	if b == nil {
		return notFound("Billing", c.params["billing"])
	}
	return 200, billingJSON(c.base, o, b)
}

// fields decodes a JSON object body into its raw fields.
func fields(body []byte) (map[string]json.RawMessage, bool) {
	var m map[string]json.RawMessage
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, false
	}
	if err := json.Unmarshal(body, &m); err != nil || m == nil {
		return nil, false
	}
	return m, true
}

func isNull(raw json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(raw), []byte("null")) }

// str decodes an optional string field; present reports whether it was sent
// (null counts as present with null=true).
func str(m map[string]json.RawMessage, key string) (val string, present, null bool, err error) {
	raw, ok := m[key]
	if !ok {
		return "", false, false, nil
	}
	if isNull(raw) {
		return "", true, true, nil
	}
	if err := json.Unmarshal(raw, &val); err != nil {
		return "", true, false, err
	}
	return val, true, false, nil
}

type keysIn struct {
	PublishableKey *string `json:"publishable_key"`
	FullAccessKey  *string `json:"full_access_key"`
}

// keyMode returns "test" or "live" for a key with one of the prefixes, else "".
func keyMode(key string, prefixes ...string) string {
	for _, p := range prefixes {
		for _, m := range []string{"test", "live"} {
			if strings.HasPrefix(key, p+"_"+m+"_") {
				return m
			}
		}
	}
	return ""
}

func checkPublishable(pk string) (string, string) {
	if m := keyMode(pk, "pk"); m != "" {
		return m, ""
	}
	if keyMode(pk, "sk", "rk") != "" {
		return "", "configuration.publishable_key must be a Stripe publishable key (pk_test_... or pk_live_...), not a secret key"
	}
	return "", "configuration.publishable_key must be a Stripe publishable key (pk_test_... or pk_live_...)"
}

func checkSecret(sk string) (string, string) {
	if m := keyMode(sk, "sk", "rk"); m != "" {
		return m, ""
	}
	if keyMode(sk, "pk") != "" {
		return "", "configuration.full_access_key must be a Stripe secret key (sk_... or rk_...), not a publishable key"
	}
	return "", "configuration.full_access_key must be a Stripe secret key (sk_test_..., sk_live_..., rk_test_... or rk_live_...)"
}

func (e *Emulator) createBilling(c *call) (int, any) {
	m, ok := fields(c.body)
	if !ok {
		return errorf(400, "Invalid request body: a JSON object is expected")
	}
	if _, bad := m["job_queue_status"]; bad {
		return errorf(400, "Fields not allowed: job_queue_status")
	}
	var msgs []string
	integrationURL, _, _, err1 := str(m, "integration_url")
	if integrationURL == "" {
		msgs = append(msgs, "Required fields: integration_url")
	}
	name, _, _, err2 := str(m, "name")
	title, _, _, err3 := str(m, "title")
	summary, _, _, err4 := str(m, "summary")
	for _, err := range []error{err1, err2, err3, err4} {
		if err != nil {
			return errorf(400, "Invalid request body: name, title, summary and integration_url must be strings")
		}
	}
	if name == "" {
		name = Slug(title)
	}
	if title == "" {
		title = name
	}
	if name == "" {
		msgs = append(msgs, "A name or a title is required")
	} else if !nameRE.MatchString(name) {
		msgs = append(msgs, "Invalid name "+strconv.Quote(name)+": use lower case letters, digits and '-'")
	}
	var keys keysIn
	if raw, ok := m["configuration"]; ok && !isNull(raw) {
		if err := json.Unmarshal(raw, &keys); err != nil {
			return errorf(400, "Invalid configuration: publishable_key and full_access_key must be strings")
		}
	}
	var pk, sk string
	if keys.PublishableKey != nil {
		pk = *keys.PublishableKey
	}
	if keys.FullAccessKey != nil {
		sk = *keys.FullAccessKey
	}
	if pk == "" {
		msgs = append(msgs, "Required fields: configuration.publishable_key")
	}
	if sk == "" {
		msgs = append(msgs, "Required fields: configuration.full_access_key")
	}
	if len(msgs) > 0 {
		return errorf(400, msgs...)
	}
	pkMode, msg := checkPublishable(pk)
	if msg != "" {
		return errorf(400, msg)
	}
	skMode, msg := checkSecret(sk)
	if msg != "" {
		return errorf(400, msg)
	}
	if pkMode != skMode {
		return errorf(400, "The publishable key and the secret key must both be test keys or both be live keys")
	}

	// Cheap early checks before calling Stripe.
	e.mu.Lock()
	o, ok := e.lookupOrg(c)
	dup := ok && o.findBillingByName(name) != nil
	e.mu.Unlock()
	if !ok {
		return notFound("Organization", c.params["org"])
	}
	if dup {
		return errorf(409, "Billing integration with name "+strconv.Quote(name)+" already exists")
	}

	acct, st, msg := e.resolveStripeAccount(c.r.Context(), sk)
	if st != 0 {
		return errorf(st, msg)
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	o, ok = e.lookupOrg(c)
	if !ok {
		return notFound("Organization", c.params["org"])
	}
	if o.findBillingByName(name) != nil {
		return errorf(409, "Billing integration with name "+strconv.Quote(name)+" already exists")
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	b := &billing{
		id: newUUID(), name: name, title: title, summary: summary, integrationURL: integrationURL,
		pk: pk, sk: sk, accountID: acct, mode: skMode, created: now, updated: now,
	}
	o.billings = append(o.billings, b)
	out := billingJSON(c.base, o, b)
	c.w.Header().Set("Location", out.URL)
	return 201, out
}

func (o *org) findBillingByName(name string) *billing {
	for _, b := range o.billings {
		if strings.EqualFold(b.name, name) {
			return b
		}
	}
	return nil
}

func (e *Emulator) patchBilling(c *call) (int, any) {
	m, ok := fields(c.body)
	if !ok {
		return errorf(400, "Invalid request body: a JSON object is expected")
	}
	if _, bad := m["job_queue_status"]; bad {
		return errorf(400, "Fields not allowed: job_queue_status")
	}
	name, namePresent, _, err1 := str(m, "name")
	title, titlePresent, titleNull, err2 := str(m, "title")
	summary, summaryPresent, _, err3 := str(m, "summary")
	iurl, iurlPresent, iurlNull, err4 := str(m, "integration_url")
	for _, err := range []error{err1, err2, err3, err4} {
		if err != nil {
			return errorf(400, "Invalid request body: name, title, summary and integration_url must be strings")
		}
	}
	if iurlPresent && (iurlNull || iurl == "") {
		return errorf(400, "Fields not allowed to be null: integration_url")
	}
	if titlePresent && titleNull {
		return errorf(400, "Fields not allowed to be null: title")
	}
	var keys keysIn
	if raw, ok := m["configuration"]; ok && !isNull(raw) {
		if err := json.Unmarshal(raw, &keys); err != nil {
			return errorf(400, "Invalid configuration: publishable_key and full_access_key must be strings")
		}
	}
	var pk, sk string
	if keys.PublishableKey != nil {
		pk = *keys.PublishableKey
	}
	if keys.FullAccessKey != nil && *keys.FullAccessKey != masked {
		sk = *keys.FullAccessKey
	}
	var pkMode, skMode string
	if pk != "" {
		var msg string
		if pkMode, msg = checkPublishable(pk); msg != "" {
			return errorf(400, msg)
		}
	}
	if sk != "" {
		var msg string
		if skMode, msg = checkSecret(sk); msg != "" {
			return errorf(400, msg)
		}
	}
	if pkMode != "" && skMode != "" && pkMode != skMode {
		return errorf(400, "The publishable key and the secret key must both be test keys or both be live keys")
	}

	// Look up the billing first (404 and name checks before calling Stripe).
	e.mu.Lock()
	o, ok := e.lookupOrg(c)
	var b *billing
	if ok {
		b = o.findBilling(c.params["billing"])
	}
	var curMode, curAcct, curName, id string
	if b != nil {
		curMode, curAcct, curName, id = b.mode, b.accountID, b.name, b.id
	}
	e.mu.Unlock()
	if !ok {
		return notFound("Organization", c.params["org"])
	}
	if b == nil {
		return notFound("Billing", c.params["billing"])
	}
	if namePresent && !strings.EqualFold(name, curName) {
		return errorf(400, "Changing the name of a billing integration is not supported")
	}
	if (pkMode != "" && pkMode != curMode) || (skMode != "" && skMode != curMode) {
		return errorf(400, KeySwapMessage)
	}
	var acct string
	if sk != "" {
		var st int
		var msg string
		acct, st, msg = e.resolveStripeAccount(c.r.Context(), sk)
		if st != 0 {
			return errorf(st, msg)
		}
		if acct != curAcct {
			return errorf(400, KeySwapMessage)
		}
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	b = o.findBilling(id)
	if b == nil {
		return notFound("Billing", c.params["billing"])
	}
	if b.mode != curMode || b.accountID != curAcct { // changed concurrently
		return errorf(409, "The billing integration was modified concurrently; retry")
	}
	if titlePresent {
		b.title = title
	}
	if summaryPresent {
		b.summary = summary
	}
	if iurlPresent {
		b.integrationURL = iurl
	}
	if pk != "" {
		b.pk = pk
	}
	if sk != "" {
		b.sk = sk
	}
	b.updated = bump(b.updated)
	return 200, billingJSON(c.base, o, b)
}

func (e *Emulator) deleteBilling(c *call) (int, any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	o, ok := e.lookupOrg(c)
	if !ok {
		return notFound("Organization", c.params["org"])
	}
	b := o.findBilling(c.params["billing"])
	if b == nil {
		return notFound("Billing", c.params["billing"])
	}
	if cats := o.catalogsConfiguring(b.id); len(cats) > 0 {
		return errorf(409, "Billing integration '"+b.name+"' is still configured in catalogs: "+strings.Join(cats, ", ")+"; remove it from those catalogs first")
	}
	out := billingJSON(c.base, o, b)
	o.removeBilling(b)
	return 200, out
}

// ---- jobs ----

type jobOut struct {
	Type       string `json:"type"`
	APIVersion string `json:"api_version"`
	ID         string `json:"id"`
	Name       string `json:"name"`
	State      string `json:"state"`
	Error      string `json:"error"`
	CreatedAt  string `json:"created_at"`
	UpdatedAt  string `json:"updated_at"`
	BillingURL string `json:"billing_url"`
	URL        string `json:"url"`
}

func jobJSON(base string, o *org, b *billing, j *job) jobOut {
	bu := billingURL(base, o, b)
	return jobOut{Type: "job", APIVersion: apiVersion, ID: j.id, Name: j.name, State: j.state, Error: j.err,
		CreatedAt: ts(j.created), UpdatedAt: ts(j.updated), BillingURL: bu, URL: bu + "/jobs/" + j.id}
}

func (e *Emulator) lookupBilling(c *call) (*org, *billing, int, any) {
	o, ok := e.lookupOrg(c)
	if !ok {
		st, body := notFound("Organization", c.params["org"])
		return nil, nil, st, body
	}
	b := o.findBilling(c.params["billing"])
	if b == nil {
		st, body := notFound("Billing", c.params["billing"])
		return nil, nil, st, body
	}
	return o, b, 0, nil
}

func (b *billing) findJob(id string) (int, *job) {
	for i, j := range b.jobs {
		if j.id == id || j.name == id {
			return i, j
		}
	}
	return -1, nil
}

func (e *Emulator) listJobs(c *call) (int, any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	o, b, st, body := e.lookupBilling(c)
	if b == nil {
		return st, body
	}
	out := make([]jobOut, 0, len(b.jobs))
	for _, j := range b.jobs {
		out = append(out, jobJSON(c.base, o, b, j))
	}
	return page(c, out)
}

func (e *Emulator) getJob(c *call) (int, any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	o, b, st, body := e.lookupBilling(c)
	if b == nil {
		return st, body
	}
	_, j := b.findJob(c.params["job"])
	if j == nil {
		return notFound("Job", c.params["job"])
	}
	return 200, jobJSON(c.base, o, b, j)
}

func (e *Emulator) deleteJob(c *call) (int, any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	o, b, st, body := e.lookupBilling(c)
	if b == nil {
		return st, body
	}
	i, j := b.findJob(c.params["job"])
	if j == nil {
		return notFound("Job", c.params["job"])
	}
	out := jobJSON(c.base, o, b, j)
	b.jobs = append(b.jobs[:i:i], b.jobs[i+1:]...)
	return 200, out
}

// retryJob re-attempts a blocked or failed job: it goes back to running and
// completes at once, so it leaves the queue. The answer is the job as
// running.
func (e *Emulator) retryJob(c *call) (int, any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	o, b, st, body := e.lookupBilling(c)
	if b == nil {
		return st, body
	}
	i, j := b.findJob(c.params["job"])
	if j == nil {
		return notFound("Job", c.params["job"])
	}
	if j.state != "blocked" && j.state != "failed" {
		return errorf(409, "Only blocked or failed jobs can be retried; job "+strconv.Quote(j.id)+" is "+j.state)
	}
	j.state = "running"
	j.err = ""
	j.updated = bump(j.updated)
	out := jobJSON(c.base, o, b, j)
	b.jobs = append(b.jobs[:i:i], b.jobs[i+1:]...)
	return 200, out
}

// ---- configured billings ----

type configuredOut struct {
	Type          string      `json:"type"`
	APIVersion    string      `json:"api_version"`
	ID            string      `json:"id"`
	Name          string      `json:"name"`
	Title         string      `json:"title"`
	Summary       string      `json:"summary"`
	BillingURL    string      `json:"billing_url"`
	OriginalID    string      `json:"original_id"`
	Scope         string      `json:"scope"`
	Owned         bool        `json:"owned"`
	Configuration configOut   `json:"configuration"`
	Metadata      metadataOut `json:"metadata"`
	CreatedAt     string      `json:"created_at"`
	UpdatedAt     string      `json:"updated_at"`
	OrgURL        string      `json:"org_url"`
	CatalogURL    string      `json:"catalog_url"`
	URL           string      `json:"url"`
}

func configuredJSON(base string, o *org, cat *catalog, cb *configuredBilling) configuredOut {
	// The platform keeps catalog copies in sync with the org billing.
	if b := o.findBilling(cb.billingID); b != nil {
		cb.summary, cb.pk, cb.accountID, cb.mode = b.summary, b.pk, b.accountID, b.mode
		if b.updated.After(cb.updated) {
			cb.updated = b.updated
		}
	}
	return configuredOut{
		Type: "configured_billing", APIVersion: apiVersion, ID: cb.id, Name: cb.billingID, Title: cb.billingID,
		Summary: cb.summary, BillingURL: billingURLByID(base, o, cb.billingID), OriginalID: cb.billingID,
		Scope: "catalog", Owned: true,
		Configuration: configOut{PublishableKey: cb.pk, FullAccessKey: masked},
		Metadata:      meta(cb.mode, cb.accountID),
		CreatedAt:     ts(cb.created), UpdatedAt: ts(cb.updated),
		OrgURL: orgURL(base, o), CatalogURL: catalogURL(base, o, cat), URL: configuredURL(base, o, cat, cb),
	}
}

func (e *Emulator) listConfigured(c *call) (int, any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	o, cat, st, body := e.lookupCatalog(c)
	if cat == nil {
		return st, body
	}
	out := make([]configuredOut, 0, len(cat.configured))
	for _, cb := range cat.configured {
		out = append(out, configuredJSON(c.base, o, cat, cb))
	}
	return page(c, out)
}

var billingPathRE = regexp.MustCompile(`/orgs/([^/]+)/billings/([^/]+)/?$`)

func (e *Emulator) createConfigured(c *call) (int, any) {
	m, ok := fields(c.body)
	if !ok {
		return errorf(400, "Invalid request body: a JSON object is expected")
	}
	bu, _, _, err := str(m, "billing_url")
	if err != nil {
		return errorf(400, "billing_url must be a string")
	}
	if bu == "" {
		return errorf(400, "Required fields: billing_url")
	}
	u, err := url.Parse(bu)
	if err != nil {
		return errorf(400, "billing_url is not a valid URL")
	}
	sm := billingPathRE.FindStringSubmatch(u.Path)
	if sm == nil {
		return errorf(400, "billing_url must be the url of a billing integration (.../api/orgs/{org}/billings/{billing})")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	o, cat, st, body := e.lookupCatalog(c)
	if cat == nil {
		return st, body
	}
	if ro := e.findOrg(sm[1]); ro != o {
		return errorf(404, "Billing integration "+strconv.Quote(bu)+" not found in organization "+strconv.Quote(o.name))
	}
	b := o.findBilling(sm[2])
	if b == nil {
		return errorf(404, "Billing integration "+strconv.Quote(bu)+" not found in organization "+strconv.Quote(o.name))
	}
	for _, cb := range cat.configured {
		if cb.billingID == b.id {
			return errorf(409, "Billing integration '"+b.name+"' is already configured in catalog '"+cat.name+"'")
		}
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	cb := &configuredBilling{id: newUUID(), billingID: b.id, title: b.title, summary: b.summary, pk: b.pk,
		accountID: b.accountID, mode: b.mode, created: now, updated: now}
	cat.configured = append(cat.configured, cb)
	out := configuredJSON(c.base, o, cat, cb)
	c.w.Header().Set("Location", out.URL)
	return 201, out
}

func (e *Emulator) getConfigured(c *call) (int, any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	o, cat, st, body := e.lookupCatalog(c)
	if cat == nil {
		return st, body
	}
	cb := cat.findConfigured(c.params["id"])
	if cb == nil {
		return notFound("Configured billing", c.params["id"])
	}
	return 200, configuredJSON(c.base, o, cat, cb)
}

func (e *Emulator) deleteConfigured(c *call) (int, any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	o, cat, st, body := e.lookupCatalog(c)
	if cat == nil {
		return st, body
	}
	cb := cat.findConfigured(c.params["id"])
	if cb == nil {
		return notFound("Configured billing", c.params["id"])
	}
	out := configuredJSON(c.base, o, cat, cb)
	for i, x := range cat.configured {
		if x == cb {
			cat.configured = append(cat.configured[:i:i], cat.configured[i+1:]...)
			break
		}
	}
	return 200, out
}
