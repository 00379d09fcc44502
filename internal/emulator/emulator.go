package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	mrand "math/rand"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"time"
)

// Config configures an Emulator. Zero values take the documented defaults.
type Config struct {
	Org          string // default "acme"
	Username     string // default "apic-admin"
	Password     string // default "emulator-Passw0rd"
	Realm        string // default "provider/default-idp-2"
	ClientID     string // default "emulator-client-id"
	ClientSecret string // default "emulator-client-secret"
	APIKey       string // default "emulator-api-key"
	// ViewerUsername and ViewerPassword are a second user of the org (same
	// realm and client) whose role is read-only: GETs succeed, writes are
	// answered 403. Defaults "apic-viewer" and "emulator-Viewer-Passw0rd".
	ViewerUsername string
	ViewerPassword string
	StaticToken    string        // optional: a ready bearer token that is always accepted (like an IAM token)
	StripeBase     string        // "" = use the built-in Stripe fake served by this same handler under /v1/...
	TokenTTL       time.Duration // default 8h; expires_in in the token response
	Seed           int64         // RNG seed for fault injection (default 1)

	// NoJobRetry models a platform version that does not serve job retry
	// over the API (the REST path of `apic jobs:retry` is inferred): POST
	// .../jobs/{job}/retry is then answered 404 like any unknown path.
	NoJobRetry bool

	// BaseURL is the scheme://host[:port] used to build the url fields of
	// responses (without the /api suffix). Empty: derived from each
	// request's Host. NewServer and NewTLSServer set it to the server URL.
	BaseURL string
}

func (c Config) withDefaults() Config {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&c.Org, "acme")
	def(&c.Username, "apic-admin")
	def(&c.Password, "emulator-Passw0rd")
	def(&c.Realm, "provider/default-idp-2")
	def(&c.ClientID, "emulator-client-id")
	def(&c.ClientSecret, "emulator-client-secret")
	def(&c.APIKey, "emulator-api-key")
	def(&c.ViewerUsername, "apic-viewer")
	def(&c.ViewerPassword, "emulator-Viewer-Passw0rd")
	if c.TokenTTL <= 0 {
		c.TokenTTL = 8 * time.Hour
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	c.StripeBase = strings.TrimRight(c.StripeBase, "/")
	return c
}

// Request is one journaled request.
type Request struct {
	Method, Path, Route string
	Query               string
	Body                []byte
	Status              int // 0 when the connection was dropped on purpose (fault)
	Header              http.Header
	// RemoteAddr is the client's host:port; "" for the emulator's own
	// in-process requests (its Stripe account lookups on create/update).
	RemoteAddr string
}

// Faults configures fault injection; see SetFaults.
type Faults struct {
	Rate429        float64       // share of API requests answered 429 with Retry-After
	RetryAfter     time.Duration // value of Retry-After (seconds, rounded up; default 1s)
	Rate503        float64       // share of API requests answered 503
	RateReset      float64       // share of requests whose connection is reset without a response
	RateCommitDrop float64       // share of POST creates that are committed, then the connection is dropped without a response
	Latency        time.Duration // added to every request
	TokenTTL       time.Duration // if >0, tokens issued from now on really expire after this (expires_in still says Config.TokenTTL)
	StripeDown     bool          // built-in Stripe fake answers 503
	StripeLatency  time.Duration // added to every request to the built-in Stripe fake
	// ErrorBody, when set, replaces the JSON body of injected 429 and 503
	// answers and is sent as text/html, like the error page of a gateway or
	// load balancer in front of the platform.
	ErrorBody string
	Routes    []string // if non-empty, only these route patterns get faults (e.g. "/api/orgs/{org}/billings" or "POST /api/orgs/{org}/billings")
}

// StoredBilling is the emulator's view of a billing integration, secret included.
type StoredBilling struct {
	ID, Name, Title, Summary, IntegrationURL, PublishableKey, SecretKey, AccountID, Mode, URL string
	CreatedAt, UpdatedAt                                                                      time.Time
}

// StoredConfiguredBilling is a billing configured in a catalog.
type StoredConfiguredBilling struct {
	ID, Name, Catalog, BillingID, BillingURL, URL string
}

// Emulator is the in-memory platform API. It is an http.Handler and safe for
// concurrent use.
type Emulator struct {
	cfg    Config
	stripe *http.Client

	mu          sync.Mutex
	orgs        []*org
	tokens      map[string]time.Time // token -> expiry
	journal     []*Request
	counts      map[string]int
	faults      Faults
	hostile     Hostile
	faultCounts map[string]int
	changes     map[string]int  // "METHOD ROUTE" -> writes that changed state (see ChangeCounts)
	viewers     map[string]bool // tokens issued to the read-only user
	lastBase    string
	rng         *mrand.Rand
}

type org struct {
	id, name, title string
	created         time.Time
	catalogs        []*catalog
	billings        []*billing
}

type catalog struct {
	id, name, title, summary string
	productionMode           bool
	created                  time.Time
	configured               []*configuredBilling
}

type billing struct {
	id, name, title, summary, integrationURL string
	pk, sk, accountID, mode                  string
	created, updated                         time.Time
	jobs                                     []*job
}

type job struct {
	id, name, state, err string
	created, updated     time.Time
}

type configuredBilling struct {
	id        string
	billingID string
	// snapshot of the billing, used if it disappears out of band
	title, summary, pk, accountID, mode string
	created, updated                    time.Time
}

// New returns an emulator with defaults applied and the org seeded with the
// catalogs "sandbox" (Sandbox), "production" (production_mode true) and "test".
func New(cfg Config) *Emulator {
	cfg = cfg.withDefaults()
	e := &Emulator{
		cfg:         cfg,
		stripe:      &http.Client{Timeout: 30 * time.Second},
		tokens:      map[string]time.Time{},
		counts:      map[string]int{},
		faultCounts: map[string]int{},
		changes:     map[string]int{},
		viewers:     map[string]bool{},
		rng:         mrand.New(mrand.NewSource(cfg.Seed)), //nolint:gosec // jitter/fault injection, not security
	}
	e.AddCatalog(cfg.Org, "sandbox", "Sandbox", false)
	e.AddCatalog(cfg.Org, "production", "Production", true)
	e.AddCatalog(cfg.Org, "test", "Test", false)
	return e
}

// Config returns the effective configuration (defaults applied).
func (e *Emulator) Config() Config {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.cfg
}

// SetBaseURL sets the scheme://host[:port] used for url fields (see Config.BaseURL).
func (e *Emulator) SetBaseURL(base string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.cfg.BaseURL = strings.TrimRight(base, "/")
}

// Server is an Emulator behind an httptest server.
type Server struct {
	*Emulator
	HTTP *httptest.Server
}

// NewServer starts the emulator on a local httptest server; call Close.
func NewServer(cfg Config) *Server {
	e := New(cfg)
	s := &Server{Emulator: e, HTTP: httptest.NewServer(e)}
	if cfg.BaseURL == "" {
		e.SetBaseURL(s.HTTP.URL)
	}
	return s
}

// NewTLSServer is NewServer with TLS (self-signed; use s.HTTP.Client() or
// s.HTTP.Certificate()).
func NewTLSServer(cfg Config) *Server {
	e := New(cfg)
	s := &Server{Emulator: e, HTTP: httptest.NewTLSServer(e)}
	if cfg.BaseURL == "" {
		e.SetBaseURL(s.HTTP.URL)
	}
	return s
}

// Close shuts the server down.
func (s *Server) Close() { s.HTTP.Close() }

// Endpoint is the platform API endpoint (ends in /api).
func (s *Server) Endpoint() string { return s.HTTP.URL + "/api" }

// StripeBase is the base URL of the built-in Stripe fake.
func (s *Server) StripeBase() string { return s.HTTP.URL }

// ---- journal ----

// Requests returns a copy of the journal, in arrival order.
func (e *Emulator) Requests() []Request {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]Request, len(e.journal))
	for i, r := range e.journal {
		c := *r
		c.Body = append([]byte(nil), r.Body...)
		c.Header = r.Header.Clone()
		out[i] = c
	}
	return out
}

// Counts returns request counts keyed "METHOD ROUTE".
func (e *Emulator) Counts() map[string]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make(map[string]int, len(e.counts))
	for k, v := range e.counts {
		out[k] = v
	}
	return out
}

// Count returns the number of requests for method and route pattern.
func (e *Emulator) Count(method, route string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.counts[method+" "+route]
}

// ResetJournal clears the journal, the counts, the change counts and the
// fault counts.
func (e *Emulator) ResetJournal() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.journal = nil
	e.counts = map[string]int{}
	e.faultCounts = map[string]int{}
	e.changes = map[string]int{}
}

// ---- faults ----

// SetFaults replaces the fault configuration. Faults{} turns them all off.
func (e *Emulator) SetFaults(f Faults) {
	e.mu.Lock()
	defer e.mu.Unlock()
	f.Routes = append([]string(nil), f.Routes...)
	e.faults = f
}

// FaultCounts returns how many faults of each kind were injected. Keys:
// "429", "503", "reset", "commit_drop", "latency", "token_expired",
// "stripe_down".
func (e *Emulator) FaultCounts() map[string]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make(map[string]int, len(e.faultCounts))
	for k, v := range e.faultCounts {
		out[k] = v
	}
	return out
}

// ExpireTokens invalidates every issued token (the StaticToken stays valid).
func (e *Emulator) ExpireTokens() {
	e.mu.Lock()
	defer e.mu.Unlock()
	past := time.Now().Add(-time.Second)
	for t := range e.tokens {
		e.tokens[t] = past
	}
}

// ---- state inspection and control ----

// AddOrg adds a provider org (if missing) and returns its id.
func (e *Emulator) AddOrg(name string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.ensureOrg(name).id
}

func (e *Emulator) ensureOrg(name string) *org {
	if o := e.findOrg(name); o != nil {
		return o
	}
	o := &org{id: newUUID(), name: name, title: name, created: time.Now().UTC()}
	e.orgs = append(e.orgs, o)
	return o
}

// AddCatalog adds (or updates) a catalog; the org is created if missing.
func (e *Emulator) AddCatalog(orgName, name, title string, productionMode bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	o := e.ensureOrg(orgName)
	if c := o.findCatalog(name); c != nil {
		c.title = title
		c.productionMode = productionMode
		return
	}
	o.catalogs = append(o.catalogs, &catalog{
		id: newUUID(), name: name, title: title, productionMode: productionMode,
		summary: title + " catalog", created: time.Now().UTC(),
	})
}

// OrgID returns the id of an org given its name or id.
func (e *Emulator) OrgID(orgName string) (string, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	o := e.findOrg(orgName)
	if o == nil {
		return "", false
	}
	return o.id, true
}

// CatalogID returns the id of a catalog given org and catalog name or id.
func (e *Emulator) CatalogID(orgName, catalogName string) (string, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	o := e.findOrg(orgName)
	if o == nil {
		return "", false
	}
	c := o.findCatalog(catalogName)
	if c == nil {
		return "", false
	}
	return c.id, true
}

// Billing returns a stored billing by name or id.
func (e *Emulator) Billing(orgName, nameOrID string) (StoredBilling, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	o := e.findOrg(orgName)
	if o == nil {
		return StoredBilling{}, false
	}
	b := o.findBilling(nameOrID)
	if b == nil {
		return StoredBilling{}, false
	}
	return e.stored(o, b), true
}

// Billings returns the org's billings in creation order.
func (e *Emulator) Billings(orgName string) []StoredBilling {
	e.mu.Lock()
	defer e.mu.Unlock()
	o := e.findOrg(orgName)
	if o == nil {
		return nil
	}
	out := make([]StoredBilling, 0, len(o.billings))
	for _, b := range o.billings {
		out = append(out, e.stored(o, b))
	}
	return out
}

func (e *Emulator) stored(o *org, b *billing) StoredBilling {
	return StoredBilling{
		ID: b.id, Name: b.name, Title: b.title, Summary: b.summary,
		IntegrationURL: b.integrationURL, PublishableKey: b.pk, SecretKey: b.sk,
		AccountID: b.accountID, Mode: b.mode, URL: billingURL(e.baseLocked(), o, b),
		CreatedAt: b.created, UpdatedAt: b.updated,
	}
}

// DeleteBillingOutOfBand removes a billing as if someone deleted it in the
// UI, without the "still configured" check; configured billings that
// reference it are left in place (drift).
func (e *Emulator) DeleteBillingOutOfBand(orgName, nameOrID string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	o := e.findOrg(orgName)
	if o == nil {
		return false
	}
	b := o.findBilling(nameOrID)
	if b == nil {
		return false
	}
	o.removeBilling(b)
	return true
}

// UpdateBillingOutOfBand changes title and summary of a billing as if
// someone edited it in the UI (nil = unchanged); it bumps updated_at.
func (e *Emulator) UpdateBillingOutOfBand(orgName, nameOrID string, title, summary *string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	o := e.findOrg(orgName)
	if o == nil {
		return false
	}
	b := o.findBilling(nameOrID)
	if b == nil {
		return false
	}
	if title != nil {
		b.title = *title
	}
	if summary != nil {
		b.summary = *summary
	}
	b.updated = bump(b.updated)
	return true
}

// ConfiguredBillings lists the billings configured in a catalog.
func (e *Emulator) ConfiguredBillings(orgName, catalogName string) []StoredConfiguredBilling {
	e.mu.Lock()
	defer e.mu.Unlock()
	o := e.findOrg(orgName)
	if o == nil {
		return nil
	}
	c := o.findCatalog(catalogName)
	if c == nil {
		return nil
	}
	base := e.baseLocked()
	out := make([]StoredConfiguredBilling, 0, len(c.configured))
	for _, cb := range c.configured {
		out = append(out, StoredConfiguredBilling{
			ID: cb.id, Name: cb.billingID, Catalog: c.name, BillingID: cb.billingID,
			BillingURL: billingURLByID(base, o, cb.billingID),
			URL:        configuredURL(base, o, c, cb),
		})
	}
	return out
}

// EnqueueJob appends a job in state "running", "blocked" or "failed" to a
// billing's queue.
func (e *Emulator) EnqueueJob(orgName, billingName, state, errMsg string) (string, bool) {
	switch state {
	case "running", "blocked", "failed":
	default:
		return "", false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	o := e.findOrg(orgName)
	if o == nil {
		return "", false
	}
	b := o.findBilling(billingName)
	if b == nil {
		return "", false
	}
	now := time.Now().UTC()
	j := &job{id: newUUID(), state: state, err: errMsg, created: now, updated: now}
	j.name = j.id
	b.jobs = append(b.jobs, j)
	return j.id, true
}

// ---- lookups (callers hold e.mu) ----

func (e *Emulator) findOrg(nameOrID string) *org {
	for _, o := range e.orgs {
		if o.id == nameOrID || strings.EqualFold(o.name, nameOrID) {
			return o
		}
	}
	return nil
}

func (o *org) findCatalog(nameOrID string) *catalog {
	for _, c := range o.catalogs {
		if c.id == nameOrID || strings.EqualFold(c.name, nameOrID) {
			return c
		}
	}
	return nil
}

func (o *org) findBilling(nameOrID string) *billing {
	for _, b := range o.billings {
		if b.id == nameOrID {
			return b
		}
	}
	for _, b := range o.billings {
		if strings.EqualFold(b.name, nameOrID) {
			return b
		}
	}
	return nil
}

func (o *org) removeBilling(b *billing) {
	for i, x := range o.billings {
		if x == b {
			o.billings = append(o.billings[:i:i], o.billings[i+1:]...)
			return
		}
	}
}

// catalogsConfiguring returns the sorted names of the catalogs in which the
// billing is configured.
func (o *org) catalogsConfiguring(billingID string) []string {
	var names []string
	for _, c := range o.catalogs {
		for _, cb := range c.configured {
			if cb.billingID == billingID {
				names = append(names, c.name)
				break
			}
		}
	}
	sort.Strings(names)
	return names
}

func (c *catalog) findConfigured(idOrName string) *configuredBilling {
	for _, cb := range c.configured {
		if cb.id == idOrName {
			return cb
		}
	}
	for _, cb := range c.configured {
		if cb.billingID == idOrName {
			return cb
		}
	}
	return nil
}

func (e *Emulator) baseLocked() string {
	if e.cfg.BaseURL != "" {
		return e.cfg.BaseURL
	}
	return e.lastBase
}

// ---- helpers ----

func newUUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func newToken() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b[:])
}

// bump returns now, or t+1ms if now is not after t, so updated_at always
// moves forward on a change.
func bump(t time.Time) time.Time {
	now := time.Now().UTC().Truncate(time.Millisecond)
	if !now.After(t) {
		now = t.Add(time.Millisecond)
	}
	return now
}

func ts(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// Slug turns a title into a name: lower case, runs of characters other than
// a-z and 0-9 become "-", leading and trailing "-" trimmed.
func Slug(title string) string {
	var sb strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && sb.Len() > 0 {
				sb.WriteByte('-')
			}
			dash = false
			sb.WriteRune(r)
		} else {
			dash = true
		}
	}
	return sb.String()
}

func orgURL(base string, o *org) string { return base + "/api/orgs/" + o.id }

func billingURL(base string, o *org, b *billing) string { return billingURLByID(base, o, b.id) }

func billingURLByID(base string, o *org, id string) string {
	return base + "/api/orgs/" + o.id + "/billings/" + id
}

func catalogURL(base string, o *org, c *catalog) string {
	return base + "/api/catalogs/" + o.id + "/" + c.id
}

func configuredURL(base string, o *org, c *catalog, cb *configuredBilling) string {
	return catalogURL(base, o, c) + "/configured-billings/" + cb.id
}
