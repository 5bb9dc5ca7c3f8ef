"""Placements that companies post, with kinds that fit the levels they ask for."""


from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from app.models import Level, Placement, PlacementKind, PlacementStatus, PlacementTheme
from app.services.occupations import best_occupation

from .context import Build, at
from .organisations import CompanyInfo
from .refdata import words
from .sampling import monday_on_or_after, school_day, weighted_sample
from .taxonomy import Taxonomy, ThemeInfo

KIND_WEIGHT = {
    PlacementKind.snuffelstage: 25, PlacementKind.bol_internship: 35,
    PlacementKind.bbl_apprenticeship: 20, PlacementKind.hbo_internship: 10,
    PlacementKind.graduation_project: 5, PlacementKind.fieldlab_project: 5,
}
# Vocational placements (BPV) need a company recognised for that kind.
NEEDS_RECOGNITION = {PlacementKind.bol_internship, PlacementKind.bbl_apprenticeship}
CODE_PREFIX = {
    PlacementKind.snuffelstage: "SNF", PlacementKind.bol_internship: "BOL",
    PlacementKind.bbl_apprenticeship: "BBL", PlacementKind.hbo_internship: "HBO",
    PlacementKind.graduation_project: "AFS", PlacementKind.fieldlab_project: "FLB",
}
STATUS_WEIGHT = {PlacementStatus.open: 80, PlacementStatus.draft: 7,
                 PlacementStatus.paused: 6, PlacementStatus.closed: 7}
# Start dates follow the school calendar: terms start in September, November, February, April.
STARTS = {
    PlacementKind.bol_internship: (date(2025, 9, 1), date(2025, 11, 3), date(2026, 2, 2),
                                   date(2026, 4, 13), date(2026, 9, 7), date(2027, 2, 1)),
    PlacementKind.bbl_apprenticeship: (date(2025, 8, 25), date(2026, 1, 5), date(2026, 8, 31)),
    PlacementKind.hbo_internship: (date(2025, 9, 1), date(2026, 2, 2), date(2026, 9, 7),
                                   date(2027, 2, 1)),
    PlacementKind.graduation_project: (date(2026, 2, 2), date(2026, 9, 7), date(2027, 2, 1)),
    PlacementKind.fieldlab_project: (date(2025, 9, 15), date(2026, 2, 9), date(2026, 9, 14)),
}
WEEKS = {
    PlacementKind.bol_internship: (10, 20), PlacementKind.bbl_apprenticeship: (52, 52),
    PlacementKind.hbo_internship: (20, 20), PlacementKind.graduation_project: (20, 20),
    PlacementKind.fieldlab_project: (10, 16),
}
ALLOWANCE = {
    PlacementKind.snuffelstage: ("",),
    PlacementKind.bol_internship: ("€ 200 per maand", "€ 300 per maand", "in overleg"),
    PlacementKind.bbl_apprenticeship: ("volgens cao", "cao-loon en opleidingskosten"),
    PlacementKind.hbo_internship: ("€ 450 per maand", "€ 500 per maand"),
    PlacementKind.graduation_project: ("€ 500 per maand",),
    PlacementKind.fieldlab_project: ("reiskostenvergoeding",),
}
# Hours of a placement day: a school pupil's snuffelstage and a fieldlab session run shorter
# than a working day. Read from the kind rather than drawn, so adding hours left every other
# seeded value as it was.
HOURS_PER_DAY = {
    PlacementKind.snuffelstage: 6, PlacementKind.bol_internship: 8,
    PlacementKind.bbl_apprenticeship: 8, PlacementKind.hbo_internship: 8,
    PlacementKind.graduation_project: 8, PlacementKind.fieldlab_project: 6,
}
VMBO = (Level.vmbo_bb, Level.vmbo_kb, Level.vmbo_gl, Level.vmbo_tl)
MBO = (Level.mbo_1, Level.mbo_2, Level.mbo_3, Level.mbo_4)


def add_placements(build: Build, companies: list[CompanyInfo], taxonomy: Taxonomy,
                   total: int) -> Counter[int]:
    """Spread ``total`` placements over companies by size; returns placements per company id."""
    rng = build.rng
    picks = rng.choices(range(len(companies)), [c.size for c in companies], k=total)
    per_company = Counter(companies[i].id for i in picks)
    rows = [_add_placement(build, company, taxonomy, n)
            for company in companies for n in range(1, per_company[company.id] + 1)]
    _add_occupations(rows)
    return per_company


def _add_occupations(rows: list[dict]) -> None:
    """The ESCO occupation of each title, found as the application finds it when one is posted."""
    found = {title: best_occupation(title) for title in sorted({row["title"] for row in rows})}
    for row in rows:
        row["occupation_code"], row["occupation_label"] = found[row["title"]]


def _add_placement(build: Build, company: CompanyInfo, taxonomy: Taxonomy, n: int) -> dict:
    rng = build.rng
    kinds = [k for k in KIND_WEIGHT
             if k not in NEEDS_RECOGNITION or k.value in company.recognised_for]
    kind = rng.choices(kinds, [KIND_WEIGHT[k] for k in kinds])[0]
    levels = _levels(build, kind)
    own = [taxonomy.by_slug[slug] for slug in company.theme_slugs]
    themes = weighted_sample(rng, own, range(len(own), 0, -1), rng.randint(1, 2))
    starts_on, ends_on, days = _period(build, kind)
    deadline = starts_on - timedelta(weeks=rng.randint(3, 8))
    created = at(deadline - timedelta(days=rng.randint(20, 90)), 10)
    texts = words("texts")["placements"][kind.value]
    fill = _fill(build, company, themes[0], levels)
    row = build.rows.add(
        Placement, company_id=company.id, code=f"{CODE_PREFIX[kind]}-{n:03d}",
        title=rng.choice(texts["titles"]).format(**fill),
        description=rng.choice(texts["descriptions"]).format(**fill),
        learn_and_do=rng.choice(texts["learn_and_do"]).format(**fill), kind=kind,
        levels=[level.value for level in levels],
        status=rng.choices(list(STATUS_WEIGHT), list(STATUS_WEIGHT.values()))[0],
        postcode=company.postcode.pc4, place=company.postcode.place,
        capacity=rng.choices((1, 2, 3, 4), (50, 28, 14, 8))[0], places_taken=0,
        starts_on=starts_on, ends_on=ends_on, days_per_week=days,
        hours_per_week=days * HOURS_PER_DAY[kind],
        allowance=rng.choice(ALLOWANCE[kind]), application_deadline=deadline,
        created_at=created, updated_at=created,
    )
    for theme in themes:
        build.rows.add(PlacementTheme, placement_id=row["id"], theme_id=theme.id)
    return row


def _levels(build: Build, kind: PlacementKind) -> list[Level]:
    rng = build.rng
    if kind is PlacementKind.snuffelstage:
        tracks = sorted(rng.sample(range(len(VMBO)), rng.randint(2, 4)))
        return [VMBO[i] for i in tracks] + ([Level.havo] if rng.random() < 0.25 else [])
    if kind in NEEDS_RECOGNITION:
        lowest = rng.choice((2, 3, 4) if kind is PlacementKind.bol_internship else (1, 2, 3))
        return list(MBO[lowest - 1:rng.randint(lowest, 4)])
    if kind is PlacementKind.fieldlab_project:
        return [Level.mbo_4, Level.hbo]
    return [Level.hbo]


def _period(build: Build, kind: PlacementKind) -> tuple[date, date, int]:
    rng = build.rng
    if kind is PlacementKind.snuffelstage:
        # One to five days in a single week of the 2025-2026 or 2026-2027 school year.
        start = monday_on_or_after(school_day(rng, rng.choice((2025, 2026))))
        days = rng.choice((1, 2, 3, 5))
        return start, start + timedelta(days=days - 1), days
    start = rng.choice(STARTS[kind])
    end = start + timedelta(weeks=rng.randint(*WEEKS[kind]), days=-3)  # ends on a Friday
    days = {PlacementKind.bol_internship: rng.choice((4, 5)),
            PlacementKind.bbl_apprenticeship: 4,
            PlacementKind.fieldlab_project: rng.choice((1, 2))}.get(kind, 5)
    return start, end, days


def _levels_label(levels: list[Level]) -> str:
    """Levels as a counsellor writes them: "vmbo bb/kb", "mbo-niveau 2 t/m 4"."""
    vmbo = [lv.value.split("_")[1] for lv in levels if lv in VMBO]
    mbo = [lv.value[-1] for lv in levels if lv in MBO]
    parts = [f"vmbo {'/'.join(vmbo)}"] if vmbo else []
    if mbo:
        parts.append(f"mbo-niveau {mbo[0]}" if len(mbo) == 1
                     else f"mbo-niveau {mbo[0]} t/m {mbo[-1]}")
    parts += [lv.value for lv in levels if lv not in VMBO and lv not in MBO]
    return " en ".join(parts)


def _fill(build: Build, company: CompanyInfo, theme: ThemeInfo,
          levels: list[Level]) -> dict[str, str]:
    rng = build.rng
    return {"company": company.name, "place": company.postcode.place,
            "theme": theme.label_lower, "role": theme.role, "task": rng.choice(theme.tasks),
            "project": rng.choice(theme.projects), "levels": _levels_label(levels)}
