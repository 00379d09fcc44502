package apic

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// Job queue states (SPEC): the queue is idle, or its head job is running,
// blocked or failed.
const (
	StateIdle    = "idle"
	StateRunning = "running"
	StateBlocked = "blocked"
	StateFailed  = "failed"
)

// QueueState is s as one of the known states, in lower case, or "" when s
// is empty or unknown: an unknown state is never shown as idle.
func QueueState(s string) string {
	switch l := strings.ToLower(strings.TrimSpace(s)); l {
	case StateIdle, StateRunning, StateBlocked, StateFailed:
		return l
	}
	return ""
}

// JobState is s as a job's state (running, blocked or failed) in lower
// case, or "" when s is empty or unknown.
func JobState(s string) string {
	if st := QueueState(s); st != StateIdle {
		return st
	}
	return ""
}

// UnmarshalJSON accepts an object (state or status, pending_jobs or pending
// as a number or numeric string, blocked_reason, reason or error as text or
// an error object) or a bare state string; any other shape is an empty
// status. It never fails, so that an unexpected shape cannot break a read.
func (q *JobQueueStatus) UnmarshalJSON(data []byte) error {
	*q = JobQueueStatus{}
	var s string
	if json.Unmarshal(data, &s) == nil {
		q.State = s
		return nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil //nolint:nilerr // another shape is an empty status, by design
	}
	q.State = flexText(first(m, "state", "status"))
	if n, ok := flexInt(first(m, "pending_jobs", "pending")); ok {
		q.PendingJobs = &n
	}
	q.BlockedReason = flexText(first(m, "blocked_reason", "reason", "error"))
	return nil
}

// UnmarshalJSON decodes a job field by field, each as text whatever its
// JSON type (an error may be an object with a message), and never fails.
func (j *Job) UnmarshalJSON(data []byte) error {
	*j = Job{}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil //nolint:nilerr // another shape is an empty job, by design
	}
	j.ID = flexText(m["id"])
	j.Name = flexText(m["name"])
	j.State = flexText(first(m, "state", "status"))
	j.Error = flexText(first(m, "error", "message", "reason"))
	j.CreatedAt = flexText(m["created_at"])
	j.UpdatedAt = flexText(m["updated_at"])
	return nil
}

// first is the first of keys present (and not null) in m.
func first(m map[string]json.RawMessage, keys ...string) json.RawMessage {
	for _, k := range keys {
		if v, ok := m[k]; ok && !bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			return v
		}
	}
	return nil
}

// flexText renders a JSON value as text: a string as is, a number or bool as
// written, an object or array by its messages (see messagesFrom), else
// compact and masked; null or nothing as "".
func flexText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	var v any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if d.Decode(&v) != nil {
		return ""
	}
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case json.Number:
		return t.String()
	case bool:
		return strconv.FormatBool(t)
	}
	if msgs := messagesFrom(v, 0); len(msgs) > 0 {
		return strings.Join(msgs, "; ")
	}
	return string(MaskJSON(raw))
}

// flexInt reads a non-negative count given as a number or a numeric string.
func flexInt(raw json.RawMessage) (int64, bool) {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	if s == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 1<<53 || f != float64(int64(f)) {
		return 0, false
	}
	return int64(f), true
}
