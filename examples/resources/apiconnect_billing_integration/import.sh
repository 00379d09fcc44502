# By organization and name (or id). The secret key cannot be imported (the
# platform masks it): the first apply sends the configured key again.
terraform import apiconnect_billing_integration.live acme/stripe-live

# By name (or id) in the provider's organization.
terraform import apiconnect_billing_integration.live stripe-live
