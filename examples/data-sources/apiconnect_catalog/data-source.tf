data "apiconnect_catalog" "target" {
  name = "production"
}

data "apiconnect_billing_integration" "billing" {
  name = "stripe-live"
}

# The provider refuses test keys in a production Catalog; this check says so
# earlier, in terms of the module's inputs.
check "no_test_keys_in_production" {
  assert {
    condition     = !(data.apiconnect_catalog.target.production_mode && data.apiconnect_billing_integration.billing.mode == "test")
    error_message = "Catalog ${data.apiconnect_catalog.target.title} is a production Catalog: use a separate Catalog for Stripe test keys."
  }
}

output "catalog" {
  value = {
    id              = data.apiconnect_catalog.target.id
    production_mode = data.apiconnect_catalog.target.production_mode
    sandbox         = data.apiconnect_catalog.target.sandbox
  }
}
