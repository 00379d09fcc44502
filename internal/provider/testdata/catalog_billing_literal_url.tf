# A catalog billing whose billing_url is a literal (for example name-based)
# URL: Terraform sees no reference to the integration.
resource "apiconnect_billing_integration" "test" {
  title           = %[1]q
  publishable_key = %[2]q
  secret_key      = %[3]q
}

resource "apiconnect_catalog_billing" "a" {
  catalog     = %[4]q
  billing_url = %[5]q
}
