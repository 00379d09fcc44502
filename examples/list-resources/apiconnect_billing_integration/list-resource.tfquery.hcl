# Terraform 1.14 or later, in a .tfquery.hcl file next to the configuration:
#   terraform query                                   # list them
#   terraform query -generate-config-out=billing.tf   # resource and import blocks
list "apiconnect_billing_integration" "live" {
  provider = apiconnect

  config {
    mode = "live" # optional: "test" or "live"; org defaults to the provider's
  }
}
