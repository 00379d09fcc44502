# A module that only takes live Stripe keys: the check runs offline, before
# anything is planned, and its message never shows the key.
variable "stripe_secret_key" {
  type      = string
  sensitive = true

  validation {
    condition     = provider::apiconnect::stripe_key(var.stripe_secret_key).mode == "live"
    error_message = "stripe_secret_key must be a live secret or restricted key (sk_live_… or rk_live_…)."
  }
}

# The result of a sensitive argument is sensitive; its kind and mode are not
# secrets.
output "stripe_key_kind" {
  value = nonsensitive(provider::apiconnect::stripe_key(var.stripe_secret_key).kind) # "secret" or "restricted"
}
