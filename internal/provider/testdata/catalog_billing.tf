# An integration added to one Catalog, referencing the integration's url so
# that Terraform orders creates and destroys.
resource "apiconnect_billing_integration" "test" {
  title           = %[1]q
  publishable_key = %[2]q
  secret_key      = %[3]q
}

resource "apiconnect_catalog_billing" "a" {
  catalog     = %[4]q
  billing_url = apiconnect_billing_integration.test.url
}
