"""scikit-learn LocalOutlierFactor(novelty=True) and OneClassSVM reference figures for libs/ml's LOF and OC-SVM.

Reads the Isolation Forest parity data sets (libs/ml/fixtures/forest/*.csv, last column `label`, 1 = anomaly),
so all three algorithms are checked on the same rows. Protocol, identical on the TypeScript side: two folds by
row parity; fit on the even rows and score the odd ones, then the reverse, so every row gets a novelty score
from a model that never saw it (scoring a LOF's own training rows finds each row as its own neighbour).
Parameters are sklearn's defaults: LOF n_neighbors=20, contamination='auto'; OneClassSVM kernel='rbf', nu=0.5,
gamma='scale', tol=1e-3. `flows` is also run behind a StandardScaler (variant suffix `+standard`), as the
comparison runs the distance methods on the producer's traffic. For the Nyström approximation the figure is
sklearn's own approximate pipeline, Nystroem(100 components) + SGDOneClassSVM, for information only.
Edge cases, each a small synthetic set stored with its rows: duplicated points (more copies than
n_neighbors, so k-distances of 0), constant columns, and a one-class SVM trained on a single repeated point
or one tight cluster; their score_samples are stored in full precision.
Output: <out>/algorithms-reference.json with per-row score_samples (7 significant digits for the data sets).
"""
import argparse
import json
import pathlib

import numpy as np
import pandas as pd
import sklearn
from sklearn.kernel_approximation import Nystroem
from sklearn.linear_model import SGDOneClassSVM
from sklearn.metrics import roc_auc_score
from sklearn.neighbors import LocalOutlierFactor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import OneClassSVM

LOF_PARAMS = dict(n_neighbors=20, contamination="auto")
OCSVM_PARAMS = dict(kernel="rbf", nu=0.5, gamma="scale", tol=1e-3)
NYSTROEM_COMPONENTS = 100
SCALED = {"flows"}


def folds(n):
    idx = np.arange(n)
    return [(idx[idx % 2 == 0], idx[idx % 2 == 1]), (idx[idx % 2 == 1], idx[idx % 2 == 0])]


def cross_score(x, make, extra=None):
    """Novelty scores for every row (each from the fold that did not train on it) and per-fold details."""
    scores = np.empty(len(x))
    decision = np.empty(len(x))
    details = []
    for train, test in folds(len(x)):
        model = make().fit(x[train])
        scores[test] = model.score_samples(x[test])
        decision[test] = model.decision_function(x[test])
        details.append(extra(model) if extra else {})
    return scores, decision, details


def estimator(model):
    return model.steps[-1][1] if hasattr(model, "steps") else model


def sig(values):
    return [float(f"{v:.7g}") for v in values]


def variant(y, scores, decision, details):
    return {
        "auc": round(float(roc_auc_score(y, -scores)), 6),
        "outlierShare": round(float((decision < 0).mean()), 6),
        "folds": details,
        "score": sig(scores),
    }


def reference(x, y, scaled):
    wrap = (lambda est: make_pipeline(StandardScaler(), est)) if scaled else (lambda est: est)
    lof = variant(y, *cross_score(x, lambda: wrap(LocalOutlierFactor(novelty=True, **LOF_PARAMS)),
                                  lambda m: {"offset": float(estimator(m).offset_)}))
    ocsvm = variant(y, *cross_score(x, lambda: wrap(OneClassSVM(**OCSVM_PARAMS)),
                                    lambda m: {"rho": float(estimator(m).offset_[0]), "nSupport": int(estimator(m).support_.size),
                                               "gamma": float(estimator(m)._gamma)}))
    approx_scores = np.empty(len(x))
    for train, test in folds(len(x)):
        xt = StandardScaler().fit(x[train]).transform(x[train]) if scaled else x[train].astype(np.float64)
        gamma = 1.0 / (x.shape[1] * xt.var()) if xt.var() != 0 else 1.0
        model = make_pipeline(*([StandardScaler()] if scaled else []),
                              Nystroem(gamma=gamma, n_components=NYSTROEM_COMPONENTS, random_state=0),
                              SGDOneClassSVM(nu=OCSVM_PARAMS["nu"], random_state=0)).fit(x[train])
        approx_scores[test] = model.score_samples(x[test])
    return {"lof": lof, "ocsvm": ocsvm, "nystroemSgd": {"auc": round(float(roc_auc_score(y, -approx_scores)), 6)}}


def edge_cases():
    rng = np.random.default_rng(11)
    f32 = lambda a: np.asarray(a, dtype=np.float32)
    cloud = f32(rng.normal(size=(60, 2)))
    duplicates = f32(np.vstack([np.tile([[1.0, 2.0]], (25, 1)), cloud, np.tile([[3.0, 3.0]], (5, 1))]))
    dup_queries = f32([[1.0, 2.0], [1.0, 2.001], [3.0, 3.0], [0.0, 0.0], [6.0, -4.0], [1.5, 2.5]])
    constant = f32(np.hstack([rng.normal(size=(80, 3)), np.full((80, 1), 7.0), np.zeros((80, 1))]))
    const_queries = f32(np.hstack([rng.normal(size=(10, 3)) * 2, np.full((10, 1), 7.0), np.zeros((10, 1))]))
    single = f32(np.tile([[0.5, -1.0, 2.0]], (40, 1)))
    single_queries = f32([[0.5, -1.0, 2.0], [0.6, -1.0, 2.0], [5.0, 5.0, 5.0]])
    cluster = f32(rng.normal(size=(150, 4)) * 0.1 + 3.0)
    cluster_queries = f32(np.vstack([rng.normal(size=(5, 4)) * 0.1 + 3.0, rng.normal(size=(5, 4)) * 0.1 - 3.0]))

    def lof(train, queries, **kw):
        model = LocalOutlierFactor(novelty=True, **{**LOF_PARAMS, **kw}).fit(train)
        return {"offset": float(model.offset_), "score": model.score_samples(queries).tolist()}

    def ocsvm(train, queries):
        model = OneClassSVM(**OCSVM_PARAMS).fit(train)
        return {"rho": float(model.offset_[0]), "gamma": float(model._gamma), "nSupport": int(model.support_.size),
                "score": model.score_samples(queries).tolist(), "decision": model.decision_function(queries).tolist(),
                "predict": model.predict(queries).tolist()}

    rows = lambda a: a.astype(np.float64).tolist()
    return {
        "lofDuplicates": {"train": rows(duplicates), "queries": rows(dup_queries), "lof": lof(duplicates, dup_queries)},
        "constantColumns": {"train": rows(constant), "queries": rows(const_queries), "lof": lof(constant, const_queries),
                            "ocsvm": ocsvm(constant, const_queries)},
        "ocsvmSinglePoint": {"train": rows(single), "queries": rows(single_queries), "ocsvm": ocsvm(single, single_queries)},
        "ocsvmSingleCluster": {"train": rows(cluster), "queries": rows(cluster_queries), "ocsvm": ocsvm(cluster, cluster_queries)},
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True, help="folder of the parity CSVs")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    datasets = {}
    for path in sorted(pathlib.Path(args.data).glob("*.csv")):
        frame = pd.read_csv(path)
        x = frame.drop(columns=["label"]).to_numpy(np.float32)
        y = frame["label"].to_numpy(int)
        runs = {"": False, **({"+standard": True} if path.stem in SCALED else {})}
        for suffix, scaled in runs.items():
            name = path.stem + suffix
            datasets[name] = {"csv": path.stem, "scaling": "standard" if scaled else "none", "rows": int(len(y)), "cols": int(x.shape[1]),
                              "anomalies": int(y.sum()), **reference(x, y, scaled)}
            d = datasets[name]
            print(f"{name}: LOF AUC {d['lof']['auc']:.4f}, OC-SVM AUC {d['ocsvm']['auc']:.4f}, Nystroem+SGD AUC {d['nystroemSgd']['auc']:.4f}")
    doc = {
        "sklearnVersion": sklearn.__version__,
        "protocol": "two folds by row parity: fit on even rows, score odd rows, and the reverse",
        "lofParams": LOF_PARAMS,
        "ocsvmParams": OCSVM_PARAMS,
        "nystroemComponents": NYSTROEM_COMPONENTS,
        "datasets": datasets,
        "edgeCases": edge_cases(),
    }
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "algorithms-reference.json").write_text(json.dumps(doc, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
