# The `make demo` configuration: one integration with Stripe test keys and one
# with live keys. Credentials come from APIC_* environment variables.
terraform {
  required_providers {
    apiconnect = {
      source = "apiconnect-community/apiconnect"
    }
  }
}

provider "apiconnect" {}

variable "test_publishable_key" {
  type = string
}

variable "test_secret_key" {
  type      = string
  sensitive = true
}

variable "live_publishable_key" {
  type = string
}

variable "live_secret_key" {
  type      = string
  sensitive = true
}

resource "apiconnect_billing_integration" "test" {
  title           = "Demo Stripe (test)"
  summary         = "Stripe test keys: only for the test Catalog"
  publishable_key = var.test_publishable_key
  secret_key      = var.test_secret_key
}

resource "apiconnect_billing_integration" "live" {
  title           = "Demo Stripe (live)"
  summary         = "Stripe live keys: production and sandbox Catalogs"
  publishable_key = var.live_publishable_key
  secret_key      = var.live_secret_key
}

output "integrations" {
  value = {
    for k, b in {
      test = apiconnect_billing_integration.test
      live = apiconnect_billing_integration.live
      } : k => {
      name              = b.name
      mode              = b.mode
      stripe_account_id = b.stripe_account_id
      url               = b.url
      job_queue         = b.job_queue.state
    }
  }
}
