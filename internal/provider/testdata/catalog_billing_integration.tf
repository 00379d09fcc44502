# One integration, no catalog billing yet.
resource "apiconnect_billing_integration" "test" {
  title           = %[1]q
  publishable_key = %[2]q
  secret_key      = %[3]q
}
