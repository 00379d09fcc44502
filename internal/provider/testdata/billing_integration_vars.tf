variable "publishable_key" {
  type = string
}

variable "secret_key" {
  type      = string
  sensitive = true
}

resource "apiconnect_billing_integration" "test" {
  title           = "Leak check"
  publishable_key = var.publishable_key
  secret_key      = var.secret_key
}
