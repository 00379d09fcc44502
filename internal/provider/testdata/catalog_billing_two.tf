# An integration added to two Catalogs.
resource "apiconnect_billing_integration" "test" {
  title           = %[1]q
  publishable_key = %[2]q
  secret_key      = %[3]q
}

resource "apiconnect_catalog_billing" "a" {
  catalog     = %[4]q
  billing_url = apiconnect_billing_integration.test.url
}

resource "apiconnect_catalog_billing" "b" {
  catalog     = %[5]q
  billing_url = apiconnect_billing_integration.test.url
}
