"""scikit-learn side of bench/ml/compare-algorithms: the same four models on the very rows the TypeScript side used.

argv: <job dir> holding job.json (tasks: train/test/lof/ocsvm matrices as raw float32) written by compare-algorithms.ts.
Writes <job dir>/<task>/<algorithm>.f64 (score_samples of the test rows) and sklearn.json (fit seconds and
scoring rows/s with n_jobs 1 and 2 where the estimator has n_jobs, model size as pickled bytes).
"""
import json
import pathlib
import pickle
import statistics
import sys
import time

import numpy as np
import sklearn
from threadpoolctl import threadpool_limits
from sklearn.ensemble import IsolationForest
from sklearn.kernel_approximation import Nystroem
from sklearn.linear_model import SGDOneClassSVM
from sklearn.neighbors import LocalOutlierFactor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import OneClassSVM


def load(job, task, name):
    meta = task["matrices"][name]
    return np.fromfile(job / meta["file"], dtype=np.float32).reshape(meta["rows"], meta["cols"])


def gamma_scale(x):
    xs = StandardScaler().fit_transform(x).astype(np.float64)
    return 1.0 / (x.shape[1] * xs.var()) if xs.var() != 0 else 1.0


def models(params, x_full):
    seed, nu = params["seed"], params["nu"]
    nystroem = lambda jobs: make_pipeline(StandardScaler(), Nystroem(gamma=gamma_scale(x_full), n_components=params["nystroemComponents"], random_state=seed),
                                          SGDOneClassSVM(nu=nu, random_state=seed))
    return {
        "iforest": ("train", lambda jobs: IsolationForest(n_estimators=100, max_samples="auto", random_state=seed, n_jobs=jobs), True),
        "lof": ("lof", lambda jobs: make_pipeline(StandardScaler(), LocalOutlierFactor(n_neighbors=20, novelty=True, n_jobs=jobs)), True),
        "ocsvm": ("ocsvm", lambda jobs: make_pipeline(StandardScaler(), OneClassSVM(kernel="rbf", nu=nu, gamma="scale")), False),
        "nystroem": ("train", nystroem, False),
        # sklearn's Nystroem draws landmarks uniformly only: flowsentry's farthest-first row is set beside the same estimator.
        "nystroem-farthest": ("train", nystroem, False),
    }


def main():
    job = pathlib.Path(sys.argv[1])
    spec = json.loads((job / "job.json").read_text())
    out = {"sklearn": sklearn.__version__, "tasks": {}}
    for task in spec["tasks"]:
        test = load(job, task, "test")
        train_full = load(job, task, "train")
        results = {}
        for key, (rows, make, has_jobs) in models(spec["params"], train_full).items():
            x = load(job, task, rows)
            entry = {"fit_s": {}, "rows_per_s": {}}
            runs = spec["params"]["timedRuns"] if task["timed"] else 1
            # The first fit of each estimator (1 job) is reported on its own, as flowsentry's cold fit is; then
            # the same untimed fits as flowsentry's before the timed ones.
            warmups = spec["params"]["warmupFits"] if task["timed"] else 0
            for jobs in ([1, 2] if task["timed"] else [1]):
                # n_jobs alone does not bound sklearn: its neighbour search and BLAS run OpenMP/BLAS threads on every
                # core. The limit makes "1 job" one thread, as flowsentry's 1-thread figures are.
                with threadpool_limits(limits=jobs):
                    for warmup in range(warmups + (1 if jobs == 1 and task["timed"] else 0)):
                        start = time.perf_counter()
                        make(jobs).fit(x)
                        if jobs == 1 and warmup == 0:
                            entry["first_fit_s"] = time.perf_counter() - start
                    fits = []
                    for _ in range(runs):
                        model = make(jobs)
                        start = time.perf_counter()
                        model.fit(x)
                        fits.append(time.perf_counter() - start)
                    entry["fit_s"][str(jobs)] = statistics.median(fits)
                    entry.setdefault("first_fit_s", fits[0])
                    scorings = []
                    for _ in range(runs):
                        start = time.perf_counter()
                        scores = model.score_samples(test)
                        scorings.append(time.perf_counter() - start)
                    entry["rows_per_s"][str(jobs)] = len(test) / statistics.median(scorings)
                if not has_jobs:
                    break  # libsvm and SGD are single-threaded: one run stands for both
            entry["n_jobs"] = has_jobs  # without n_jobs the estimator runs one thread either way
            entry["size_bytes"] = len(pickle.dumps(model))
            scores.astype(np.float64).tofile(job / f"{task['id']}.{key}.f64")
            results[key] = entry
            print(f"sklearn {task['id']} {key}: fit {entry['fit_s']['1']:.3f} s", file=sys.stderr)
        out["tasks"][task["id"]] = results
    (job / "sklearn.json").write_text(json.dumps(out))


if __name__ == "__main__":
    main()
