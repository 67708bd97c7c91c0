// Package api holds the go-deps function (epsilon.yaml: handler: ./api:Greet).
package api

import (
	"encoding/json"
	"net/http"

	"example.com/greeting"
)

// Version changes with each deployment of the example (the end-to-end test changes it to redeploy code only).
const Version = "v1"

// Greet answers {"message": "Hello, <name>!", "version": ...} for ?name=.
func Greet(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{
		"message": greeting.For(r.URL.Query().Get("name")),
		"version": Version,
	})
}
