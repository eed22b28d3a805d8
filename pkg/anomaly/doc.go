// Package anomaly is the hunting notebook's anomaly scoring as a pipeline over a data frame:
//
//	le = LabelEncoder(); df['Outlier'] = le.fit_transform(df[field])
//	iso = IsolationForest(n_estimators=100, contamination=0.01, random_state=42)
//	df['Anomaly'] = iso.fit_predict(df[['Outlier']])
//	df['Anomaly_Score'] = iso.decision_function(df[['Outlier']])
//
// ScoreRows does those four lines on a Log Analytics result frame (any number of rows, in order,
// none lost) with pkg/iforest, scikit-learn 1.2.1's forest reproduced bit for bit. Pipeline.Run
// (and Score, its shorthand) then applies the notebook's table search and shapes the answer for
// a panel, an alert rule or a template variable: all rows, the anomalies, the top N, a count, a
// count per value, a time series of anomalies, one alert instance per anomalous value, or the
// anomalous values. AnomalousValues lists the flagged values for the pivots (package pivots).
//
// # Row order and counts
//
// Options.Forest.RowOrder is iforest.Canonical by default (NotebookOptions): the rows are scored
// as if stably sorted by their encoded values and the answers mapped back, so the answer depends
// only on how many rows carry each value, never on the order Log Analytics returns them in; it is
// scikit-learn's exact answer on df.sort_values('Outlier', kind='stable'). iforest.AsReturned is the
// notebook's own order. Because of that, ScoreCounts scores a `summarize count() by <fields>`
// answer exactly as canonical order scores the rows it counts, however many (CountsPipeline,
// CountSeries, and ScoreFetchedRows for the rows of the anomalous values); the scored frames' Meta
// says which (rowOrder, aggregate).
//
// # Encoding, and what pandas would have held
//
// Label encoding numbers the sorted distinct values 0..k-1 (iforest.LabelEncodeStrings for
// strings, iforest.LabelEncode for numbers and bools), frequency encoding replaces a value by the
// number of rows holding it. Each distinct value is found once per column (the per-row work is a
// map lookup, skipped on runs of equal values) and only the distinct values are handed to the
// encoder, so codes are the encoder's own. The frame's cells are read as pandas would hold them
// after msticpy's DataFrame:
//
//   - strings (and JSON text): code point order; a null string is None, one class after every
//     string, as LabelEncoder sorts None last.
//   - numbers of any width, signed or not: numeric order; a null number or NaN is NaN (pandas
//     stores a missing number as NaN), one class after every number; -0 equals 0.
//   - bools: False < True; a null is None, after both.
//   - times: chronological; a null time is one class after every time. (pandas would hold NaT,
//     which LabelEncoder cannot order; this is the one deliberate choice.)
//
// Under frequency encoding nulls count together, as one value.
//
// With several fields (the query's "fields"), each is encoded on its own and the forest sees one
// feature per field, as df[[f1, f2]] would; Outlier holds the first field's encoding, and
// countByValue groups by the combination.
//
// # Errors and notices
//
// A field, search column or time column the frame lacks is an error wrapping ErrInvalid and
// ErrNoColumn that lists the frame's columns; an option out of range wraps ErrInvalid. An empty frame is not an error: the three fields
// come back empty with a notice (count says 0, so an alert on it stays quiet). One row is
// ErrTooFewRows (wrapping iforest.ErrInvalidInput): no forest can be fitted on it. Forest settings
// out of range wrap iforest.ErrInvalidConfig. The forest's warnings, such as max_samples above the
// number of rows, are warning notices on the frame.
//
// # Speed
//
// A string column decoded by pkg/loganalytics already knows its distinct values and each row's
// (package fielddict), so it is not grouped again; other columns are read through
// Field.PointerAt, a pointer into the field's own slice, so no cell is boxed and nothing is
// allocated per row. What grows with the rows is a few slices (group ids, codes, the feature
// matrix, the three output fields, the selected row indices) and the copied columns of a subset
// output (anomalies, top, search). 200,000 rows score in about 20 ms of CPU, forest included
// (BenchmarkScoreNotebook200k: about 4,000 allocations per call, whatever the number of rows).
package anomaly
