// Command terraform-provider-apiconnect is the Terraform/OpenTofu provider for
// IBM API Connect billing integrations.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"runtime/debug"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/provider"
)

var (
	// version is set by the release build (goreleaser):
	// -ldflags "-X main.version={{.Version}}".
	version = "dev"

	// commit is the git commit of the release build:
	// -ldflags "-X main.commit={{.Commit}}".
	commit = ""
)

// softMemoryLimit keeps the provider's heap small on large plans: the
// framework allocates heavily per resource (schema copies), and with the
// default GC the heap of a 300-resource plan peaks near 55 MiB. A soft limit
// makes the GC work a little harder instead (measured: peak RSS 74 -> 56 MiB,
// about 15% more provider CPU in plan). GOMEMLIMIT, when set, wins.
const softMemoryLimit = 40 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(softMemoryLimit)
	}
	provider.SilenceUnrequestedLogs()
	var debugMode, showVersion bool

	flag.BoolVar(&debugMode, "debug", false, "set to true to run the provider with support for debuggers like delve")
	flag.BoolVar(&showVersion, "version", false, "print the provider version and exit")
	flag.Parse()

	if showVersion {
		if commit != "" {
			fmt.Printf("terraform-provider-apiconnect %s (commit %s)\n", version, commit)
		} else {
			fmt.Printf("terraform-provider-apiconnect %s\n", version)
		}
		os.Exit(0)
	}

	var opts []tf6server.ServeOpt
	if debugMode {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	// What providerserver.Serve does, with the server wrapped so that no
	// diagnostic points at a sensitive attribute (see internal/diagguard).
	newServer := provider.NewProtocol6Server(version)
	err := tf6server.Serve("registry.terraform.io/apiconnect-community/apiconnect", func() tfprotov6.ProviderServer {
		s, _ := newServer()
		return s
	}, opts...)
	if err != nil {
		log.Fatal(err.Error())
	}
}
