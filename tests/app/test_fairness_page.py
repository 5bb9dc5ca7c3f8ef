"""The fairness page (coordinators their region's rounds, admins all) and `talentmatch audit
fairness`."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from click.testing import CliRunner
from sqlmodel import select

from app.cli import main
from app.models import MatchRound
from app.services.matching import Scope, run_matching
from matching.fairness import FairnessAudit
from tests.matching.test_fairness import small_case

TODAY = date(2026, 1, 15)


def stored_audit() -> dict:
    scorer, students, genders = small_case()
    return {**FairnessAudit(scorer, random_state=1).fit(students, genders).report_.to_json(),
            "computed": "with_round"}


@pytest.fixture
def rounds(world, session):
    """A round of each kind of group, each with the small hand-computed audit."""
    made = {}
    for key, scope in (("home_region", f"region:{world.home.region.slug}"),
                       ("home_school", f"school:{world.home.school.code}"),
                       ("away_region", f"region:{world.away.region.slug}"),
                       ("everyone", "all")):
        made[key] = MatchRound(scope=scope, fairness_audit=stored_audit())
        session.add(made[key])
    session.commit()
    return made


def shown_rounds(page: str) -> set[int]:
    return {int(n) for n in re.findall(r"/fairness/\?round=(\d+)", page)}


def test_a_coordinator_sees_the_rounds_of_their_region_and_its_schools_only(
        world, rounds, client, login):
    login(world.home.coordinator)
    page = client.get("/fairness/")
    assert page.status_code == 200
    assert shown_rounds(page.text) == {rounds["home_region"].id, rounds["home_school"].id}
    assert world.home.region.name in page.text and world.home.school.name in page.text
    for other in ("away_region", "everyone"):
        assert client.get(f"/fairness/?round={rounds[other].id}").status_code == 404
    assert client.get("/fairness/?round=999999").status_code == 404


def test_an_admin_sees_every_round(world, rounds, client, login):
    login(world.admin)
    page = client.get("/fairness/")
    assert shown_rounds(page.text) == {r.id for r in rounds.values()}
    assert client.get(f"/fairness/?round={rounds['away_region'].id}").status_code == 200


def test_students_counsellors_and_companies_have_no_fairness_page(world, rounds, client,
                                                                  login):
    for user in (world.home.student_user, world.home.counsellor, world.home.company_user):
        login(user)
        assert client.get("/fairness/").status_code == 403


def test_a_round_shows_its_figures_as_charts_with_the_tables_behind_them(world, rounds, client,
                                                                        login):
    login(world.admin)
    page = client.get(f"/fairness/?round={rounds['home_region'].id}").text
    for chart in ("chart-ratios", "chart-ndcg", "chart-exposure", "chart-share"):
        block = page.split(f'data-testid="{chart}"')[1].split("</figure>")[0]
        assert "<svg" in block and block.count('class="chart-bar"') >= 2, chart
    assert page.count('class="chart-data"') == 3
    # The hand-computed case: girls/boys exposure 0.82 (see tests/matching/test_fairness.py).
    assert "0,82" in page or "0.82" in page
    assert 'data-testid="fairness-figures"' in page


def test_a_round_without_an_audit_or_with_a_failed_one_says_so(world, session, client, login):
    empty = MatchRound(scope="all")
    failed = MatchRound(scope="all", fairness_audit={"format": "talentmatch-fairness/1",
                                                      "failed": True})
    session.add_all([empty, failed])
    session.commit()
    login(world.admin)
    for round_, command in ((empty, f"--round {empty.id}"),
                            (failed, f"--round {failed.id} --recompute")):
        page = client.get(f"/fairness/?round={round_.id}")
        assert page.status_code == 200 and command in page.text
        assert 'data-testid="chart-exposure"' not in page.text


def test_a_coordinator_without_rounds_sees_an_empty_page(world, client, login):
    login(world.home.coordinator)
    page = client.get("/fairness/")
    assert page.status_code == 200 and 'data-testid="fairness-round"' not in page.text


def test_a_round_run_on_the_page_data_has_its_audit_on_the_page(world, session, client, login):
    round_ = run_matching(session=session, scope=Scope(region=world.home.region), actor=None,
                          seed=1, today=TODAY)
    login(world.home.coordinator)
    page = client.get("/fairness/")
    assert shown_rounds(page.text) == {round_.id}
    assert 'data-testid="fairness-figures"' in page.text


# -- talentmatch audit fairness -----------------------------------------------------------------

@pytest.fixture
def run(database_url, monkeypatch):
    monkeypatch.setenv("TALENTMATCH_ENV", "testing")
    monkeypatch.setenv("DATABASE_URL", database_url)

    def invoke(*args):
        return CliRunner().invoke(main, ["audit", "fairness", *args], catch_exceptions=False)

    return invoke


def test_the_command_shows_the_latest_round_as_a_table_and_any_round_as_json(
        world, rounds, run):
    latest = run()
    assert latest.exit_code == 0, latest.output
    assert f"round {rounds['everyone'].id} (all)" in latest.output
    assert re.search(r"exposure, equal interest and talent\s+0\.81[56]", latest.output)
    assert "no change" in latest.output and "Per stratum" in latest.output
    one = run("--round", str(rounds["home_school"].id), "--json")
    data = json.loads(one.output)
    assert data["round"] == rounds["home_school"].id and \
        data["audit"]["exposure"]["value"] == pytest.approx(0.8155, abs=1e-4)


def test_the_command_audits_a_round_that_has_none_and_stores_it(world, session, run):
    run_matching(session=session, scope=Scope(), actor=None, seed=2, today=TODAY)
    round_ = session.exec(select(MatchRound)).one()
    round_.fairness_audit = {}
    session.add(round_)
    session.commit()
    result = run("--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["audit"]["computed"] == "afterwards"
    session.expire_all()
    assert session.get(MatchRound, round_.id).fairness_audit["computed"] == "afterwards"
    again = run("--recompute")
    assert "audited afterwards" in again.output


def test_the_command_says_what_is_wrong(world, session, run):
    nothing = CliRunner().invoke(main, ["audit", "fairness"])
    assert nothing.exit_code == 1 and "No matching round" in nothing.output
    unknown = CliRunner().invoke(main, ["audit", "fairness", "--round", "12345"])
    assert unknown.exit_code == 2 and "there is no round 12345" in unknown.output
    session.add(MatchRound(scope="school:GONE"))
    session.commit()
    gone = CliRunner().invoke(main, ["audit", "fairness"])
    assert gone.exit_code == 1 and "no longer exists" in gone.output
