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
from matching.fairness_strata import group_figures, worst_group
from tests.matching.test_fairness import small_case
from tests.matching.test_fairness_strata import people

TODAY = date(2026, 1, 15)
# Groups counted by hand (stance, talent, gender, students, technical proposals, proposals):
# twins, girls with strong talent who name nothing (12 of 45 technical) beside brothers who
# name technology (33 of 45); girls who name technology too; a small group, worse still.
GROUPS = [("none", "strong", "girl", 45, 12, 40), ("technical", "strong", "boy", 45, 33, 41),
          ("technical", "strong", "girl", 30, 27, 30),
          ("other", "some", "girl", 5, 0, 5), ("other", "some", "boy", 6, 5, 6)]
HEADLINE_NL = ("In de groep met sterk technisch talent en nog geen genoemde belangstelling "
               "krijgen meisjes 0,36 keer zo vaak een technische plek voorgesteld als jongens "
               "met sterk technisch talent, wat die ook noemen (12 van 45 meisjes, 33 van 45 "
               "jongens).")
HEADLINE_EN = ("In the group with strong technical talent and no stated interest yet, girls are "
               "proposed a technical placement 0.36 times as often as boys with strong "
               "technical talent, whatever they state (12 of 45 girls, 33 of 45 boys).")


def stored_audit(blocks=GROUPS) -> dict:
    """The small hand-computed audit, with the hand-counted groups of ``blocks``."""
    scorer, students, genders = small_case()
    audit = FairnessAudit(scorer, random_state=1).fit(students, genders).report_.to_json()
    stance, talent, girls, boys, proposed, technical = people(*blocks)
    groups = group_figures(stance, talent, girls, boys, technical, proposed, technical)
    return {**audit, "groups": [g.to_json() for g in groups],
            "headline": worst_group(groups).to_json(), "proposals_given": True,
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
    for chart in ("chart-ratios", "chart-proposals", "chart-top", "chart-ndcg"):
        block = page.split(f'data-testid="{chart}"')[1].split("</figure>")[0]
        assert "<svg" in block and block.count('class="chart-bar"') >= 2, chart
    assert page.count('class="chart-data"') == 4
    # Large comparisons only: the girls naming nothing against the boys of their talent; the
    # girls naming technology against their group's boys and those of their talent.
    ratios = page.split('data-testid="chart-ratios"')[1].split("</figure>")[0]
    assert ratios.count('class="chart-bar"') == 3
    assert 'data-testid="fairness-figures"' in page and 'data-testid="fairness-groups"' in page


def test_the_worst_large_group_leads_the_page_in_dutch_and_in_english(world, rounds, client,
                                                                     login):
    login(world.admin)
    url = f"/fairness/?round={rounds['home_region'].id}"
    page = client.get(url).text
    headline = page.split('data-testid="fairness-headline"')[1].split("</p>")[0]
    assert HEADLINE_NL in headline and "95%-interval: 0,21 tot 0,59." in headline
    assert page.index('data-testid="fairness-headline"') < page.index(
        'data-testid="fairness-groups"') < page.index('data-testid="fairness-figures"')
    # The whole interval is below 1: the headline is shown as a warning, not as news.
    assert "flash-error" in page.split('data-testid="fairness-headline"')[0][-80:]
    worst = page.split('data-testid="fairness-worst-group"')[1].split("</tr>")[0]
    # No boy in the girls' own group; the boys of the same talent beside them.
    assert "12 van 45 (27%)" in worst and "33 van 45 (73%)" in worst
    assert "0,36 (0,21–0,59)" in worst
    small = page.split("genoemd: alleen ander · talent: wat")[1].split("</tr>")[0]
    assert "(klein)" in small
    # The averages stay, below, said to be averages.
    assert "Een gemiddelde kan een groep verbergen" in page
    client.get("/lang/en")
    english = client.get(url).text
    assert HEADLINE_EN in english and "95% interval: 0.21 to 0.59." in english
    assert "stated: none yet · talent: strong" in english


def test_without_a_group_of_20_girls_and_20_boys_the_page_says_so(world, session, client,
                                                                   login):
    small = MatchRound(scope="all", fairness_audit=stored_audit(
        [("none", "strong", "girl", 19, 1, 19), ("none", "strong", "boy", 25, 20, 25)]))
    session.add(small)
    session.commit()
    login(world.admin)
    page = client.get(f"/fairness/?round={small.id}").text
    headline = page.split('data-testid="fairness-headline"')[1].split("</p>")[0]
    assert "In deze ronde heeft geen groep met dezelfde genoemde belangstelling en hetzelfde " \
           "talent 20 meisjes of meer" in headline
    assert 'data-testid="fairness-worst-group"' not in page


def test_a_sampled_round_says_its_counts_are_of_the_sample(world, session, client, login):
    audit = stored_audit()
    sampled = MatchRound(scope="all", fairness_audit={**audit, "sampled_from": 120_000})
    session.add(sampled)
    session.commit()
    login(world.admin)
    page = client.get(f"/fairness/?round={sampled.id}").text
    headline = page.split('data-testid="fairness-headline"')[1].split("</p>")[0]
    sample = sum(audit["students"].values())
    assert f"(12 van 45 meisjes, 33 van 45 jongens, in een willekeurige steekproef van " \
           f"{sample} van de 120.000 leerlingen)." in headline and \
        headline.count("wat die ook noemen") == 1
    assert "elk aantal op deze pagina is van de steekproef" in page


def test_the_rounds_list_shows_each_rounds_worst_group_not_an_average(world, rounds, client,
                                                                      login):
    login(world.admin)
    listing = client.get("/fairness/").text.split('data-testid="fairness-round"')[0]
    assert listing.count("0,36") == len(rounds)
    assert "Zichtbaarheid meisjes/jongens" not in listing


def test_an_audit_of_the_older_kind_is_not_shown_as_if_it_were_current(world, session, client,
                                                                      login):
    older = MatchRound(scope="all", fairness_audit={**stored_audit(),
                                                    "format": "talentmatch-fairness/1"})
    session.add(older)
    session.commit()
    login(world.admin)
    page = client.get(f"/fairness/?round={older.id}").text
    assert "van een oudere soort" in page and f"--round {older.id} --recompute" in page
    assert 'data-testid="fairness-figures"' not in page


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
        assert 'data-testid="fairness-groups"' not in page.text


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
    # The headline leads, in Dutch unless asked otherwise.
    assert latest.output.splitlines()[2].startswith(HEADLINE_NL)
    assert re.search(r"none\s+strong\s+45\s+0\s+40/45\s+0/0\s+12/45\s+0/0\s+-\s+33/45"
                     r"\s+0\.36\s+0\.21 - 0\.59", latest.output)
    assert re.search(r"other\s+some\s+5\s+6 .*\(small\)", latest.output)
    assert re.search(r"exposure, same talent\s+0\.81[56]", latest.output)
    assert "no change" in latest.output and "Per group" in latest.output
    one = run("--round", str(rounds["home_school"].id), "--json")
    data = json.loads(one.output)
    assert data["round"] == rounds["home_school"].id and data["language"] == "nl"
    assert data["headline_sentence"] == HEADLINE_NL
    assert data["audit"]["headline"]["ratio"]["value"] == pytest.approx(0.3636, abs=1e-4)
    assert data["audit"]["headline"]["against"] == "talent"
    assert {(g["stance"], g["talent"]) for g in data["audit"]["groups"]} == \
        {("none", "strong"), ("technical", "strong"), ("other", "some")}
    assert data["audit"]["exposure_by_talent"]["value"] == pytest.approx(0.8155, abs=1e-4)
    english = json.loads(run("--json", "--lang", "en").output)
    assert english["headline_sentence"] == HEADLINE_EN


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
