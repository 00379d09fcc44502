package provider

import (
	"context"
	"sync"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/apic"
)

// catalogSettingsCache reads each Catalog's settings at most once per
// provider process: production_mode does not change during a run, and many
// catalog billings may share one Catalog.
type catalogSettingsCache struct {
	mu      sync.Mutex
	entries map[string]*catalogSettingsEntry
}

type catalogSettingsEntry struct {
	done     chan struct{}
	settings *apic.CatalogSettings
	err      error
}

func newCatalogSettingsCache() *catalogSettingsCache {
	return &catalogSettingsCache{entries: map[string]*catalogSettingsEntry{}}
}

func (c *catalogSettingsCache) get(ctx context.Context, client *apic.Client, org, catalog string) (*apic.CatalogSettings, error) {
	key := org + "/" + catalog
	c.mu.Lock()
	e, ok := c.entries[key]
	if !ok {
		e = &catalogSettingsEntry{done: make(chan struct{})}
		c.entries[key] = e
		c.mu.Unlock()
		e.settings, e.err = client.GetCatalogSettings(ctx, org, catalog)
		if e.err != nil {
			c.mu.Lock()
			delete(c.entries, key)
			c.mu.Unlock()
		}
		close(e.done)
		return e.settings, e.err
	}
	c.mu.Unlock()
	select {
	case <-e.done:
		return e.settings, e.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
