resource "apiconnect_billing_integration" "test" {
  title           = %[1]q
  summary         = %[2]s
  publishable_key = %[3]q
  secret_key      = %[4]q
}
