package server

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"epsilon.local/runtime/logs"
)

const (
	keepAlive     = 65 * time.Second // longer than the gateway keeps idle connections (30 s): it always closes first
	shutdownGrace = 2 * time.Second
)

// processStart is as close to the process's start as Go code gets (this package's initialization).
var processStart = time.Now()

// Main serves fn until SIGTERM or SIGINT and exits the process. With EPSILON_CHECK=1 it only reports that the
// function is loaded (its packages initialized) and exits 0: the image build runs that as its load check.
func Main(fn http.HandlerFunc) {
	settings, err := SettingsFromEnv(os.Getenv)
	logs.Default.SetFunction(settings.Function)
	if err != nil {
		exit(1, "epsilon: cannot start: "+err.Error())
	}
	where := fmt.Sprintf("package %s, func %s, timeout %d ms", settings.Package, settings.Export, settings.Timeout.Milliseconds())
	if os.Getenv("EPSILON_CHECK") == "1" {
		logs.Flush(time.Second)
		fmt.Fprintf(os.Stdout, "epsilon check: function '%s' ok (%s)\n", settings.Function, where) // not "epsilon: ", the prefix of errors
		os.Exit(0)
	}

	listener, err := net.Listen("tcp4", "0.0.0.0:"+strconv.Itoa(settings.Port))
	if err != nil {
		exit(1, fmt.Sprintf("epsilon: cannot listen on 0.0.0.0:%d: %v", settings.Port, err))
	}
	srv := NewHTTPServer(New(Options{Function: settings.Function, Timeout: settings.Timeout, Handler: fn}))

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	stopped := make(chan struct{})
	go func() {
		name := "SIGINT"
		if <-stop == syscall.SIGTERM {
			name = "SIGTERM"
		}
		logs.Default.Log(logs.Info, "", fmt.Sprintf("epsilon: %s received, stopping (%d call(s) in flight)", name, logs.Active.Count()))
		ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			_ = srv.Close()
		}
		close(stopped)
	}()

	logs.Default.Log(logs.Info, "", fmt.Sprintf("epsilon: function '%s' (%s) ready on %s %d ms after start",
		settings.Function, where, listener.Addr(), time.Since(processStart).Milliseconds()))
	if err := srv.Serve(listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
		exit(1, "epsilon: serving failed: "+err.Error())
	}
	<-stopped
	logs.Flush(time.Second)
	os.Exit(0)
}

// NewHTTPServer is the net/http server for h with the wrapper's connection settings.
func NewHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 30 * time.Second,
		IdleTimeout:       keepAlive,
		ErrorLog:          log.New(logs.Writer{Logger: logs.Default, Level: logs.Warn}, "", 0),
	}
}

func exit(code int, message string) {
	logs.Default.Log(logs.Error, "", message)
	logs.Flush(time.Second)
	os.Exit(code)
}
