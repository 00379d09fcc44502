package clitest

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Leak is a secret, or the configuration line of a sensitive attribute,
// found in what a run printed or logged.
type Leak struct {
	What       string // the secret's name, or "line of <attribute>"
	Where      string // stdout, stderr or the TRACE log
	Line       string // the line, with the secret replaced by <what>
	Diagnostic string // in the output: the "Error: …" or "Warning: …" it is shown under
}

func (l Leak) String() string {
	s := fmt.Sprintf("%s in %s: %s", l.What, l.Where, l.Line)
	if l.Diagnostic != "" {
		s += " (under " + l.Diagnostic + ")"
	}
	return s
}

// diagnosticLine matches the first line of a rendered diagnostic.
var diagnosticLine = regexp.MustCompile(`(?m)^[\s│╷]*((?:Error|Warning): .*)$`)

// diagnosticBefore is the last diagnostic heading in text before offset i.
func diagnosticBefore(text string, i int) string {
	m := diagnosticLine.FindAllStringSubmatch(text[:i], -1)
	if len(m) == 0 {
		return ""
	}
	return strings.TrimSpace(m[len(m)-1][1])
}

// sourceLine matches the configuration line Terraform prints under a
// diagnostic that carries an attribute path ("  12:   password = ...").
func sourceLine(attrs []string) *regexp.Regexp {
	quoted := make([]string, len(attrs))
	for i, a := range attrs {
		quoted[i] = regexp.QuoteMeta(a)
	}
	return regexp.MustCompile(`(?m)^[\s│]*\d+:\s+(` + strings.Join(quoted, "|") + `)\s*=.*$`)
}

// FindLeaks reports every secret (by name) found in the run's stdout,
// stderr or TRACE log, and every configuration line of one of
// sensitiveAttrs that the output shows: with a literal value that line is
// the secret, so no diagnostic may point at it.
func FindLeaks(r Result, secrets map[string]string, sensitiveAttrs []string) []Leak {
	var leaks []Leak
	names := make([]string, 0, len(secrets))
	for name := range secrets {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, where := range []struct{ name, text string }{{"stdout", r.Stdout}, {"stderr", r.Stderr}, {"the TRACE log", r.Trace}} {
		for _, name := range names {
			secret := secrets[name]
			if secret == "" || !strings.Contains(where.text, secret) {
				continue
			}
			l := Leak{What: name, Where: where.name, Line: redact(lineWith(where.text, secret), secrets)}
			if where.name != "the TRACE log" {
				l.Diagnostic = redact(diagnosticBefore(where.text, strings.Index(where.text, secret)), secrets)
			}
			leaks = append(leaks, l)
		}
		if where.name == "the TRACE log" || len(sensitiveAttrs) == 0 {
			continue
		}
		for _, m := range sourceLine(sensitiveAttrs).FindAllStringSubmatchIndex(where.text, -1) {
			leaks = append(leaks, Leak{
				What: "line of " + where.text[m[2]:m[3]], Where: where.name, Line: redact(strings.TrimSpace(where.text[m[0]:m[1]]), secrets),
				Diagnostic: redact(diagnosticBefore(where.text, m[0]), secrets),
			})
		}
	}
	return leaks
}

// lineWith is the first line of text that holds s, cut to 300 characters
// around it.
func lineWith(text, s string) string {
	i := strings.Index(text, s)
	start := strings.LastIndexByte(text[:i], '\n') + 1
	end := strings.IndexByte(text[i:], '\n')
	if end < 0 {
		end = len(text)
	} else {
		end += i
	}
	line := text[start:end]
	if len(line) > 300 {
		j := i - start
		line = line[max(0, j-150):min(len(line), j+len(s)+150)]
	}
	return strings.TrimSpace(line)
}

// redact replaces each secret in line by <name>, so that reports do not
// repeat the secrets they are about.
func redact(line string, secrets map[string]string) string {
	for name, s := range secrets {
		if s != "" {
			line = strings.ReplaceAll(line, s, "<"+name+">")
		}
	}
	return line
}
