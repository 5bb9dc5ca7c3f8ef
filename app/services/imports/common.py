"""What every kind of import shares: reading a row's cells, lookups in bulk, duplicates."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask_babel import gettext as _
from rapidfuzz import fuzz, process
from sqlalchemy import insert
from sqlmodel import Session, col, select

from ...models import Region, Role, School, StudentProfile, Theme
from ..rows import id_of, table_of
from .columns import COLUMNS, HEADER_LINE, ColumnMap
from .problems import ImportChange, Problems
from .reading import Row
from .scope import ImportScope
from .values import Invalid, ThemeResolver, compact, shown, text_value

T = TypeVar("T")
# Values per IN (...): far below the limits of SQLite (32766) and PostgreSQL (65535).
CHUNK = 1000


def chunks(values: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    items = list(values)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def fetch_in(session: Session, values: Iterable, query: Callable[[list], Any]) -> list:
    """Rows of ``query(chunk)`` for every chunk of ``values``: a few queries, not one per row."""
    found: list = []
    for chunk in chunks(dict.fromkeys(values)):
        found.extend(session.exec(query(chunk)).all())
    return found


@dataclass
class Context:
    session: Session
    scope: ImportScope
    kind: str
    columns: ColumnMap
    problems: Problems
    _themes: ThemeResolver | None = None
    _schools: dict[str, School] | None = None
    _schools_by_id: dict[int, School] | None = None

    def themes(self) -> ThemeResolver:
        if self._themes is None:
            self._themes = ThemeResolver(self.session.exec(select(Theme)).all())
        return self._themes

    def schools(self) -> dict[str, School]:
        """Every school by its code in upper case (a few hundred rows at most)."""
        if self._schools is None:
            self._schools = {s.code.upper(): s for s in self.session.exec(select(School)).all()}
        return self._schools

    def school_by_id(self) -> dict[int, School]:
        if self._schools_by_id is None:
            self._schools_by_id = {id_of(s): s for s in self.schools().values()}
        return self._schools_by_id

    def header(self, key: str) -> str:
        return self.columns.header.get(key, key)

    def label(self, key: str) -> str:
        return next(c.label for c in COLUMNS[self.kind] if c.key == key)

    def problem(self, line: int, key: str | None, message: str) -> None:
        self.problems.add(line, self.header(key) if key else None, message)

    def unknown_school(self, code: str) -> str:
        """What to say about a school code that is not (or not this importer's) school."""
        if self.scope.school_code and not self.scope.full:
            return _("Unknown school code '%(code)s'. Use the code of your school, %(own)s.",
                     code=shown(code), own=self.scope.school_code)
        codes = sorted(c for c, s in self.schools().items() if self.scope.sees_student_of(s))
        if not codes:
            return _("Unknown school code '%(code)s': there are no schools in Talentmatch yet.",
                     code=shown(code))
        closest = process.extractOne(code.upper(), codes, scorer=fuzz.ratio, score_cutoff=70)
        if closest is not None:
            return _("Unknown school code '%(code)s'. Did you mean %(example)s?",
                     code=shown(code), example=closest[0])
        return _("Unknown school code '%(code)s'. Use the code of one of your schools, "
                 "e.g. %(example)s.", code=shown(code), example=codes[0])


class RowReader:
    """The cells of one row by column key; parse problems are recorded under the file's header."""

    def __init__(self, ctx: Context, row: Row):
        self.ctx = ctx
        self.row = row
        self.line = row.line
        self.failed = False

    def has(self, key: str) -> bool:
        return self.ctx.columns.has(key)

    def raw(self, key: str) -> str:
        position = self.ctx.columns.index.get(key)
        if position is None or position >= len(self.row.cells):
            return ""
        return self.row.cells[position]

    def problem(self, key: str | None, message: str) -> None:
        self.failed = True
        self.ctx.problem(self.line, key, message)

    def get(self, key: str, parser: Callable[..., T], *, required: bool = True,
            **options) -> T | None:
        """The parsed cell; None when empty (a problem if ``required``) or not valid."""
        text = self.raw(key)
        if not text:
            if required:
                self.problem(key, _("This cell is empty. Fill in %(column)s.",
                                    column=self.ctx.label(key)))
            return None
        try:
            return parser(text, **options)
        except Invalid as error:
            self.problem(error.column or key, error.message)
            return None

    def themes(self, key: str = "themes", *, required: bool = False) -> list[Theme] | None:
        text = self.raw(key)
        if not text:
            if required:
                self.problem(key, _("This cell is empty. Fill in at least one theme, e.g. "
                                    "robotica; elektrotechniek."))
                return None
            return []
        themes, errors = self.ctx.themes().resolve(text)
        for message in errors:
            self.problem(key, message)
        return None if errors else themes


def text_cell(limit: int, *, single_line: bool = True) -> Callable[[str], str]:
    return lambda text: text_value(text, limit=limit, single_line=single_line)


class FirstLines:
    """Remembers the line where each key first appeared, to report a key given twice."""

    def __init__(self) -> None:
        self.lines: dict[Any, int] = {}

    def first(self, key: Any, line: int) -> int | None:
        """The earlier line with ``key``, or None when this is the first (now remembered)."""
        earlier = self.lines.setdefault(key, line)
        return None if earlier == line else earlier


def load_regions(session: Session) -> dict[str, Region]:
    """Every region by its slug and by its name, compacted (a handful of rows)."""
    regions: dict[str, Region] = {}
    for region in session.exec(select(Region)).all():
        regions[compact(region.slug)] = region
        regions[compact(region.name)] = region
    return regions


def needs_region_column(ctx: Context, message: str) -> bool:
    """The operator and an administrator name the region of each row: one problem when the
    file has no region column. True when that is the case."""
    if ctx.scope.full and not ctx.columns.has("region"):
        ctx.problem(HEADER_LINE, None, message)
        return True
    return False


def pick_region(r: RowReader, regions: dict[str, Region],
                outside: Callable[[Region], str]) -> Region | None:
    """The region of a row: the one its region cell names (operator and administrator), or
    the importer's own, which a cell may repeat; ``outside(own)`` says what to do when the
    cell names another region."""
    ctx = r.ctx
    text = r.raw("region")
    if ctx.scope.full:
        if not text:
            r.problem("region", _("This cell is empty. Fill in %(column)s.",
                                  column=ctx.label("region")))
            return None
        region = regions.get(compact(text))
        if region is None:
            names = ", ".join(sorted({reg.slug for reg in regions.values()}))
            r.problem("region", _("Unknown region '%(value)s'. Write one of: %(regions)s.",
                                  value=shown(text), regions=names or "—"))
        return region
    own = next(reg for reg in regions.values() if reg.id == ctx.scope.region_id)
    if text and regions.get(compact(text)) is not own:
        r.problem("region", outside(own))
        return None
    return own


def region_name(regions: dict[str, Region], region_id: int) -> str:
    return next(r.name for r in regions.values() if r.id == region_id)


@dataclass
class Plan:
    """What a checked file will do: counted as it is planned, applied by ``write``."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[ImportChange] = field(default_factory=list)
    items: list[Any] = field(default_factory=list)

    def create(self, line: int, key: str, item: Any = None) -> None:
        self.created += 1
        self.changes.append(ImportChange(line, "create", key))
        if item is not None:
            self.items.append(item)

    def update(self, line: int, key: str, columns: Iterable[str], item: Any = None) -> None:
        self.updated += 1
        self.changes.append(ImportChange(line, "update", key, tuple(dict.fromkeys(columns))))
        if item is not None:
            self.items.append(item)

    def keep(self) -> None:
        self.unchanged += 1


def find_students(ctx: Context, numbers: Iterable[str]) -> dict[str, list[StudentProfile]]:
    """The students with these numbers that the importer may record activity for, by number."""
    schools = ctx.school_by_id()
    visible = [sid for sid, school in schools.items() if ctx.scope.sees_student_of(school)]
    found: dict[str, list[StudentProfile]] = {}
    if not visible:
        return found
    query = select(StudentProfile).where(col(StudentProfile.anonymised_at).is_(None))
    if not ctx.scope.full:
        query = query.where(col(StudentProfile.school_id).in_(visible))
    number = col(StudentProfile.student_number)
    for student in fetch_in(ctx.session, numbers,
                            lambda chunk: query.where(number.in_(chunk))):
        found.setdefault(student.student_number, []).append(student)
    return found


def pick_student(reader: RowReader, found: dict[str, list[StudentProfile]]
                 ) -> StudentProfile | None:
    """The one student a row names, by number and (when needed) school code."""
    ctx = reader.ctx
    number = reader.raw("student_number")
    if not number:
        reader.problem("student_number", _("This cell is empty. Fill in %(column)s.",
                                           column=ctx.label("student_number")))
        return None
    candidates = found.get(number, [])
    code = reader.raw("school_code")
    if code:
        school = ctx.schools().get(code.upper())
        if school is None or not ctx.scope.sees_student_of(school):
            reader.problem("school_code", ctx.unknown_school(code))
            return None
        candidates = [s for s in candidates if s.school_id == school.id]
    if not candidates:
        if ctx.scope.role is Role.counsellor:
            message = _("There is no student with number %(number)s at your school. Check the "
                        "number, or import the student first.", number=shown(number))
        else:
            message = _("There is no student with number %(number)s. Check the number, or "
                        "import the student first.", number=shown(number))
        reader.problem("student_number", message)
        return None
    if len(candidates) > 1:
        schools = ctx.school_by_id()
        codes = sorted(schools[s.school_id].code for s in candidates)
        reader.problem("student_number", _(
            "Student number %(number)s is used at more than one school (%(schools)s). Add a "
            "column school_code (schoolcode) with the student's school.",
            number=shown(number), schools=", ".join(codes)))
        return None
    return candidates[0]


def student_key(ctx: Context, student: StudentProfile) -> str:
    school = ctx.school_by_id().get(student.school_id)
    return f"{school.code if school else '?'} {student.student_number}"


def insert_rows(session: Session, model, rows: list[dict], *, returning_ids: bool = False
                ) -> list[int]:
    """Insert many rows in a few statements (no model objects: 10,000 rows take seconds).

    ``rows`` must all have the same keys. With ``returning_ids`` the new ids come back in
    the order of ``rows``. Column defaults (created_at, session tokens, ...) are filled in
    per row as usual. A Core insert on the table: the ORM's bulk insert would split the rows
    into small batches wherever a value is None.
    """
    if not rows:
        return []
    table = table_of(model)
    if returning_ids:
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(session.execute(statement, rows).scalars())
    session.execute(insert(table), rows)
    return []
