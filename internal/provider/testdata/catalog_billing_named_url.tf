# A name-based billing_url: the platform answers the id-based form, the
# configured form stays in state. depends_on orders creates and destroys, as a
# reference to the integration's url would.
resource "apiconnect_billing_integration" "test" {
  title           = %[1]q
  publishable_key = %[2]q
  secret_key      = %[3]q
}

resource "apiconnect_catalog_billing" "a" {
  catalog     = %[4]q
  billing_url = %[5]q

  depends_on = [apiconnect_billing_integration.test]
}
