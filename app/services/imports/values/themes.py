"""Theme texts into Theme rows, forgiving spelling."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import get_locale
from flask_babel import gettext as _

from matching.taxonomy import default_matcher

from ....models import Theme
from ...rows import id_of
from .cells import LIST_SEPARATORS, shown


class ThemeResolver:
    """Theme texts into Theme rows, forgiving spelling; caches each distinct text."""

    def __init__(self, themes: Iterable[Theme]):
        self.by_slug = {theme.slug: theme for theme in themes}
        self.matcher = default_matcher()
        self._cache: dict[str, Theme | str] = {}
        locale = get_locale()
        self._english = locale is not None and locale.language == "en"

    def _label(self, hit) -> str:
        return hit.label_en if self._english else hit.label_nl

    def _one(self, part: str) -> Theme | str:
        hit = self.matcher.resolve(part)
        if hit is not None and hit.slug in self.by_slug:
            return self.by_slug[hit.slug]
        hits = [h for h in self.matcher.search(part, limit=3) if h.slug in self.by_slug]
        # Only the hits about as good as the best one: "did you mean" should not ramble.
        suggestions = [self._label(h) for h in hits if h.score >= hits[0].score - 10]
        if suggestions:
            return _("Unknown theme '%(value)s'. Did you mean %(suggestions)s?",
                     value=shown(part), suggestions=", ".join(suggestions))
        return _("Unknown theme '%(value)s'. The import help lists the themes you can use.",
                 value=shown(part))

    def resolve(self, text: str) -> tuple[list[Theme], list[str]]:
        """The themes in a cell, and a message for each part that is not a theme."""
        themes: dict[int, Theme] = {}
        errors: list[str] = []
        for part in LIST_SEPARATORS.split(text):
            part = " ".join(part.split())
            if not part:
                continue
            key = part.lower()
            if key not in self._cache:
                self._cache[key] = self._one(part)
            found = self._cache[key]
            if isinstance(found, str):
                errors.append(found)
            else:
                themes.setdefault(id_of(found), found)
        return list(themes.values()), errors
