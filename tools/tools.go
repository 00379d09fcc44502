//go:build tools

// Package tools pins the versions of Go-based build tools in go.mod.
// It is never compiled into the provider (build tag "tools").
package tools

import (
	// Documentation generation (make generate / make docs-check).
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
)
