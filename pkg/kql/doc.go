// Package kql is a KQL (Kusto Query Language) engine over in-memory typed,
// columnar tables. It implements the subset of KQL that the KQL Anomaly
// Hunting plugin, its notebook queries and Grafana's macros produce, with
// the result column names, types and error shapes of Azure Log Analytics, so
// that the built-in demo workspace behaves like the real service.
//
// # Structure
//
// The package is organised like go/scanner and go/parser: scanner.go turns
// text into tokens with byte positions (errors go to a handler and scanning
// goes on), parser.go and parser_expr.go build the tree in ast.go by
// recursive descent, abandoning the parse at the first error with a private
// bailout panic recovered only in parse, and capping nesting at maxDepth.
// Only the first syntax error is reported, as the service does; there is no
// resynchronisation. compile*.go and funcs*.go turn each scalar expression
// into a typed closure over physical row indices (no per-row boxing,
// constants folded, regexes and in-sets built once per query); ops*.go,
// summarize.go (with group.go), join.go, union.go and getschema.go run the
// tabular operators over frames, which pair the typed columns with a
// selection vector so that where and sort copy no column data; budget.go
// accounts the memory they hold.
//
// # Supported
//
// Statements: let for scalars (let x = ago(1d);) and tabular expressions
// (let T = Table | where ...;), queries separated by ';' (the first result
// is PrimaryResult, then Table_1, ...).
//
// Sources: a table name (also ['Name']), union [kind=inner|outer]
// [withsource=Col] [isfuzzy=...] of tables and (subqueries) (columns by
// name; a name with several types becomes Name_type columns), print
// [Name =] expr, ....
//
// Tabular operators: where (filter), project (renames, Name = expr),
// project-away and project-reorder (with * wildcards), project-rename,
// project-keep, extend, summarize (aggregations [by keys], keys may be
// named and use bin),
// order by / sort by (asc, desc, nulls first|last; default desc with nulls
// last), take / limit, top N by, distinct (columns or *), count, union,
// join (kind= innerunique (the default), inner, leftouter, rightouter,
// fullouter, leftsemi, leftanti, rightsemi, rightanti; on Col or
// $left.A == $right.B; null keys match nothing; a right column name
// already used gets a suffix, Name1), getschema (one row per input column:
// ColumnName, ColumnOrdinal (int, from 0), DataType (the .NET type:
// System.String, System.Int64, System.Int32, System.Double,
// System.DateTime, System.TimeSpan, System.Guid, System.Object for
// dynamic, System.Data.SqlTypes.SqlDecimal, and System.SByte for bool, as
// the service reports it), ColumnType (string, long, ...); the operators
// before it run over empty tables, so it never reads a row), render
// (accepted and ignored).
//
// Aggregations: count(), countif(), dcount() (exact), dcountif(), min(),
// max(), sum(), sumif(), avg(), avgif(), stdev(), variance(), percentile()
// and percentiles() (exact nearest rank; named percentile_X_95), make_set()
// and make_list() (with an optional size), arg_max() and arg_min() (with
// columns or *), take_any(); also expressions over them, such as
// Ratio = countif(x) * 100.0 / count(). Names as Log Analytics gives them:
// count_, countif_, dcount_X, min_X, max_X, sum_X, avg_X, set_X, list_X,
// stdev_X, sumif_X, ...; arg_max(T, A) gives columns T and A; repeated
// names get 1, 2, ... Unnamed computed columns are Column1, Column2, ...
// (print_0, ... for print); a by-key bin(Col, span) keeps the name Col.
// A name given explicitly (Name = ..., or a plain column as a key) may be
// declared once: summarize A = count() by A is a SEM0001 error ("A column
// with the name 'A' is already declared."), as Kusto refuses it.
//
// Scalar operators: and, or (three-valued), ==, !=, <>, <, <=, >, >=, =~,
// !~, has, has_cs, hasprefix, hassuffix (and _cs), contains, contains_cs,
// startswith, startswith_cs, endswith, endswith_cs, each with a ! negation,
// in, !in, in~, !in~ (lists of constants, dynamic arrays expanded, or
// expressions), has_any, has_all, matches regex (RE2, constant pattern),
// between and !between (x between (a .. b); datetime .. timespan too),
// + - * / % with Kusto's typing (int, long, real promotion; datetime and
// timespan arithmetic; integer division by zero is null), unary - and +.
//
// Functions: ago, now, bin and floor, tostring, toint, tolong, todouble,
// toreal, todatetime, totimespan, tobool, tolower, toupper, strlen, strcat,
// substring, iff, iif, case, coalesce, ipv4_is_private, isempty,
// isnotempty, isnull, isnotnull, not, abs, extract, replace_string,
// hourofday, dayofweek, startofday, round, parse_json and todynamic,
// array_length.
//
// Dynamic values: d.name, d["name"], d['name'] and d[i] (negative from the
// end) give dynamic members and elements (null when missing); a dynamic
// compared with another type is read as that type (d.port == 443).
//
// Literals: "..." and '...' with backslash escapes, @"..." verbatim (""
// for a quote), h"..." obfuscated, ```...``` multi-line; long (123, 0x1F),
// real (1.5, 1e3); timespans (1d, 2h, 30m, 10s, 100ms, 1.5h, 10microsecond,
// 5tick, time(1.02:03:04), timespan(2d)); datetime(2024-05-01),
// datetime(2024-05-01T00:00:00.123Z), datetime(2024-05-01 10:00); typed
// literals int(..), long(..), real(..), bool(..), guid(..), decimal(..),
// dynamic(JSON), each also (null); true, false; // comments.
//
// Semantics: has matches whole terms case-insensitively (a term is a run
// of ASCII letters and digits, any non-ASCII character counting as a
// letter; a needle edge that is not alphanumeric needs no boundary), ==
// on strings is case-sensitive, contains is not and contains_cs is.
// Strings are never null (a null string reads as ""), so isnull("") is
// false and isempty("") true; other types keep nulls, comparisons with
// null are null and where drops them. Datetimes and timespans have Kusto's
// 100 ns resolution; bin on datetimes counts from 0001-01-01 as Kusto does.
//
// # Not supported
//
// lookup, mv-expand, parse, make-series, range, datatable, search,
// materialize, user-defined functions, let with lambdas, arithmetic on
// dynamic values, toscalar, in with a subquery, and the many scalar
// functions not listed above. Using any of them gives a SYN0002 or SEM0100
// error rather than a wrong answer.
//
// # Safety
//
// Execute is safe for concurrent use on one Database (tables are read-only
// once loaded and each call has its own state).
//
// Each query has a memory budget, Options.MaxMemory (DefaultMaxMemory,
// 256 MiB, when unset). Everything that grows with the data is charged as
// it grows, before or as it is allocated: join indexes and joined rows (at
// the size of their cells, so a join that would explode stops before it
// materialises them), summarize and distinct groups and the aggregators'
// state (dcount and make_set values, make_list text, percentile values),
// sort and top buffers, union, extend and project columns (computed text
// included), selection vectors, and the copy of a small result. The
// loaded tables are not charged. A query that needs more stops with an
// *Error whose Code is E_RUNAWAY_QUERY (CodeRunawayQuery; the service's
// HRESULT 0x80DA0001, HResultRunawayQuery) and whose cause is
// ErrMemoryBudget, worded as Log Analytics words its own ("'join'
// operator has exceeded the memory budget (268435456) during evaluation
// (E_RUNAWAY_QUERY; see https://aka.ms/kustoquerylimits). ..."). strcat
// and replace_string check the size of the value they are about to build
// against what is left. See budget.go for the estimates and the sources.
//
// Every loop that grows with the data, sort comparisons and joined rows
// included, looks at the context every 1024 units of work, so a cancelled
// query stops within milliseconds (BENCHMARKS.md). A panic inside the
// engine is a bug; rather than crash a server, Execute converts it into an
// *Error with Code "InternalServiceError" (the stack is kept as the
// unwrapped cause). The fuzz tests in fuzz_test.go exist so that this path
// never runs; they also check that a tiny budget never changes an answer
// and that getschema describes every result.
package kql
