"""scikit-learn IsolationForest reference figures for every fixture CSV (last column `label`, 1 = anomaly).

Same parameters flowsentry's parity test uses: n_estimators=100, max_samples='auto', max_features=1.0,
bootstrap=False, contamination='auto', random_state 0..9. Per data set it records the ROC-AUC of each seed,
score_samples quantiles averaged over seeds, and each row's score_samples averaged over seeds (for a
rank-correlation check). Output: <fixtures>/sklearn-reference.json.
"""
import argparse
import json
import pathlib

import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score

SEEDS = list(range(10))
PARAMS = dict(n_estimators=100, max_samples="auto", max_features=1.0, bootstrap=False, contamination="auto")
QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]


def reference(path: pathlib.Path) -> dict:
    frame = pd.read_csv(path)
    x = frame.drop(columns=["label"]).to_numpy(np.float32)
    y = frame["label"].to_numpy(int)
    aucs, quantiles, scores, outlier_share = [], [], np.zeros(len(y)), []
    for seed in SEEDS:
        forest = IsolationForest(random_state=seed, **PARAMS).fit(x)
        s = forest.score_samples(x)
        aucs.append(roc_auc_score(y, -s))
        quantiles.append(np.quantile(s, QUANTILES))
        scores += s / len(SEEDS)
        outlier_share.append(float((forest.predict(x) == -1).mean()))
    return {
        "rows": int(len(y)),
        "cols": int(x.shape[1]),
        "anomalies": int(y.sum()),
        "auc": [round(a, 6) for a in aucs],
        "meanAuc": round(float(np.mean(aucs)), 6),
        "scoreQuantiles": {str(q): round(float(v), 6) for q, v in zip(QUANTILES, np.mean(quantiles, axis=0))},
        "outlierShare": round(float(np.mean(outlier_share)), 6),
        "meanScore": [round(float(v), 4) for v in scores],
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fixtures", required=True)
    fixtures = pathlib.Path(parser.parse_args().fixtures)
    datasets = {}
    for path in sorted(fixtures.glob("*.csv")):
        datasets[path.stem] = reference(path)
        print(f"{path.stem}: sklearn mean AUC {datasets[path.stem]['meanAuc']:.4f}")
    doc = {"sklearnVersion": sklearn.__version__, "params": PARAMS, "seeds": SEEDS, "quantiles": QUANTILES, "datasets": datasets}
    (fixtures / "sklearn-reference.json").write_text(json.dumps(doc, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
