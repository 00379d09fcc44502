# Terraform 1.11 / OpenTofu 1.11 or later: the secret key goes to the
# write-only attribute from an ephemeral variable, so that neither the plan
# nor the state (nor a saved plan file) ever holds it.
variable "stripe_live_publishable_key" {
  type = string
}

variable "stripe_live_secret_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "apiconnect_billing_integration" "live" {
  title           = "Stripe (live)"
  publishable_key = var.stripe_live_publishable_key

  secret_key_wo = var.stripe_live_secret_key
  # The provider cannot read the key back: change this string (for example to
  # the date of the rotation) to send a rotated key of the same account.
  secret_key_wo_version = "2025-01"
}
