data "apiconnect_catalog" "sandbox" {
  name = "sandbox"
}

data "apiconnect_catalog" "production" {
  name = "production"
}

data "apiconnect_catalog" "test" {
  org  = %[1]q
  name = "test"
}
