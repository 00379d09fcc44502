resource "apiconnect_billing_integration" "test" {
  org             = %[1]q
  name            = %[2]q
  title           = %[3]q
  publishable_key = %[4]q
  secret_key      = %[5]q
}
