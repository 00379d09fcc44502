// Package memo remembers the results of slow lookups for the life of the
// provider process (a token, an organization check, a Catalog's settings, a
// secret key's Stripe account), and lets concurrent callers of one key share
// a single call (golang.org/x/sync/singleflight).
//
// A success is remembered until Forget. A failure is remembered only when
// the Cache's KeepError says so; a failure caused by a cancelled or expired
// context never is. A caller whose context ends stops waiting at once; when
// the shared call was abandoned because the context of the caller that
// started it ended, the others start it again on their own.
package memo

import (
	"context"
	"errors"
	"sync"

	"golang.org/x/sync/singleflight"
)

// Cache memoizes results of type V by string key. The zero Cache is ready to
// use and remembers no failure.
type Cache[V any] struct {
	// KeepError reports whether a failure is remembered like a success
	// (nil: no failure is).
	KeepError func(error) bool

	group singleflight.Group
	mu    sync.Mutex
	kept  map[string]result[V]
}

type result[V any] struct {
	v   V
	err error
	// abandoned: the context of the caller that ran the call ended.
	abandoned bool
}

// Get returns the remembered result for key, or runs fetch once for all
// concurrent callers of key. fetch receives the context of the caller that
// starts it.
func (c *Cache[V]) Get(ctx context.Context, key string, fetch func(context.Context) (V, error)) (V, error) {
	v, _, err := c.Load(ctx, key, fetch)
	return v, err
}

// Load is Get, and also reports whether the result comes from a call run (or
// joined) for this caller rather than from what was remembered.
func (c *Cache[V]) Load(ctx context.Context, key string, fetch func(context.Context) (V, error)) (v V, fetched bool, err error) {
	for {
		if r, ok := c.lookup(key); ok {
			return r.v, false, r.err
		}
		ch := c.group.DoChan(key, func() (any, error) {
			if r, ok := c.lookup(key); ok {
				return r, nil // remembered while this call was being set up
			}
			v, err := fetch(ctx)
			r := result[V]{v: v, err: err, abandoned: err != nil && ctx.Err() != nil}
			c.remember(key, r)
			return r, nil
		})
		select {
		case <-ctx.Done():
			var zero V
			return zero, false, ctx.Err()
		case res := <-ch:
			r, _ := res.Val.(result[V])
			if r.abandoned && ctx.Err() == nil {
				continue // the caller that ran it went away; this one has not
			}
			return r.v, true, r.err
		}
	}
}

// Peek returns what is remembered for key, without calling anything.
func (c *Cache[V]) Peek(key string) (v V, ok bool, err error) {
	r, ok := c.lookup(key)
	return r.v, ok, r.err
}

// Set remembers v for key, as if a call had returned it.
func (c *Cache[V]) Set(key string, v V) { c.remember(key, result[V]{v: v}) }

// Forget drops what is remembered for key when stale reports it stale (nil:
// always), so that the next Get calls again.
func (c *Cache[V]) Forget(key string, stale func(V) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r, ok := c.kept[key]; ok && (stale == nil || stale(r.v)) {
		delete(c.kept, key)
	}
}

func (c *Cache[V]) lookup(key string) (result[V], bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.kept[key]
	return r, ok
}

func (c *Cache[V]) remember(key string, r result[V]) {
	if r.err != nil && (r.abandoned || IsContextError(r.err) || c.KeepError == nil || !c.KeepError(r.err)) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.kept == nil {
		c.kept = map[string]result[V]{}
	}
	c.kept[key] = r
}

// IsContextError reports an error caused by a cancelled or expired context.
func IsContextError(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
