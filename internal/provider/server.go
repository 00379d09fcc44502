package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/diagguard"
)

// NewProtocol6Server is the protocol server main.go serves and the
// acceptance tests run: the framework's server behind diagguard, which
// keeps any diagnostic (ours, the validators' or the framework's) off the
// path of a sensitive attribute, so Terraform never prints a secret's
// configuration line.
func NewProtocol6Server(version string) func() (tfprotov6.ProviderServer, error) {
	framework := providerserver.NewProtocol6(New(version)())
	return func() (tfprotov6.ProviderServer, error) {
		return diagguard.New(framework()), nil
	}
}
