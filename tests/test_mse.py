"""Multiple systems estimation: published tables, the interval's definition, warnings, and coverage by simulation."""
from __future__ import annotations

import math

import numpy as np
import pytest
from _mse_simulation import ALPHAS, sample_lists

from tawthiq.stats import mse
from tawthiq.stats.mse import (
    CONFLICTING_STRATUM,
    UNKNOWN_STRATUM,
    NotEstimable,
    estimate,
    histories_from_memberships,
)


def _table(cells: dict[str, int]) -> dict[tuple[int, ...], int]:
    return {tuple(int(c) for c in history): count for history, count in cells.items()}


# Kosovo, 1999: four lists of killings (EXH exhumations, ABA American Bar Association, OSCE, HRW), n = 4,400;
# Ball et al. (2002), "Killings and refugee flow in Kosovo, March–June 1999", as shipped in the R package LCMCR.
KOSOVO_LISTS = ["EXH", "ABA", "OSCE", "HRW"]
KOSOVO = _table({"0001": 306, "0010": 936, "0011": 123, "0100": 845, "0101": 31, "0110": 217, "0111": 32,
                 "1000": 1131, "1001": 106, "1010": 228, "1011": 42, "1100": 177, "1101": 18, "1110": 181,
                 "1111": 27})
# Madigan and York (1997), "Bayesian methods for estimation of the size of a closed population", Biometrika
# 84:19–31, three-list example (n = 626): the cells as the R package dga gives them in its test
# tests/testthat/test-BMAfunctions.R ("3 list example from M & Y"), Y = c(0, 60, 49, 4, 247, 112, 142, 12)
# as a 2×2×2 array in R's order (first list fastest), so 60 = first list only, 4 = first and second, etc.
MADIGAN_YORK = _table({"100": 60, "010": 49, "110": 4, "001": 247, "101": 112, "011": 142, "111": 12})


def test_kosovo_four_lists_as_published() -> None:
    independence = estimate(KOSOVO, lists=KOSOVO_LISTS, model="independence")
    two_way = estimate(KOSOVO, lists=KOSOVO_LISTS, model="all-two-way")
    assert independence.documented == two_way.documented == 4400
    assert independence.estimate == pytest.approx(7394.6, abs=0.05)
    assert two_way.estimate == pytest.approx(14402.5, abs=0.05)
    assert independence.model == "independence" and two_way.model == "all-two-way"
    assert len(two_way.terms) == 6 and ("EXH", "ABA") in two_way.terms
    for found in (independence, two_way):
        low, high = found.interval
        assert found.documented < low < found.estimate < high < math.inf


def test_madigan_york_three_lists_as_published() -> None:
    found = estimate(MADIGAN_YORK, lists=["A", "B", "C"], model="independence")
    assert found.documented == 626
    assert found.estimate == pytest.approx(763.9, abs=0.05)


def test_the_interval_is_where_the_profile_likelihood_drops_by_half_the_chi_square_quantile() -> None:
    for table, names, model in ((KOSOVO, KOSOVO_LISTS, "all-two-way"), (MADIGAN_YORK, list("ABC"), "independence")):
        found = estimate(table, lists=names, model=model)
        k = len(names)
        cells = mse._observed_cells(k)
        counts = mse._counts(table, k, cells)
        terms = (() if model == "independence" else tuple((i, j) for i in range(k) for j in range(i + 1, k)))
        profile = mse._Profile(cells, counts, terms, found.estimate)
        for end in found.interval:
            assert 2 * (profile.best - profile.loglik(end)) == pytest.approx(3.8415, abs=0.01)
        # the maximum is the profile's highest point: a person either side is lower
        assert profile.loglik(profile.top - 1) < profile.best and profile.loglik(profile.top + 1) < profile.best


def test_the_profile_fit_agrees_with_statsmodels() -> None:
    import statsmodels.api as sm

    cells = mse._observed_cells(4)
    full = np.vstack([np.zeros((1, 4)), cells])
    x = mse._design(full, ((0, 1), (1, 2), (2, 3)))
    counts = mse._counts(KOSOVO, 4, cells)
    for missing in (0.0, 2500.0, 9000.5):
        y = np.concatenate([[missing], counts])
        fitted = mse._newton_poisson(y, x, None)
        assert fitted is not None
        reference = sm.GLM(y, x, family=sm.families.Poisson()).fit()
        assert np.allclose(fitted[0], reference.params, atol=1e-6)
        assert np.allclose(fitted[1], reference.mu, rtol=1e-8)


def test_auto_weighs_every_model_of_two_way_terms_by_aic() -> None:
    found = estimate(KOSOVO, lists=KOSOVO_LISTS, model="auto")
    assert len(found.considered) == 64  # every subset of the six two-way terms
    assert found.criterion == "AIC" and found.model.startswith("auto (AIC): ")
    weights = [f.weight for f in found.considered]
    assert sum(weights) == pytest.approx(1.0)
    best = found.considered[0]
    assert best.weight == max(weights) and best.aic == min(f.aic for f in found.considered if f.aic is not None)
    assert found.estimate == pytest.approx(sum(f.weight * (f.estimate or 0) for f in found.considered))
    # Kosovo's lists depend on each other: independence gets no weight, the estimate is near the two-way one
    assert next(f for f in found.considered if f.name == "independence").weight == 0
    assert 13_000 < found.estimate < 15_500
    low, high = found.interval
    assert low < found.estimate < high


def test_two_lists_estimate_under_independence_with_a_warning() -> None:
    # Lincoln–Petersen: 100 and 80 people, 40 on both: N̂ = 100 · 80 / 40 = 200
    found = estimate({(1, 0): 60, (0, 1): 40, (1, 1): 40}, lists=["A", "B"], model="auto")
    assert found.estimate == pytest.approx(200.0)
    assert found.model == "auto (AIC): independence"
    assert any(w.startswith("only two lists") for w in found.warnings)
    with pytest.raises(NotEstimable):
        estimate({(1, 0): 60, (0, 1): 40, (1, 1): 40}, lists=["A", "B"], model="all-two-way")
    with pytest.raises(NotEstimable):
        estimate({(1,): 60}, lists=["A"])


def test_sparse_cells_are_warned_about() -> None:
    sparse = dict(MADIGAN_YORK)
    sparse[(1, 1, 0)], sparse[(1, 1, 1)] = 1, 2  # only three people on both A and B
    found = estimate(sparse, lists=["A", "B", "C"], model="all-two-way")
    assert any(w.startswith("sparse: the A*B interaction rests on a cell of 3 people") for w in found.warnings)
    assert not any("sparse" in w for w in estimate(KOSOVO, lists=KOSOVO_LISTS, model="all-two-way").warnings)
    found = estimate(sparse, lists=["A", "B", "C"], model="independence")
    assert "sparse: only 3 people on both A and B" in found.warnings


def test_a_list_that_overlaps_no_other_is_warned_about() -> None:
    table = {(1, 0, 0): 50, (0, 1, 0): 40, (0, 0, 1): 30, (0, 1, 1): 10}
    found = estimate(table, lists=["A", "B", "C"], model="auto")
    assert any(w.startswith("list A shares no one with the other lists") for w in found.warnings)
    # the models with an A*B or A*C term have no maximum likelihood estimate and are left out, saying why
    assert any(w.startswith("7 of 8 models gave no usable estimate") for w in found.warnings), found.warnings
    assert [f.name for f in found.considered if f.rejected is None] == ["independence"]
    with pytest.raises(NotEstimable, match="no one is on both A and B"):
        estimate(table, lists=["A", "B", "C"], model="all-two-way")


def test_no_finite_estimate_is_not_estimable() -> None:
    # three lists that share no one: every model's estimate is unbounded
    table = {(1, 0, 0): 50, (0, 1, 0): 40, (0, 0, 1): 30}
    with pytest.raises(NotEstimable, match="predicts over 50 undocumented people"):
        estimate(table, lists=["A", "B", "C"], model="auto")


def test_close_models_that_disagree_are_warned_about() -> None:
    # small lists (a simulated population of 400): several models fit about as well, their estimates differ
    table = {(0, 0, 1): 68, (0, 1, 0): 37, (0, 1, 1): 17, (1, 0, 0): 42, (1, 0, 1): 17, (1, 1, 0): 19, (1, 1, 1): 16}
    found = estimate(table, lists=["A", "B", "C"], model="auto")
    unstable = [w for w in found.warnings if w.startswith("unstable")]
    assert unstable, found.warnings
    close = [f.estimate for f in found.considered if f.aic is not None and f.aic - found.considered[0].aic <= 2]
    assert max(close) > 1.2 * min(close)
    assert not any(w.startswith("unstable") for w in estimate(KOSOVO, lists=KOSOVO_LISTS).warnings)


def test_lists_that_barely_overlap_leave_the_interval_unbounded_above() -> None:
    table = {(1, 0, 0): 50, (0, 1, 0): 40, (0, 0, 1): 30, (1, 1, 0): 1, (1, 0, 1): 1, (0, 1, 1): 1}
    found = estimate(table, lists=["A", "B", "C"], model="independence")
    assert found.documented < found.interval[0] < found.estimate and found.interval[1] == math.inf
    assert any(w.startswith("the likelihood sets no upper bound") for w in found.warnings)
    assert "sparse: only 1 person on both A and B" in found.warnings


def test_more_than_five_lists_are_searched_stepwise() -> None:
    rng = np.random.default_rng(3)
    table = sample_lists(rng, size=3000, alphas=(-1.2, -1.5, -1.0, -1.4, -1.3, -1.1), dependence=1.0, sigma=0.0)
    found = estimate(table, lists=[f"L{i}" for i in range(6)], model="auto")
    # 15 pairs: 32,768 models exhaustively; forward selection fits a path of them
    assert 15 < len(found.considered) < 200
    assert ("L0", "L1") in found.terms  # the dependence it was given is found
    assert found.interval[0] <= 3000 <= found.interval[1]


def test_malformed_tables_are_refused() -> None:
    with pytest.raises(ValueError, match="all-zero"):
        estimate({(0, 0, 0): 5, (1, 0, 0): 1}, lists=["A", "B", "C"])
    with pytest.raises(ValueError, match="not 3 values"):
        estimate({(1, 0): 5}, lists=["A", "B", "C"])
    with pytest.raises(ValueError, match="whole numbers"):
        estimate({(1, 0, 0): -1}, lists=["A", "B", "C"])
    with pytest.raises(ValueError, match="model must be"):
        estimate(MADIGAN_YORK, lists=["A", "B", "C"], model="saturated")
    with pytest.raises(NotEstimable, match="no one"):
        estimate({}, lists=["A", "B", "C"])


# --- from linked records ---------------------------------------------------------------------------------------

def test_histories_from_memberships_count_each_person_once() -> None:
    memberships = [
        (1, "A", None), (1, "B", None), (1, "B", None),  # on A and B (two records on B: still one person)
        (2, "A", None), (3, "C", None), (4, "A", None), (4, "C", None),
        (5, "D", None),  # only on a list not asked for: not documented by these lists
    ]
    assert histories_from_memberships(memberships, ["A", "B", "C"]) == {
        None: {(1, 1, 0): 1, (1, 0, 0): 1, (0, 0, 1): 1, (1, 0, 1): 1}}


def test_a_person_is_placed_in_the_stratum_most_of_their_records_give() -> None:
    memberships = [
        (1, "A", "Homs"), (1, "B", "Homs"), (1, "C", "Hama"),  # two to one: Homs
        (2, "A", "Idlib"), (2, "B", "Aleppo"),  # a tie: in plain sight, not by a coin toss
        (3, "A", None), (3, "C", None),  # no stratum in any record
        (4, "B", "Homs"), (4, "C", None),  # one record says, the other is silent: Homs
    ]
    assert histories_from_memberships(memberships, ["A", "B", "C"]) == {
        "Homs": {(1, 1, 1): 1, (0, 1, 1): 1},
        CONFLICTING_STRATUM: {(1, 1, 0): 1},
        UNKNOWN_STRATUM: {(1, 0, 1): 1},
    }


# --- coverage on populations of known size ------------------------------------------------------------------------

RUNS = 200
SIZE = 2000


def test_the_interval_covers_the_truth_in_the_large_majority_of_simulated_runs() -> None:
    """200 populations of 2,000 people on 3 lists (140 runs) or 4 lists (60 runs), the first two lists positively
    dependent (being on the first multiplies the odds of being on the second by e ≈ 2.7) and capture
    heterogeneous (log-odds vary between people with standard deviation 0.5, the same on every list).

    Independence, which ignores both, almost never covers (it is far too low). ``auto``, averaging the models
    of two-way terms by AIC weight, covers in most runs but short of 95%: heterogeneity is not a two-way
    interaction, and the models that leave part of it out still get weight, so the estimate is biased low —
    the known weakness of log-linear MSE, measured here and in docs/figures.md (3 lists about 88%, 4 lists
    about 73%; all-two-way 92–96%) rather than hidden. The bound, 75%, is below those figures by about twice
    the sampling error of a 200-run rate; the seed is fixed, so the printed figure is reproducible.
    """
    rng = np.random.default_rng(20021999)
    covered = {"auto": 0, "independence": 0}
    below = 0
    for run in range(RUNS):
        k = 3 if run < 140 else 4
        table = sample_lists(rng, size=SIZE, alphas=ALPHAS[:k], dependence=1.0, sigma=0.5)
        names = [f"L{i}" for i in range(k)]
        for model in covered:
            low, high = estimate(table, lists=names, model=model).interval
            covered[model] += low <= SIZE <= high
            below += model == "auto" and high < SIZE
    rate = covered["auto"] / RUNS
    print(f"\nMSE coverage of the 95% interval over {RUNS} runs (dependent pair, heterogeneity σ = 0.5): "
          f"auto {rate:.1%} ({below} runs entirely below the truth), independence {covered['independence'] / RUNS:.1%}")
    assert rate >= 0.75
    assert covered["independence"] / RUNS <= 0.10  # the simulation does what it says: dependence that matters
