package apic

import (
	"context"
	"errors"
	"strings"
)

func catalogPath(org, catalog string) string { return "/catalogs/" + esc(org) + "/" + esc(catalog) }

func configuredBillingsPath(org, catalog string) string {
	return catalogPath(org, catalog) + "/configured-billings"
}

// GetCatalog reads a Catalog by name or id.
func (c *Client) GetCatalog(ctx context.Context, org, catalog string) (*Catalog, error) {
	if err := segments("org", org, "catalog", catalog); err != nil {
		return nil, err
	}
	var out Catalog
	if err := c.get(ctx, catalogPath(org, catalog), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetCatalogSettings reads a Catalog's settings (production_mode).
func (c *Client) GetCatalogSettings(ctx context.Context, org, catalog string) (*CatalogSettings, error) {
	if err := segments("org", org, "catalog", catalog); err != nil {
		return nil, err
	}
	var out CatalogSettings
	if err := c.get(ctx, catalogPath(org, catalog)+"/settings", &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListConfiguredBillings lists the billings added to a Catalog.
func (c *Client) ListConfiguredBillings(ctx context.Context, org, catalog string) ([]ConfiguredBilling, error) {
	if err := segments("org", org, "catalog", catalog); err != nil {
		return nil, err
	}
	return listAll(ctx, c, configuredBillingsPath(org, catalog), func(b ConfiguredBilling) string { return b.ID })
}

// FindConfiguredBilling returns the Catalog's configured billing for
// billingURL (matched exactly, by the trailing /billings/{x} segment, or by
// that segment being the billing id), or nil when there is none.
func (c *Client) FindConfiguredBilling(ctx context.Context, org, catalog, billingURL string) (*ConfiguredBilling, error) {
	list, err := c.ListConfiguredBillings(ctx, org, catalog)
	if err != nil {
		return nil, err
	}
	for i := range list {
		cb := &list[i]
		if SameBillingURL(cb.BillingURL, billingURL) || RefersToBilling(billingURL, cb.OriginalID) {
			return cb, nil
		}
	}
	return nil, nil
}

// CreateConfiguredBilling adds the billing at billingURL to a Catalog. Like
// CreateBilling it never repeats the POST blindly: after an ambiguous
// failure the Catalog's configured billings are searched for billingURL.
func (c *Client) CreateConfiguredBilling(ctx context.Context, org, catalog, billingURL string) (*ConfiguredBilling, error) {
	if err := segments("org", org, "catalog", catalog); err != nil {
		return nil, err
	}
	if strings.TrimSpace(billingURL) == "" {
		return nil, errors.New("apic: billing_url must not be empty")
	}
	in := struct {
		BillingURL string `json:"billing_url"`
	}{billingURL}
	lookup := func(ctx context.Context) (*ConfiguredBilling, error) {
		return c.FindConfiguredBilling(ctx, org, catalog, billingURL)
	}
	return createWithRecovery(ctx, c, configuredBillingsPath(org, catalog), in, lookup)
}

// GetConfiguredBilling reads one configured billing by id (or name).
func (c *Client) GetConfiguredBilling(ctx context.Context, org, catalog, id string) (*ConfiguredBilling, error) {
	if err := segments("org", org, "catalog", catalog, "id", id); err != nil {
		return nil, err
	}
	var out ConfiguredBilling
	if err := c.get(ctx, configuredBillingsPath(org, catalog)+"/"+esc(id), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteConfiguredBilling removes a billing from a Catalog. 200, 202 and 204
// succeed; a 404 is returned as an *Error (see IsNotFound).
func (c *Client) DeleteConfiguredBilling(ctx context.Context, org, catalog, id string) error {
	if err := segments("org", org, "catalog", catalog, "id", id); err != nil {
		return err
	}
	return c.del(ctx, configuredBillingsPath(org, catalog)+"/"+esc(id))
}

// ListCatalogs lists the Catalogs of a provider organization.
func (c *Client) ListCatalogs(ctx context.Context, org string) ([]Catalog, error) {
	if err := segments("org", org); err != nil {
		return nil, err
	}
	return listAll(ctx, c, "/orgs/"+esc(org)+"/catalogs", func(cat Catalog) string { return cat.ID })
}
