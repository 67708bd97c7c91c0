package functions

import (
	"fmt"
	"net/http"
	"time"
)

// API is an eserveless http function, deployed unchanged.
func API(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusOK)
	fmt.Fprintf(w, "Hello, World! %s %s", r.Method, r.URL.RequestURI())
}

// Ticker is an eserveless cron function.
func Ticker(envs interface{}) {
	fmt.Printf("Ticker ticked at %s %v\n", time.Now().String(), envs)
}
