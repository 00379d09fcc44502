# Terraform 1.12 / OpenTofu 1.12 or later: adopt an integration created in
# API Manager by its identity, with the configuration of resource.tf. org may
# be left out: it defaults to the provider's organization.
import {
  to = apiconnect_billing_integration.live
  identity = {
    org  = "acme"
    name = "stripe-live"
  }
}
