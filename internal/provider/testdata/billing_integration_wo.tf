# The write-only key comes from an ephemeral variable, so that neither the
# plan nor the state can hold it (a literal would be saved with the
# configuration in the plan file).
variable "secret_key_wo" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "apiconnect_billing_integration" "test" {
  title                 = %[1]q
  publishable_key       = %[2]q
  secret_key_wo         = var.secret_key_wo
  secret_key_wo_version = %[4]q
}
