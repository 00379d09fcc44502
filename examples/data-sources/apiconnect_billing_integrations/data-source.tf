data "apiconnect_billing_integrations" "all" {
  org = "acme" # defaults to the provider's org
}

output "live_integrations" {
  value = [for i in data.apiconnect_billing_integrations.all.integrations : i.name if i.mode == "live"]
}
