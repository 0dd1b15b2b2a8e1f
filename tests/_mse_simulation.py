"""Populations of known size sampled into lists, for checking multiple systems estimation.

Each of ``size`` people is on list j with probability logistic(alpha_j + θ_i
[+ dependence, for the second list, if on the first]): θ_i ~ Normal(0, σ) is
the person's own visibility, the same for every list (σ = 0: everyone alike;
σ = 0.5: moderate heterogeneity — the odds of being documented differ by a
factor of about 2.7 between people one standard deviation either side; σ = 1:
strong); ``dependence`` raises the log-odds of being on the second list for
people on the first (a group that refers its cases to another, or two lists
drawing on the same informants), so the first two lists are positively
dependent. Used by tests/test_mse.py and benchmarks/mse_coverage.py.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# Base capture log-odds of four lists: probabilities of about 0.23, 0.18, 0.27 and 0.20.
ALPHAS = (-1.2, -1.5, -1.0, -1.4)


def sample_lists(rng: np.random.Generator, *, size: int, alphas: Sequence[float] = ALPHAS, dependence: float = 1.0,
                 sigma: float = 0.5) -> dict[tuple[int, ...], int]:
    """The counts of the capture histories of the people documented at least once."""
    theta = rng.normal(0.0, sigma, size) if sigma > 0 else np.zeros(size)
    caught = np.zeros((size, len(alphas)), dtype=int)
    for j, alpha in enumerate(alphas):
        logit = alpha + theta + (dependence * caught[:, 0] if j == 1 else 0.0)
        caught[:, j] = rng.random(size) < 1.0 / (1.0 + np.exp(-logit))
    seen = caught[caught.any(axis=1)]
    histories, counts = np.unique(seen, axis=0, return_counts=True)
    return {tuple(int(v) for v in h): int(c) for h, c in zip(histories, counts, strict=True)}
