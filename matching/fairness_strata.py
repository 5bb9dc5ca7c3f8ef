"""Girls and boys in groups of the same stated interest and observed talent: how many got a
technical proposal, how many see a technical placement in their top five, and the worst group.

Why these groups. Comparing girls and boys of the same *technical interest* hides the girls the
programme is for: girls who state less technical interest than boys with the same talent. A
girl with strong talent who names no technology then sits in a group of her own, and an average
over groups smooths her away. Here a group is what a student says they want crossed with what
was observed, both as :mod:`matching.profiles` defines them:

- *stance* (:func:`~matching.profiles.interest_stance`): none (undecided), mixed (technical and
  other themes), technical, other (only non-technical themes);
- *talent* (:func:`~matching.profiles.talent_level`): none, some or strong evidence for a
  technical theme,

twelve groups in all, each reported on its own. The girls of a group are compared twice:

- with the *boys of the same group* (same stance, same talent): does matching treat a girl and
  a boy who say and show the same alike?
- with the *boys of the same talent*, whatever they state: does a girl get what her talent
  would get a boy? Girls state technical interest less often than boys with the same talent,
  so their own group may hold few boys or none (on a cohort of twins, none: the brothers state
  technology), and the first comparison alone cannot see them.

Per group, for girls, the group's boys and the boys of the same talent:

- *students*;
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

The *headline* is the lowest girls/boys ratio of technical proposals among the comparisons of
at least ``min_girls`` girls and ``min_boys`` boys (20 each): in a smaller group one student
moves the ratio by a tenth or more, too much to lead a report. Every group is compared with its
own boys; groups of the stances in :data:`SAME_TALENT_STANCES` also with the boys of the same
talent. Girls who state only other themes are not: the score respects an explicit choice
(:func:`matching.profiles.theme_fit`), so their proposal follows it, and what matching owes them
is the talent-led option in their top 5, which the table shows. Ties go to the larger
comparison. Pure numpy: no Flask, no database.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from .fairness_report import Ratio, rounded
from .profiles import STANCES, TALENT_LEVELS, interest_stance, talent_level

MIN_GIRLS = MIN_BOYS = 20
# Girls of these stances may lead the headline against the boys of the same talent (see the
# module): undecided and mixed students are the ones whose talent the score lets lead.
SAME_TALENT_STANCES = ("none", "mixed", "technical")
# Which boys a comparison is against (Headline.against).
SAME_GROUP, SAME_TALENT = "group", "talent"
# Why the headline says what it says (Headline.status).
WORST, NO_LARGE_GROUP, NO_RATIO, NO_PROPOSALS = (
    "worst", "no_large_group", "no_ratio", "no_proposals")


@dataclass(frozen=True, slots=True)
class StudentGroups:
    """Per student row: the stance (``STANCES``) and the talent level (``TALENT_LEVELS``)."""

    stance: np.ndarray
    talent: np.ndarray


def student_groups(interest: np.ndarray, talent: np.ndarray,
                   technical: np.ndarray) -> StudentGroups:
    """Per student row: stance and talent level, from a prepared batch's ``interest`` and
    ``talent`` and the profiler's ``technical_`` themes."""
    technical = np.asarray(technical, dtype=bool)
    return StudentGroups(interest_stance(interest, technical), talent_level(talent, technical))


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
class Comparison:
    """The boys a group's girls are compared with, and the girls/boys ratio of technical
    proposals."""

    boys: int
    technical_boys: int | None  # boys with a technical proposal
    ratio: Ratio


@dataclass(frozen=True, slots=True)
class GroupFigures:
    """One stance x talent group: its girls, its boys, and the boys of the same talent level
    whatever they state (``talent_boys``). The proposal counts are None when the audit was not
    given the round's proposals."""

    stance: str
    talent: str
    girls: int
    boys: int
    talent_boys: int
    technical_top_girls: int
    technical_top_boys: int
    technical_top_talent_boys: int
    top_ratio: Ratio  # girls/boys of the group, technical top-5 shares
    talent_top_ratio: Ratio  # girls/boys of the same talent
    proposed_girls: int | None = None
    proposed_boys: int | None = None
    proposed_talent_boys: int | None = None
    technical_proposal_girls: int | None = None
    technical_proposal_boys: int | None = None
    technical_proposal_talent_boys: int | None = None
    proposal_ratio: Ratio = Ratio(None)  # girls/boys of the group, technical-proposal shares
    talent_proposal_ratio: Ratio = Ratio(None)  # girls/boys of the same talent

    def large(self, min_girls: int = MIN_GIRLS, min_boys: int = MIN_BOYS,
              against: str = SAME_GROUP) -> bool:
        boys = self.boys if against == SAME_GROUP else self.talent_boys
        return self.girls >= min_girls and boys >= min_boys

    def compared(self, against: str | None) -> Comparison:
        """The girls' comparison with the group's boys (``against`` SAME_GROUP) or else with
        the boys of the same talent."""
        if against == SAME_GROUP:
            return Comparison(self.boys, self.technical_proposal_boys, self.proposal_ratio)
        return Comparison(self.talent_boys, self.technical_proposal_talent_boys,
                          self.talent_proposal_ratio)

    def to_json(self) -> dict:
        def share(count: int | None, total: int) -> float | None:
            return rounded(count / total) if count is not None and total else None

        out = {"stance": self.stance, "talent": self.talent, "girls": self.girls,
               "boys": self.boys, "talent_boys": self.talent_boys}
        for name in ("proposed", "technical_proposal", "technical_top"):
            for side in ("girls", "boys", "talent_boys"):
                count = getattr(self, f"{name}_{side}")
                out[f"{name}_{side}"] = count
                out[f"{name}_share_{side}"] = share(count, getattr(self, side))
        out["technical_proposal_ratio"] = self.proposal_ratio.to_json()
        out["technical_top_ratio"] = self.top_ratio.to_json()
        out["technical_proposal_ratio_same_talent"] = self.talent_proposal_ratio.to_json()
        out["technical_top_ratio_same_talent"] = self.talent_top_ratio.to_json()
        return out


@dataclass(frozen=True, slots=True)
class Headline:
    """The worst large comparison (``status`` WORST): a group's girls against its own boys
    (``against`` SAME_GROUP) or against the boys of the same talent (SAME_TALENT); or why
    there is none."""

    status: str
    group: GroupFigures | None
    large_groups: int  # groups with at least one comparison of min_girls and min_boys
    against: str | None = None
    min_girls: int = MIN_GIRLS
    min_boys: int = MIN_BOYS

    def to_json(self) -> dict:
        out = {"status": self.status, "min_girls": self.min_girls, "min_boys": self.min_boys,
               "large_groups": self.large_groups}
        g = self.group
        if g is not None:
            comparison = g.compared(self.against)
            out.update(stance=g.stance, talent=g.talent, against=self.against, girls=g.girls,
                       boys=comparison.boys, technical_girls=g.technical_proposal_girls,
                       technical_boys=comparison.technical_boys,
                       ratio=comparison.ratio.to_json())
        return out


@dataclass(frozen=True, slots=True)
class _Counts:
    """Of some students: how many, with a technical top 5, with a proposal, with a technical
    proposal (None without the round's proposals)."""

    students: int
    top: int
    proposed: int | None
    technical: int | None


def group_figures(stance: np.ndarray, talent: np.ndarray, girls: np.ndarray,
                  boys: np.ndarray, technical_top: np.ndarray,
                  proposed: np.ndarray | None = None,
                  technical_proposal: np.ndarray | None = None,
                  confidence: float = 0.95) -> tuple[GroupFigures, ...]:
    """The figures of every group holding a girl or a boy, in the order of ``STANCES`` x
    ``TALENT_LEVELS``. All arguments are per student: ``girls``, ``boys``, ``technical_top``,
    ``proposed`` (the round proposed a placement) and ``technical_proposal`` (a technical one)
    are booleans; without ``proposed`` the proposal figures are None."""
    tech = technical_proposal & proposed if proposed is not None else None

    def counts(members: np.ndarray) -> _Counts:
        if proposed is None or tech is None:
            return _Counts(int(members.sum()), int(technical_top[members].sum()), None, None)
        return _Counts(int(members.sum()), int(technical_top[members].sum()),
                       int(proposed[members].sum()), int(tech[members].sum()))

    def ratio(girls_count: int | None, n_girls: int, boys_count: int | None,
              n_boys: int) -> Ratio:
        if girls_count is None or boys_count is None:
            return Ratio(None)
        return ratio_interval(girls_count, n_girls, boys_count, n_boys, confidence)

    out = []
    for t in TALENT_LEVELS:
        level = talent == t
        tb = counts(boys & level)
        for s in STANCES:
            here = level & (stance == s)
            g, b = counts(girls & here), counts(boys & here)
            if not g.students and not b.students:
                continue
            out.append((STANCES.index(s), TALENT_LEVELS.index(t), GroupFigures(
                s, t, g.students, b.students, tb.students, g.top, b.top, tb.top,
                ratio(g.top, g.students, b.top, b.students),
                ratio(g.top, g.students, tb.top, tb.students),
                g.proposed, b.proposed, tb.proposed, g.technical, b.technical, tb.technical,
                ratio(g.technical, g.students, b.technical, b.students),
                ratio(g.technical, g.students, tb.technical, tb.students))))
    return tuple(figures for *_order, figures in sorted(out, key=lambda item: item[:2]))


def worst_group(groups: tuple[GroupFigures, ...], min_girls: int = MIN_GIRLS,
                min_boys: int = MIN_BOYS) -> Headline:
    """The large comparison where girls get a technical proposal least often against boys."""
    comparisons = [(g, against) for g in groups for against in (SAME_GROUP, SAME_TALENT)
                   if (against == SAME_GROUP or g.stance in SAME_TALENT_STANCES)
                   and g.large(min_girls, min_boys, against)]
    large = len({(g.stance, g.talent) for g, _against in comparisons})
    if any(g.proposed_girls is None for g in groups):
        return Headline(NO_PROPOSALS, None, large, None, min_girls, min_boys)
    if not comparisons:
        return Headline(NO_LARGE_GROUP, None, 0, None, min_girls, min_boys)
    rated = [(g, against, g.compared(against)) for g, against in comparisons]
    rated = [(g, against, c) for g, against, c in rated if c.ratio.value is not None]
    if not rated:
        return Headline(NO_RATIO, None, large, None, min_girls, min_boys)
    # The lowest ratio; of equal ratios the larger comparison.
    worst, against, _ = min(rated, key=lambda item: (item[2].ratio.value,
                                                     -(item[0].girls + item[2].boys)))
    return Headline(WORST, worst, large, against, min_girls, min_boys)
