output "live_integration" {
  description = "The live integration: name, url, Stripe account and mode."
  value = {
    id                = apiconnect_billing_integration.live.id
    name              = apiconnect_billing_integration.live.name
    url               = apiconnect_billing_integration.live.url
    mode              = apiconnect_billing_integration.live.mode
    stripe_account_id = apiconnect_billing_integration.live.stripe_account_id
  }
}

output "test_integration" {
  description = "The test integration: name, url, Stripe account and mode."
  value = {
    id                = apiconnect_billing_integration.test.id
    name              = apiconnect_billing_integration.test.name
    url               = apiconnect_billing_integration.test.url
    mode              = apiconnect_billing_integration.test.mode
    stripe_account_id = apiconnect_billing_integration.test.stripe_account_id
  }
}

output "catalog_billings" {
  description = "Configured billing id per Catalog."
  value = {
    (var.production_catalog) = apiconnect_catalog_billing.production.id
    (var.sandbox_catalog)    = apiconnect_catalog_billing.sandbox.id
    (var.test_catalog)       = apiconnect_catalog_billing.test.id
  }
}
