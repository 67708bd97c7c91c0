// Package greeting is the dependency of go-deps: a separate module, in the repository's greeting/ folder.
package greeting

import "strings"

// For greets name ("world" when empty).
func For(name string) string {
	name = strings.TrimSpace(name)
	if name == "" {
		name = "world"
	}
	return "Hello, " + name + "!"
}
