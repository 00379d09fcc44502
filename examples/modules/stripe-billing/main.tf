# Live keys: one integration, added to the production Catalog and to the
# Sandbox Catalog (monetized Plans need both).
resource "apiconnect_billing_integration" "live" {
  org             = var.org
  title           = var.live_title
  summary         = "Stripe live keys (managed by Terraform)"
  publishable_key = var.live_publishable_key
  secret_key      = var.live_secret_key
}

resource "apiconnect_catalog_billing" "production" {
  org         = var.org
  catalog     = var.production_catalog
  billing_url = apiconnect_billing_integration.live.url
}

resource "apiconnect_catalog_billing" "sandbox" {
  org         = var.org
  catalog     = var.sandbox_catalog
  billing_url = apiconnect_billing_integration.live.url
}

# Test keys: a separate integration, only in the separate test Catalog
# (test keys must never be added to a production Catalog).
resource "apiconnect_billing_integration" "test" {
  org             = var.org
  title           = var.test_title
  summary         = "Stripe test keys (managed by Terraform)"
  publishable_key = var.test_publishable_key
  secret_key      = var.test_secret_key
}

resource "apiconnect_catalog_billing" "test" {
  org         = var.org
  catalog     = var.test_catalog
  billing_url = apiconnect_billing_integration.test.url
}
