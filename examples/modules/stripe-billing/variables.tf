variable "org" {
  type        = string
  description = "Provider organization; null uses the provider's org."
  default     = null
}

variable "live_title" {
  type        = string
  description = "Title of the live integration (its name is derived from it)."
  default     = "Stripe live"
}

variable "test_title" {
  type        = string
  description = "Title of the test integration (its name is derived from it)."
  default     = "Stripe test"
}

variable "live_publishable_key" {
  type        = string
  description = "Stripe live publishable key (pk_live_...)."

  validation {
    condition     = startswith(var.live_publishable_key, "pk_live_")
    error_message = "live_publishable_key must be a Stripe live publishable key (pk_live_...)."
  }
}

variable "live_secret_key" {
  type        = string
  description = "Stripe live secret or restricted key (sk_live_... or rk_live_...)."
  sensitive   = true

  validation {
    condition     = startswith(var.live_secret_key, "sk_live_") || startswith(var.live_secret_key, "rk_live_")
    error_message = "live_secret_key must be a Stripe live secret or restricted key (sk_live_... or rk_live_...)."
  }
}

variable "test_publishable_key" {
  type        = string
  description = "Stripe test publishable key (pk_test_...)."

  validation {
    condition     = startswith(var.test_publishable_key, "pk_test_")
    error_message = "test_publishable_key must be a Stripe test publishable key (pk_test_...)."
  }
}

variable "test_secret_key" {
  type        = string
  description = "Stripe test secret or restricted key (sk_test_... or rk_test_...)."
  sensitive   = true

  validation {
    condition     = startswith(var.test_secret_key, "sk_test_") || startswith(var.test_secret_key, "rk_test_")
    error_message = "test_secret_key must be a Stripe test secret or restricted key (sk_test_... or rk_test_...)."
  }
}

variable "production_catalog" {
  type        = string
  description = "Catalog that gets the live integration (production_mode may be true)."
  default     = "production"
}

variable "sandbox_catalog" {
  type        = string
  description = "Sandbox Catalog: monetized Plans need the integration there too."
  default     = "sandbox"
}

variable "test_catalog" {
  type        = string
  description = "Separate Catalog for the test keys; it must not be in production mode."
  default     = "test"
}
