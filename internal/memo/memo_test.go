package memo

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var (
	errNotFound = errors.New("not found")
	errDown     = errors.New("service unavailable")
)

func TestSharesOneCallAndRemembersSuccess(t *testing.T) {
	var c Cache[string]
	var calls atomic.Int32
	release := make(chan struct{})
	fetch := func(context.Context) (string, error) {
		calls.Add(1)
		<-release
		return "acct_1", nil
	}
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if v, err := c.Get(context.Background(), "k", fetch); v != "acct_1" || err != nil {
				t.Errorf("Get = %q, %v", v, err)
			}
		})
	}
	time.Sleep(20 * time.Millisecond) // let the callers join
	close(release)
	wg.Wait()
	v, fetched, err := c.Load(context.Background(), "k", fetch)
	if v != "acct_1" || fetched || err != nil {
		t.Errorf("Load after = %q, fetched=%v, %v; want the remembered value", v, fetched, err)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("%d calls for 21 callers, want 1", n)
	}
	if _, fetched, _ := c.Load(context.Background(), "other", fetch); !fetched {
		t.Errorf("a new key was not fetched")
	}
}

func TestFailuresAreRememberedOnlyWhenKept(t *testing.T) {
	c := Cache[int]{KeepError: func(err error) bool { return errors.Is(err, errNotFound) }}
	calls := map[string]int{}
	get := func(key string, err error) error {
		_, e := c.Get(context.Background(), key, func(context.Context) (int, error) {
			calls[key]++
			return 0, err
		})
		return e
	}
	for range 3 {
		if err := get("missing", errNotFound); !errors.Is(err, errNotFound) {
			t.Fatalf("got %v", err)
		}
		if err := get("down", errDown); !errors.Is(err, errDown) {
			t.Fatalf("got %v", err)
		}
		if err := get("cancelled", context.Canceled); !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v", err)
		}
	}
	if calls["missing"] != 1 || calls["down"] != 3 || calls["cancelled"] != 3 {
		t.Errorf("calls = %v; want the kept failure called once, the others every time", calls)
	}
	var plain Cache[int]
	n := 0
	for range 2 {
		_, _ = plain.Get(context.Background(), "k", func(context.Context) (int, error) { n++; return 0, errNotFound })
	}
	if n != 2 {
		t.Errorf("the zero Cache remembered a failure")
	}
}

func TestKeepErrorNeverKeepsAContextError(t *testing.T) {
	c := Cache[int]{KeepError: func(error) bool { return true }}
	n := 0
	for range 2 {
		_, _ = c.Get(context.Background(), "k", func(context.Context) (int, error) {
			n++
			return 0, context.DeadlineExceeded
		})
	}
	if n != 2 {
		t.Errorf("a deadline error was remembered")
	}
}

// A caller whose context ends stops waiting; the call it started is
// abandoned, not remembered, and a caller still waiting runs it again.
func TestAbandonedCallIsRunAgainByTheOthers(t *testing.T) {
	var c Cache[string]
	var calls atomic.Int32
	started := make(chan struct{})
	fetch := func(ctx context.Context) (string, error) {
		if calls.Add(1) == 1 {
			close(started)
			<-ctx.Done()
			return "", ctx.Err()
		}
		return "second", nil
	}
	first, cancel := context.WithCancel(context.Background())
	errFirst := make(chan error, 1)
	go func() {
		_, err := c.Get(first, "k", fetch)
		errFirst <- err
	}()
	<-started
	second := make(chan string, 1)
	go func() {
		v, err := c.Get(context.Background(), "k", fetch)
		if err != nil {
			t.Errorf("the second caller got %v", err)
		}
		second <- v
	}()
	time.Sleep(20 * time.Millisecond) // let the second caller join
	cancel()
	if err := <-errFirst; !errors.Is(err, context.Canceled) {
		t.Errorf("the first caller got %v, want its own cancellation", err)
	}
	if v := <-second; v != "second" {
		t.Errorf("the second caller got %q", v)
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("%d calls, want 2", n)
	}
}

func TestCallerStopsWaitingWhenItsContextEnds(t *testing.T) {
	var c Cache[string]
	release := make(chan struct{})
	defer close(release)
	go func() {
		_, _ = c.Get(context.Background(), "k", func(context.Context) (string, error) { <-release; return "v", nil })
	}()
	time.Sleep(10 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := c.Get(ctx, "k", func(context.Context) (string, error) { return "other", nil }); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want the caller's deadline", err)
	}
}

func TestForget(t *testing.T) {
	var c Cache[string]
	n := 0
	fetch := func(context.Context) (string, error) { n++; return fmt.Sprint("tok", n), nil }
	v, _ := c.Get(context.Background(), "", fetch)
	c.Forget("", func(got string) bool { return got != v }) // not stale: kept
	if got, _ := c.Get(context.Background(), "", fetch); got != v {
		t.Errorf("forgotten although not stale")
	}
	c.Forget("", func(got string) bool { return got == v })
	if got, _ := c.Get(context.Background(), "", fetch); got == v || n != 2 {
		t.Errorf("not forgotten: %q after %d calls", got, n)
	}
	if _, ok, _ := c.Peek("none"); ok {
		t.Errorf("Peek found a key never fetched")
	}
}
