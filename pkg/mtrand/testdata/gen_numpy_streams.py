"""Writes numpy_streams.json: the expected random streams for pkg/mtrand tests.

Run with Debian's interpreter (numpy 1.24, scikit-learn 1.2.1):
    /usr/bin/python3 gen_numpy_streams.py > numpy_streams.json
Every expected value comes from numpy / scikit-learn, never from the Go code.
"""
import json

import numpy as np
import sklearn
from sklearn.utils.random import sample_without_replacement

SEEDS = [0, 1, 42, 12345, 2**31 - 2, 2**32 - 1]

out = {"numpy": np.__version__, "sklearn": sklearn.__version__, "cases": {}}
c = out["cases"]
c["raw_uint32"] = [
    {"seed": s, "values": [int(v) for v in np.random.RandomState(s).randint(0, 2**32, size=1300, dtype=np.uint32)]}
    for s in SEEDS
]
c["randint_maxint"] = [
    {"seed": s, "size": 10, "values": [int(v) for v in np.random.RandomState(s).randint(2**31 - 1, size=10)]}
    for s in SEEDS
]
c["uniform"] = [
    {"seed": s, "values": [float(v).hex() for v in np.random.RandomState(s).uniform(size=1000)]}
    for s in SEEDS
]
c["randint_scalar"] = []
for s in SEEDS[:4]:
    # Around 2**31 and 2**32 numpy changes its bounded draw: 32-bit masked, one raw 32-bit output
    # (n = 2**32), then 64-bit masked draws of two outputs each.
    for n in [1, 2, 3, 7, 255, 256, 257, 1000, 25601, 1000000, 2**31 - 1, 2**31, 2**31 + 1, 2**32 - 1, 2**32,
              2**32 + 1, 3 * 10**9, 5 * 10**9, 2**33, 2**33 + 1, 2**62 + 12345, 2**63 - 1]:
        rs = np.random.RandomState(s)
        c["randint_scalar"].append({"seed": s, "n": n, "values": [int(rs.randint(n)) for _ in range(20)]})
c["permutation"] = [
    {"seed": s, "n": n, "values": [int(v) for v in np.random.RandomState(s).permutation(n)]}
    for s in SEEDS[:4] for n in [1, 2, 10, 300, 1000]
]
c["sample"] = []
for s in [0, 42, 1234567]:
    for n_pop, n_samp in [(1, 1), (3, 3), (256, 256), (257, 256), (258, 256), (259, 256), (1000, 256),
                          (25599, 256), (25600, 256), (25601, 256), (100000, 256), (4, 2), (200, 1), (50, 10)]:
        for method in ["auto", "tracking_selection", "reservoir_sampling", "pool"]:
            v = sample_without_replacement(n_pop, n_samp, method=method, random_state=s)
            c["sample"].append({"seed": s, "n_population": n_pop, "n_samples": n_samp, "method": method,
                                "values": [int(x) for x in v]})
# Populations above 2**31 and 2**32 (counts describing billions of rows): tracking selection, the
# method scikit-learn picks for them, through randint's 32-bit and 64-bit bounded draws.
for s in [0, 42]:
    for n_pop, n_samp in [(2**31 + 5, 256), (3 * 10**9, 256), (2**32, 300), (2**32 + 1, 256), (5 * 10**9, 256),
                          (2**33, 1000), (2**40 + 3, 256)]:
        for method in ["auto", "tracking_selection"]:
            v = sample_without_replacement(n_pop, n_samp, method=method, random_state=s)
            c["sample"].append({"seed": s, "n_population": n_pop, "n_samples": n_samp, "method": method,
                                "values": [int(x) for x in v]})
json.dump(out, __import__("sys").stdout, separators=(",", ":"))
