"""A new region from an empty database to its first matching round, with no seed: the walk of
the README's "Een regio opzetten / Setting up a region", on the documented example files."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from click.testing import CliRunner
from sqlmodel import Session, func, select

from app.cli import main
from app.db import make_engine
from app.models import (
    Activity,
    Company,
    MatchProposal,
    Participation,
    Placement,
    Region,
    School,
    StudentProfile,
    TalentObservation,
    Theme,
    User,
)
from matching.geo import distance_km

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
PASSWORD = "een lang wachtwoord voor de regio"  # noqa: S105 - a test account
# The example placements run in the school year 2026/27: its snuffelstage ends on 16-10-2026,
# so a round on a later day has no open vmbo placement: `match --today` runs it as on this day.
ROUND_DAY = date(2026, 9, 1)


def _count(session: Session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_a_region_goes_from_an_empty_database_to_its_first_round(
        empty_database_url, monkeypatch, tmp_path):
    monkeypatch.setenv("TALENTMATCH_ENV", "testing")
    monkeypatch.setenv("DATABASE_URL", empty_database_url)

    def talentmatch(*args: str, ok: bool = True):
        result = CliRunner().invoke(main, list(args), catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, (args, result.output)
        return result

    assert "Database is up to date." in talentmatch("init-db").output
    engine = make_engine(empty_database_url)
    with Session(engine) as session:
        assert _count(session, Theme) > 20  # the taxonomy comes with the migrations
        assert _count(session, Region) == _count(session, School) == _count(session, User) == 0

    talentmatch("create-user", "--email", "beheer@regio.example", "--role", "admin",
                "--name", "Beheer", "--password", PASSWORD)
    expected = {"regions": "Regions: 4 added", "schools": "Schools: 4 added",
                "companies": "Companies: 3 added", "placements": "Placements: 4 added",
                "students": "Students: 4 added"}
    for kind, summary in expected.items():
        output = talentmatch("import", kind, str(EXAMPLES / f"{kind}.csv"), "--lang", "en").output
        assert summary in output and "problem" not in output, (kind, output)

    # The observations file names its observers: they need accounts before it is imported.
    talentmatch("create-user", "--email", "counsellor@talentmatch.example", "--role",
                "counsellor", "--school", "85NR", "--password", PASSWORD)
    talentmatch("create-user", "--email", "scout@talentmatch.example", "--role", "observer",
                "--region", "liemers", "--password", PASSWORD)
    activities = EXAMPLES / "activities.csv"
    for kind, path, summary in (
            ("activities", activities, "Activities: 3 added"),
            ("participations", EXAMPLES / "participations.csv", "Participations: 5 added"),
            ("observations", EXAMPLES / "observations.csv", "Talent observations: 4 added")):
        output = talentmatch("import", kind, str(path), "--lang", "en").output
        assert summary in output and "problem" not in output, (kind, output)

    with Session(engine, expire_on_commit=False) as session:
        counts = {model.__name__: _count(session, model) for model in (
            Region, School, Company, Placement, StudentProfile, Activity, Participation,
            TalentObservation)}
        roles = sorted(user.role.value for user in session.exec(select(User)).all())
    assert counts == {"Region": 4, "School": 4, "Company": 3, "Placement": 4,
                      "StudentProfile": 4, "Activity": 3, "Participation": 5,
                      "TalentObservation": 4}
    # Lieke, the one student with an e-mail address, and the company's contact get accounts
    # without a password, to be reached by an invitation.
    assert roles == ["admin", "company", "counsellor", "observer", "student"]

    output = talentmatch("match", "--region", "liemers", "--seed", "7",
                         "--today", ROUND_DAY.isoformat()).output
    round_id = int(re.search(r"Round (\d+)", output).group(1))

    with Session(engine) as session:
        proposals = session.exec(select(MatchProposal).where(
            MatchProposal.round_id == round_id)).all()
        assert len(proposals) >= 2
        assert len({p.student_id for p in proposals}) == len(proposals)  # one per student
        for proposal in proposals:
            student = session.get(StudentProfile, proposal.student_id)
            placement = session.get(Placement, proposal.placement_id)
            assert student is not None and placement is not None
            assert student.level.value in placement.levels, (student.level, placement.levels)
            assert not student.wanted_kinds or placement.kind.value in student.wanted_kinds
            km = distance_km(student.postcode, placement.postcode)
            assert km is not None and km <= student.travel_km, (student.postcode, km)
            assert placement.starts_on is None or placement.starts_on >= ROUND_DAY
        assert session.exec(select(sa.func.count()).select_from(MatchProposal).where(
            MatchProposal.round_id != round_id)).one() == 0
    engine.dispose()
