package anomaly

import "strings"

func stringsEqualFold(a, b string) bool { return strings.EqualFold(a, b) }
