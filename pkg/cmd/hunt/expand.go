package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"
)

// expander does what Grafana does to each string value of a provisioning file: "$$" is a literal
// "$"; in each part between them, ${NAME} and $__env{NAME} take the environment variable,
// $__file{path} the file's content without surrounding space, then $NAME takes the variable. An
// unset variable expands to "", as in Grafana; expander remembers its name so the command can say
// so.
type expander struct {
	getenv func(string) string
	// unset lists the variables referenced but unset or empty, in order of first use.
	unset []string
	// used reports whether the last expanded value referenced anything.
	used bool
}

var grafanaExpansion = regexp.MustCompile(`\$(|__\w+)\{([^}]+)\}`)

func (e *expander) expand(s string) (string, error) {
	e.used = false
	parts := strings.Split(s, "$$")
	for i, part := range parts {
		var err error
		part = grafanaExpansion.ReplaceAllStringFunc(part, func(m string) string {
			sub := grafanaExpansion.FindStringSubmatch(m)
			e.used = true
			switch sub[1] {
			case "", "__env":
				return e.lookup(sub[2])
			case "__file":
				raw, ferr := os.ReadFile(sub[2])
				if ferr != nil && err == nil {
					err = fmt.Errorf("$__file{%s}: %w", sub[2], ferr)
				}
				return strings.TrimSpace(string(raw))
			default:
				if err == nil {
					err = fmt.Errorf("%s: this command expands $NAME, ${NAME}, $__env{NAME} and $__file{path}, as Grafana OSS does", m)
				}
				return m
			}
		})
		if err != nil {
			return "", err
		}
		parts[i] = os.Expand(part, func(name string) string {
			e.used = true
			return e.lookup(name)
		})
	}
	return strings.Join(parts, "$"), nil
}

func (e *expander) lookup(name string) string {
	v := e.getenv(name)
	if name == "HOSTNAME" && v == "" {
		v, _ = os.Hostname() // as Grafana does
	}
	if v == "" && !containsString(e.unset, name) {
		e.unset = append(e.unset, name)
	}
	return v
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
