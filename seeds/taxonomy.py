"""The technology themes, and the words people use for them."""

from __future__ import annotations

from dataclasses import dataclass

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
    def __init__(self, build: Build) -> None:
        talk = words("theme_words")
        self.all: list[ThemeInfo] = []
        for theme in themes():
            row = build.rows.add(
                Theme, slug=theme.slug, label_nl=theme.label_nl, label_en=theme.label_en,
                synonyms=list(theme.synonyms), esco_codes=list(theme.esco_codes),
                technical=theme.technical,
            )
            said = talk.get(theme.slug)
            if said is None:
                # A theme added after the demo vocabulary (kantoor-administratie) is in the
                # database, but demo people do not pick it: the demo data stays as it was.
                continue
            self.all.append(ThemeInfo(
                id=row["id"], slug=theme.slug, label_nl=theme.label_nl,
                technical=theme.technical, said=tuple(said["said"]),
                skills=tuple(said["skills"]), role=said["role"], tasks=tuple(said["tasks"]),
                projects=tuple(said["projects"]),
            ))
        self.by_slug = {t.slug: t for t in self.all}
        self.technical = [t for t in self.all if t.technical]
