"""The monitor of a region (or of every region): counts, charts and the tables behind them.

Every figure is a count over groups, computed in the database (GROUP BY); only the company
answer times fetch one row per answered candidate, because a median needs every value.

Nothing here filters on ``StudentProfile.anonymised_at`` or ``user_id``: a student whose
account was deleted keeps school, level, gender category, participations, observation
strengths and proposal statuses, so the programme's numbers stay right.

What is counted where:

* students by where they took part: at the **activities held in the region** (and, with a
  school year chosen, of that school year);
* placements and candidates by the **companies of the region**.

The parts: :mod:`.scope` (the region and year counted over, counts per gender),
:mod:`.figures` (the counts), :mod:`.cache` (the counts kept a minute per region and school
year) and :mod:`.tables` (what the page and the CSV files show).
"""

from .cache import (
    FRESH_SECONDS,
    Figures,
    cached_school_years,
    count_figures,
    figures_of,
    forget,
)
from .figures import (
    AnswerRow,
    FunnelRow,
    ParticipantRow,
    SectorRow,
    TalentRow,
    answer_times,
    funnel,
    participants,
    sectors,
    talent_without_match,
)
from .scope import (
    CHARTS,
    DIMENSIONS,
    GENDERS,
    POSTED_STATUSES,
    TALENT_STRENGTH,
    GenderCounts,
    MonitorError,
    Scope,
    parse_school_year,
    region_by_slug,
    school_years,
    year_bounds,
)
from .tables import Chart, Table, csv_name, table, tables

__all__ = [
    "CHARTS", "DIMENSIONS", "FRESH_SECONDS", "GENDERS", "POSTED_STATUSES", "TALENT_STRENGTH",
    "AnswerRow", "Chart", "Figures", "FunnelRow", "GenderCounts", "MonitorError",
    "ParticipantRow", "Scope", "cached_school_years", "count_figures", "figures_of", "forget",
    "SectorRow", "Table", "TalentRow", "answer_times", "csv_name", "funnel",
    "parse_school_year", "participants", "region_by_slug", "school_years",
    "sectors", "table", "tables", "talent_without_match", "year_bounds",
]
