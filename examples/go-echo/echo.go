// Package echo answers every call with what it received: method, path, query, one header, the body, the request id
// and a status taken from the query (?status=201). /panic panics (the wrapper answers 500 and lives on) and
// /sleep?ms=N sleeps (past the timeout, the wrapper answers 504).
package echo

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"sync/atomic"
	"time"
)

// calls lives as long as the warm container: package state persists between calls.
var calls atomic.Int64

// Echo is the handler (epsilon.yaml: handler: .:Echo).
func Echo(w http.ResponseWriter, r *http.Request) {
	n := calls.Add(1)
	switch r.URL.Path {
	case "/panic":
		panic("boom from go-echo")
	case "/sleep":
		ms, _ := strconv.Atoi(r.URL.Query().Get("ms"))
		select {
		case <-time.After(time.Duration(ms) * time.Millisecond):
		case <-r.Context().Done(): // cancelled when the call times out
			return
		}
	}

	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	status := http.StatusOK
	if s := r.URL.Query().Get("status"); s != "" {
		if status, err = strconv.Atoi(s); err != nil || status < 200 || status > 599 {
			http.Error(w, "status must be a number from 200 to 599", http.StatusBadRequest)
			return
		}
	}
	fmt.Printf("echo %s %s (call %d)\n", r.Method, r.URL.Path, n)

	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Echo", "yes")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"method":    r.Method,
		"path":      r.URL.Path,
		"query":     r.URL.Query(),
		"header":    r.Header.Get("X-Test"),
		"body":      string(body),
		"requestId": r.Header.Get("X-Epsilon-Request-Id"),
		"greeting":  os.Getenv("GREETING"),
		"calls":     n,
	})
}
