// Package capture, imported first by a function's generated main package, turns what the function prints into JSON
// log lines from the very start (its package initialization included). See logs.Stdio; logs.Flush undoes it.
package capture

import (
	"os"

	"epsilon.local/runtime/logs"
)

func init() {
	if os.Getenv("EPSILON_CAPTURE_OUTPUT") == "off" {
		return
	}
	if _, err := logs.Stdio(logs.Default, logs.Active); err != nil {
		logs.Default.Log(logs.Warn, "", "epsilon: function output stays plain text: "+err.Error())
	}
}
