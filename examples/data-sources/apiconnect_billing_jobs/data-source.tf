data "apiconnect_billing_jobs" "live" {
  name = "stripe-live"
}

# A blocked job stops the integration's queue until it is retried in API Manager.
check "billing_queue_not_blocked" {
  assert {
    condition     = length([for j in data.apiconnect_billing_jobs.live.jobs : j if j.state == "blocked"]) == 0
    error_message = "The billing job queue of stripe-live is blocked: ${join("; ", [for j in data.apiconnect_billing_jobs.live.jobs : coalesce(j.error, j.id) if j.state == "blocked"])}"
  }
}

output "blocked_jobs" {
  value = [for j in data.apiconnect_billing_jobs.live.jobs : j if j.state == "blocked"]
}
