data "apiconnect_catalog" "missing" {
  name = %[1]q
}
