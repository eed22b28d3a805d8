"""Times the hunting notebook's pipeline in scikit-learn against pkg/iforest on the same data.

Run through compare.sh (which builds the Go command). Each side runs in its own process on data
written here, and reports its own peak RSS (getrusage ru_maxrss). The labels of both sides are
compared row by row and the decisions within 1e-12, so the timing is of equal work.

    /usr/bin/python3 compare.py --go-bin /path/to/iforestbench [--quick]
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np


def zipf_names(n, k, seed):
    """n process names over k values with P(i) ~ 1/(i+1): Zipf-like, as a file name column is."""
    rs = np.random.RandomState(seed)
    p = 1.0 / np.arange(1, k + 1)
    p /= p.sum()
    idx = rs.choice(k, size=n, p=p)
    names = np.array(["process_%03d.exe" % ((i * 7919) % k) for i in range(k)], dtype=object)
    return names[idx]


def float_rows(n, d, seed):
    rs = np.random.RandomState(seed)
    X = rs.standard_normal((n, d)) * (2.0 ** np.arange(d))
    out = rs.rand(n) < 0.005
    X[out] += 12 * (2.0 ** np.arange(d))
    return X


def sklearn_child(kind, path, cols, labels_out, decision_out):
    """The notebook, timed from data in memory to the three new columns."""
    import pandas as pd
    from sklearn.ensemble import IsolationForest
    from sklearn.preprocessing import LabelEncoder

    if kind == "labels":
        with open(path) as f:
            df = pd.DataFrame({"InitiatingProcessFileName": f.read().rstrip("\n").split("\n")})
    else:
        X = np.fromfile(path, dtype="<f8").reshape(-1, cols)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    if kind == "labels":
        le = LabelEncoder()
        df["Outlier"] = le.fit_transform(df["InitiatingProcessFileName"])
        iso = IsolationForest(n_estimators=100, contamination=0.01, random_state=42)
        df["Anomaly"] = iso.fit_predict(df[["Outlier"]])
        df["Anomaly_Score"] = iso.decision_function(df[["Outlier"]])
        labels, decision = df["Anomaly"].to_numpy(), df["Anomaly_Score"].to_numpy()
    else:
        iso = IsolationForest(n_estimators=100, contamination=0.01, random_state=42)
        labels = iso.fit_predict(X)
        decision = iso.decision_function(X)
    seconds = time.perf_counter() - t0
    labels.astype(np.int8).tofile(labels_out)
    decision.astype("<f8").tofile(decision_out)
    print(json.dumps({"seconds": seconds, "rows": int(len(labels)), "flagged": int((labels == -1).sum()),
                      "rss_before_kb": rss_before,
                      "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))


def run_json(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--go-bin")
    ap.add_argument("--quick", action="store_true", help="smaller data, for a smoke test")
    ap.add_argument("--child", nargs=5, metavar=("KIND", "PATH", "COLS", "LABELS", "DECISION"))
    a = ap.parse_args()
    if a.child:
        k, p, c, lo, do = a.child
        sklearn_child(k, p, int(c), lo, do)
        return
    scale = 20 if a.quick else 1
    workloads = [
        ("notebook, 200,000 rows, ~300 values", "labels", 200_000 // scale, 1),
        ("notebook, 1,000,000 rows, ~300 values", "labels", 1_000_000 // scale, 1),
        ("4 float features, 200,000 rows", "floats", 200_000 // scale, 4),
    ]
    tmp = tempfile.mkdtemp(prefix="iforest-compare-")
    rows = []
    for name, kind, n, cols in workloads:
        path = os.path.join(tmp, "data")
        if kind == "labels":
            with open(path, "w") as f:
                f.write("\n".join(zipf_names(n, 300, 2026)) + "\n")
        else:
            float_rows(n, cols, 2026).astype("<f8").tofile(path)
        skl = run_json([sys.executable, __file__, "--child", kind, path, str(cols),
                        os.path.join(tmp, "skl_labels"), os.path.join(tmp, "skl_dec")])
        go = run_json([a.go_bin, "-kind", kind, "-in", path, "-cols", str(cols),
                       "-labels-out", os.path.join(tmp, "go_labels"), "-decision-out", os.path.join(tmp, "go_dec")])
        sl = np.fromfile(os.path.join(tmp, "skl_labels"), dtype=np.int8)
        gl = np.fromfile(os.path.join(tmp, "go_labels"), dtype=np.int8)
        sd = np.fromfile(os.path.join(tmp, "skl_dec"), dtype="<f8")
        gd = np.fromfile(os.path.join(tmp, "go_dec"), dtype="<f8")
        same_labels = bool(np.array_equal(sl, gl))
        max_diff = float(np.max(np.abs(sd - gd)))
        not_bit_eq = int(np.sum(sd.view(np.uint64) != gd.view(np.uint64)))
        rows.append((name, skl, go, same_labels, max_diff, not_bit_eq))
        print("%s: scikit-learn %.3f s, Go %.4f s (median of %d; first %.4f s), %.0fx; peak RSS %d MiB vs %d MiB; "
              "labels identical: %s, max |decision diff| %.1e, decisions not bit-identical: %d of %d"
              % (name, skl["seconds"], go["seconds_median"], go["runs"], go["seconds_first"],
                 skl["seconds"] / go["seconds_median"], skl["peak_rss_kb"] // 1024, go["peak_rss_kb"] // 1024,
                 same_labels, max_diff, not_bit_eq, len(sd)), flush=True)
    print()
    print("| workload | scikit-learn s | Go s (median) | speed-up | sklearn peak RSS MiB (after load) | Go peak RSS MiB (after load) | flagged | labels identical | decisions not bit-identical |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, skl, go, same, md, nbe in rows:
        print("| %s | %.3f | %.4f | %.0fx | %d (%d) | %d (%d) | %d | %s | %d (max diff %.1e) |" % (
            name, skl["seconds"], go["seconds_median"], skl["seconds"] / go["seconds_median"],
            skl["peak_rss_kb"] // 1024, skl["rss_before_kb"] // 1024, go["peak_rss_kb"] // 1024, go["rss_before_kb"] // 1024,
            go["flagged"], same, nbe, md))
    if not all(r[3] for r in rows):
        sys.exit("labels differ between scikit-learn and Go")


if __name__ == "__main__":
    main()
