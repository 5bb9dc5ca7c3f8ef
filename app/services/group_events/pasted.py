"""Groups and hosts pasted from a spreadsheet: every line is checked first, and on any
problem nothing is written."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlmodel import Session, select

from ...models import AgeGroup, Company, GroupEvent, GroupRequest, HostOffer, School
from ..rows import id_of
from .rules import (
    AGE_WORDS,
    MAX_CAPACITY,
    MAX_GROUP_SIZE,
    MAX_IMPORT_LINES,
    NAME_MAX,
    GroupEventError,
    default_age_group,
    find_group,
    forget_assignment,
    require_draft,
)


def _lines(text: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) of pasted spreadsheet rows: tab, semicolon or comma separated.
    Empty lines and lines starting with # are skipped."""
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        separator = "\t" if "\t" in line else ";" if ";" in line else ","
        rows.append((number, [cell.strip() for cell in line.split(separator)]))
    if len(rows) > MAX_IMPORT_LINES:
        raise GroupEventError(_("Paste at most %(n)s lines at once.", n=MAX_IMPORT_LINES),
                              field="text")
    return rows


def _number(cell: str) -> int | None:
    return int(cell) if re.fullmatch(r"\d{1,6}", cell or "") else None


def _skip_header(rows: list[tuple[int, list[str]]], column: int) -> list:
    """A first row with words where the numbers go is the header row."""
    if rows:
        cells = rows[0][1]
        cell = cells[column] if len(cells) > column else ""
        if _number(cell) is None and any(c.isalpha() for c in cell):
            return rows[1:]
    return rows


def _age_cell(cell: str) -> AgeGroup | None:
    return AGE_WORDS.get(cell.strip().lower())


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int

    @property
    def message(self) -> str:
        return _("%(added)s added, %(updated)s updated.", added=self.added,
                 updated=self.updated)


def import_groups(*, session: Session, event: GroupEvent, text: str) -> ImportResult:
    """Groups pasted from a spreadsheet, one per line: school code, class, size and (optional)
    age group. Every line is checked first; on any problem nothing is written. A group that
    is already there (same school and class) gets the new size and age group."""
    require_draft(event)
    rows = _skip_header(_lines(text), 2)
    if not rows:
        raise GroupEventError(_("Paste at least one line."), field="text")
    schools = {s.code.lower(): s for s in session.exec(
        select(School).where(School.region_id == event.region_id)).all()}
    problems: list[str] = []
    clean: list[tuple[School, str, int, AgeGroup]] = []
    seen: set[tuple[int, str]] = set()
    for number, cells in rows:
        cells = [*cells, "", "", "", ""][:4]
        code, name, size_cell, age_cell = cells
        school = schools.get(code.lower())
        size = _number(size_cell)
        age = _age_cell(age_cell) if age_cell else None
        if school is None:
            problems.append(_("Line %(line)s: no school with code “%(code)s” in this region.",
                              line=number, code=code))
        elif not name or len(name) > NAME_MAX:
            problems.append(_("Line %(line)s: give the class (at most %(n)s characters).",
                              line=number, n=NAME_MAX))
        elif size is None or not 1 <= size <= MAX_GROUP_SIZE:
            problems.append(_("Line %(line)s: the size must be a whole number from 1 to "
                              "%(n)s.", line=number, n=MAX_GROUP_SIZE))
        elif age_cell and age is None:
            problems.append(_("Line %(line)s: unknown age group “%(value)s” (po, onderbouw, "
                              "bovenbouw or mbo).", line=number, value=age_cell))
        elif (school.id, name.lower()) in seen:
            problems.append(_("Line %(line)s: %(school)s %(name)s is on an earlier line too.",
                              line=number, school=school.name, name=name))
        else:
            seen.add((id_of(school), name.lower()))
            clean.append((school, name, size, age or default_age_group(school)))
    if problems:
        raise GroupEventError(_("Nothing was imported: fix these lines and paste them again."),
                              field="text", problems=problems)
    added = updated = 0
    for school, name, size, age in clean:
        existing = find_group(session, event, id_of(school), name)
        if existing is None:
            session.add(GroupRequest(event_id=id_of(event), school_id=id_of(school), name=name,
                                     size=size, age_group=age))
            added += 1
        else:
            existing.size, existing.age_group = size, age
            session.add(existing)
            updated += 1
    forget_assignment(session, event)
    session.commit()
    return ImportResult(added, updated)


def import_hosts(*, session: Session, event: GroupEvent, text: str) -> ImportResult:
    """Hosts pasted from a spreadsheet, one per line: KvK number, capacity and (optional)
    preferred age groups separated by spaces or slashes. Checked first, like groups."""
    require_draft(event)
    rows = _skip_header(_lines(text), 1)
    if not rows:
        raise GroupEventError(_("Paste at least one line."), field="text")
    companies = {c.kvk: c for c in session.exec(
        select(Company).where(Company.region_id == event.region_id)).all()}
    problems: list[str] = []
    clean: list[tuple[Company, int, list[str]]] = []
    seen: set[int] = set()
    for number, cells in rows:
        cells = [*cells, "", "", ""][:3]
        kvk, capacity_cell, ages_cell = cells
        company = companies.get(kvk.replace(" ", ""))
        capacity = _number(capacity_cell)
        words = [w for w in re.split(r"[\s/|+]+", ages_cell) if w]
        ages = [_age_cell(w) for w in words]
        if company is None:
            problems.append(_("Line %(line)s: no company with KvK number “%(kvk)s” in this "
                              "region.", line=number, kvk=kvk))
        elif capacity is None or not 1 <= capacity <= MAX_CAPACITY:
            problems.append(_("Line %(line)s: the capacity must be a whole number from 1 to "
                              "%(n)s.", line=number, n=MAX_CAPACITY))
        elif None in ages:
            problems.append(_("Line %(line)s: unknown age group “%(value)s” (po, onderbouw, "
                              "bovenbouw or mbo).", line=number,
                              value=words[ages.index(None)]))
        elif company.id in seen:
            problems.append(_("Line %(line)s: %(company)s is on an earlier line too.",
                              line=number, company=company.name))
        else:
            seen.add(id_of(company))
            clean.append((company, capacity, [a.value for a in AgeGroup if a in ages]))
    if problems:
        raise GroupEventError(_("Nothing was imported: fix these lines and paste them again."),
                              field="text", problems=problems)
    added = updated = 0
    for company, capacity, ages in clean:
        existing = session.exec(select(HostOffer).where(
            HostOffer.event_id == event.id, HostOffer.company_id == company.id)).first()
        if existing is None:
            session.add(HostOffer(event_id=id_of(event), company_id=id_of(company),
                                  capacity=capacity, age_groups=ages))
            added += 1
        else:
            existing.capacity, existing.age_groups = capacity, ages
            session.add(existing)
            updated += 1
    forget_assignment(session, event)
    session.commit()
    return ImportResult(added, updated)
