"""The hunting notebook's pipeline on a Log Analytics answer, timed, for bench_test.go.

Usage: /usr/bin/python3 notebook.py ANSWER.json FIELD

Reads the query API's JSON answer as msticpy does (the primary table into a pandas DataFrame),
then the notebook's four lines: LabelEncoder, IsolationForest(n_estimators=100,
contamination=0.01, random_state=42), fit_predict and decision_function. Prints one JSON line:
seconds (from reading the file to the scores), rows, anomalies, and peak RSS in MiB.
"""
import json
import resource
import sys
import time

import pandas as pd
from sklearn.ensemble import IsolationForest
from sklearn.preprocessing import LabelEncoder

start = time.perf_counter()
with open(sys.argv[1]) as f:
    answer = json.load(f)
table = next(t for t in answer["tables"] if t["name"] == "PrimaryResult")
df = pd.DataFrame(table["rows"], columns=[c["name"] for c in table["columns"]])

le = LabelEncoder()
df['Outlier'] = le.fit_transform(df[sys.argv[2]])
iso_forest = IsolationForest(n_estimators=100, contamination=0.01, random_state=42)
df['Anomaly'] = iso_forest.fit_predict(df[['Outlier']])
df['Anomaly_Score'] = iso_forest.decision_function(df[['Outlier']])
seconds = time.perf_counter() - start

print(json.dumps({
    "seconds": seconds,
    "rows": len(df),
    "anomalies": int((df['Anomaly'] == -1).sum()),
    "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
