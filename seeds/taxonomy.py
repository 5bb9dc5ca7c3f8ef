"""The technology themes, and the words people use for them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from app.models import Theme

from .context import Build
from .refdata import themes, words


@dataclass(frozen=True, slots=True)
class ThemeInfo:
    id: int
    slug: str
    label_nl: str
    technical: bool
    said: tuple[str, ...]
    skills: tuple[str, ...]
    role: str
    tasks: tuple[str, ...]
    projects: tuple[str, ...]

    @property
    def label_lower(self) -> str:
        """The label inside a sentence: "ICT en programmeren" stays, "Robotica" becomes lower."""
        head, *rest = self.label_nl.split(" ", 1)
        head = head if head[:2].isupper() else head.lower()
        return " ".join([head, *rest])


class Taxonomy:
    """The themes the migrations put in the database, with the demo vocabulary for each."""

    def __init__(self, build: Build, session: Session) -> None:
        talk = words("theme_words")
        rows = _theme_rows(build, session)
        self.count = len(rows)
        self.all: list[ThemeInfo] = []
        for theme in themes():  # the taxonomy's order, so the same seed draws the same themes
            row = rows.get(theme.slug)
            said = talk.get(theme.slug)
            if row is None or said is None:
                # A theme added after the demo vocabulary (kantoor-administratie) is in the
                # database, but demo people do not pick it: the demo data stays as it was.
                continue
            self.all.append(ThemeInfo(
                id=row.id, slug=theme.slug, label_nl=row.label_nl, technical=row.technical,
                said=tuple(said["said"]), skills=tuple(said["skills"]), role=said["role"],
                tasks=tuple(said["tasks"]), projects=tuple(said["projects"]),
            ))
        self.by_slug = {t.slug: t for t in self.all}
        self.technical = [t for t in self.all if t.technical]


@dataclass(frozen=True, slots=True)
class _ThemeRow:
    id: int
    label_nl: str
    technical: bool


def _theme_rows(build: Build, session: Session) -> dict[str, _ThemeRow]:
    """The themes in the database by slug. Migration 0011 puts the taxonomy there; only a
    schema made without the migrations (the tests' ``create_all``) has none, and gets the
    taxonomy's themes here as migration 0011 would have added them."""
    found = {t.slug: _ThemeRow(t.id, t.label_nl, t.technical)
             for t in session.exec(select(Theme)).all() if t.id is not None}
    if found:
        return found
    for theme in themes():
        row = build.rows.add(
            Theme, slug=theme.slug, label_nl=theme.label_nl, label_en=theme.label_en,
            synonyms=list(theme.synonyms), esco_codes=list(theme.esco_codes),
            technical=theme.technical,
        )
        found[theme.slug] = _ThemeRow(row["id"], theme.label_nl, theme.technical)
    return found
