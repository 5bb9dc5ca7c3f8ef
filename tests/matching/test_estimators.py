"""Every estimator of the library keeps scikit-learn's conventions.

The constructor only stores its settings under their own names, ``get_params`` and ``clone``
work, ``fit`` returns the estimator, and what ``fit`` learns ends in ``_`` (a leading ``_``
marks a cache, never something learned).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import BaseEstimator, clone

import matching
from matching.allocation import DeferredAcceptance
from matching.baselines import CharTfidfBaseline, WRatioBaseline
from matching.fairness import FairnessAudit
from matching.groups import GroupAssigner, HostSite, SchoolGroup
from matching.occupation_lexicon import LexiconSignals, load_english, load_lexicon
from matching.occupations import Occupation, OccupationNormaliser
from matching.profiles import ThemeProfiler
from matching.reranking import AdditiveReranker, ExampleIndex
from matching.scoring import COMPONENTS, MatchScorer
from matching.sparse_text import CharTfidf, WordTfidf
from matching.taxonomy import ThemeMatcher, load_themes
from matching.weights import WeightLearner

from .records import TODAY, placement, student

# Class name -> (a new estimator, fit it), for every class of the library with a fit.
Case = tuple[Callable[[], BaseEstimator], Callable[[BaseEstimator], BaseEstimator]]


def _cases() -> dict[str, Case]:
    cases = [
        ("ThemeProfiler", lambda: ThemeProfiler(half_life_days=365.0),
         lambda e: e.fit()),
        ("MatchScorer", lambda: MatchScorer(weights={"text": 0.5}, today=TODAY,
                                            occupation_lookup=lambda text: ""),
         lambda e: e.fit([placement(1), placement(2, description="Je soldeert")])),
        ("WordTfidf", lambda: WordTfidf(sublinear=True),
         lambda e: e.fit([[("lasser", 1.0)], [("kok", 1.0), ("chef", 0.5)]], [0, 1], 2)),
        ("CharTfidf", lambda: CharTfidf((3, 4), max_df=0.9),
         lambda e: e.fit(["lasser", "kok en chef"])),
        ("ExampleIndex", lambda: ExampleIndex(_tokens, str.lower, ngram_range=(2, 4)),
         lambda e: e.fit(["lasser", "kok", "chef-kok"], [0, 1, 1], 3)),
        ("AdditiveReranker", lambda: AdditiveReranker(n_knots=3, C=1.0),
         lambda e: e.fit(*_classes())),
        ("OccupationNormaliser",
         lambda: OccupationNormaliser("preferredLabel+altLabels", weights={"chars": 0.5}),
         lambda e: e.fit(OCCUPATIONS)),
        ("LexiconSignals", lambda: LexiconSignals(use_onet=False),
         lambda e: e.fit(OCCUPATIONS, ("preferredLabel",), load_lexicon(), load_english())),
        ("CharTfidfBaseline", lambda: CharTfidfBaseline(ngram_range=(2, 4)),
         lambda e: e.fit(OCCUPATIONS)),
        ("WRatioBaseline", lambda: WRatioBaseline(workers=2), lambda e: e.fit(OCCUPATIONS)),
        ("DeferredAcceptance", lambda: DeferredAcceptance(first_pass_k=2, random_state=0),
         lambda e: e.fit(sp.csr_array(np.array([[0.5, 0.2], [0.4, 0.0]])), [1, 1])),
        ("GroupAssigner", lambda: GroupAssigner(age_penalty_km=10.0, time_limit=5.0),
         lambda e: e.fit([SchoolGroup(20, "6901"), SchoolGroup(40, "6902")],
                         [HostSite(30, "6902"), HostSite(25, "6941")])),
        ("WeightLearner", lambda: WeightLearner(C=0.5, min_decisions=10),
         lambda e: e.fit(_decisions(), _classes()[1][:40])),
        ("FairnessAudit", lambda: FairnessAudit(_scorer(), n_bootstrap=10, proxy=False),
         lambda e: e.fit([student(1), student(2)], ["girl", "boy"])),
        ("ThemeMatcher", lambda: ThemeMatcher(threshold=85.0), lambda e: e.fit(load_themes())),
    ]
    return {name: (make, fit) for name, make, fit in cases}


OCCUPATIONS = (
    Occupation("u:lasser", "7212.1", "7212", "lasser", ("lasster", "booglasser"),
               "Lassers verbinden metalen delen met een vlamboog."),
    Occupation("u:kok", "5120.1", "5120", "kok", ("kokkin",), "Koks bereiden maaltijden."),
)


def _tokens(text: str) -> list[tuple[str, float]]:
    return [(word, 1.0) for word in text.lower().split()]


def _classes() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.random((200, 3))
    return X, X[:, 0] + rng.normal(0, 0.2, len(X)) > 0.5


def _scorer() -> MatchScorer:
    return MatchScorer(today=TODAY).fit([placement(1), placement(2, kind="snuffelstage")])


def _decisions() -> list[dict[str, float]]:
    rng = np.random.default_rng(1)
    return [dict(zip(COMPONENTS, rng.random(len(COMPONENTS)).tolist(), strict=True))
            for _ in range(40)]


CASES = _cases()


def test_every_class_of_the_library_with_a_fit_is_checked_here():
    found = set()
    for module_info in pkgutil.iter_modules(matching.__path__):
        module = importlib.import_module(f"matching.{module_info.name}")
        found |= {name for name, cls in inspect.getmembers(module, inspect.isclass)
                  if cls.__module__ == module.__name__
                  and inspect.isfunction(vars(cls).get("fit"))}
    assert found == set(CASES)


@pytest.mark.parametrize("name", list(CASES))
def test_the_constructor_only_stores_its_settings(name):
    make, _fit = CASES[name]
    estimator = make()
    assert isinstance(estimator, BaseEstimator)
    settings = [name for name in inspect.signature(type(estimator).__init__).parameters
                if name != "self"]
    assert sorted(vars(estimator)) == sorted(settings)
    assert sorted(estimator.get_params(deep=False)) == sorted(settings)


@pytest.mark.parametrize("name", list(CASES))
def test_a_clone_has_the_same_settings_and_nothing_learned(name):
    make, fit = CASES[name]
    estimator = make()
    fitted = fit(estimator)
    assert fitted is estimator
    learned = [name for name in vars(fitted) if name not in fitted.get_params(deep=False)]
    assert learned
    assert all(name.endswith("_") or name.startswith("_") for name in learned), learned
    twin = clone(fitted)
    assert type(twin) is type(fitted)
    assert sorted(vars(twin)) == sorted(fitted.get_params(deep=False))
    assert _same(twin.get_params(deep=False), fitted.get_params(deep=False))


def test_the_scorer_learns_nothing_after_fit():
    # It used to keep the words it explains with only once a pair was first explained.
    make, fit = CASES["MatchScorer"]
    scorer = fit(make())
    learned = dict(vars(scorer))
    record = student(interests="solderen", observations=())
    scorer.score([record])
    scorer.score_one(record)
    assert scorer.pair(record, 1) is not None
    assert vars(scorer).keys() == learned.keys()
    assert all(vars(scorer)[name] is value for name, value in learned.items())


def _same(a: dict, b: dict) -> bool:
    """Settings equal, an estimator among them by its own settings (clone copies it)."""
    if a.keys() != b.keys():
        return False
    for name, value in a.items():
        other = b[name]
        if isinstance(value, BaseEstimator):
            if type(value) is not type(other) or not _same(value.get_params(deep=False),
                                                          other.get_params(deep=False)):
                return False
        elif isinstance(value, np.ndarray | sp.spmatrix):
            return False  # no setting is an array
        elif value != other:
            return False
    return True

