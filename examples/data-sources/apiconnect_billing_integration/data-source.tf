# An integration managed elsewhere (another configuration or API Manager).
data "apiconnect_billing_integration" "live" {
  name = "stripe-live"
}

resource "apiconnect_catalog_billing" "staging" {
  catalog     = "staging"
  billing_url = data.apiconnect_billing_integration.live.url
}

output "live_billing" {
  value = {
    mode              = data.apiconnect_billing_integration.live.mode
    stripe_account_id = data.apiconnect_billing_integration.live.stripe_account_id
    job_queue_state   = data.apiconnect_billing_integration.live.job_queue.state
  }
}
