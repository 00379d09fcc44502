package apic

import "context"

// Org is a provider organization.
type Org struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Title   string `json:"title,omitempty"`
	OrgType string `json:"org_type,omitempty"`
	URL     string `json:"url,omitempty"`
}

// GetOrg reads a provider organization by name or id.
func (c *Client) GetOrg(ctx context.Context, org string) (*Org, error) {
	if err := segments("org", org); err != nil {
		return nil, err
	}
	var out Org
	if err := c.get(ctx, "/orgs/"+esc(org), &out); err != nil {
		return nil, err
	}
	return &out, nil
}
