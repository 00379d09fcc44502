# An integration in the Sandbox Catalog, with its job queue read back.
resource "apiconnect_billing_integration" "test" {
  title           = %[1]q
  publishable_key = %[2]q
  secret_key      = %[3]q
}

resource "apiconnect_catalog_billing" "a" {
  catalog     = "sandbox"
  billing_url = apiconnect_billing_integration.test.url
}

data "apiconnect_billing_jobs" "test" {
  name = apiconnect_billing_integration.test.name

  depends_on = [apiconnect_billing_integration.test]
}
