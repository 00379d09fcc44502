package apic

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// listPage decodes one page: the envelope {total_results, results} or a bare
// array. total is -1 when the server did not say.
func listPage[T any](body []byte) (items []T, total int, err error) {
	b := bytes.TrimSpace(body)
	if len(b) == 0 {
		return nil, -1, nil
	}
	if b[0] == '[' {
		if err := json.Unmarshal(b, &items); err != nil {
			return nil, -1, err
		}
		return items, -1, nil
	}
	var env struct {
		TotalResults *int `json:"total_results"`
		Results      []T  `json:"results"`
	}
	if err := json.Unmarshal(b, &env); err != nil {
		return nil, -1, err
	}
	total = -1
	if env.TotalResults != nil {
		total = *env.TotalResults
	}
	return env.Results, total, nil
}

// listAll follows limit/offset paging until total_results is reached, a page
// is short or empty, or the server evidently ignores offset. key identifies
// an item for that last check ("" disables it).
func listAll[T any](ctx context.Context, c *Client, path string, key func(T) string) ([]T, error) {
	var all []T
	seen := map[string]bool{}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	received := 0
	for page, offset := 0, 0; page < maxPages; page++ {
		st, _ := newCall(http.MethodGet, fmt.Sprintf("%s%slimit=%d&offset=%d", path, sep, pageSize, offset), nil, policyIdempotent)
		var raw json.RawMessage
		if err := c.do(ctx, st, &raw); err != nil {
			return nil, err
		}
		if received += len(raw); received > c.maxListBytes {
			// A server that keeps sending pages must not exhaust memory.
			return nil, fmt.Errorf("GET %s: the list exceeds %d MiB over %d pages; stopped reading it", path, c.maxListBytes>>20, page+1)
		}
		items, total, err := listPage[T](raw)
		if err != nil {
			return nil, fmt.Errorf("GET %s: decoding list: %w", path, err)
		}
		fresh := 0
		for i := range items {
			if r, ok := any(&items[i]).(redactable); ok {
				r.redact(c.red.clean)
			}
		}
		for _, it := range items {
			if key != nil {
				if k := key(it); k != "" {
					if seen[k] {
						continue
					}
					seen[k] = true
				}
			}
			all = append(all, it)
			fresh++
		}
		switch {
		case len(items) == 0, fresh == 0:
			return all, nil
		case total >= 0 && len(all) >= total:
			return all, nil
		case total < 0 && len(items) < pageSize:
			return all, nil
		case len(items) > pageSize:
			// The server ignored limit and sent everything.
			return all, nil
		}
		offset += len(items)
	}
	return all, nil
}
