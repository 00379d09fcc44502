terraform {
  required_version = ">= 1.5.0"

  required_providers {
    apiconnect = {
      source = "apiconnect-community/apiconnect"
    }
  }
}
