"""ESCO occupations as the normaliser reads them: records, matches, loading and fields.

``load_occupations(path)`` reads the shipped CSV (``data/esco_occupations_nl.csv.gz``) or one in
ESCO's or the benchmark's columns; ``as_occupation(record)`` turns a mapping into an
:class:`Occupation`; ``parse_fields("preferredLabel+altLabels")`` names the fields a normaliser
may search. :class:`Match` is what a normaliser returns for a text.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "data" / "esco_occupations_nl.csv.gz"
LABEL_FIELDS = ("preferredLabel", "altLabels", "hiddenLabels")
FIELDS = (*LABEL_FIELDS, "description")


@dataclass(frozen=True, slots=True)
class Occupation:
    """One ESCO occupation as the normaliser needs it."""

    uri: str
    code: str
    isco_group: str
    preferred_label: str
    alt_labels: tuple[str, ...] = ()
    description: str = ""
    hidden_labels: tuple[str, ...] = ()

    def labels(self, fields: Iterable[str] = LABEL_FIELDS) -> tuple[str, ...]:
        """The labels in ``fields``, preferred label first, without repeats."""
        fields = set(fields)
        out = [self.preferred_label] if "preferredLabel" in fields else []
        if "altLabels" in fields:
            out.extend(self.alt_labels)
        if "hiddenLabels" in fields:
            out.extend(self.hidden_labels)
        return tuple(dict.fromkeys(label for label in out if label.strip()))

    def texts(self, fields: Iterable[str] = FIELDS) -> tuple[str, ...]:
        fields = tuple(fields)
        description = (self.description,) if "description" in fields else ()
        return (*self.labels(fields), *description)


@dataclass(frozen=True, slots=True)
class Match:
    """An occupation a text may name; higher scores are better (see the module docstring)."""

    code: str
    uri: str
    label: str
    score: float


OccupationLike = Occupation | Mapping[str, str]


def _split_labels(value: str | Sequence[str] | None) -> tuple[str, ...]:
    if not value:
        return ()
    if not isinstance(value, str):
        return tuple(v.strip() for v in value if v.strip())
    separator = "\n" if "\n" in value else "|"
    return tuple(v.strip() for v in value.split(separator) if v.strip())


def as_occupation(record: OccupationLike) -> Occupation:
    """An ``Occupation`` from itself or a mapping with ESCO or benchmark column names."""
    if isinstance(record, Occupation):
        return record
    uri = record.get("uri") or record.get("conceptUri") or record.get("target_id") or ""
    return Occupation(
        uri=uri,
        code=record.get("code") or "",
        isco_group=record.get("iscoGroup") or record.get("isco_group") or "",
        preferred_label=record.get("preferredLabel") or record.get("preferred_label") or "",
        alt_labels=_split_labels(record.get("altLabels") or record.get("alt_labels")),
        description=record.get("description") or "",
        hidden_labels=_split_labels(record.get("hiddenLabels") or record.get("hidden_labels")),
    )


def load_occupations(path: Path | str = DATA) -> tuple[Occupation, ...]:
    """Occupations from a CSV (gzipped if it ends in .gz) in ESCO, benchmark or package format."""
    path = Path(path)
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))
    return tuple(as_occupation(row) for row in reader)


def parse_fields(fields: str | Iterable[str]) -> tuple[str, ...]:
    """'preferredLabel+altLabels' -> ('preferredLabel', 'altLabels'); unknown names raise."""
    names = tuple(f.strip() for f in (fields.split("+") if isinstance(fields, str) else fields))
    unknown = [name for name in names if name not in FIELDS]
    if unknown or not names:
        raise ValueError(f"unknown field(s) {', '.join(unknown) or '(none)'}; "
                         f"known: {', '.join(FIELDS)}")
    return names


@dataclass(frozen=True, slots=True)
class LabelRows:
    """Every label of ``fields``, occupation by occupation, and the occupation of each."""

    texts: list[str]
    owners: list[int]  # index into the occupations


def label_rows(occupations: Sequence[Occupation], fields: Iterable[str]) -> LabelRows:
    fields = tuple(fields)
    texts, owners = [], []
    for index, occupation in enumerate(occupations):
        for label in occupation.labels(fields):
            texts.append(label)
            owners.append(index)
    return LabelRows(texts, owners)
