#!/usr/bin/env python3
"""Generate libs/ml/fixtures/stats/scipy-fixtures.json: reference values from SciPy / scikit-learn
that the jest specs of libs/ml (drift, metrics) compare against without needing Python.

Large samples are not stored; they are described by a generator spec that the TypeScript spec
re-creates bit for bit (32-bit LCG, Irwin-Hall normals, values rounded to 1e-3 with
floor(x*1000+0.5)/1000 — arithmetic only, no libm, so both languages produce identical doubles).
Each generated sample carries its sum and first values as a check.

Run: tools/checks/scipy/make_fixtures.sh (creates the shared venv if needed).
"""
import json
import math
import os
import sys

import numpy as np
import scipy
import sklearn
from scipy import stats
from scipy.spatial import distance
from sklearn.metrics import average_precision_score, roc_auc_score, roc_curve

OUT = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'libs', 'ml', 'fixtures', 'stats', 'scipy-fixtures.json')


def lcg(seed):
    s = seed & 0xFFFFFFFF
    while True:
        s = (s * 1664525 + 1013904223) & 0xFFFFFFFF
        yield s / 4294967296.0


def generate(spec):
    """Mirror of generateFixtureSample in libs/ml/fixtures/stats/fixture-sample.ts."""
    rnd = lcg(spec['seed'])
    out = []
    for _ in range(spec['n']):
        kind = spec['kind']
        if kind == 'normal':
            acc = 0.0
            for _ in range(12):
                acc += next(rnd)
            x = spec['loc'] + spec['scale'] * (acc - 6.0)
        elif kind == 'uniform':
            x = spec['loc'] + spec['scale'] * next(rnd)
        elif kind == 'skewed':
            u = next(rnd)
            x = spec['loc'] + spec['scale'] * (u * u * u)
        elif kind == 'int':
            x = float(math.floor(next(rnd) * spec['scale'])) + spec['loc']
        else:
            raise ValueError(kind)
        out.append(math.floor(x * 1000.0 + 0.5) / 1000.0)
    return out


def sample(spec, explicit):
    values = generate(spec)
    entry = {'gen': spec, 'check': {'sum': math.fsum(values), 'head': values[:3]}} if not explicit else {'values': values}
    return values, entry


def g(seed, n, kind='normal', loc=0.0, scale=1.0):
    return {'seed': seed, 'n': n, 'kind': kind, 'loc': loc, 'scale': scale}


# (name, spec x, spec y); samples up to 300 values are stored explicitly.
PAIRS = [
    ('tiny 5 vs 7, shifted normal', g(1, 5), g(2, 7, loc=1.0)),
    ('equal sizes 8 vs 8', g(3, 8), g(4, 8, loc=0.5)),
    ('ties: small integers 10 vs 15', g(5, 10, 'int', 0, 5), g(6, 15, 'int', 1, 5)),
    ('same distribution 20 vs 20', g(7, 20), g(8, 20)),
    ('shift 30 vs 45', g(9, 30), g(10, 45, loc=0.8)),
    ('ties 100 vs 80', g(11, 100, 'int', 0, 8), g(12, 80, 'int', 0, 9)),
    ('single value vs 3', g(13, 1), g(14, 3)),
    ('skewed vs scaled skewed 300 vs 200', g(15, 300, 'skewed', 0, 10), g(16, 200, 'skewed', 0, 12)),
    ('uniform vs normal 250 vs 250', g(17, 250, 'uniform', -1.7, 3.4), g(18, 250)),
    ('1000 vs 1000 small shift', g(19, 1000), g(20, 1000, loc=0.1)),
    ('baseline 5000 vs batch 1000 small shift', g(21, 5000), g(22, 1000, loc=0.05)),
    ('baseline 5000 vs batch 1000 same', g(23, 5000, 'skewed', 0, 100), g(24, 1000, 'skewed', 0, 100)),
    ('10000 vs 7 (exact, edge of auto)', g(25, 10000), g(26, 7, loc=0.3)),
    ('ties 6000 vs 900 integer counters', g(27, 6000, 'int', 0, 21), g(28, 900, 'int', 0, 20)),
    ('asymp 12000 vs 800', g(29, 12000), g(30, 800, loc=0.08)),
    ('asymp 15000 vs 11000', g(31, 15000), g(32, 11000, scale=1.03)),
    ('asymp 20000 vs 60 (small effective n)', g(33, 20000), g(34, 60, loc=0.2)),
    ('asymp 11000 vs 3000 same', g(35, 11000, 'uniform', 0, 1), g(36, 3000, 'uniform', 0, 1)),
    ('asymp 10500 vs 10500 equal sizes', g(37, 10500), g(38, 10500, loc=0.02)),
]


def numeric_cases():
    cases = []
    for name, sx, sy in PAIRS:
        x, ex = sample(sx, sx['n'] <= 300)
        y, ey = sample(sy, sy['n'] <= 300)
        ks = stats.ks_2samp(x, y)  # default method='auto', alternative='two-sided'
        n1, n2 = len(x), len(y)
        method = 'exact' if max(n1, n2) <= 10000 else 'asymp'
        edges = np.unique(np.quantile(np.array(x), np.arange(1, 10) / 10))
        cases.append({
            'name': name, 'x': ex, 'y': ey,
            'ks': {'statistic': float(ks.statistic), 'pvalue': float(ks.pvalue), 'method': method},
            'wasserstein': float(stats.wasserstein_distance(x, y)),
            'psi': psi_reference(np.array(x), np.array(y)),
        })
    return cases


def psi_reference(x, y, bins=10, eps=1e-4):
    """Independent PSI (quantile bins, numpy 'linear' quantiles, [e_i, e_{i+1}) bins)."""
    edges = []
    for q in np.quantile(x, np.arange(1, bins) / bins):
        if not edges or q > edges[-1]:
            edges.append(float(q))
    def shares(v):
        idx = np.searchsorted(np.array(edges), v, side='right')
        return np.bincount(idx, minlength=len(edges) + 1) / len(v)
    e = np.maximum(shares(x), eps)
    a = np.maximum(shares(y), eps)
    return float(np.sum((a - e) * np.log(a / e)))


CATEGORICAL = [
    ('three categories, mild change', {'tcp': 500, 'udp': 300, 'icmp': 200}, {'tcp': 480, 'udp': 330, 'icmp': 190}),
    ('two categories (Yates correction)', {'S0': 70, 'SF': 30}, {'S0': 50, 'SF': 50}),
    ('two categories, tiny difference below 0.5', {'a': 100, 'b': 100}, {'a': 100, 'b': 101}),
    ('new category takes 10%', {'http': 600, 'dns': 300, 'ssh': 100}, {'http': 540, 'dns': 270, 'ssh': 90, 'smb': 100}),
    ('category vanished', {'x': 40, 'y': 40, 'z': 20}, {'x': 55, 'y': 45}),
    ('many categories', {str(i): 10 + 3 * i for i in range(25)}, {str(i): 12 + 2 * i + (i % 4) for i in range(25)}),
]


def categorical_cases():
    cases = []
    for name, ref, cur in CATEGORICAL:
        keys = sorted(set(ref) | set(cur))
        keys = [k for k in keys if ref.get(k, 0) + cur.get(k, 0) > 0]
        table = np.array([[ref.get(k, 0) for k in keys], [cur.get(k, 0) for k in keys]])
        c = stats.chi2_contingency(table)  # defaults: correction=True (applies when dof == 1)
        p = np.array([ref.get(k, 0) for k in keys], float)
        q = np.array([cur.get(k, 0) for k in keys], float)
        case = {
            'name': name, 'reference': ref, 'batch': cur,
            'contingency': {'statistic': float(c.statistic), 'pvalue': float(c.pvalue), 'dof': int(c.dof)},
            'jensenshannon': float(distance.jensenshannon(p, q)),
        }
        if all(ref.get(k, 0) > 0 for k in keys):
            f_exp = p / p.sum() * q.sum()
            gof = stats.chisquare(q, f_exp)
            case['goodness_of_fit'] = {'statistic': float(gof.statistic), 'pvalue': float(gof.pvalue)}
        cases.append(case)
    return cases


def chi2_sf_cases():
    out = []
    for x, dof in [(0.5, 1), (3.84, 1), (10.0, 3), (25.0, 10), (1.0, 24), (150.0, 100), (0.001, 2), (80.0, 9)]:
        out.append({'x': x, 'dof': dof, 'sf': float(stats.chi2.sf(x, dof))})
    return out


def metric_cases():
    rng = np.random.default_rng(2024)
    cases = []
    specs = [
        ('separable-ish, continuous scores', 200, 0.1, None),
        ('heavy ties (scores rounded to 0.1)', 300, 0.2, 1),
        ('rare positives (1%) with ties', 1000, 0.01, 2),
        ('all scores tied', 50, 0.3, 'const'),
    ]
    for name, n, rate, rounding in specs:
        labels = (rng.random(n) < rate).astype(int)
        labels[0] = 1
        labels[1] = 0
        scores = rng.normal(size=n) + 1.2 * labels
        if rounding == 'const':
            scores = np.full(n, 0.5)
        elif rounding is not None:
            scores = np.round(scores, rounding)
        fpr, tpr, _ = roc_curve(labels, scores, drop_intermediate=False)
        recall_at = {}
        for target in (0.01, 0.05, 0.1):
            ok = fpr <= target
            recall_at[str(target)] = float(tpr[ok].max()) if ok.any() else 0.0
        cases.append({
            'name': name, 'labels': labels.tolist(), 'scores': [float(s) for s in scores],
            'roc_auc': float(roc_auc_score(labels, scores)),
            'average_precision': float(average_precision_score(labels, scores)),
            'recall_at_fpr': recall_at,
        })
    return cases


def main():
    fixtures = {
        'generated_by': 'tools/checks/scipy/make_fixtures.py',
        'versions': {'python': sys.version.split()[0], 'numpy': np.__version__, 'scipy': scipy.__version__, 'sklearn': sklearn.__version__},
        'numeric': numeric_cases(),
        'categorical': categorical_cases(),
        'chi2_sf': chi2_sf_cases(),
        'metrics': metric_cases(),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump(fixtures, f, separators=(',', ':'))
        f.write('\n')
    print(f'wrote {os.path.normpath(OUT)} ({os.path.getsize(OUT)} bytes)')


if __name__ == '__main__':
    main()
