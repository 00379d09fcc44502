# The name API Manager (and apiconnect_billing_integration) derives from a
# title, known before the integration exists: for example to name it in an
# import block or in another configuration.
locals {
  billing_title = "Stripe EU (Live)"
  billing_name  = provider::apiconnect::billing_name(local.billing_title) # "stripe-eu-live"
}

output "billing_name" {
  value = local.billing_name
}
