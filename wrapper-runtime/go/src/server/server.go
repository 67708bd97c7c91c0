// Package server is the in-container HTTP server of a Go function: it answers the readiness probe and runs every other
// request through the function (a func(http.ResponseWriter, *http.Request)) with a request id, a timeout and
// recovery from panics. See ../../README.md for the contract with the gateway.
package server

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"epsilon.local/runtime/logs"
)

const (
	// ReadyPath answers 200 once the function is loaded; every other path is the function's.
	ReadyPath = "/_epsilon/ready"
	// RequestIDHeader carries the call's id: kept when the caller sends one, generated otherwise, always echoed.
	RequestIDHeader = "X-Epsilon-Request-Id"
	// TimedOutHeader marks a 504 answered by the wrapper because the function did not finish in time.
	TimedOutHeader = "X-Epsilon-Timed-Out"
	// MaxBodyBytes bounds a request body (6 MB, as Lambda).
	MaxBodyBytes = 6 << 20
	// DefaultTimeout applies when EPSILON_TIMEOUT_MS is not set.
	DefaultTimeout = 15 * time.Second
	maxRequestID   = 200
)

// Options configure a Handler.
type Options struct {
	Function string           // the function's name (readiness answer, messages)
	Timeout  time.Duration    // per call; DefaultTimeout when 0
	Handler  http.HandlerFunc // the user's function
	Log      *logs.Logger     // logs.Default when nil
	Calls    *logs.Calls      // logs.Active when nil
}

// Handler serves one function.
type Handler struct {
	opts  Options
	ready []byte
}

// New returns the handler of a function.
func New(opts Options) *Handler {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Log == nil {
		opts.Log = logs.Default
	}
	if opts.Calls == nil {
		opts.Calls = logs.Active
	}
	ready, _ := json.Marshal(struct {
		Status    string `json:"status"`
		Function  string `json:"function"`
		TimeoutMs int64  `json:"timeoutMs"`
	}{"ready", opts.Function, opts.Timeout.Milliseconds()})
	return &Handler{opts: opts, ready: ready}
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == ReadyPath && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Length", strconv.Itoa(len(h.ready)))
		w.WriteHeader(http.StatusOK)
		if r.Method == http.MethodGet {
			_, _ = w.Write(h.ready)
		}
		return
	}

	id := requestIDOf(r)
	r.Header.Set(RequestIDHeader, id) // the function sees the id it is called with
	w.Header().Set(RequestIDHeader, id)
	if r.ContentLength > MaxBodyBytes {
		h.opts.Log.Log(logs.Warn, id, fmt.Sprintf("epsilon: request refused (413): body of %d bytes is larger than %d bytes", r.ContentLength, MaxBodyBytes))
		writeError(w, http.StatusRequestEntityTooLarge, "PayloadTooLarge", fmt.Sprintf("request body is larger than the limit of %d bytes (6 MB)", MaxBodyBytes))
		return
	}
	// No ResponseWriter: the function reads the body on its own goroutine, possibly after the call is over.
	r.Body = http.MaxBytesReader(nil, r.Body, MaxBodyBytes)

	end := h.opts.Calls.Begin(id)
	defer end()
	// Before the call ends: what the function printed is written out while its request id can still be told.
	defer logs.SyncOutput(100 * time.Millisecond)
	ctx, cancel := context.WithTimeout(r.Context(), h.opts.Timeout)
	defer cancel()

	out := newBufferedWriter()
	done := make(chan struct{})
	var failure *panicked
	go func() {
		defer close(done)
		defer func() {
			if p := recover(); p != nil {
				failure = &panicked{value: p, stack: debug.Stack()}
				if p != http.ErrAbortHandler { //nolint:errorlint // net/http compares it the same way
					h.opts.Log.Log(logs.Error, id, fmt.Sprintf("epsilon: function '%s' panicked: %v\n%s", h.opts.Function, p, failure.stack))
				}
			}
		}()
		h.opts.Handler(out, r.WithContext(ctx))
	}()

	timedOut := false
	select {
	case <-done:
		// A handler that returned because its context ran out (as a well-behaved one does) timed out all the same.
		timedOut = errors.Is(ctx.Err(), context.DeadlineExceeded)
	case <-ctx.Done():
		timedOut = true
	}
	if timedOut {
		out.close()
		if r.Context().Err() != nil { // the caller went away: nobody to answer
			h.opts.Log.Log(logs.Warn, id, fmt.Sprintf("epsilon: the caller went away before function '%s' answered", h.opts.Function))
			return
		}
		message := fmt.Sprintf("function '%s' did not answer within %d ms", h.opts.Function, h.opts.Timeout.Milliseconds())
		h.opts.Log.Log(logs.Error, id, "epsilon: "+message)
		w.Header().Set(TimedOutHeader, "true")
		writeError(w, http.StatusGatewayTimeout, "FunctionTimedOut", message)
		return
	}
	out.close()

	if failure != nil {
		if failure.value == http.ErrAbortHandler { //nolint:errorlint
			panic(http.ErrAbortHandler) // the function asked for the connection to be cut
		}
		writeError(w, http.StatusInternalServerError, "FunctionError", failure.message())
		return
	}

	code, body := out.result()
	header := w.Header()
	for name, values := range out.header {
		if http.CanonicalHeaderKey(name) == RequestIDHeader {
			continue
		}
		header[name] = values
	}
	if header.Get("Content-Length") == "" && r.Method != http.MethodHead && bodyAllowed(code) {
		header.Set("Content-Length", strconv.Itoa(len(body)))
	}
	w.WriteHeader(code)
	if len(body) > 0 && bodyAllowed(code) {
		_, _ = w.Write(body)
	}
	if f, ok := w.(http.Flusher); ok {
		f.Flush() // the answer goes out now, not after the log sync
	}
}

type panicked struct {
	value any
	stack []byte
}

func (p *panicked) message() string {
	if err, ok := p.value.(error); ok {
		return err.Error()
	}
	return fmt.Sprint(p.value)
}

func bodyAllowed(code int) bool {
	return code >= 200 && code != http.StatusNoContent && code != http.StatusNotModified
}

type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	var body errorBody
	body.Error.Code = code
	body.Error.Message = message
	data, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

func requestIDOf(r *http.Request) string {
	given := r.Header.Get(RequestIDHeader)
	if len(given) > 0 && len(given) <= maxRequestID && printable(given) {
		return given
	}
	return newUUID()
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return false
		}
	}
	return true
}

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return strconv.FormatInt(time.Now().UnixNano(), 36)
	}
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// ErrBadSetting is returned by SettingsFromEnv for a malformed variable.
var ErrBadSetting = errors.New("bad setting")

// Settings come from the container's environment.
type Settings struct {
	Function string
	Package  string
	Export   string
	Timeout  time.Duration
	Port     int
}

// SettingsFromEnv reads EPSILON_FUNCTION_NAME, EPSILON_HANDLER_FILE, EPSILON_HANDLER_EXPORT, EPSILON_TIMEOUT_MS and
// PORT through getenv.
func SettingsFromEnv(getenv func(string) string) (Settings, error) {
	s := Settings{
		Function: getenv("EPSILON_FUNCTION_NAME"),
		Package:  getenv("EPSILON_HANDLER_FILE"),
		Export:   getenv("EPSILON_HANDLER_EXPORT"),
		Timeout:  DefaultTimeout,
		Port:     8080,
	}
	if s.Function == "" {
		s.Function = "function"
	}
	if v := strings.TrimSpace(getenv("EPSILON_TIMEOUT_MS")); v != "" {
		ms, err := strconv.ParseInt(v, 10, 64)
		if err != nil || ms <= 0 || ms > 2147483647 {
			return s, fmt.Errorf("%w: EPSILON_TIMEOUT_MS '%s' is not a positive number of milliseconds (at most 2147483647)", ErrBadSetting, v)
		}
		s.Timeout = time.Duration(ms) * time.Millisecond
	}
	if v := strings.TrimSpace(getenv("PORT")); v != "" {
		port, err := strconv.Atoi(v)
		if err != nil || port < 0 || port > 65535 {
			return s, fmt.Errorf("%w: PORT '%s' is not a valid port", ErrBadSetting, v)
		}
		s.Port = port
	}
	return s, nil
}
