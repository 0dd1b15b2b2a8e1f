"""Multiple systems estimation (capture–recapture) over three or more linked lists.

Each list (or each source organisation) is one *system*. A person found on
lists A and C but not B has the capture history ``(1, 0, 1)``; the counts of
all histories but the all-zero one are known, and the all-zero cell — the
people no list documented — is what is estimated.

Method (as in HRDAG's published work, e.g. Ball et al. 2002 on Kosovo, and
Bishop, Fienberg and Holland 1975, ch. 6): a Poisson log-linear model is fitted
to the 2^k − 1 observed cells with an intercept, one main effect per list and
a chosen set of two-way interaction terms (list i × list j: the two lists
tend to document the same people, or different ones). The model extends to
the unobserved cell, whose prediction is ``exp(intercept)``; the estimated
total is ``N̂ = n + exp(intercept)``. Only two-way terms are fitted:
the term for all k lists together cannot be (it alone decides the missing
cell, which the data then say nothing about), and those for three of four or
more lists need far more people than human-rights lists usually share.

``auto`` fits every model made of a subset of the two-way terms (all are
hierarchical, since every main effect is in) — 2^(k(k−1)/2) models, so
exhaustively up to five lists (1,024 models) and by forward stepwise search
beyond — leaves out those whose estimate does not exist or is absurd, and
averages the rest by Akaike weight, exp(−ΔAIC/2) (Buckland, Burnham and
Augustin 1997; HRDAG's dga averages decomposable models in the same spirit,
with Bayesian weights). Averaging rather than keeping the best model, because
models that fit almost equally well can disagree on the unseen cell, and an
interval from one of them alone would ignore that. AIC rather than BIC
because the aim is to *predict* one cell outside the data, not to name the
true model: BIC's log(n) penalty grows with the number of people documented
(log 4,400 ≈ 8.4 per term against AIC's 2), so on large lists it drops weak
list dependences whose omission biases exactly that prediction (a positive
dependence left out makes N̂ too small).

The 95% interval is the profile likelihood interval for N (Cormack 1992,
Biometrics 48:567–576, as in the R package Rcapture): for a candidate N the
unobserved cell is set to N − n, the model is fitted to the complete table,
and the multinomial log-likelihood of the table is maximised over the model's
parameters; the interval is every N whose profile log-likelihood is within
χ²₁(0.95)/2 = 1.92 of the maximum. It is asymmetric, as the uncertainty about
the unseen is, and never goes below n. For ``auto`` it is the model-averaged
tail area interval of Fletcher and Turek (2012, JABES 17:38–51): each end is
where the weighted average of the models' profile tail areas, Φ(signed root
of the likelihood ratio), reaches 2.5% and 97.5%. The simulation in
tests/test_mse.py measures its coverage; docs/figures.md has the figures.

Assumptions, which no model checks: the population is closed (the same people
could have been on every list), records are linked without error (a missed
link adds a false person seen once, a false link removes one), and within a
stratum capture probabilities are alike across people. Heterogeneity that is
the same across lists shows up as positive dependence between all lists, which
the two-way terms absorb only in part: log-linear estimates are then biased low.
"""
from __future__ import annotations

import itertools
import math
import warnings
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

__all__ = [
    "CONFLICTING_STRATUM", "CRITERION", "MAX_LISTS", "MODELS", "UNKNOWN_STRATUM", "Estimate", "History", "ModelFit",
    "NotEstimable", "estimate", "histories_from_memberships",
]

History = tuple[int, ...]
MODELS = ("auto", "independence", "all-two-way")
CRITERION = "AIC"
MAX_LISTS = 10  # 1,023 observed cells; more lists than this are sparse beyond any model's reach
EXHAUSTIVE_PAIRS = 10  # up to 5 lists every subset of two-way terms is fitted (2^10 = 1,024 models)
# A model predicting more than this many people for each one documented extrapolates from nothing (an
# interaction resting on a handful of people, a list that barely overlaps): it is not a candidate.
ABSURD_RATIO = 50.0
CHI2_95 = 3.841458820694124  # χ²₁ quantile 0.95: the profile interval's cut-off is half of it below the maximum
SPARSE = 5  # fewer people than this in a cell of a two-way margin: the term rests on too little
CLOSE_AIC = 2.0  # models this close in AIC are about as well supported as the best one
UNSTABLE = 0.20  # ... and when the largest of their estimates exceeds the smallest by more than this, it matters
MIN_WEIGHT = 0.01  # in ``auto``, models with a smaller Akaike weight are left out of the average
PROFILE = "profile likelihood (Cormack 1992)"
# Strata for a cluster whose records give no stratum, or give two equally often (see histories_from_memberships).
UNKNOWN_STRATUM = "(unknown)"
CONFLICTING_STRATUM = "(records disagree)"


class NotEstimable(ValueError):
    """No model gives an estimate: too few lists, no one documented, or every model's estimate is infinite."""


@dataclass(frozen=True, slots=True)
class ModelFit:
    """One log-linear model tried: its two-way terms, AIC and estimate, or why it was not a candidate."""

    name: str
    terms: tuple[tuple[int, int], ...]  # pairs of list positions
    estimate: float | None  # N̂; None when rejected before or during fitting
    aic: float | None
    rejected: str | None = None  # why it cannot be used; None for a candidate
    weight: float = 0.0  # its share of the estimate (1 for the one model asked for; Akaike weight in ``auto``)


@dataclass(frozen=True, slots=True)
class Estimate:
    """The estimated total of a population from ``documented`` people found on ``lists``.

    ``interval`` is the 95% interval (its upper end is ``math.inf`` when the
    likelihood does not bound it), computed as ``interval_method`` says;
    ``model`` names the model (with ``auto``, the averaged models and the best
    one); ``terms`` are the best model's two-way terms by list name;
    ``considered`` holds every model fitted, candidates by AIC first.
    """

    documented: int
    estimate: float
    interval: tuple[float, float]
    model: str
    warnings: list[str]
    lists: list[str]
    terms: tuple[tuple[str, str], ...]
    interval_method: str
    criterion: str | None = None  # "AIC" when the models were weighed by ``auto``
    considered: tuple[ModelFit, ...] = ()

    @property
    def undocumented(self) -> float:
        return self.estimate - self.documented


def estimate(table: Mapping[History, int], *, lists: Sequence[str], model: str = "auto") -> Estimate:
    """N̂ and its interval from the counts of capture histories over ``lists``.

    ``table`` maps each history (one 0/1 per list, in the order of ``lists``)
    to the number of people with it; histories not given count zero, the
    all-zero history must not be given (nobody can be seen on no list).
    ``model`` is ``independence``, ``all-two-way`` or ``auto``. Raises
    ``ValueError`` for a malformed table and :class:`NotEstimable` when no
    model gives a finite estimate.
    """
    if model not in MODELS:
        raise ValueError(f"model must be one of {', '.join(MODELS)}, not {model!r}")
    names = [str(name) for name in lists]
    k = len(names)
    if k < 2:
        raise NotEstimable(f"{k} list(s): estimation needs at least two, and three to check list dependence")
    if k > MAX_LISTS:
        raise ValueError(f"{k} lists: at most {MAX_LISTS} can be estimated together")
    if len(set(names)) != k:
        raise ValueError("two lists have the same name")
    if k == 2 and model == "all-two-way":
        raise NotEstimable("with two lists their interaction leaves the unobserved cell unknown: use independence")
    cells = _observed_cells(k)
    counts = _counts(table, k, cells)
    n = int(counts.sum())
    if n == 0:
        raise NotEstimable("no one is documented on these lists")
    found: list[str] = []
    empty = [i for i in range(k) if counts[cells[:, i] == 1].sum() == 0]
    if empty:  # its main effect would be −∞: the estimate is over the lists that document someone
        found += [f"list {names[i]} documents no one here and is left out" for i in empty]
        kept = [i for i in range(k) if i not in empty]
        table = {tuple(int(row[i]) for i in kept): int(c) for row, c in zip(cells, counts, strict=True) if c}
        smaller = estimate(table, lists=[names[i] for i in kept], model=model)
        return replace(smaller, warnings=[*found, *smaller.warnings])

    if k == 2:
        found.append("only two lists: their dependence cannot be estimated, so independence is assumed "
                     "(two lists that document the same people make the estimate too low)")
    found += _no_overlap(cells, counts, names)
    pairs = list(itertools.combinations(range(k), 2))
    if model == "independence" or k == 2:
        fits = [_fit_model(cells, counts, (), names)]
    elif model == "all-two-way":
        fits = [_fit_model(cells, counts, tuple(pairs), names)]
    elif len(pairs) <= EXHAUSTIVE_PAIRS:
        fits = [_fit_model(cells, counts, terms, names)
                for size in range(len(pairs) + 1) for terms in itertools.combinations(pairs, size)]
    else:
        fits = _stepwise(cells, counts, pairs, names)
    candidates = sorted((f for f in fits if f.rejected is None), key=lambda f: f.aic or 0.0)
    rejected = [f for f in fits if f.rejected is not None]
    if not candidates:
        raise NotEstimable("; ".join(dict.fromkeys(f"{f.name}: {f.rejected}" for f in rejected)))
    if model == "auto" and len(rejected) > 0:
        found.append(f"{len(rejected)} of {len(fits)} models gave no usable estimate and were left out "
                     f"(e.g. {rejected[0].name}: {rejected[0].rejected})")

    candidates = _weigh(candidates) if model == "auto" else [replace(candidates[0], weight=1.0)]
    used = [f for f in candidates if f.weight > 0]
    profiles = [(f.weight, _Profile(cells, counts, f.terms, f.estimate or n)) for f in used]
    point = sum(f.weight * (f.estimate or 0.0) for f in used)
    low, high = _limits(lambda t: sum(w * _normal_cdf(p.signed_root(t)) for w, p in profiles), float(n), point,
                        (ABSURD_RATIO + 1) * n)
    if any(p.failed for _, p in profiles):
        found.append("the profile likelihood fit did not converge at every point: the interval is approximate")
    if math.isinf(high):
        found.append(f"the likelihood sets no upper bound below {ABSURD_RATIO:g} times the documented count: "
                     "the lists overlap too little to say how many they all missed")
    found += _sparse_terms(cells, counts, sorted({t for f in used for t in f.terms}), names)
    best = candidates[0]
    if model == "auto":
        close = [f.estimate for f in candidates if (f.aic or 0.0) - (best.aic or 0.0) <= CLOSE_AIC and f.estimate]
        if len(close) > 1 and max(close) > (1 + UNSTABLE) * min(close):
            found.append(f"unstable: the {len(close)} models within {CLOSE_AIC:g} AIC of the best give "
                         f"{min(close):,.0f} to {max(close):,.0f}; which lists depend on which is unclear, so the "
                         "estimate depends on a modelling choice the data cannot make")
        label = (f"auto ({CRITERION}): {best.name}" if len(used) == 1 else
                 f"auto ({CRITERION}): average of {len(used)} models, best {best.name} (weight {best.weight:.2f})")
        method = ("model-averaged profile likelihood (Fletcher and Turek 2012) over Akaike weights"
                  if len(used) > 1 else PROFILE)
    else:
        label, method = best.name, PROFILE
    return Estimate(documented=n, estimate=point, interval=(low, high), model=label, warnings=found, lists=names,
                    terms=tuple((names[i], names[j]) for i, j in best.terms), interval_method=method,
                    criterion=CRITERION if model == "auto" else None, considered=(*candidates, *rejected))


def _weigh(candidates: list[ModelFit]) -> list[ModelFit]:
    """Akaike weights exp(−ΔAIC/2), normalised; models under MIN_WEIGHT get none and the rest share their part."""
    best = candidates[0].aic or 0.0
    raw = [math.exp(-((f.aic or 0.0) - best) / 2) for f in candidates]
    total = sum(raw)
    kept = [w / total if w / total >= MIN_WEIGHT else 0.0 for w in raw]
    share = sum(kept)
    return [replace(f, weight=w / share) for f, w in zip(candidates, kept, strict=True)]


def histories_from_memberships(memberships: Iterable[tuple[Hashable, str, str | None]], lists: Sequence[str],
                               ) -> dict[str | None, dict[History, int]]:
    """Counts of capture histories from linked records, per stratum.

    ``memberships`` gives, for each record, the cluster (person) it was linked
    to, the list it is on, and its stratum (governorate, perpetrator, year…)
    or None. Records on lists not in ``lists`` are ignored, and so is a
    person on none of them. Without any stratum the answer is ``{None: table}``.

    A person is counted once, in one stratum, whatever their records say: the
    stratum most of their records give (records giving none are not counted);
    a person whose records give no stratum goes to :data:`UNKNOWN_STRATUM`,
    and one whose records give two or more strata equally often to
    :data:`CONFLICTING_STRATUM` — never by a coin toss, and in plain sight, so
    that a linkage or coding problem shows as a stratum of its own instead of
    moving people silently. (Placing a person in every stratum their records
    name would count them twice in a total; dropping them would hide them.)
    """
    position = {str(name): i for i, name in enumerate(lists)}
    if len(position) != len(lists):
        raise ValueError("two lists have the same name")
    on: dict[Hashable, set[int]] = {}
    said: dict[Hashable, Counter[str]] = {}
    stratified = False
    for cluster, list_name, stratum in memberships:
        where = position.get(str(list_name))
        if where is None:
            continue
        on.setdefault(cluster, set()).add(where)
        votes = said.setdefault(cluster, Counter())
        if stratum is not None and str(stratum) != "":
            votes[str(stratum)] += 1
            stratified = True
    tables: dict[str | None, dict[History, int]] = {}
    for cluster, seen in on.items():
        history = tuple(1 if i in seen else 0 for i in range(len(lists)))
        key = _stratum_of(said[cluster]) if stratified else None
        table = tables.setdefault(key, {})
        table[history] = table.get(history, 0) + 1
    return tables


def _stratum_of(votes: Counter[str]) -> str:
    if not votes:
        return UNKNOWN_STRATUM
    ranked = votes.most_common(2)
    if len(ranked) == 2 and ranked[0][1] == ranked[1][1]:
        return CONFLICTING_STRATUM
    return ranked[0][0]


# --- fitting -------------------------------------------------------------------------------------------------

def _observed_cells(k: int) -> np.ndarray:
    """Every history but the all-zero one, as rows of a (2^k − 1) × k 0/1 matrix."""
    return np.array([h for h in itertools.product((0, 1), repeat=k) if any(h)], dtype=float)


def _counts(table: Mapping[History, int], k: int, cells: np.ndarray) -> np.ndarray:
    index = {tuple(int(v) for v in row): i for i, row in enumerate(cells)}
    counts = np.zeros(len(cells))
    for history, count in table.items():
        key = tuple(int(v) for v in history)
        if len(key) != k or any(v not in (0, 1) for v in key):
            raise ValueError(f"history {history!r} is not {k} values of 0 or 1")
        if not any(key):
            if count:
                raise ValueError("the all-zero history is the unknown: it cannot be given a count")
            continue
        if count < 0 or int(count) != count:
            raise ValueError(f"history {history!r} has count {count!r}: counts are whole numbers, 0 or more")
        counts[index[key]] += int(count)
    return counts


def _design(cells: np.ndarray, terms: Sequence[tuple[int, int]]) -> np.ndarray:
    columns = [np.ones(len(cells)), *cells.T, *(cells[:, i] * cells[:, j] for i, j in terms)]
    return np.column_stack(columns)


def _name(terms: Sequence[tuple[int, int]], names: Sequence[str]) -> str:
    k = len(names)
    if not terms:
        return "independence"
    if len(terms) == k * (k - 1) // 2:
        return "all-two-way"
    return "independence + " + " + ".join(f"{names[i]}*{names[j]}" for i, j in terms)


def _glm(y: np.ndarray, x: np.ndarray, start: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, bool]:
    """Poisson GLM (log link) by statsmodels' IRLS: parameters, fitted means, whether it converged."""
    import statsmodels.api as sm

    with warnings.catch_warnings():
        # non-convergence and overflow are read from the result below and reported as such
        warnings.simplefilter("ignore")
        result = sm.GLM(y, x, family=sm.families.Poisson()).fit(start_params=start, maxiter=100)
    params = np.asarray(result.params, dtype=float)
    mu = np.asarray(result.mu, dtype=float)
    return params, mu, bool(getattr(result, "converged", True)) and bool(np.all(np.isfinite(params)))


def _fit_model(cells: np.ndarray, counts: np.ndarray, terms: tuple[tuple[int, int], ...],
               names: Sequence[str]) -> ModelFit:
    name = _name(terms, names)
    for i, j in terms:
        empty = _empty_margin_cell(cells, counts, i, j)
        if empty:  # the MLE does not exist: the interaction goes to ±infinity and so does N̂
            return ModelFit(name, terms, None, None, f"no one is {empty} {names[i]} and {names[j]}")
    x = _design(cells, terms)
    params, mu, converged = _glm(counts, x)
    if not converged:
        return ModelFit(name, terms, None, None, "the fit did not converge")
    with np.errstate(over="ignore"):
        missing = float(np.exp(params[0]))
    n = float(counts.sum())
    if not math.isfinite(missing) or missing > ABSURD_RATIO * n:
        return ModelFit(name, terms, None, None,
                        f"it predicts over {ABSURD_RATIO:g} undocumented people for each one documented")
    positive = counts > 0
    loglik = float(np.sum(counts[positive] * np.log(mu[positive])) - mu.sum()
                   - sum(math.lgamma(c + 1) for c in counts))
    aic = 2 * x.shape[1] - 2 * loglik
    return ModelFit(name, terms, n + missing, aic)


def _stepwise(cells: np.ndarray, counts: np.ndarray, pairs: list[tuple[int, int]],
              names: Sequence[str]) -> list[ModelFit]:
    """Forward selection from independence, adding the two-way term that lowers AIC most, while one does."""
    current = _fit_model(cells, counts, (), names)
    fits = [current]
    while current.rejected is None:
        trials = [_fit_model(cells, counts, tuple(sorted((*current.terms, p))), names)
                  for p in pairs if p not in current.terms]
        fits += trials
        better = [t for t in trials if t.rejected is None and t.aic is not None and t.aic < (current.aic or 0.0)]
        if not better:
            break
        current = min(better, key=lambda t: t.aic or 0.0)
    return fits


def _empty_margin_cell(cells: np.ndarray, counts: np.ndarray, i: int, j: int) -> str | None:
    """Which observed cell of the i × j margin is empty, if one is (the term's MLE then does not exist)."""
    for a, b, words in ((1, 1, "on both"), (1, 0, "on the first but not the second of"),
                        (0, 1, "on the second but not the first of"), (0, 0, "on another list but neither of")):
        if counts[(cells[:, i] == a) & (cells[:, j] == b)].sum() == 0:
            return words
    return None


def _sparse_terms(cells: np.ndarray, counts: np.ndarray, terms: Sequence[tuple[int, int]],
                  names: Sequence[str]) -> list[str]:
    """A warning for each interaction fitted on a margin cell of fewer than SPARSE people."""
    found = []
    for i, j in terms:
        smallest = min(counts[(cells[:, i] == a) & (cells[:, j] == b)].sum() for a in (0, 1) for b in (0, 1))
        if smallest < SPARSE:
            found.append(f"sparse: the {names[i]}*{names[j]} interaction rests on a cell of {_people(smallest)} "
                         f"(fewer than {SPARSE}); it is too sparse to trust")
    if not terms:  # independence leans on each pair's overlap instead
        for i, j in itertools.combinations(range(len(names)), 2):
            both = counts[(cells[:, i] == 1) & (cells[:, j] == 1)].sum()
            if both < SPARSE:
                found.append(f"sparse: only {_people(both)} on both {names[i]} and {names[j]}")
    return found


def _people(count: float) -> str:
    return "1 person" if int(count) == 1 else f"{int(count)} people"


def _no_overlap(cells: np.ndarray, counts: np.ndarray, names: Sequence[str]) -> list[str]:
    found = []
    for i, name in enumerate(names):
        on = cells[:, i] == 1
        if counts[on & (cells.sum(axis=1) > 1)].sum() == 0:
            found.append(f"list {name} shares no one with the other lists: it documents other people (another "
                         "place, time or kind of victim?), whom these models do not describe")
    return found


# --- the interval -------------------------------------------------------------------------------------------

class _Profile:
    """The profile log-likelihood of N under one model (Cormack 1992), with its maximum.

    For a total N the unobserved cell is set to N − n and the model is fitted
    to the complete table by Poisson IRLS; since the model has an intercept the
    fitted means sum to N, and the multinomial log-likelihood of the table with
    cell probabilities mu / N (up to a constant in N) is returned.
    """

    def __init__(self, cells: np.ndarray, counts: np.ndarray, terms: Sequence[tuple[int, int]], point: float) -> None:
        from scipy.optimize import minimize_scalar  # statsmodels' own dependency

        self.n = float(counts.sum())
        self.cap = (ABSURD_RATIO + 1) * self.n
        self.counts = counts
        self.x = _design(np.vstack([np.zeros((1, cells.shape[1])), cells]), terms)
        self.start: np.ndarray | None = None
        self.failed = False
        # The unconditional maximum lies at or a little below the conditional N̂ (Sanathanan 1972): close
        # on large lists, tens of people below on small sparse ones.
        bounds = (self.n, min(self.cap, point + 5))
        top = minimize_scalar(lambda t: -self.loglik(t), bounds=bounds, method="bounded", options={"xatol": 0.1})
        finite = math.isfinite(float(top.fun))
        self.top = float(top.x) if finite else point
        self.best = -float(top.fun) if finite else self.loglik(point)

    def loglik(self, total: float) -> float:
        n0 = max(total - self.n, 0.0)
        y = np.concatenate([[n0], self.counts])
        fitted = _newton_poisson(y, self.x, self.start)
        if fitted is None:
            self.failed = True
            return -math.inf
        self.start, mu = fitted  # the next N is close: starting from here saves steps
        positive = y > 0
        return (math.lgamma(total + 1) - math.lgamma(n0 + 1)
                + float(np.sum(y[positive] * np.log(mu[positive] / total))))

    def signed_root(self, total: float) -> float:
        """sign(N − N̂)·√(2(ℓ(N̂) − ℓ(N))): standard normal at the true N, asymptotically."""
        drop = max(self.best - self.loglik(total), 0.0)
        return math.copysign(math.sqrt(2 * drop), total - self.top)


def _newton_poisson(y: np.ndarray, x: np.ndarray, start: np.ndarray | None,
                    ) -> tuple[np.ndarray, np.ndarray] | None:
    """The Poisson log-linear MLE by Newton's method (the same fit as statsmodels' IRLS, which the tests check).

    The profile refits one small design hundreds of times for nearby N; at a
    few microseconds a step this is some twenty times quicker than building a
    statsmodels model each time, which keeps ``auto``'s model averaging fast.
    None when it does not converge.
    """
    if start is None:
        beta = np.linalg.lstsq(x, np.log(y + 0.5), rcond=None)[0]
    else:
        beta = start.copy()

    def objective(b: np.ndarray) -> tuple[float, np.ndarray]:
        eta = x @ b
        mu = np.exp(np.minimum(eta, 700.0))
        return float(np.sum(y * eta - mu)), mu

    value, mu = objective(beta)
    for _ in range(100):
        gradient = x.T @ (y - mu)
        try:
            step = np.linalg.solve(x.T @ (x * mu[:, None]), gradient)
        except np.linalg.LinAlgError:
            return None
        shrink = 1.0
        while True:  # halve the step until the log-likelihood does not fall
            trial = beta + shrink * step
            new_value, new_mu = objective(trial)
            if new_value >= value - 1e-12 * abs(value) or shrink < 1e-6:
                break
            shrink /= 2
        beta, mu = trial, new_mu
        done = abs(new_value - value) <= 1e-10 * (abs(value) + 1) and float(np.max(np.abs(shrink * step))) < 1e-8
        value = new_value
        if done:
            return beta, mu
    return None


def _normal_cdf(z: float) -> float:
    return 0.5 * math.erfc(-z / math.sqrt(2))


def _limits(cdf: Callable[[float], float], n: float, centre: float, cap: float) -> tuple[float, float]:
    """Where the increasing ``cdf`` of N crosses 0.025 and 0.975: the lower end no less than n, the upper
    ``math.inf`` when it stays below 0.975 up to ``cap``."""
    from scipy.optimize import brentq

    if cdf(n) >= 0.025:
        low = n
    else:
        low = float(brentq(lambda t: cdf(t) - 0.025, n, max(centre, n + 1e-9), xtol=0.01))
    step = max(centre - n, 1.0)
    previous = centre
    while previous < cap:
        probe = min(centre + step, cap)
        if cdf(probe) > 0.975:
            return low, float(brentq(lambda t: cdf(t) - 0.975, previous, probe, xtol=0.01))
        previous, step = probe, step * 2
    return low, math.inf
