package pivots

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"text/template"

	"go.yaml.in/yaml/v3"

	"github.com/kqlhunt/anomaly-datasource/pkg/macros"
)

// MaxValues caps the in (...) list. A forest flags about 1% of rows, which on real workspaces is
// tens of processes, not thousands; a list past this is almost certainly a mistake (a field with
// one value per row), and the service limits the query text anyway.
const MaxValues = 1000

// DefaultLookback is the notebook's ago(7d).
const DefaultLookback = "7d"

var (
	// ErrInvalid marks a pivot request the user must fix; the message says what.
	ErrInvalid = errors.New("invalid pivot query")
	// ErrNoValues means there is nothing to pivot on; it wraps ErrInvalid.
	ErrNoValues = fmt.Errorf("%w: no anomalous values to pivot on: widen the anomaly query's time range, or pass values", ErrInvalid)
)

// lookbackPattern is the KQL timespan literals a lookback may be: 7d, 12h, 30m, 10s, 100ms, 1.5d.
var lookbackPattern = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?(d|h|m|s|ms|microsecond|tick)$`)

// namePattern is what a pivot's name may be, so it reads well in a URL and a query object.
var namePattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// plainIdentifier is a column name that needs no quoting in KQL.
var plainIdentifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Pivot is one saved pivot query, read from an embedded file in queries/ (see README.md there).
type Pivot struct {
	Name        string `json:"name" yaml:"name"`
	Title       string `json:"title" yaml:"title"`
	Description string `json:"description" yaml:"description"`
	// Column is the column the values are matched against, exactly.
	Column string `json:"column" yaml:"column"`
	KQL    string `json:"-" yaml:"kql"`

	tmpl *template.Template
}

//go:embed queries/*.yaml
var files embed.FS

// catalog is every pivot in file-name order. The files are part of the binary, so a file that does
// not load is a build defect: load panics and every test of this package fails.
var catalog = load(files)

func load(fsys fs.FS) []Pivot {
	paths, err := fs.Glob(fsys, "queries/*.yaml")
	if err != nil {
		panic(err)
	}
	slices.Sort(paths)
	var out []Pivot
	for _, p := range paths {
		pv, err := parse(fsys, p)
		if err != nil {
			panic(fmt.Sprintf("pivots: %s: %v", p, err))
		}
		if slices.ContainsFunc(out, func(o Pivot) bool { return o.Name == pv.Name }) {
			panic(fmt.Sprintf("pivots: %s: the name %q is taken", p, pv.Name))
		}
		out = append(out, pv)
	}
	return out
}

func parse(fsys fs.FS, path string) (Pivot, error) {
	b, err := fs.ReadFile(fsys, path)
	if err != nil {
		return Pivot{}, err
	}
	var pv Pivot
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&pv); err != nil {
		return Pivot{}, err
	}
	switch {
	case !namePattern.MatchString(pv.Name):
		return Pivot{}, fmt.Errorf("name %q must be lowercase letters, digits and '-'", pv.Name)
	case pv.Title == "" || pv.Column == "":
		return Pivot{}, errors.New("title and column are required")
	case !strings.Contains(pv.KQL, "{{.Values}}") || !strings.Contains(pv.KQL, "{{.Column}}"):
		return Pivot{}, errors.New("kql must use {{.Column}} and {{.Values}}")
	}
	pv.tmpl, err = template.New(pv.Name).Option("missingkey=error").Parse(pv.KQL)
	return pv, err
}

// All returns every pivot, in file-name order (the notebook's order for its three).
func All() []Pivot { return slices.Clone(catalog) }

// Lookup returns the pivot with the given name.
func Lookup(name string) (Pivot, bool) {
	i := slices.IndexFunc(catalog, func(p Pivot) bool { return p.Name == name })
	if i < 0 {
		return Pivot{}, false
	}
	return catalog[i], true
}

// Request is one pivot query: which pivot, on which values, over how long.
type Request struct {
	Name string
	// Values are matched exactly against the pivot's column; empty means "the anomalous values of
	// the same query", which the caller fills in before Build.
	Values []string
	// Lookback is a KQL timespan literal; empty means DefaultLookback.
	Lookback string
}

// Validate reports the first thing to fix (the pivot's name, the lookback, an empty value);
// errors wrap ErrInvalid. An empty Values is valid: the caller takes the anomalies.
func (r Request) Validate() error {
	if _, ok := Lookup(r.Name); !ok {
		if r.Name == "" {
			return invalid("pivot is not set: use one of %s", quotedNames())
		}
		return invalid("pivot %q is not known: use one of %s", r.Name, quotedNames())
	}
	if r.Lookback != "" && !lookbackPattern.MatchString(r.Lookback) {
		return invalid("lookback %q is not a KQL timespan: use e.g. 7d, 12h or 30m", r.Lookback)
	}
	if slices.Contains(r.Values, "") {
		return invalid("values has an empty value: every value is matched exactly, so remove it")
	}
	return nil
}

// Build returns the pivot's KQL for r.Values over r.Lookback. Values are used exactly as given (no
// trimming: a process name is compared exactly, as the notebook's == would), repeats are dropped
// with the first occurrence's order kept, and each is written with macros.QuoteString, so no value
// can end its literal and add KQL of its own. Errors wrap ErrInvalid: Validate's, no values
// (ErrNoValues), or more than MaxValues distinct values.
func Build(r Request) (string, error) {
	if err := r.Validate(); err != nil {
		return "", err
	}
	pv, _ := Lookup(r.Name)
	list, err := quotedList(r.Values)
	if err != nil {
		return "", err
	}
	lookback := r.Lookback
	if lookback == "" {
		lookback = DefaultLookback
	}
	column := pv.Column
	if !plainIdentifier.MatchString(column) {
		column = macros.QuoteIdentifier(column)
	}
	var b strings.Builder
	err = pv.tmpl.Execute(&b, struct{ Values, Column, Lookback string }{list, column, lookback})
	return b.String(), err
}

// quotedList writes the distinct values as "a", "b", ... with every value quoted by
// macros.QuoteString, the one place that knows KQL's escapes.
func quotedList(values []string) (string, error) {
	seen := make(map[string]bool, len(values))
	var b strings.Builder
	n := 0
	for _, v := range values {
		if seen[v] {
			continue
		}
		seen[v] = true
		if n++; n > MaxValues {
			return "", invalid("too many values to pivot on (more than %d): narrow the anomaly query or pass fewer values", MaxValues)
		}
		if n > 1 {
			b.WriteString(", ")
		}
		b.WriteString(macros.QuoteString(v))
	}
	if n == 0 {
		return "", ErrNoValues
	}
	return b.String(), nil
}

func quotedNames() string {
	q := make([]string, len(catalog))
	for i, p := range catalog {
		q[i] = fmt.Sprintf("%q", p.Name)
	}
	return strings.Join(q, ", ")
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}
