variable "secret_key" {
  type      = string
  sensitive = true
}

resource "apiconnect_billing_integration" "test" {
  title           = %[1]q
  publishable_key = %[2]q
  secret_key      = var.secret_key
}

resource "apiconnect_catalog_billing" "test" {
  catalog     = %[3]q
  billing_url = apiconnect_billing_integration.test.url
}

data "apiconnect_catalog" "test" {
  name = %[3]q
}

data "apiconnect_billing_integration" "test" {
  name = apiconnect_billing_integration.test.name
}
