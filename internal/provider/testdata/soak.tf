# %[1]d integrations sharing one key pair, each added to the sandbox Catalog.
resource "apiconnect_billing_integration" "x" {
  count           = %[1]d
  title           = "tfacc-soak ${count.index}"
  publishable_key = %[2]q
  secret_key      = %[3]q
}

resource "apiconnect_catalog_billing" "x" {
  count       = %[1]d
  catalog     = "sandbox"
  billing_url = apiconnect_billing_integration.x[count.index].url
}
