package logs

import "sync"

// Calls tracks the calls in flight, so output that carries no request id of its own (fmt.Println, the standard log
// package) can be given one: the id of the only call running, when exactly one is.
type Calls struct {
	mu     sync.Mutex
	next   uint64
	active map[uint64]string
}

// Active is the process's registry, used by the server and by Capture.
var Active = &Calls{}

// Begin records a call with id; the returned func ends it.
func (c *Calls) Begin(id string) (end func()) {
	c.mu.Lock()
	if c.active == nil {
		c.active = make(map[uint64]string)
	}
	c.next++
	key := c.next
	c.active[key] = id
	c.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			c.mu.Lock()
			delete(c.active, key)
			c.mu.Unlock()
		})
	}
}

// Only returns the id of the call in flight when exactly one is, else "".
func (c *Calls) Only() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.active) != 1 {
		return ""
	}
	for _, id := range c.active {
		return id
	}
	return ""
}

// Count is the number of calls in flight.
func (c *Calls) Count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.active)
}
