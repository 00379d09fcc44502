package main

import (
	"net"
	"strconv"

	"github.com/apiconnect-community/terraform-provider-apiconnect/internal/emulator"
)

// requestAnalysis is what one command sent to the emulator.
type requestAnalysis struct {
	// Routes counts the requests the provider sent, keyed "METHOD route".
	Routes map[string]int `json:"routes"`
	// EmulatorStripe counts the emulator's own Stripe lookups (on every
	// create or key update), which are not the provider's.
	EmulatorStripe int `json:"emulator_stripe"`
	Token          int `json:"token"`
	Stripe         int `json:"stripe"` // the provider's GET /v1/account
	API            int `json:"api"`    // platform API requests other than /token
	NotOK          int `json:"not_ok"` // answers outside 2xx
	// Resources: per "METHOD route" of a single-resource route, the number
	// of distinct resources (paths) and the most requests one of them got.
	Resources map[string]resourceCount `json:"resources"`
	// Per plugin process (attributed by TCP port).
	Procs        []procRequests `json:"procs"`
	Unattributed int            `json:"unattributed"`
}

type resourceCount struct {
	Distinct int `json:"distinct"`
	Max      int `json:"max"`
}

type procRequests struct {
	PID    int            `json:"pid"`
	Token  int            `json:"token"`
	Stripe int            `json:"stripe"`
	API    int            `json:"api"`
	Routes map[string]int `json:"routes"`
	Paths  map[string]int `json:"-"`
	// SettingsMax is the most reads of one Catalog's settings.
	SettingsMax int `json:"settings_max"`
}

func (p procRequests) any() bool { return p.Token+p.Stripe+p.API > 0 }

// single-resource routes whose per-resource counts are reported.
var resourceRoutes = map[string]bool{
	emulator.RouteBilling:           true,
	emulator.RouteConfiguredBilling: true,
	emulator.RouteCatalogSettings:   true,
	emulator.RouteCatalog:           true,
}

func analyze(journal []emulatorRequest, procs []*procStat, exe string) *requestAnalysis {
	a := &requestAnalysis{Routes: map[string]int{}, Resources: map[string]resourceCount{}}
	byPort := map[int]*procRequests{}
	var order []*procRequests
	for _, p := range procs {
		if p.Exe != exe {
			continue
		}
		pr := &procRequests{PID: p.PID, Routes: map[string]int{}, Paths: map[string]int{}}
		order = append(order, pr)
		for port := range p.Ports {
			byPort[port] = pr
		}
	}
	perPath := map[string]int{}
	for _, q := range journal {
		if q.Internal {
			if q.Route == emulator.RouteStripeAccount {
				a.EmulatorStripe++
			}
			continue
		}
		key := q.Method + " " + q.Route
		a.Routes[key]++
		if q.Status < 200 || q.Status > 299 {
			a.NotOK++
		}
		pr := byPort[remotePort(q.RemoteAddr)]
		if pr == nil {
			a.Unattributed++
		} else {
			pr.Routes[key]++
		}
		switch q.Route {
		case emulator.RouteToken:
			a.Token++
			if pr != nil {
				pr.Token++
			}
		case emulator.RouteStripeAccount:
			a.Stripe++
			if pr != nil {
				pr.Stripe++
			}
		default:
			a.API++
			if pr != nil {
				pr.API++
			}
		}
		if resourceRoutes[q.Route] {
			perPath[key+"\x00"+q.Path]++
		}
		if q.Route == emulator.RouteCatalogSettings && pr != nil {
			pr.Paths[q.Path]++
			if pr.Paths[q.Path] > pr.SettingsMax {
				pr.SettingsMax = pr.Paths[q.Path]
			}
		}
	}
	for k, n := range perPath {
		key := k[:indexNUL(k)]
		rc := a.Resources[key]
		rc.Distinct++
		if n > rc.Max {
			rc.Max = n
		}
		a.Resources[key] = rc
	}
	for _, pr := range order {
		a.Procs = append(a.Procs, *pr)
	}
	return a
}

func indexNUL(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return i
		}
	}
	return len(s)
}

func remotePort(addr string) int {
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		return -1
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		return -1
	}
	return n
}

// procsWithRequests counts the plugin processes that sent any request.
func (a *requestAnalysis) procsWithRequests() int {
	n := 0
	for _, p := range a.Procs {
		if p.any() {
			n++
		}
	}
	return n
}

func (a *requestAnalysis) maxPerProc(f func(procRequests) int) int {
	m := 0
	for _, p := range a.Procs {
		if v := f(p); v > m {
			m = v
		}
	}
	return m
}
