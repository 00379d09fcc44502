variable "stripe_live_publishable_key" {
  type = string
}

variable "stripe_live_secret_key" {
  type      = string
  sensitive = true
}

# Live keys of one Stripe account. A key of the same account and mode is
# rotated in place; a key of another account, or a switch between test and
# live, replaces the integration (and the catalog billings that reference it).
resource "apiconnect_billing_integration" "live" {
  title           = "Stripe (live)" # name defaults to "stripe-live"
  summary         = "Monetized Plans of the public Catalogs"
  publishable_key = var.stripe_live_publishable_key

  # Stored in state (sensitive). On Terraform/OpenTofu 1.11 or later prefer
  # the write-only secret_key_wo, never stored in plan or state (see
  # resource-write-only.tf).
  secret_key = var.stripe_live_secret_key
}

output "live_billing" {
  value = {
    url               = apiconnect_billing_integration.live.url
    mode              = apiconnect_billing_integration.live.mode
    stripe_account_id = apiconnect_billing_integration.live.stripe_account_id
  }
}
