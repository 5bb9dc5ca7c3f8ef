"""The counsellor's review queue: these schools' students' proposals, filtered, sorted and
one page at a time (a counsellor decides on a page at once with "select all")."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from ..models import (
    Company,
    MatchProposal,
    Placement,
    PlacementTheme,
    ProposalStatus,
    StudentProfile,
    Theme,
)

SORTS = ("student", "score", "distance", "placement")
PAGE_SIZE = 100  # proposals per page
_THEIRS = aliased(StudentProfile)  # made once: an alias is costly to make at every query


@dataclass(frozen=True)
class ReviewFilters:
    status: str = ProposalStatus.proposed.value
    level: str = ""
    class_name: str = ""
    kind: str = ""
    theme: str = ""
    max_km: float | None = None
    sort: str = "student"
    group: str = "student"


@dataclass(frozen=True)
class ReviewRow:
    proposal: MatchProposal
    student: StudentProfile
    placement: Placement
    company: Company


@dataclass(frozen=True)
class ReviewPage:
    rows: list[ReviewRow]
    total: int  # rows with these filters, on every page
    page: int
    pages: int
    per_page: int = PAGE_SIZE

    @property
    def first(self) -> int:
        """The number of this page's first row (1 for the first row of all)."""
        return (self.page - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return (self.page - 1) * self.per_page + len(self.rows)


def review_page(*, session: Session, school_ids: list[int] | None, filters: ReviewFilters,
                page: int = 1, per_page: int = PAGE_SIZE) -> ReviewPage:
    """One page of these schools' students' proposals, filtered and sorted; a page beyond
    the last is the last. One query when the page asked for is the last (a queue of fewer
    than ``per_page``, most often), two when more may follow, whatever the number of
    proposals."""
    sort = filters.sort if filters.sort in SORTS else "student"
    shape = _shape(school_ids, filters)
    query, count = _statements(shape, sort, filters.group == "placement")
    params = _params(school_ids, filters)
    page = max(1, page)
    rows = session.execute(query.offset((page - 1) * per_page).limit(per_page), params).all()
    if rows and len(rows) < per_page:  # the last page: the total follows
        total = (page - 1) * per_page + len(rows)
    else:
        total = session.execute(count, params).scalar_one()
        last = max(1, -(-total // per_page))
        if page > last:
            page = last
            rows = session.execute(query.offset((page - 1) * per_page).limit(per_page),
                                   params).all()
    pages = max(1, -(-total // per_page))
    return ReviewPage([ReviewRow(*row) for row in rows], total, page, pages, per_page)


def _shape(school_ids: list[int] | None, filters: ReviewFilters) -> tuple[bool, ...]:
    """Which conditions the query has; their values go in as parameters."""
    return (school_ids is not None, bool(filters.status), bool(filters.level),
            bool(filters.class_name), bool(filters.kind), bool(filters.theme),
            filters.max_km is not None)


def _params(school_ids: list[int] | None, filters: ReviewFilters) -> dict[str, object]:
    return {"school_ids": school_ids or [], "status": filters.status, "level": filters.level,
            "class_name": filters.class_name, "kind": filters.kind, "theme": filters.theme,
            "max_km": filters.max_km}


# Kept per process, one pair per combination of filters, sort and grouping (at most 2^7 x 4
# x 2): putting the queue's query together cost about as much CPU as running it (issue 20).
@functools.cache
def _statements(shape: tuple[bool, ...], sort: str, by_placement: bool
                ) -> tuple[sa.Select, sa.Select]:
    order = {
        "student": (StudentProfile.class_name, StudentProfile.last_name,
                    StudentProfile.first_name),
        "score": (col(MatchProposal.score).desc(),),
        "distance": (MatchProposal.distance_km,),
        "placement": (Company.name, Placement.title),
    }[sort]
    if by_placement:
        order = (Company.name, Placement.title, *order)
    query = (_review_query(shape, MatchProposal, StudentProfile, Placement, Company)
             .order_by(*order, col(MatchProposal.id)))
    return query, _review_query(shape, sa.func.count())


def _review_query(shape: tuple[bool, ...], *columns):
    by_school, status, level, class_name, kind, theme, max_km = shape
    query = (sa.select(*columns).select_from(MatchProposal)
             .join(StudentProfile, col(StudentProfile.id) == MatchProposal.student_id)
             .join(Placement, col(Placement.id) == MatchProposal.placement_id)
             .join(Company, col(Company.id) == Placement.company_id)
             .where(col(StudentProfile.anonymised_at).is_(None)))
    if by_school:
        # Said twice on purpose: with the schools' students as a list of their own, the
        # planner looks their proposals up by student (an index) instead of joining every
        # proposal there is (1.8 ms against 0.2 for a school of 80 among 20,000 students).
        theirs = _THEIRS
        query = query.where(
            col(StudentProfile.school_id).in_(sa.bindparam("school_ids", expanding=True)),
            col(MatchProposal.student_id).in_(
                select(theirs.id).where(col(theirs.school_id).in_(
                    sa.bindparam("school_ids", expanding=True)))))
    if status:
        query = query.where(col(MatchProposal.status) == sa.bindparam("status"))
    if level:
        query = query.where(col(StudentProfile.level) == sa.bindparam("level"))
    if class_name:
        query = query.where(col(StudentProfile.class_name) == sa.bindparam("class_name"))
    if kind:
        query = query.where(col(Placement.kind) == sa.bindparam("kind"))
    if theme:
        query = query.where(sa.exists().where(
            col(PlacementTheme.placement_id) == Placement.id,
            col(PlacementTheme.theme_id) == Theme.id, col(Theme.slug) == sa.bindparam("theme")))
    if max_km:
        query = query.where(col(MatchProposal.distance_km) <= sa.bindparam("max_km"))
    return query


def classes_of(*, session: Session, school_ids: list[int] | None) -> list[str]:
    return filter_choices(session=session, school_ids=school_ids)[0]


def _choices_statement(by_school: bool) -> sa.CompoundSelect:
    classes = select(sa.literal("class").label("kind"),
                     col(StudentProfile.class_name).label("key"),
                     sa.literal("").label("name")).distinct().where(
        col(StudentProfile.class_name) != "")
    if by_school:
        classes = classes.where(
            col(StudentProfile.school_id).in_(sa.bindparam("school_ids", expanding=True)))
    themes = select(sa.literal("theme"), col(Theme.slug), col(Theme.label_nl))
    return sa.union_all(classes, themes).order_by(
        sa.literal_column("kind"), sa.literal_column("name"), sa.literal_column("key"))


# Built once per process, as the review queue asks on every view (issue 20).
_CHOICES = {by_school: _choices_statement(by_school) for by_school in (False, True)}


def filter_choices(*, session: Session,
                   school_ids: list[int] | None) -> tuple[list[str], list[tuple[str, str]]]:
    """What the queue's filters offer: these schools' class names, and every theme as (slug,
    Dutch label) by label; in one query."""
    by_school = school_ids is not None
    found = session.execute(_CHOICES[by_school],
                            {"school_ids": school_ids} if by_school else {}).all()
    return (sorted(key for kind, key, _name in found if kind == "class"),
            [(key, name) for kind, key, name in found if kind == "theme"])
