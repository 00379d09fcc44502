# Terraform 1.5 / OpenTofu 1.6 or later: adopt an integration created in API
# Manager with the configuration of resource.tf. The id is <org>/<name> or
# <org>/<id>, or <name> alone in the provider's organization.
import {
  to = apiconnect_billing_integration.live
  id = "acme/stripe-live"
}
