data "apiconnect_billing_integration" "missing" {
  name = %[1]q
}
