"""Girls and boys in groups of the same stated interest and observed talent: how many got a
technical proposal, how many see a technical placement in their top five, and the worst group.

Why these groups. Comparing girls and boys of the same *technical interest* hides the girls the
programme is for: girls who state less technical interest than boys with the same talent. A
girl with strong talent who names no technology then sits in a group of her own, beside boys
who do not name it either, and an average over groups smooths her away. Here a group is what
a student says they want crossed with what was observed, both as
:mod:`matching.profiles` defines them:

- *stance* (:func:`~matching.profiles.interest_stance`): none (undecided), mixed (technical and
  other themes), technical, other (only non-technical themes);
- *talent* (:func:`~matching.profiles.talent_level`): none, some or strong evidence for a
  technical theme,

twelve groups in all, each reported on its own.

Per group, for girls and for boys:

- *students*: the audited girls (boys) of the group;
- *with a proposal*: the round proposed them a placement (one at most);
- *technical proposal*: that placement is technical (theme profile more than half technical,
  :func:`matching.fairness.technical_placements`); a student without a proposal has none, so
  the share is over all students of the group, as a count over the round's stored proposals
  (``talentmatch export matches``) gives it;
- *technical top 5*: the student's list of :func:`matching.recommend.recommend` (``k=5``, the
  list the student and the exports see) holds at least one technical placement.

The *girls/boys ratio* of a share is ``(girls' count / girls) / (boys' count / boys)``, with an
interval by MOVER-R (Zou & Donner 2008, *Construction of confidence limits about effect
measures: a general approach*, Stat Med 27:1693; Newcombe 2013, *Confidence intervals for
proportions and related measures of effect size*, ch. 10) on the Wilson score interval of each
share: closed form, no resampling, and sensible with small and zero counts, where the usual log
(Katz) interval breaks down. There is no ratio when the boys' share is zero.

The *headline* is the group with the lowest girls/boys ratio of technical proposals among the
groups with at least ``min_girls`` girls and ``min_boys`` boys (20 each): in a smaller group one
student moves the ratio by a tenth or more, too much to lead a report. Ties go to the larger
group. Pure numpy: no Flask, no database.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from .fairness_report import Ratio, rounded
from .profiles import STANCES, TALENT_LEVELS, interest_stance, talent_level

MIN_GIRLS = MIN_BOYS = 20
# Why the headline says what it says (Headline.status).
WORST, NO_LARGE_GROUP, NO_RATIO, NO_PROPOSALS = (
    "worst", "no_large_group", "no_ratio", "no_proposals")


def student_groups(interest: np.ndarray, talent: np.ndarray,
                   technical: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per student row: (stance, talent level), from a prepared batch's ``interest`` and
    ``talent`` and the profiler's ``technical_`` themes."""
    technical = np.asarray(technical, dtype=bool)
    return interest_stance(interest, technical), talent_level(talent, technical)


def wilson(count: int, total: int, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval of ``count / total`` (``total`` > 0)."""
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    share = count / total
    middle = (share + z * z / (2 * total)) / (1 + z * z / total)
    half = z / (1 + z * z / total) * math.sqrt(
        share * (1 - share) / total + z * z / (4 * total * total))
    return max(0.0, middle - half), min(1.0, middle + half)


def ratio_interval(girls_count: int, girls: int, boys_count: int, boys: int,
                   confidence: float = 0.95) -> Ratio:
    """``(girls_count / girls) / (boys_count / boys)`` with its MOVER-R interval on Wilson
    intervals (see the module); no value without girls, boys or a boy's count."""
    if girls <= 0 or boys <= 0 or boys_count <= 0:
        return Ratio(None)
    p1, p2 = girls_count / girls, boys_count / boys
    l1, u1 = wilson(girls_count, girls, confidence)
    l2, u2 = wilson(boys_count, boys, confidence)
    both = p1 * p2
    # Each limit is the root of a quadratic: where the MOVER interval of p1 - limit * p2 just
    # reaches zero.
    low = _root(both, l1 * (2 * p1 - l1), u2 * (2 * p2 - u2), -1)
    high = _root(both, u1 * (2 * p1 - u1), l2 * (2 * p2 - l2), +1)
    return Ratio(p1 / p2, max(0.0, low), high)


def _root(b: float, c: float, a: float, sign: int) -> float:
    """The root ``(b + sign * sqrt(b^2 - a c)) / a`` of ``a x^2 - 2 b x + c = 0``."""
    if abs(a) < 1e-15:
        return c / (2 * b) if b else math.inf
    return (b + sign * math.sqrt(max(b * b - a * c, 0.0))) / a


@dataclass(frozen=True, slots=True)
class GroupFigures:
    """One stance x talent group; the proposal counts are None when the audit was not given
    the round's proposals."""

    stance: str
    talent: str
    girls: int
    boys: int
    technical_top_girls: int
    technical_top_boys: int
    top_ratio: Ratio  # girls/boys ratio of the technical top-5 shares
    proposed_girls: int | None = None
    proposed_boys: int | None = None
    technical_proposal_girls: int | None = None
    technical_proposal_boys: int | None = None
    proposal_ratio: Ratio = Ratio(None)  # girls/boys ratio of the technical-proposal shares

    def large(self, min_girls: int = MIN_GIRLS, min_boys: int = MIN_BOYS) -> bool:
        return self.girls >= min_girls and self.boys >= min_boys

    def to_json(self) -> dict:
        def share(count: int | None, total: int) -> float | None:
            return rounded(count / total) if count is not None and total else None

        out = {"stance": self.stance, "talent": self.talent, "girls": self.girls,
               "boys": self.boys}
        for name in ("proposed", "technical_proposal", "technical_top"):
            for side in ("girls", "boys"):
                count = getattr(self, f"{name}_{side}")
                out[f"{name}_{side}"] = count
                out[f"{name}_share_{side}"] = share(count, getattr(self, side))
        out["technical_proposal_ratio"] = self.proposal_ratio.to_json()
        out["technical_top_ratio"] = self.top_ratio.to_json()
        return out


@dataclass(frozen=True, slots=True)
class Headline:
    """The worst large group (``status`` WORST), or why there is none."""

    status: str
    group: GroupFigures | None
    large_groups: int  # groups with at least min_girls girls and min_boys boys
    min_girls: int = MIN_GIRLS
    min_boys: int = MIN_BOYS

    def to_json(self) -> dict:
        g = self.group
        return {"status": self.status, "min_girls": self.min_girls, "min_boys": self.min_boys,
                "large_groups": self.large_groups,
                **({"stance": g.stance, "talent": g.talent, "girls": g.girls, "boys": g.boys,
                    "technical_girls": g.technical_proposal_girls,
                    "technical_boys": g.technical_proposal_boys,
                    "ratio": g.proposal_ratio.to_json()} if g is not None else {})}


def group_figures(stance: np.ndarray, talent: np.ndarray, girls: np.ndarray,
                  boys: np.ndarray, technical_top: np.ndarray,
                  proposed: np.ndarray | None = None,
                  technical_proposal: np.ndarray | None = None,
                  confidence: float = 0.95) -> tuple[GroupFigures, ...]:
    """The figures of every group holding a girl or a boy, in the order of ``STANCES`` x
    ``TALENT_LEVELS``. All arguments are per student: ``girls``, ``boys``, ``technical_top``,
    ``proposed`` (the round proposed a placement) and ``technical_proposal`` (a technical one)
    are booleans; without ``proposed`` the proposal figures are None."""
    out = []
    for s in STANCES:
        for t in TALENT_LEVELS:
            here = (stance == s) & (talent == t)
            g, b = girls & here, boys & here
            n_g, n_b = int(g.sum()), int(b.sum())
            if not n_g and not n_b:
                continue
            top_g, top_b = int(technical_top[g].sum()), int(technical_top[b].sum())
            figures = GroupFigures(s, t, n_g, n_b, top_g, top_b,
                                   ratio_interval(top_g, n_g, top_b, n_b, confidence))
            if proposed is not None:
                tech = technical_proposal & proposed
                tech_g, tech_b = int(tech[g].sum()), int(tech[b].sum())
                figures = GroupFigures(
                    s, t, n_g, n_b, top_g, top_b, figures.top_ratio,
                    int(proposed[g].sum()), int(proposed[b].sum()), tech_g, tech_b,
                    ratio_interval(tech_g, n_g, tech_b, n_b, confidence))
            out.append(figures)
    return tuple(out)


def worst_group(groups: tuple[GroupFigures, ...], min_girls: int = MIN_GIRLS,
                min_boys: int = MIN_BOYS) -> Headline:
    """The large group where girls get a technical proposal least often against boys."""
    large = [g for g in groups if g.large(min_girls, min_boys)]
    if any(g.proposed_girls is None for g in groups):
        return Headline(NO_PROPOSALS, None, len(large), min_girls, min_boys)
    if not large:
        return Headline(NO_LARGE_GROUP, None, 0, min_girls, min_boys)
    rated = [g for g in large if g.proposal_ratio.value is not None]
    if not rated:
        return Headline(NO_RATIO, None, len(large), min_girls, min_boys)
    worst = min(rated, key=lambda g: (g.proposal_ratio.value, -(g.girls + g.boys)))
    return Headline(WORST, worst, len(large), min_girls, min_boys)
