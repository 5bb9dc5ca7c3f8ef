"""Erasure: a student leaves traces everywhere, asks to be deleted, her counsellor does it on the
website, and every text column of every table is searched for what identified her."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from app.models import (
    Company,
    PinKind,
    ProposalStatus,
    School,
    StudentProfile,
    TalentObservation,
    User,
)
from app.services import matching
from benchmarks.probe import ProbeError
from benchmarks.probe.browser import posted
from benchmarks.probe.world import Probe, say_yes
from tests import factories

S = ProposalStatus


FIRST, LAST = "Zoraida", "Quintelmeijer"
NUMBER, POSTCODE, DREAM = "ERA-77431", "7001", "dronepiloot bij de brandweer"


def _free_postcode(probe: Probe) -> str:
    """A postcode no text holds yet: four digits turn up in ids and hashes by chance."""
    with probe.db() as session:
        texts = [value for _t, _c, value in text_values(session)]
    for candidate in [POSTCODE, *(str(n) for n in range(7002, 7100))]:
        pattern = re.compile(rf"(?<![0-9A-Za-z]){candidate}(?![0-9A-Za-z])")
        if not any(pattern.search(text) for text in texts):
            return candidate
    raise ProbeError("no free postcode for the erasure subject")


def text_columns(engine: sa.Engine) -> list[tuple[str, list[str]]]:
    """Every column of every table that can hold text (strings, enums, JSON), by inspection."""
    inspector = sa.inspect(engine)
    found = []
    for table in sorted(inspector.get_table_names()):
        names = []
        for column in inspector.get_columns(table):
            try:
                kind = column["type"].python_type
            except NotImplementedError:  # JSON and the like: text inside
                kind = str
            if kind in (str, dict, list):
                names.append(column["name"])
        if names:
            found.append((table, names))
    return found


def text_values(session: Session) -> Iterator[tuple[str, str, str]]:
    for table, columns in text_columns(session.get_bind()):
        quoted = ", ".join(f'"{c}"' for c in columns)
        for row in session.execute(sa.text(f'SELECT {quoted} FROM "{table}"')):  # noqa: S608
            for column, value in zip(columns, row, strict=True):
                if value is None:
                    continue
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                yield table, column, text


def traces(session: Session, terms: dict[str, re.Pattern]) -> list[str]:
    return [f"{table}.{column} holds the {what}"
            for table, column, text in text_values(session)
            for what, pattern in terms.items() if pattern.search(text)]


def erasure(probe: Probe) -> tuple[int, int, list[str]]:
    """Returns (text columns searched, mentions before, traces after)."""
    postcode = _free_postcode(probe)
    counsellor = probe.users["counsellor"]
    with probe.db() as session:
        school = session.get(School, probe.ids["school"])
        company = session.get(Company, probe.ids["company"])
        subject = factories.make_student(session, school, password_hash=probe.password_hash,
                                         first_name=FIRST)
        subject.last_name, subject.student_number = LAST, NUMBER
        subject.postcode, subject.dream_job = postcode, DREAM
        subject.interests_text = f"Ik ben {FIRST} en ik bouw drones."
        user = session.get(User, subject.user_id)
        user.email = f"{FIRST}.{LAST}@{probe.tag}.example".lower()
        user.display_name = f"{FIRST} {LAST}"
        factories.give_consent(session, subject).given_by_name = f"ouder van {FIRST} {LAST}"
        observation = TalentObservation(
            activity_id=session.exec(select(TalentObservation.activity_id)).first(),
            student_id=subject.id, observer_id=counsellor, strength=4,
            skills=f"{FIRST} soldeert heel precies", observed_on=date.today())
        session.add(observation)
        declined, kept, pinned = (factories.make_placement(session, company) for _i in range(3))
        no = factories.make_proposal(session, subject, declined, status=S.offered)
        yes = factories.make_proposal(session, subject, kept, status=S.offered)
        noted = factories.make_proposal(session, subject, pinned, status=S.proposed)
        session.commit()
        matching.set_pin(session=session, student=subject, placement=pinned, kind=PinKind.pin,
                         actor=session.get(User, counsellor),
                         note=f"{FIRST} {LAST} wil hier graag heen")
        ids = {"subject": subject.id, "user": user.id, "no": no.id, "yes": yes.id,
               "noted": noted.id, "email": user.email}

    # Her road on the website: a no with a reason (her counsellor is told, by name), a yes
    # that the company accepts, places, completes and comments on, her own feedback, her
    # counsellor's note, and her deletion request.
    student = probe.browser(ids["user"])
    page = student.get("/me/proposals/")
    path = f"/me/proposals/{ids['no']}/decline"
    student.post(path, posted(page, "/me/proposals/", path,
                               reason=f"{FIRST} wil liever iets met drones"))
    browser, path, values = say_yes(probe, ids["yes"], ids["user"])
    browser.post(path, values)
    company = probe.browser(probe.users["company"])
    base = f"/candidates/{ids['yes']}"
    for step in ("accept", "placed", "complete"):
        company.post(f"{base}/{step}", posted(company.get(base), base, f"{base}/{step}"))
    company.post(f"{base}/feedback", posted(company.get(base), base, f"{base}/feedback",
                                             would_host_again="yes",
                                             comment=f"{FIRST} was geweldig"))
    mine = f"/candidates/mine/{ids['yes']}/feedback"
    student.post(mine, posted(student.get(mine), mine, mine, would_recommend="yes",
                               learned=f"Ik, {FIRST} {LAST}, leerde solderen"))
    desk = probe.browser(counsellor)
    review = f"/review/{ids['noted']}"
    desk.post(f"{review}/note", posted(desk.get(review), review, f"{review}/note",
                                        note=f"Gesproken met {FIRST} over drones"))
    student.post("/me/privacy", posted(student.get("/me/privacy"), "/me/privacy",
                                        "/me/privacy", confirm="y"))

    terms = {what: re.compile(pattern, re.IGNORECASE) for what, pattern in {
        "first name": re.escape(FIRST), "last name": re.escape(LAST),
        "full name": re.escape(f"{FIRST} {LAST}"), "e-mail": re.escape(ids["email"]),
        "student number": re.escape(NUMBER), "dream job": re.escape(DREAM),
        "postcode": rf"(?<![0-9A-Za-z]){postcode}(?![0-9A-Za-z])"}.items()}
    with probe.db() as session:
        before = len(traces(session, terms))
        requested = session.get(StudentProfile, ids["subject"]).deletion_requested_at
    if requested is None:
        raise ProbeError("the student's deletion request did not arrive")
    page = desk.get("/students/deletions")
    path = f"/students/{ids['subject']}/anonymise"
    answer = desk.post(path, posted(page, "/students/deletions", path))
    with probe.db() as session:
        erased = session.get(StudentProfile, ids["subject"]).anonymised_at is not None
        found = traces(session, terms)
        columns = sum(len(c) for _t, c in text_columns(session.get_bind()))
    if not erased:
        found.append(f"the anonymise form answered {answer.status} and erased nothing")
    return columns, before, found
