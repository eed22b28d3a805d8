"""scikit-learn oracle for the Go parity tests (parity_test.go).

Usage: /usr/bin/python3 sklearn_oracle.py MANIFEST.json OUT.json

The manifest lists cases written by the Go test. For each case this script runs exactly the hunting
notebook's pipeline (or IsolationForest on float features) and dumps everything the Go side must
reproduce. Floats are written with float.hex() so that nothing is lost.
"""
import json
import sys
import warnings

import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import IsolationForest
from sklearn.ensemble._iforest import _average_path_length
from sklearn.preprocessing import LabelEncoder


def hexes(a):
    return [float(v).hex() for v in np.asarray(a, dtype=np.float64).ravel()]


def forest_dump(iso, X, canonical=False):
    """Fits iso on X and dumps it. With canonical, the fit is on X stably sorted by its columns
    (pandas' sort_values(columns, kind="stable")), and every per-row answer is given for X's own
    rows in X's order."""
    fit_X = X
    if canonical:
        df = X if isinstance(X, pd.DataFrame) else pd.DataFrame(X)
        fit_X = df.sort_values(list(df.columns), kind="stable")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pred = iso.fit_predict(fit_X)
    if canonical:
        pred = pd.Series(pred, index=fit_X.index).reindex(fit_X.index.sort_values()).to_numpy()
        X = fit_X.sort_index()
    dec = iso.decision_function(X)
    ss = iso.score_samples(X)
    trees = []
    for est, feats in zip(iso.estimators_, iso.estimators_features_):
        t = est.tree_
        trees.append({
            "features": [int(f) for f in feats],
            "node_count": int(t.node_count),
            "children_left": t.children_left.tolist(),
            "children_right": t.children_right.tolist(),
            "feature": t.feature.tolist(),
            "threshold": hexes(t.threshold),
            "n_node_samples": t.n_node_samples.tolist(),
        })
    return {
        "max_samples_": int(iso.max_samples_),
        "offset": float(iso.offset_).hex(),
        "predict": pred.tolist(),
        "decision_function": hexes(dec),
        "score_samples": hexes(ss),
        "trees": trees,
        # Only the max_samples warning is part of the contract; pandas feature-name
        # warnings are an artefact of fitting on a DataFrame.
        "warnings": [str(w.message) for w in caught if str(w.message).startswith("max_samples")],
    }


def params(p):
    ms = p.get("max_samples", "auto")
    cont = p.get("contamination", 0.01)
    return dict(n_estimators=p.get("n_estimators", 100), max_samples=ms, contamination=cont,
                max_features=float(p.get("max_features", 1.0)), random_state=p.get("random_state", 42))


def run_case(c):
    kind = c["kind"]
    if kind == "labels":
        # The notebook, line for line.
        df = pd.DataFrame({"field": pd.Series(c["values"], dtype=object)})
        le = LabelEncoder()
        df["Outlier"] = le.fit_transform(df["field"])
        out = {"codes": df["Outlier"].tolist()}
        out.update(forest_dump(IsolationForest(**params(c["params"])), df[["Outlier"]], c["params"].get("canonical", False)))
        return out
    if kind == "labels_multi":
        # Several fields: each label-encoded on its own, fitted together.
        df = pd.DataFrame({"f%d" % j: pd.Series(col, dtype=object) for j, col in enumerate(c["columns"])})
        names = []
        codes = []
        for j in range(len(c["columns"])):
            df["Outlier%d" % j] = LabelEncoder().fit_transform(df["f%d" % j])
            names.append("Outlier%d" % j)
            codes.append(df["Outlier%d" % j].tolist())
        out = {"codes_multi": codes}
        out.update(forest_dump(IsolationForest(**params(c["params"])), df[names], c["params"].get("canonical", False)))
        return out
    if kind == "floats":
        X = np.array(c["rows"], dtype=np.float64)
        return forest_dump(IsolationForest(**params(c["params"])), X, c["params"].get("canonical", False))
    if kind == "encode":
        conv = {"s": str, "i": int, "f": float.fromhex, "b": bool}
        vals = [None if t[0] == "none" else float("nan") if t[0] == "nan" else conv[t[0]](t[1]) for t in c["values"]]
        arr = np.empty(len(vals), dtype=object)
        arr[:] = vals
        try:
            codes = LabelEncoder().fit_transform(arr)
            return {"codes": codes.tolist()}
        except TypeError as e:
            return {"error": str(e)}
    if kind == "pathlength":
        return {"values": hexes(_average_path_length(np.arange(c["n"], dtype=np.int64)))}
    if kind == "randint":
        # numpy's bounded draws, scalar calls in sequence, for bounds around 2**31 and 2**32.
        rs = np.random.RandomState(c["seed"])
        return {"values": [int(rs.randint(c["n"])) for _ in range(c["count"])]}
    if kind == "sample":
        from sklearn.utils.random import sample_without_replacement
        v = sample_without_replacement(c["n_population"], c["n_samples"], method=c["method"], random_state=c["seed"])
        return {"values": [int(x) for x in v]}
    if kind == "pow":
        x = np.array([float.fromhex(v) for v in c["x"]])
        return {"values": hexes(2 ** (-x))}
    raise ValueError("unknown case kind " + kind)


def main():
    manifest = json.load(open(sys.argv[1]))
    res = {"sklearn": sklearn.__version__, "numpy": np.__version__, "pandas": pd.__version__, "cases": {}}
    for c in manifest["cases"]:
        res["cases"][c["name"]] = run_case(c)
    json.dump(res, open(sys.argv[2], "w"))


if __name__ == "__main__":
    main()
