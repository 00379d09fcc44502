# Terraform 1.12 / OpenTofu 1.12 or later: adopt the live integration's
# association with the Sandbox Catalog, made in API Manager, by its identity
# (terraform query lists the ids: see the apiconnect_catalog_billing list
# resource). org may be left out: it defaults to the provider's organization.
import {
  to = apiconnect_catalog_billing.sandbox
  identity = {
    org     = "acme"
    catalog = "sandbox"
    id      = "0b6e3e3c-6e4f-4c8e-9a53-3f2f0f0c1d2e"
  }
}
