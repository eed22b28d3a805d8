// Package pivots builds the hunting notebook's pivot queries on the anomalous processes. Each pivot
// is a file in queries/ (see README.md there), embedded in the binary: the notebook's three are
// "Verify Parent Process" (parent-process), "Check if Process Spawned out of Temp File Path"
// (temp-folder) and "Check if cmd.exe or Powershell was Used" (cmd-powershell), and adding one is
// adding a file.
//
// The KQL is the notebook's, operator for operator and in the notebook's order, with two
// substitutions: the notebook's placeholder list ("process1.exe", "process2.exe", "process3.exe")
// becomes the values, each written with macros.QuoteString so that no value can end the literal
// and add KQL of its own, and ago(7d) takes the validated lookback. The values usually come from
// the anomalous values of the same query's scored rows (the notebook's "replace process1.exe ...
// with the names of the anomalous processes"), taken from the pivot's Column.
package pivots
