"""Writes the Isolation Forest paper's data sets that Debian's r-cran-mlbench ships as small CSV fixtures.

Anomaly classes follow Liu, Ting & Zhou (2008), Table 1: Ionosphere 'bad', Pima 'pos', Breastw
'malignant', Satellite the three smallest classes, Shuttle every class but 'Rad.Flow' (the paper drops
class 4, 'High'). Satellite and Shuttle are subsampled (stratified, fixed seed) to keep the committed
fixtures to a few hundred KB; sklearn and flowsentry are both compared on exactly these rows.
"""
import argparse
import pathlib

import numpy as np
import pandas as pd
import pyreadr

MLBENCH = pathlib.Path("/usr/lib/R/site-library/mlbench/data")


def load(name: str) -> pd.DataFrame:
    path = MLBENCH / f"{name}.rda"
    if not path.exists():
        raise SystemExit(f"{path} missing: apt-get install r-cran-mlbench")
    return next(iter(pyreadr.read_r(str(path)).values()))


def numeric(df: pd.DataFrame) -> pd.DataFrame:
    return df.apply(lambda col: pd.to_numeric(col.astype(str) if col.dtype.name in ("category", "string") else col, errors="coerce"))


def stratified(x: pd.DataFrame, y: np.ndarray, rows: int, seed: int):
    rng = np.random.default_rng(seed)
    keep = []
    for cls in (0, 1):
        idx = np.flatnonzero(y == cls)
        take = round(rows * len(idx) / len(y))
        keep.append(rng.choice(idx, size=take, replace=False))
    keep = np.sort(np.concatenate(keep))
    return x.iloc[keep], y[keep]


def datasets():
    d = load("Ionosphere")
    yield "ionosphere", numeric(d.drop(columns=["Class"])), (d["Class"] == "bad").to_numpy(int), 6

    d = load("PimaIndiansDiabetes")
    yield "pima", numeric(d.drop(columns=["diabetes"])), (d["diabetes"] == "pos").to_numpy(int), 6

    d = load("BreastCancer").drop(columns=["Id"])
    x = numeric(d.drop(columns=["Class"]))
    complete = x.notna().all(axis=1).to_numpy()  # 16 rows lack Bare.nuclei; the usual 683-row Breastw
    yield "breastw", x[complete], (d["Class"] == "malignant").to_numpy(int)[complete], 6

    d = load("Satellite")
    x, y = stratified(numeric(d.drop(columns=["classes"])),
                      d["classes"].isin(["damp grey soil", "cotton crop", "vegetation stubble"]).to_numpy(int), 800, 7)
    yield "satellite", x, y, 6

    d = load("Shuttle")
    d = d[d["Class"] != "High"]
    x, y = stratified(numeric(d.drop(columns=["Class"])), (d["Class"] != "Rad.Flow").to_numpy(int), 2000, 7)
    yield "shuttle", x, y, 6


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    out = pathlib.Path(parser.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    for name, x, y, digits in datasets():
        # Values go through float32 first: both libraries train on float32, and the CSV then holds
        # exactly the numbers each side reads.
        frame = pd.DataFrame(np.round(x.to_numpy(np.float32).astype(np.float64), digits), columns=list(x.columns))
        frame["label"] = y
        frame.to_csv(out / f"{name}.csv", index=False, float_format="%.6g")
        print(f"{name}: {len(frame)} rows, {x.shape[1]} features, {int(y.sum())} anomalies")


if __name__ == "__main__":
    main()
