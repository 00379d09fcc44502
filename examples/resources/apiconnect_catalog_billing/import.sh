# <org>/<catalog>/<id>, where id is the configured billing's id in the Catalog.
terraform import apiconnect_catalog_billing.production acme/production/0b6e3e3c-6e4f-4c8e-9a53-3f2f0f0c1d2e
