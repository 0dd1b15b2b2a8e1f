"""How often the 95% interval of `tawthiq estimate` covers the true population size, by simulation.

    PYTHONPATH=src python benchmarks/mse_coverage.py [--runs 200] [--size 2000] [--seed 11]

For each scenario (3 or 4 lists; heterogeneity σ = 0, 0.5, 1; the first two
lists positively dependent, log odds ratio 1) it samples ``--runs``
populations of ``--size`` people into lists (tests/_mse_simulation.py),
estimates with each model and prints, per model, the share of intervals that
cover the truth, the median estimate and the median interval width.
"""
from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from _mse_simulation import ALPHAS, sample_lists  # noqa: E402

from tawthiq.stats.mse import MODELS, NotEstimable, estimate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--dependence", type=float, default=1.0)
    args = parser.parse_args()
    print(f"{date.today()} {platform.node()} {platform.processor() or platform.machine()} "
          f"python {platform.python_version()}; runs={args.runs} size={args.size} seed={args.seed} "
          f"dependence={args.dependence}")
    print("lists sigma model          coverage  median N̂  median width  not estimable  seconds")
    for k in (3, 4):
        for sigma in (0.0, 0.5, 1.0):
            rng = np.random.default_rng([args.seed, k, int(sigma * 10)])
            tables = [sample_lists(rng, size=args.size, alphas=ALPHAS[:k], dependence=args.dependence, sigma=sigma)
                      for _ in range(args.runs)]
            for model in MODELS:
                started = time.perf_counter()
                covered, points, widths, failed = 0, [], [], 0
                for table in tables:
                    try:
                        found = estimate(table, lists=[f"L{i}" for i in range(k)], model=model)
                    except NotEstimable:
                        failed += 1
                        continue
                    low, high = found.interval
                    covered += low <= args.size <= high
                    points.append(found.estimate)
                    widths.append(high - low)
                done = len(points)
                print(f"{k:5} {sigma:5.1f} {model:14} {covered / max(done, 1):8.2f} {statistics.median(points):10.0f} "
                      f"{statistics.median(widths):13.0f} {failed:14} {time.perf_counter() - started:8.1f}",
                      flush=True)


if __name__ == "__main__":
    main()
