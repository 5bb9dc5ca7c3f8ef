"""The figures of the fairness cohort benchmark, counted from the exports of a round.

Each girl is compared with her own twin brother: same school, level, postcode, travel limit,
activities and observations, so whatever differs in what they are proposed comes from what
they say they want (and, if matching were unfair, from their gender).

- *technical proposal*: the student's proposal in the round (``export matches``) is at a
  technical placement, as the recommendations export marks it (the audit's definition:
  the placement's theme profile weighs more than half on technical themes); a placement the
  export does not list is looked up in what the generator made technical.
- *ratio girls/boys*: girls with a technical proposal divided by their twin brothers with one,
  over the same pairs.
- *technical top 5*: a technical placement among the student's five recommendations
  (``export recommendations --top 5``).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from .cohort_data import LESS, Cohort

TARGET_TWIN_RATIO = 0.90
TARGET_TOP5_SHARE = 0.90
AGREEMENT = 0.02


def _key(row: dict) -> tuple[str, str]:
    return row["school_code"], row["student_number"]


def _number(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


class Outcome:
    """What one round gave each student: proposal, technical or not, top-5 list."""

    def __init__(self, cohort: Cohort, run: dict):
        recommendations = run["recommendations"] or []
        self.technical_by_placement: dict[tuple[str, str], bool] = {
            (row["company_kvk"], row["placement_code"]): row["technical"] == "yes"
            for row in recommendations}
        self.from_generator: set[tuple[str, str]] = set()
        self.proposal: dict[tuple[str, str], tuple[str, str]] = {}
        for row in run["matches"]:
            self.proposal[_key(row)] = (row["company_kvk"], row["placement_code"])
        self.top: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
        self.group: dict[tuple[str, str], tuple[str, str]] = {}
        for row in recommendations:
            self.top[_key(row)].append((row["company_kvk"], row["placement_code"]))
            self.group[_key(row)] = (row["interest_stance"], row["talent_level"])
        self.cohort = cohort
        self.has_top = bool(recommendations)

    def is_technical(self, placement: tuple[str, str]) -> bool:
        known = self.technical_by_placement.get(placement)
        if known is None:
            self.from_generator.add(placement)
            return placement in self.cohort.technical
        return known

    def technical(self, school: str, number: str) -> bool:
        placement = self.proposal.get((school, number))
        return placement is not None and self.is_technical(placement)

    def technical_top(self, school: str, number: str) -> bool:
        return any(self.is_technical(p) for p in self.top.get((school, number), ()))


def twin_ratio(outcome: Outcome, pairs) -> tuple[int, int, int, float | None]:
    """(pairs, girls with a technical proposal, boys with one, girls/boys)."""
    girls = sum(outcome.technical(p.school, p.girl) for p in pairs)
    boys = sum(outcome.technical(p.school, p.boy) for p in pairs)
    return len(pairs), girls, boys, (girls / boys if boys else None)


def _line(label: str, figures: tuple, target: float | None = None) -> str:
    n, girls, boys, ratio = figures
    verdict = ""
    if target is not None and ratio is not None:
        verdict = f"  (target >= {target:.2f}: {'met' if ratio >= target else 'NOT met'})"
    return (f"  {label:<58}{n:>5} pairs  girls {girls:>4}  boys {boys:>4}  ratio "
            f"{_number(ratio)}{verdict}")


def audit_agreement(outcome: Outcome, run: dict) -> tuple[float, list[str]]:
    """The largest difference between a share the audit reports per group (stated interest x
    talent) and the same share counted from the exports, and a line per group.

    The exports give each listed student's group (the recommendations export) and what they
    were proposed; a student without any list (no placement fits) is in the audit's group but
    in no export, so the recount divides by the audit's group size and checks apart that the
    students missing from the exports are exactly those without a list."""
    counted: dict[tuple[str, str, str], Counter] = defaultdict(Counter)
    for (school, number), group in outcome.group.items():
        gender = outcome.cohort.genders.get((school, number))
        if gender is None:
            continue
        tally = counted[(*group, gender)]
        tally["students"] += 1
        tally["proposed"] += (school, number) in outcome.proposal
        tally["technical_proposal"] += outcome.technical(school, number)
        tally["technical_top"] += outcome.technical_top(school, number)
    worst, lines, missing = 0.0, [], Counter()
    for group in run["audit"]["audit"].get("groups", []):
        for gender, plural in (("girl", "girls"), ("boy", "boys")):
            size = group[plural]
            if not size:
                continue
            tally = counted[(group["stance"], group["talent"], gender)]
            missing[gender] += size - tally["students"]
            for name in ("proposed", "technical_proposal", "technical_top"):
                worst = max(worst, abs(group[f"{name}_share_{plural}"] - tally[name] / size))
            lines.append(f"  {group['stance']:<10}{group['talent']:<8}{plural:<6}"
                         f"audit {size:>4} students, {group[f'proposed_{plural}']:>4} proposed,"
                         f" {group[f'technical_proposal_{plural}']:>4} technical,"
                         f" {group[f'technical_top_{plural}']:>4} technical top 5 | exports "
                         f"{tally['students']:>4}, {tally['proposed']:>4}, "
                         f"{tally['technical_proposal']:>4}, {tally['technical_top']:>4}")
    listless = Counter(gender for key, gender in outcome.cohort.genders.items()
                       if key not in outcome.group)
    for gender in ("girl", "boy"):
        same = "the same" if missing[gender] == listless[gender] else "NOT the same"
        lines.append(f"  {gender}s in the audit's groups but not in the exports: "
                     f"{missing[gender]}; {gender}s without a top-5 list: {listless[gender]} "
                     f"({same})")
    return worst, lines


def flip_differences(first: Outcome, second: Outcome) -> tuple[int, int, int]:
    """(students, proposals that differ, top-5 lists that differ) between two rounds."""
    students = set(first.cohort.genders)
    proposals = sum(first.proposal.get(s) != second.proposal.get(s) for s in students)
    lists = sum(first.top.get(s, []) != second.top.get(s, []) for s in students)
    return len(students), proposals, lists


def print_figures(cohort: Cohort, run: dict, flipped: dict) -> None:
    outcome, other = Outcome(cohort, run), Outcome(cohort.flipped(), flipped)
    pairs = cohort.pairs
    equal = [p for p in pairs if p.stance == "equal"]
    less = [p for p in pairs if p.stance != "equal"]
    # The sections print in this order: what the audit section shows of the placements looked
    # up in the generator is what the sections before it looked up.
    _print_cohort(cohort, run)
    _print_twin_ratios(outcome, equal, less)
    _print_top5(outcome, less)
    _print_flip(outcome, other, run)
    _print_audit(cohort, outcome, run)
    _print_proposed(cohort, outcome, equal)


def _print_cohort(cohort: Cohort, run: dict) -> None:
    """The cohort, what the import added, the round's summary and its seconds."""
    pairs = cohort.pairs
    stances = Counter(p.stance for p in pairs)
    print(f"\ncohort: {len(pairs)} twin pairs in {cohort.region_name}, {len(cohort.schools)} "
          f"schools; girls stating the same as their brother: {stances['equal']}; less "
          "technical: " + ", ".join(f"{s} {stances[s]}" for s in LESS))
    for kind, report in run["reports"].items():
        print(f"  import {kind:<15} {report.created:>5} added")
    print("round: " + " ".join(run["summary"]))
    print("seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in run["seconds"].items()))


def _print_twin_ratios(outcome: Outcome, equal: list, less: list) -> None:
    print("\ntechnical proposals, girls against their own twin brothers")
    print(_line("equal interest", twin_ratio(outcome, equal)))
    print(_line("girl states less technical interest, all", twin_ratio(outcome, less)))
    strong = [p for p in less if p.strength >= 4]
    print(_line("  ... with observations of strength 4-5", twin_ratio(outcome, strong)))
    scouted = [p for p in less if p.scouted and p.stance in ("undecided", "mixed")]
    print(_line("  ... scouted, girl undecided or mixed", twin_ratio(outcome, scouted),
                TARGET_TWIN_RATIO))
    for stance in LESS:
        print(_line(f"  ... girl {stance}", twin_ratio(outcome, [p for p in less
                                                                  if p.stance == stance])))


def _print_top5(outcome: Outcome, less: list) -> None:
    print("\ntechnical placement in the girl's top 5 (strong talent 4-5, explicit other "
          "interest)")
    if not outcome.has_top:
        print("  skipped: no recommendations export (talentmatch export recommendations)")
        return
    for stances_ in (("care", "office"), ("creative",), ("mixed",)):
        girls = [p for p in less if p.stance in stances_ and p.strength >= 4]
        hits = sum(outcome.technical_top(p.school, p.girl) for p in girls)
        share = hits / len(girls) if girls else None
        target = ""
        if stances_ == ("care", "office") and share is not None:
            met = "met" if share >= TARGET_TOP5_SHARE else "NOT met"
            target = f"  (target >= {TARGET_TOP5_SHARE:.0%}: {met})"
        print(f"  {' or '.join(stances_):<20}{hits:>4} of {len(girls):>4} girls  "
              f"{_number(share and share * 100, 1)}%{target}")


def _print_flip(outcome: Outcome, other: Outcome, run: dict) -> None:
    students, proposals, lists = flip_differences(outcome, other)
    print(f"\ngender flipped (gender field and gendered words in the students' own texts), "
          f"same seed: {proposals} of {students} proposals differ (target 0), "
          f"{lists} top-5 lists differ")
    cf = run["audit"]["audit"].get("counterfactual") or {}
    print(f"  the audit's own check: {cf.get('students_flipped')} students flipped, "
          f"rankings changed {cf.get('rankings_changed')}, largest score change "
          f"{cf.get('max_score_change')}")


def _print_audit(cohort: Cohort, outcome: Outcome, run: dict) -> None:
    print("\nthe audit against a count from the exports")
    if not outcome.has_top:
        print("  skipped: the groups need the recommendations export")
        return
    worst, lines = audit_agreement(outcome, run)
    headline = run["audit"].get("headline_sentence", "")
    if headline:
        print(f"  audit headline: {headline}")
    print("\n".join(lines))
    verdict = "agree" if worst <= AGREEMENT else "DISAGREE"
    print(f"  largest difference of a share: {worst:.4f} ({verdict} within {AGREEMENT})")
    disagree = sum(flag != (placement in cohort.technical) for placement, flag
                   in outcome.technical_by_placement.items())
    print(f"  placements the exports mark technical or not: "
          f"{len(outcome.technical_by_placement)} (the generator meant otherwise for "
          f"{disagree}); proposals at a placement no list shows, looked up in the "
          f"generator: {len(outcome.from_generator)}")


def _print_proposed(cohort: Cohort, outcome: Outcome, equal: list) -> None:
    everyone = list(cohort.genders)
    proposed = sum(s in outcome.proposal for s in everyone)
    equal_students = [(p.school, n) for p in equal for n in (p.girl, p.boy)]
    equal_proposed = sum(s in outcome.proposal for s in equal_students)
    print(f"\nstudents with a proposal: {proposed} of {len(everyone)} "
          f"({proposed / len(everyone):.1%}); equal-interest half: {equal_proposed} of "
          f"{len(equal_students)} ({equal_proposed / max(len(equal_students), 1):.1%})")
