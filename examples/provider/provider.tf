terraform {
  required_providers {
    apiconnect = {
      source = "apiconnect-community/apiconnect"
    }
  }
}

# Every setting can come from the environment instead (configuration wins over
# the environment, which wins over credentials_file). Keep credentials out of
# configuration files:
#
#   APIC_ENDPOINT          platform API URL ending in /api
#   APIC_ORG               default provider organization
#   APIC_CREDENTIALS_FILE  toolkit credentials.json from API Manager (endpoint, client id and secret)
#   APIC_USERNAME, APIC_PASSWORD, APIC_REALM    password grant
#   APIC_API_KEY           api_key grant
#   APIC_CLIENT_ID, APIC_CLIENT_SECRET          client of the grant (or client_credentials)
#   APIC_TOKEN             a ready bearer token (for example an IBM Cloud IAM token)
#   APIC_INSECURE, APIC_CA_CERTIFICATE          TLS to the platform
#   APIC_STRIPE_KEY_CHECK  "account" (default) or "mode"
#   APIC_STRIPE_API_BASE   Stripe API base URL (default https://api.stripe.com)
provider "apiconnect" {
  endpoint = "https://platform-api.apic.example.com/api" # or APIC_ENDPOINT
  org      = "acme"                                      # or APIC_ORG

  # The toolkit credentials downloaded from the API Manager home page supply
  # client_id and client_secret (and the endpoint).
  credentials_file = "${path.module}/credentials.json" # or APIC_CREDENTIALS_FILE

  # A provider-organization user; the password comes from APIC_PASSWORD.
  username = "billing-admin"          # or APIC_USERNAME
  realm    = "provider/default-idp-2" # or APIC_REALM

  max_retries     = 5
  request_timeout = "60s"
}
