"""The fairness audit's report: frozen records that turn into plain JSON.

Kept apart from the computation (:mod:`matching.fairness`, :mod:`matching.fairness_strata`) so
that each stays small; what every figure means is written there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for the annotations: fairness_strata imports this module
    from .fairness_strata import GroupFigures, Headline

# 2: groups of stated interest stance x observed talent, with the round's proposals and the
# worst group as the headline (1 compared within technical interest x talent bins only).
FORMAT = "talentmatch-fairness/2"
GIRL, BOY = "girl", "boy"
GENDERS = ("girl", "boy", "other", "not_given")


def rounded(value: float | None, digits: int = 4) -> float | None:
    """A figure as JSON keeps it: rounded, and None for nothing or not a number."""
    return None if value is None or not math.isfinite(value) else round(float(value), digits)


@dataclass(frozen=True, slots=True)
class Ratio:
    """A figure with its interval (None where it cannot be computed)."""

    value: float | None
    low: float | None = None
    high: float | None = None

    def to_json(self) -> dict:
        return {"value": rounded(self.value), "low": rounded(self.low),
                "high": rounded(self.high)}


@dataclass(frozen=True, slots=True)
class Counterfactual:
    students_flipped: int  # students whose texts held a gendered word
    max_score_change: float
    rankings_changed: int

    @property
    def unchanged(self) -> bool:
        return self.max_score_change == 0 and self.rankings_changed == 0

    def to_json(self) -> dict:
        return {"students_flipped": self.students_flipped,
                "max_score_change": float(self.max_score_change),
                "rankings_changed": self.rankings_changed, "unchanged": self.unchanged}


@dataclass(frozen=True, slots=True)
class Proxy:
    auc: float | None  # everything the scorer sees, words included
    auc_without_words: float | None
    students: int

    def to_json(self) -> dict:
        return {"auc": rounded(self.auc), "auc_without_words": rounded(self.auc_without_words),
                "students": self.students}


@dataclass(frozen=True)
class FairnessReport:
    k: int
    students: dict[str, int]  # audited students per gender
    ranked: dict[str, int]  # girls and boys with at least one ranked placement
    placements: int
    technical_placements: int
    exposure_girls: float | None  # plain means, before standardising
    exposure_boys: float | None
    exposure: Ratio  # girls/boys, standardised over stance x talent groups
    share: Ratio
    exposure_by_talent: Ratio  # girls/boys, standardised over talent levels
    share_by_talent: Ratio
    groups: tuple[GroupFigures, ...]  # stance x talent, with the round's proposals
    headline: Headline  # the worst large group
    proposals_given: bool  # False: the round's proposals were not given to the audit
    ndcg_girls: float | None
    ndcg_boys: float | None
    ndcg_difference: Ratio  # girls - boys
    counterfactual: Counterfactual | None
    proxy: Proxy | None
    sampled_from: int | None = None  # the cohort's size when a sample was audited
    settings: dict = field(default_factory=dict)
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {
            "format": FORMAT, "k": self.k, "students": dict(self.students),
            "ranked": dict(self.ranked), "placements": self.placements,
            "technical_placements": self.technical_placements,
            "exposure_girls": rounded(self.exposure_girls),
            "exposure_boys": rounded(self.exposure_boys),
            "exposure": self.exposure.to_json(), "share": self.share.to_json(),
            "exposure_by_talent": self.exposure_by_talent.to_json(),
            "share_by_talent": self.share_by_talent.to_json(),
            "groups": [g.to_json() for g in self.groups],
            "headline": self.headline.to_json(), "proposals_given": self.proposals_given,
            "ndcg_girls": rounded(self.ndcg_girls), "ndcg_boys": rounded(self.ndcg_boys),
            "ndcg_difference": self.ndcg_difference.to_json(),
            "counterfactual": self.counterfactual.to_json() if self.counterfactual else None,
            "proxy": self.proxy.to_json() if self.proxy else None,
            "sampled_from": self.sampled_from, "settings": dict(self.settings),
            "seconds": round(self.seconds, 2),
        }
