// Package logs writes the JSON log lines of a Go function: one line per log call on stdout,
//
//	{"time":"2026-11-22T21:40:23.870Z","level":"info","function":"hello","requestId":"...","message":"..."}
//
// and turns what the function prints (fmt.Print to os.Stdout or os.Stderr, the standard log package) into such lines.
package logs

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"sync"
	"time"
)

// Levels of a line.
const (
	Debug = "debug"
	Info  = "info"
	Warn  = "warn"
	Error = "error"
)

// Logger writes JSON lines to one writer; safe for concurrent use.
type Logger struct {
	mu       sync.Mutex
	out      io.Writer
	function string
	now      func() time.Time
}

// New returns a logger writing to out for function (empty: "function":null).
func New(out io.Writer, function string) *Logger {
	return &Logger{out: out, function: function, now: time.Now}
}

// Default writes to the process's real stdout (taken before Capture swaps os.Stdout) for EPSILON_FUNCTION_NAME.
var Default = New(os.Stdout, os.Getenv("EPSILON_FUNCTION_NAME"))

type line struct {
	Time      string  `json:"time"`
	Level     string  `json:"level"`
	Function  *string `json:"function"`
	RequestID *string `json:"requestId"`
	Message   string  `json:"message"`
}

// SetFunction sets the function name of the lines written from now on.
func (l *Logger) SetFunction(name string) {
	l.mu.Lock()
	l.function = name
	l.mu.Unlock()
}

// Log writes one line; requestID "" means none (null).
func (l *Logger) Log(level, requestID, message string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	entry := line{Time: l.now().UTC().Format("2006-01-02T15:04:05.000Z"), Level: level, Message: message}
	if l.function != "" {
		entry.Function = &l.function
	}
	if requestID != "" {
		entry.RequestID = &requestID
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(entry); err != nil { // cannot happen for strings; keep the line anyway
		buf.Reset()
		buf.WriteString(`{"level":"error","message":"epsilon: log line could not be encoded"}` + "\n")
	}
	_, _ = l.out.Write(buf.Bytes()) // stdout gone: nothing sensible left to do with a log line
}
