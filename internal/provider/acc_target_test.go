package provider

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
)

// Acceptance tests run against the in-process emulator by default. With
// APIC_ACC_REAL=1 and APIC_ENDPOINT set, the portable ones run against that
// platform instead (credentials from the usual APIC_* variables), with Stripe
// TEST keys from the environment:
//
//	APIC_ACC_STRIPE_TEST_PK, APIC_ACC_STRIPE_TEST_SK   keys of one Stripe account (required)
//	APIC_ACC_STRIPE_TEST_SK_ROTATED                    a second secret key of that account (rotation tests)
//	APIC_ACC_STRIPE_TEST2_PK, APIC_ACC_STRIPE_TEST2_SK keys of another account (swap tests)
//	APIC_ACC_CATALOG                                   a non-production Catalog for tests (default "sandbox")
//
// Live keys are never used against a real platform: tests that need them
// skip. Tests that need the emulator's control (request journal,
// out-of-band changes, fault injection) skip with the reason.

// realPlatform reports whether the acceptance tests target a real platform.
func realPlatform() bool {
	return os.Getenv("APIC_ACC_REAL") == "1" && os.Getenv("APIC_ENDPOINT") != ""
}

// stripeKeySet is the keys a portable test uses. Empty fields are keys the
// target cannot provide; requireKeys skips the test then.
type stripeKeySet struct {
	pk, sk, skRotated string // one account, test mode
	pk2, sk2          string // another account, test mode
	pkLive, skLive    string // the first account, live mode (emulator only)
	acct, acct2       string // expected accounts; empty when only Stripe knows them
}

func emulatorKeySet() stripeKeySet {
	return stripeKeySet{
		pk: pkOneTest, sk: skOneTest, skRotated: skOneTestRotated,
		pk2: pkTwoTest, sk2: skTwoTest,
		pkLive: pkOneLive, skLive: skOneLive,
		acct: acctOne, acct2: acctTwo,
	}
}

func realKeySet() stripeKeySet {
	return stripeKeySet{
		pk: os.Getenv("APIC_ACC_STRIPE_TEST_PK"), sk: os.Getenv("APIC_ACC_STRIPE_TEST_SK"),
		skRotated: os.Getenv("APIC_ACC_STRIPE_TEST_SK_ROTATED"),
		pk2:       os.Getenv("APIC_ACC_STRIPE_TEST2_PK"), sk2: os.Getenv("APIC_ACC_STRIPE_TEST2_SK"),
	}
}

// newPortableAccEnv is newAccEnv for tests that also run on a real
// platform: there e.srv is nil and the emulator-only checks are skipped.
func newPortableAccEnv(t *testing.T) *accEnv {
	t.Helper()
	if !realPlatform() {
		e := newAccEnv(t)
		e.keys = emulatorKeySet()
		return e
	}
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	e := &accEnv{t: t, org: os.Getenv("APIC_ORG"), keys: realKeySet(), prefix: uniquePrefix()}
	if e.org == "" {
		t.Fatal("APIC_ACC_REAL=1 needs APIC_ORG")
	}
	e.requireKeys("APIC_ACC_STRIPE_TEST_PK and APIC_ACC_STRIPE_TEST_SK", e.keys.pk, e.keys.sk)
	return e
}

// requireKeys skips the test when the target cannot provide these keys.
func (e *accEnv) requireKeys(what string, keys ...string) {
	e.t.Helper()
	for _, k := range keys {
		if k == "" {
			e.t.Skipf("skipped: %s not available on this target (real platforms need them in the environment; live keys are never used there)", what)
		}
	}
}

// name makes an object name unique to this run on a real platform (prefixed
// for the sweepers), and keeps it as given on the emulator.
func (e *accEnv) name(base string) string { return e.prefix + base }

// title is name's counterpart for titles: slugify(e.title(x)) == e.name(slugify(x)).
func (e *accEnv) title(base string) string {
	if e.prefix == "" {
		return base
	}
	return strings.TrimSuffix(e.prefix, "-") + " " + base
}

// accountCheck checks stripe_account_id: exactly on the emulator, by shape
// where only Stripe knows the account.
func (e *accEnv) accountCheck(acct string) knownvalue.Check {
	if acct == "" {
		return knownvalue.StringRegexp(regexp.MustCompile(`^acct_[A-Za-z0-9]+$`))
	}
	return knownvalue.StringExact(acct)
}

// emulatorOnly reports whether a check that needs the emulator (its request
// journal or what it stores) cannot run, on a real platform; it then says
// so in the test's log, once per check, instead of passing silently.
func (e *accEnv) emulatorOnly(check string) bool {
	if e.srv != nil {
		return false
	}
	skippedChecksMu.Lock()
	defer skippedChecksMu.Unlock()
	key := e.t.Name() + "\x00" + check
	if !skippedChecks[key] {
		skippedChecks[key] = true
		e.t.Logf("SKIP check on a real platform (it needs the emulator): %s", check)
	}
	return true
}

var (
	skippedChecksMu sync.Mutex
	skippedChecks   = map[string]bool{}
)

// catalog is the non-production Catalog portable tests use.
func (e *accEnv) catalog() string {
	if e.srv == nil {
		if c := os.Getenv("APIC_ACC_CATALOG"); c != "" {
			return c
		}
	}
	return "sandbox"
}

func uniquePrefix() string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s%s-", testPrefix, hex.EncodeToString(b))
}
