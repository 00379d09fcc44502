# Adopting an integration made in API Manager by its identity; org comes
# from the provider.
import {
  to = apiconnect_billing_integration.test
  identity = {
    name = %[1]q
  }
}

resource "apiconnect_billing_integration" "test" {
  title           = %[2]q
  publishable_key = %[3]q
  secret_key      = %[4]q
}
