package main

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// clockTicks is USER_HZ, the unit of utime/stime in /proc/<pid>/stat (100
// on every mainstream Linux).
const clockTicks = 100

// procStat is what the poller saw of one plugin process.
type procStat struct {
	PID       int           `json:"pid"`
	Exe       string        `json:"exe"`
	HWMKB     int64         `json:"vm_hwm_kb"` // peak resident set (VmHWM), last sample
	CPU       time.Duration `json:"cpu"`       // utime+stime, last sample
	FirstSeen time.Duration `json:"first_seen"`
	LastSeen  time.Duration `json:"last_seen"`
	Samples   int           `json:"samples"`
	// Ports are the local TCP ports of the process's sockets, to attribute
	// the emulator's journal entries (their remote port) to a process.
	Ports map[int]bool `json:"-"`

	inodes map[string]int // socket inode -> state: >0 mapped to a port, <=0 lookups that found no TCP port yet
}

// socketLookups is how often an inode is looked up in /proc/net/tcp before
// it is taken for a socket of another kind (the plugin's unix socket).
const socketLookups = 3

// poller samples, every interval, the plugin processes (children of the
// CLI whose executable name starts with "terraform-provider-"): VmHWM from
// /proc/<pid>/status, CPU time from /proc/<pid>/stat and their TCP sockets.
type poller struct {
	parent   int
	interval time.Duration
	start    time.Time

	mu    sync.Mutex
	procs map[int]*procStat
	stop  chan struct{}
	done  chan struct{}
}

func startPoller(parent int, interval time.Duration) *poller {
	p := &poller{parent: parent, interval: interval, start: time.Now(), procs: map[int]*procStat{},
		stop: make(chan struct{}), done: make(chan struct{})}
	go p.loop()
	return p
}

func (p *poller) loop() {
	defer close(p.done)
	t := time.NewTicker(p.interval)
	defer t.Stop()
	for {
		p.sample()
		select {
		case <-p.stop:
			return
		case <-t.C:
		}
	}
}

// finish stops the poller and returns the processes seen.
func (p *poller) finish() []*procStat {
	close(p.stop)
	<-p.done
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]*procStat, 0, len(p.procs))
	for _, ps := range p.procs {
		out = append(out, ps)
	}
	return out
}

func (p *poller) sample() {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return
	}
	now := time.Since(p.start)
	needTCP := false
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		ps := p.procs[pid]
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		comm, ppid, cpu, ok := parseStat(stat)
		if !ok || ppid != p.parent || !strings.HasPrefix(comm, "terraform-provi") {
			continue
		}
		if ps == nil {
			exe, _ := os.Readlink("/proc/" + e.Name() + "/exe")
			ps = &procStat{PID: pid, Exe: filepath.Base(strings.TrimSuffix(exe, " (deleted)")), FirstSeen: now,
				Ports: map[int]bool{}, inodes: map[string]int{}}
			p.procs[pid] = ps
		}
		ps.CPU = cpu
		ps.LastSeen = now
		ps.Samples++
		if hwm := readHWM("/proc/" + e.Name() + "/status"); hwm > ps.HWMKB {
			ps.HWMKB = hwm
		}
		if p.readSockets(ps) {
			needTCP = true
		}
	}
	if needTCP {
		ports := tcpInodePorts()
		for _, ps := range p.procs {
			for ino, state := range ps.inodes {
				if state > 0 || state <= -socketLookups {
					continue
				}
				if port, ok := ports[ino]; ok && port != 0 {
					ps.Ports[port] = true
					ps.inodes[ino] = port
				} else {
					ps.inodes[ino] = state - 1
				}
			}
		}
	}
}

// readSockets records the socket inodes of ps; it reports whether a socket
// not yet mapped to a port was found.
func (p *poller) readSockets(ps *procStat) bool {
	dir := "/proc/" + strconv.Itoa(ps.PID) + "/fd"
	fds, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	fresh := false
	for _, fd := range fds {
		link, err := os.Readlink(dir + "/" + fd.Name())
		if err != nil || !strings.HasPrefix(link, "socket:[") {
			continue
		}
		ino := strings.TrimSuffix(strings.TrimPrefix(link, "socket:["), "]")
		if state, seen := ps.inodes[ino]; !seen {
			ps.inodes[ino] = 0
			fresh = true
		} else if state <= 0 && state > -socketLookups {
			fresh = true
		}
	}
	return fresh
}

// parseStat reads comm, ppid and utime+stime from /proc/<pid>/stat.
func parseStat(b []byte) (comm string, ppid int, cpu time.Duration, ok bool) {
	open := bytes.IndexByte(b, '(')
	closing := bytes.LastIndexByte(b, ')')
	if open < 0 || closing < open {
		return "", 0, 0, false
	}
	comm = string(b[open+1 : closing])
	f := strings.Fields(string(b[closing+1:]))
	// f[0] is state (field 3); ppid is field 4, utime 14, stime 15.
	if len(f) < 13 {
		return "", 0, 0, false
	}
	ppid, err := strconv.Atoi(f[1])
	if err != nil {
		return "", 0, 0, false
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return comm, ppid, time.Duration(ut+st) * time.Second / clockTicks, true
}

// procCPU is the CPU time (utime+stime) of a process, 0 if unknown.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	_, _, cpu, _ := parseStat(b)
	return cpu
}

func readHWM(path string) int64 {
	f, err := os.Open(path) //nolint:gosec // a /proc path built from a pid
	if err != nil {
		return 0
	}
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			v, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return v
		}
	}
	return 0
}

// tcpInodePorts maps socket inodes to their local TCP port.
func tcpInodePorts() map[string]int {
	out := map[string]int{}
	for _, name := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(name) //nolint:gosec // a fixed /proc path
		if err != nil {
			continue
		}
		for i, line := range strings.Split(string(b), "\n") {
			f := strings.Fields(line)
			if i == 0 || len(f) < 10 {
				continue
			}
			_, portHex, ok := strings.Cut(f[1], ":")
			if !ok {
				continue
			}
			port, err := strconv.ParseInt(portHex, 16, 32)
			if err != nil {
				continue
			}
			out[f[9]] = int(port)
		}
	}
	return out
}
