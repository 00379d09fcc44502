// Command terraform-provider-apiconnect is the Terraform/OpenTofu provider for
// IBM API Connect billing integrations.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime/debug"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

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

	opts := providerserver.ServeOpts{
		Address:         "registry.terraform.io/apiconnect-community/apiconnect",
		Debug:           debugMode,
		ProtocolVersion: 6,
	}

	if err := providerserver.Serve(context.Background(), provider.New(version), opts); err != nil {
		log.Fatal(err.Error())
	}
}
