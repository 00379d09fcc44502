data "apiconnect_billing_jobs" "missing" {
  name = %[1]q
}
