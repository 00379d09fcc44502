resource "apiconnect_billing_integration" "test" {
  title           = %[1]q
  summary         = "Read back by the data sources"
  publishable_key = %[2]q
  secret_key      = %[3]q
}

data "apiconnect_billing_integration" "test" {
  name = apiconnect_billing_integration.test.name

  depends_on = [apiconnect_billing_integration.test]
}

data "apiconnect_billing_integrations" "all" {
  depends_on = [apiconnect_billing_integration.test]
}
