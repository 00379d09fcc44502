variable "stripe_live_publishable_key" {
  type = string
}

variable "stripe_live_secret_key" {
  type      = string
  sensitive = true
}

variable "stripe_test_publishable_key" {
  type = string
}

variable "stripe_test_secret_key" {
  type      = string
  sensitive = true
}

resource "apiconnect_billing_integration" "live" {
  title           = "Stripe (live)"
  publishable_key = var.stripe_live_publishable_key
  secret_key      = var.stripe_live_secret_key
}

resource "apiconnect_billing_integration" "test" {
  title           = "Stripe (test)"
  publishable_key = var.stripe_test_publishable_key
  secret_key      = var.stripe_test_secret_key
}

# Monetized Plans need the integration in the target Catalog and in the
# Sandbox Catalog. Reference the integration's url: Terraform then replaces
# these when the integration is replaced (for example new keys of another
# Stripe account), and removes them from the Catalogs before the integration
# is deleted, as the platform requires.
resource "apiconnect_catalog_billing" "production" {
  catalog     = "production"
  billing_url = apiconnect_billing_integration.live.url
}

resource "apiconnect_catalog_billing" "sandbox" {
  catalog     = "sandbox"
  billing_url = apiconnect_billing_integration.live.url
}

# Stripe test keys belong in a separate test Catalog: adding a test-mode
# integration to a Catalog with production_mode = true is an error.
resource "apiconnect_catalog_billing" "test" {
  catalog     = "test"
  billing_url = apiconnect_billing_integration.test.url
}
