package logs

import (
	"bufio"
	"errors"
	"io"
	"log"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxLine is the longest piece of printed output that becomes one line; longer output is split.
const maxLine = 64 * 1024

// Writer is an io.Writer that turns each Write into one line (a trailing newline dropped): what the standard log
// package needs, since it writes each log call with one Write.
type Writer struct {
	Logger *Logger
	Level  string
	Calls  *Calls
}

func (w Writer) Write(p []byte) (int, error) {
	message := strings.TrimSuffix(string(p), "\n")
	id := ""
	if w.Calls != nil {
		id = w.Calls.Only()
	}
	w.Logger.Log(w.Level, id, message)
	return len(p), nil
}

// Capture is what Stdio swapped in; Close restores the originals and writes what is still buffered.
type Capture struct {
	stdout, stderr *os.File
	writers        []*os.File
	done           sync.WaitGroup
	closeOnce      sync.Once
	closed         chan struct{}

	syncMu  sync.Mutex
	syncSeq uint64
	waiters map[string]chan struct{}
}

// syncMarker starts the line Sync writes into each pipe; the pumps swallow it.
const syncMarker = "\x00epsilon-sync:"

// Stdio makes what the process prints JSON lines of logger: os.Stdout (level info) and os.Stderr (level error) become
// pipes read line by line, and the standard log package writes one info line per call (its flags cleared: the line
// has a time). The Go runtime's own crash output (an unrecovered panic in a goroutine, a fatal error) still goes to
// file descriptor 2 as text, so it is never lost in a pipe when the process dies.
func Stdio(logger *Logger, calls *Calls) (*Capture, error) {
	c := &Capture{stdout: os.Stdout, stderr: os.Stderr, closed: make(chan struct{}), waiters: map[string]chan struct{}{}}
	outR, outW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		outR.Close()
		outW.Close()
		return nil, err
	}
	c.writers = []*os.File{outW, errW}
	c.done.Add(2)
	go c.pump(outR, logger, Info, calls)
	go c.pump(errR, logger, Error, calls)
	os.Stdout, os.Stderr = outW, errW
	currentMu.Lock()
	current = c
	currentMu.Unlock()
	log.SetFlags(0)
	log.SetPrefix("")
	log.SetOutput(Writer{Logger: logger, Level: Info, Calls: calls})
	return c, nil
}

func (c *Capture) pump(r *os.File, logger *Logger, level string, calls *Calls) {
	defer c.done.Done()
	defer r.Close()
	reader := bufio.NewReaderSize(r, maxLine)
	for {
		chunk, err := reader.ReadSlice('\n')
		if len(chunk) > 0 {
			message := strings.TrimSuffix(strings.TrimSuffix(string(chunk), "\n"), "\r")
			marker := ""
			if i := strings.Index(message, syncMarker); i >= 0 {
				message, marker = message[:i], message[i+len(syncMarker):] // message: a partial line printed before it
			}
			if message != "" {
				logger.Log(level, calls.Only(), message)
			}
			if marker != "" {
				c.synced(marker)
			}
		}
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			if !errors.Is(err, io.EOF) {
				logger.Log(Error, "", "epsilon: reading the function's output failed: "+err.Error())
			}
			return
		}
	}
}

// Sync returns once what was printed before it is written out (or after wait): the server calls it when a function
// returns and before the call ends, so the lines the call printed still carry its request id.
func (c *Capture) Sync(wait time.Duration) {
	c.syncMu.Lock()
	c.syncSeq++
	var pending []chan struct{}
	for i, w := range c.writers {
		key := strconv.FormatUint(c.syncSeq, 10) + "." + strconv.Itoa(i)
		ch := make(chan struct{})
		c.waiters[key] = ch
		pending = append(pending, ch)
		if _, err := w.WriteString(syncMarker + key + "\n"); err != nil {
			delete(c.waiters, key)
			pending = pending[:len(pending)-1]
		}
	}
	c.syncMu.Unlock()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for _, ch := range pending {
		select {
		case <-ch:
		case <-timer.C:
			return
		case <-c.closed:
			return
		}
	}
}

func (c *Capture) synced(key string) {
	c.syncMu.Lock()
	defer c.syncMu.Unlock()
	if ch, ok := c.waiters[key]; ok {
		delete(c.waiters, key)
		close(ch)
	}
}

// SyncOutput is Sync on the capture in place, if any.
func SyncOutput(wait time.Duration) {
	currentMu.Lock()
	c := current
	currentMu.Unlock()
	if c != nil {
		c.Sync(wait)
	}
}

var (
	currentMu sync.Mutex
	current   *Capture
)

// Flush closes the capture Stdio made last, if any (see Close): called before the process exits.
func Flush(wait time.Duration) {
	currentMu.Lock()
	c := current
	currentMu.Unlock()
	if c != nil {
		c.Close(wait)
	}
}

// Close puts the original os.Stdout and os.Stderr back and waits (at most wait) until what was printed before is
// written.
func (c *Capture) Close(wait time.Duration) {
	c.closeOnce.Do(func() {
		os.Stdout, os.Stderr = c.stdout, c.stderr
		c.syncMu.Lock()
		for _, w := range c.writers {
			w.Close()
		}
		close(c.closed)
		c.syncMu.Unlock()
		finished := make(chan struct{})
		go func() {
			c.done.Wait()
			close(finished)
		}()
		select {
		case <-finished:
		case <-time.After(wait):
		}
	})
}
