"""Builders shared by the import tests (no tests here)."""

from __future__ import annotations

import csv
import io

import pytest
from sqlmodel import Session, func, select

from app.models import ActivityObserver, Participation, Role, Theme, User
from app.services.imports import ImportReport, ImportScope, run_import
from matching.taxonomy import load_themes
from tests import factories

STUDENT_HEADER = ["student_number", "first_name", "last_name", "birth_year", "school_code",
                  "level", "year", "postcode", "travel_km", "gender", "interests", "themes"]
ACTIVITY_HEADER = ["code", "kind", "pillar", "date", "title", "postcode", "host_company_kvk",
                   "themes", "capacity"]
OBSERVATION_HEADER = ["activity_code", "student_number", "themes", "strength", "note",
                      "observer_email"]


def csv_text(rows: list[list[object]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def csv_bytes(rows: list[list[object]], delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    return csv_text(rows, delimiter).encode(encoding)


def student_row(school_code: str, /, number: str = "900001", **overrides) -> list[object]:
    values = {"student_number": number, "first_name": "Noor", "last_name": "Jansen",
              "birth_year": 2011, "school_code": school_code, "level": "vmbo-kb", "year": 3,
              "postcode": "6901", "travel_km": 15, "gender": "meisje",
              "interests": "solderen en robots", "themes": "robotica; elektrotechniek"}
    values.update(overrides)
    return [values[name] for name in STUDENT_HEADER]


def students_file(school_code: str, /, *rows: dict, header=STUDENT_HEADER,
                  delimiter: str = ",") -> bytes:
    body = [student_row(school_code, **row) for row in rows] if rows else [
        student_row(school_code)]
    return csv_bytes([header, *body], delimiter)


def do_import(session: Session, kind: str, data: bytes | str, scope: ImportScope | None = None,
              dry_run: bool = False) -> ImportReport:
    if isinstance(data, str):
        data = data.encode()
    return run_import(session=session, kind=kind, data=data,
                      scope=scope or ImportScope.operator(), dry_run=dry_run)


def scope_of(session: Session, user: User) -> ImportScope:
    return ImportScope.for_user(session=session, user=user)


def count(session: Session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def messages(report: ImportReport) -> str:
    return "\n".join(f"{p.line}|{p.column}|{p.message}" for p in report.problems)


def add_themes(session: Session) -> dict[str, Theme]:
    themes = {}
    for theme in load_themes():
        row = Theme(slug=theme.slug, label_nl=theme.label_nl, label_en=theme.label_en,
                    synonyms=list(theme.synonyms), esco_codes=list(theme.esco_codes),
                    technical=theme.technical)
        session.add(row)
        themes[theme.slug] = row
    session.commit()
    return themes


def make_observer(session: Session, activity, password_hash: str) -> User:
    user = factories.make_user(session, Role.observer, password_hash=password_hash)
    session.add(ActivityObserver(activity_id=activity.id, user_id=user.id))
    session.commit()
    return user


def register(session: Session, activity, *students) -> None:
    for student in students:
        session.add(Participation(activity_id=activity.id, student_id=student.id))
    session.commit()


@pytest.fixture
def themes(session):
    return add_themes(session)
