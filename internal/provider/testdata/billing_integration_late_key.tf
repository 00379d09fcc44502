# The secret key comes from another resource, so it is unknown at plan time
# whenever that resource changes.
resource "terraform_data" "key" {
  input = %[2]q
}

resource "apiconnect_billing_integration" "test" {
  title           = %[1]q
  publishable_key = %[3]q
  secret_key      = terraform_data.key.output
}
