# Terraform 1.14 or later. Rolling the keys is a common cause of a blocked
# job queue: retry the blocked and failed jobs after every update of the
# integration. Run it on demand too:
#   terraform apply -invoke=action.apiconnect_billing_jobs_retry.live
variable "stripe_live_publishable_key" {
  type = string
}

variable "stripe_live_secret_key" {
  type      = string
  sensitive = true
}

action "apiconnect_billing_jobs_retry" "live" {
  config {
    billing = "stripe-live" # the integration's name (or id)
  }
}

resource "apiconnect_billing_integration" "live" {
  title           = "Stripe (live)"
  publishable_key = var.stripe_live_publishable_key
  secret_key      = var.stripe_live_secret_key

  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.apiconnect_billing_jobs_retry.live]
    }
  }
}
