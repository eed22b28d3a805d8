"""The hunting notebook's scoring, line for line, for sklearn_test.go.

Usage: /usr/bin/python3 notebook.py IN.json OUT.json

IN.json: {"field": name, "values": [...], "params": {...}, "canonical": bool} where values are the
field's cells as msticpy's DataFrame would hold them (strings, numbers, null). With canonical, the
forest is fitted on the frame stably sorted by Outlier (the plugin's default row order) and the
answers are mapped back to the original rows. OUT.json: Outlier, Anomaly and
Anomaly_Score (as float.hex, so nothing is lost), and scikit-learn's version.
"""
import json
import sys

import pandas as pd
import sklearn
from sklearn.ensemble import IsolationForest
from sklearn.preprocessing import LabelEncoder

with open(sys.argv[1]) as f:
    case = json.load(f)
field_name = case["field"]
df = pd.DataFrame({field_name: case["values"]})
p = case["params"]

# The notebook's four lines (run_query), with its settings taken from the query.
le = LabelEncoder()
df['Outlier'] = le.fit_transform(df[field_name])
iso_forest = IsolationForest(n_estimators=p["n_estimators"], contamination=p["contamination"], random_state=p["random_state"])
if case.get("canonical"):
    # The same lines on the stably sorted frame; the index maps the answers back to each row.
    s = df.sort_values('Outlier', kind='stable')
    s['Anomaly'] = iso_forest.fit_predict(s[['Outlier']])
    s['Anomaly_Score'] = iso_forest.decision_function(s[['Outlier']])
    df = s.sort_index()
else:
    df['Anomaly'] = iso_forest.fit_predict(df[['Outlier']])
    df['Anomaly_Score'] = iso_forest.decision_function(df[['Outlier']])

with open(sys.argv[2], "w") as f:
    json.dump({
        "sklearn": sklearn.__version__,
        "Outlier": [int(v) for v in df['Outlier']],
        "Anomaly": [int(v) for v in df['Anomaly']],
        "Anomaly_Score": [float(v).hex() for v in df['Anomaly_Score']],
    }, f)
