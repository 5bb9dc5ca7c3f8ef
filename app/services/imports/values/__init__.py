"""Cell values as people write them, into the values the model stores.

Every parser raises :class:`Invalid` with a message that says what to write instead.

The parts: :mod:`.cells` (text, numbers, dates, postcodes, people, lists, yes or no),
:mod:`.levels` (school levels and pathways), :mod:`.kinds` (activity and placement kinds,
pillars, statuses, KvK numbers, websites) and :mod:`.themes` (theme texts into themes).
"""

from .cells import (
    FIRST_YEAR,
    LAST_YEAR,
    LIST_SEPARATORS,
    Invalid,
    compact,
    list_items,
    max_length,
    parse_date,
    parse_email,
    parse_gender,
    parse_postcode,
    parse_yes_no,
    shown,
    text_value,
    whole_number,
    words_of,
)
from .kinds import (
    PLACEMENT_KIND_CHOICES,
    parse_kind,
    parse_kvk,
    parse_pillar,
    parse_placement_kind,
    parse_placement_kinds,
    parse_placement_status,
    parse_website,
)
from .levels import LEVEL_CHOICES, parse_level, parse_levels
from .themes import ThemeResolver

__all__ = [
    "FIRST_YEAR", "LAST_YEAR", "LEVEL_CHOICES", "LIST_SEPARATORS", "PLACEMENT_KIND_CHOICES",
    "Invalid", "ThemeResolver",
    "compact", "list_items", "max_length", "parse_date", "parse_email", "parse_gender",
    "parse_kind", "parse_kvk", "parse_level", "parse_levels", "parse_pillar",
    "parse_placement_kind", "parse_placement_kinds", "parse_placement_status",
    "parse_postcode", "parse_website", "parse_yes_no", "shown", "text_value", "whole_number",
    "words_of",
]
