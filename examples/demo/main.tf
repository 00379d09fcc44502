# The `make demo` configuration: one integration with Stripe test keys and one
# with live keys, each added to its Catalogs. Credentials come from APIC_*
# environment variables.
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

# Live keys go to the production Catalog and, for monetized Plans, to Sandbox
# too; the test keys only to a separate test Catalog.
resource "apiconnect_catalog_billing" "live" {
  for_each    = toset(["production", "sandbox"])
  catalog     = each.key
  billing_url = apiconnect_billing_integration.live.url
}

resource "apiconnect_catalog_billing" "test" {
  catalog     = "test"
  billing_url = apiconnect_billing_integration.test.url
}

data "apiconnect_billing_jobs" "live" {
  name = apiconnect_billing_integration.live.name
}

output "catalogs" {
  value = merge(
    { for k, c in apiconnect_catalog_billing.live : k => "${c.mode} (${c.stripe_account_id})" },
    { test = "${apiconnect_catalog_billing.test.mode} (${apiconnect_catalog_billing.test.stripe_account_id})" },
  )
}

output "live_job_queue" {
  value = {
    state        = apiconnect_billing_integration.live.job_queue.state
    pending_jobs = apiconnect_billing_integration.live.job_queue.pending_jobs
    jobs         = length(data.apiconnect_billing_jobs.live.jobs)
  }
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
