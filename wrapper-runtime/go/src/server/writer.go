package server

import (
	"bytes"
	"fmt"
	"net/http"
	"sync"
)

// bufferedWriter is the http.ResponseWriter a function writes to: the whole answer is kept until the function
// returns (as http.TimeoutHandler does), so a timeout or a panic can still answer with a clean error instead of half a
// response. Once the call is over (answered, timed out or failed), writes fail with http.ErrHandlerTimeout.
type bufferedWriter struct {
	mu          sync.Mutex
	header      http.Header
	body        bytes.Buffer
	code        int
	wroteHeader bool
	closed      bool
}

func newBufferedWriter() *bufferedWriter {
	return &bufferedWriter{header: make(http.Header)}
}

func (w *bufferedWriter) Header() http.Header { return w.header }

func (w *bufferedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return 0, http.ErrHandlerTimeout
	}
	if !w.wroteHeader {
		w.writeHeaderLocked(http.StatusOK)
	}
	return w.body.Write(p)
}

func (w *bufferedWriter) WriteHeader(code int) {
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("invalid WriteHeader code %v", code)) // as net/http does
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed || w.wroteHeader {
		return
	}
	if code < 200 { // informational answers cannot be sent ahead from a buffered response
		return
	}
	w.writeHeaderLocked(code)
}

func (w *bufferedWriter) writeHeaderLocked(code int) {
	w.wroteHeader = true
	w.code = code
}

// close ends the call for the function: later writes fail. Returns false when it was already closed.
func (w *bufferedWriter) close() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return false
	}
	w.closed = true
	return true
}

// result is the status and body the function wrote (200 when it wrote nothing).
func (w *bufferedWriter) result() (int, []byte) {
	w.mu.Lock()
	defer w.mu.Unlock()
	code := w.code
	if !w.wroteHeader {
		code = http.StatusOK
	}
	return code, w.body.Bytes()
}
