# Terraform 1.14 or later: the integrations configured in the Sandbox Catalog.
list "apiconnect_catalog_billing" "sandbox" {
  provider = apiconnect

  config {
    catalog = "sandbox"
  }
}
