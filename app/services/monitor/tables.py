"""The monitor's tables and charts as the page and the CSV files show them: headers,
formatted rows and the bars drawn from them."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import format_decimal
from flask_babel import gettext as _

from ...models import ActivityKind, Gender, Level, Pillar
from ...models.labels import label
from .cache import Figures
from .scope import CHARTS, MonitorError, Scope


@dataclass(frozen=True)
class Chart:
    title: str
    rows: list[tuple]          # (label, value) or (label, value, second value)
    max_value: float | None = None
    unit: str = ""
    testid: str = "chart"
    value_format: str = "0"    # a Babel pattern: the page's decimal sign ("0,5" in Dutch)
    counts: list[int] | None = None  # beside a percentage: how many it is of

    @property
    def value_texts(self) -> list[str]:
        """What is written at the end of each bar: "23,1%" and, for a share, the count."""
        texts = [format_decimal(row[1] or 0, format=self.value_format) + self.unit
                 for row in self.rows]
        if self.counts is None:
            return texts
        return [f"{text} ({format_decimal(count)})"
                for text, count in zip(texts, self.counts, strict=True)]


@dataclass(frozen=True)
class Table:
    name: str                  # the chart's key, also the CSV's name
    headers: list[str]
    rows: list[list]           # raw: ints, formatted decimals (text), None for unknown
    charts: list[Chart] = field(default_factory=list)
    total: int | None = None   # a headline count, where there is one

    @property
    def display_rows(self) -> list[list]:
        return [[format_decimal(c) if isinstance(c, int) else ("—" if c is None else c)
                 for c in row] for row in self.rows]


def _percent(share: float | None) -> str | None:
    return None if share is None else format_decimal(share * 100, format="0.0")


def _days(value: float | None) -> str | None:
    return None if value is None else format_decimal(value, format="0.0")


def _pct(share: float | None) -> float:
    return round(share * 100, 1) if share is not None else 0


def _participants_titles(by: str, year: str) -> tuple[str, str]:
    if by == "kind":
        return (_("Participants per activity kind, %(year)s (thin bar: girls)", year=year),
                _("Girls' share per activity kind, %(year)s", year=year))
    if by == "pillar":
        return (_("Participants per pillar, %(year)s (thin bar: girls)", year=year),
                _("Girls' share per pillar, %(year)s", year=year))
    return (_("Participants per level, %(year)s (thin bar: girls)", year=year),
            _("Girls' share per level, %(year)s", year=year))


def _participants_table(figures: Figures, chart: str) -> Table:
    by = {"kinds": "kind", "pillars": "pillar", "levels": "level"}[chart]
    heading = {"kind": _("Activity kind"), "pillar": _("Pillar"), "level": _("Level")}[by]
    found = figures.participants[by]
    rows = [[_key_label(by, r.key), r.school_year, r.counts.total, r.counts.given,
             r.counts.girls, _percent(r.counts.girls_share)] for r in found]
    charts = []
    for year in sorted({r.school_year for r in found}, reverse=True):
        of_year = [r for r in found if r.school_year == year]
        counts_title, share_title = _participants_titles(by, year)
        charts.append(Chart(
            counts_title,
            [(_key_label(by, r.key), r.counts.total, r.counts.girls) for r in of_year],
            testid=f"chart-{chart}-{year}"))
        charts.append(Chart(
            share_title, [(_key_label(by, r.key), _pct(r.counts.girls_share)) for r in of_year],
            max_value=100, unit="%", testid=f"chart-{chart}-share-{year}", value_format="0.0",
            counts=[r.counts.girls for r in of_year]))
    return Table(chart, [heading, _("Academic year"), _("Participants"),
                         _("Gender given"), _("Girls"), _("Girls' share (%)")], rows, charts)


def _key_label(by: str, value: str) -> str:
    enum_cls = {"kind": ActivityKind, "pillar": Pillar, "level": Level}[by]
    return label(enum_cls(value))


def _gender_label(gender: Gender) -> str:
    return {Gender.girl: _("Girls"), Gender.boy: _("Boys"), Gender.other: _("Other"),
            Gender.not_given: _("Gender not given")}[gender]


def _funnel_table(figures: Figures) -> Table:
    found = figures.funnel
    steps = [_("Took part"), _("Got a proposal"), _("Approved"), _("Placed")]
    rows = [[_gender_label(r.gender), r.took_part, r.proposed, r.approved, r.placed,
             _percent(r.share(r.proposed)), _percent(r.share(r.approved)),
             _percent(r.share(r.placed))] for r in found]
    charts = [Chart(_("%(who)s: share of those who took part (how many)",
                      who=_gender_label(r.gender)),
                    [(name, _pct(r.share(n))) for name, n in
                     zip(steps, (r.took_part, r.proposed, r.approved, r.placed), strict=True)],
                    max_value=100, unit="%", testid=f"chart-funnel-{r.gender.value}",
                    value_format="0.0",
                    counts=[r.took_part, r.proposed, r.approved, r.placed])
              for r in found if r.took_part]
    return Table("funnel", [_("Gender"), *steps, _("Got a proposal (%)"), _("Approved (%)"),
                            _("Placed (%)")], rows, charts)


def _sectors_table(figures: Figures) -> Table:
    found = figures.sectors
    rows = [[r.sector, r.posted, r.filled, _percent(r.filled_share), r.lapsed] for r in found]
    charts = [
        Chart(_("Placements posted per sector (thin bar: filled)"),
              [(r.sector, r.posted, r.filled) for r in found], testid="chart-sectors"),
        Chart(_("Placements with a lapsed candidate per sector"),
              [(r.sector, r.lapsed) for r in found], testid="chart-sectors-lapsed"),
    ]
    return Table("sectors", [_("Sector"), _("Posted"), _("Filled"), _("Filled (%)"),
                             _("With a lapsed candidate")], rows, charts)


def _answers_table(figures: Figures) -> Table:
    found = figures.answers
    rows = [[r.sector, r.sent, r.answered, r.lapsed, r.waiting, _percent(r.answer_rate),
             _days(r.median_days), _days(r.mean_days)] for r in found]
    charts = [
        Chart(_("Median days until the company answered, per sector"),
              [(r.sector, round(r.median_days, 1)) for r in found if r.median_days is not None],
              testid="chart-answers", value_format="0.0"),
        Chart(_("Answer rate per sector (answered)"),
              [(r.sector, _pct(r.answer_rate)) for r in found if r.answer_rate is not None],
              max_value=100, unit="%", testid="chart-answers-rate", value_format="0.0",
              counts=[r.answered for r in found if r.answer_rate is not None]),
    ]
    return Table("answers", [_("Sector"), _("Candidates sent"), _("Answered"), _("Lapsed"),
                             _("Waiting"), _("Answer rate (%)"), _("Median days"),
                             _("Mean days")], rows, charts)


def _talent_table(figures: Figures) -> Table:
    found = figures.talent
    rows = [[_key_label("level", r.level), r.with_evidence.total, r.without_match.total,
             _percent(r.without_share), r.without_match.girls] for r in found]
    charts = [Chart(_("Students with talent evidence per level (thin bar: without a match)"),
                    [(_key_label("level", r.level), r.with_evidence.total,
                      r.without_match.total) for r in found], testid="chart-talent")]
    return Table("talent", [_("Level"), _("With talent evidence"), _("Without a match"),
                            _("Without a match (%)"), _("Girls without a match")], rows, charts,
                 total=sum(r.without_match.total for r in found))


def table(*, figures: Figures, chart: str) -> Table:
    """One chart's table (and the charts drawn from it), in the page's language."""
    if chart in ("kinds", "pillars", "levels"):
        return _participants_table(figures, chart)
    builders = {"funnel": _funnel_table, "sectors": _sectors_table,
                "answers": _answers_table, "talent": _talent_table}
    if chart not in builders:
        raise MonitorError(_("There is no such chart."))
    return builders[chart](figures)


def tables(*, figures: Figures) -> dict[str, Table]:
    return {chart: table(figures=figures, chart=chart) for chart in CHARTS}


def csv_name(*, scope: Scope, chart: str) -> str:
    return "-".join(("monitor", chart, scope.slug, scope.school_year or "alle-jaren"))
