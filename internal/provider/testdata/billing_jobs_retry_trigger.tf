# Rolling the keys can block the job queue: retry it after every update.
resource "apiconnect_billing_integration" "test" {
  title           = "Jobs Retry"
  publishable_key = %[1]q
  secret_key      = %[2]q

  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.apiconnect_billing_jobs_retry.test]
    }
  }
}

action "apiconnect_billing_jobs_retry" "test" {
  config {
    billing = "jobs-retry"
  }
}
