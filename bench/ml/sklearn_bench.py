"""scikit-learn side of bench/ml: fit and score_samples timings on the very matrix the TS bench used.

argv: <matrix.f32> <rows> <cols> <n_jobs>; prints one JSON object.
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.ensemble import IsolationForest


def best_of(repeats, fn):
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main():
    path, rows, cols, n_jobs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    x = np.fromfile(path, dtype=np.float32).reshape(rows, cols)
    forest = IsolationForest(n_estimators=100, max_samples="auto", contamination="auto", random_state=0, n_jobs=n_jobs)
    fit_s = best_of(3, lambda: forest.fit(x))
    throughput = {}
    for batch, calls in ((1, 200), (1024, 20), (100_000, 3)):
        chunk = x[:batch]
        forest.score_samples(chunk)
        seconds = best_of(3, lambda: [forest.score_samples(chunk) for _ in range(calls)])
        throughput[str(batch)] = batch * calls / seconds
    print(json.dumps({"sklearn": sklearn.__version__, "n_jobs": n_jobs, "fit_s": fit_s, "rows_per_s": throughput}))


if __name__ == "__main__":
    main()
