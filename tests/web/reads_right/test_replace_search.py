"""The counsellor's search for a placement to put in place of a proposal (issue 21): it shows
each placement's reference, ranks by the student's score with what is within reach first,
pages beyond 25, and warns (naming the rule) before offering one that breaks a hard rule."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from app.models import Level, MatchProposal, Placement, PlacementStatus, ProposalStatus
from tests import factories


@pytest.fixture
def proposal(session, world):
    found = factories.make_proposal(session, world.home.student, world.home.placement,
                                    status=ProposalStatus.proposed)
    session.commit()
    return found


def placement(session, company, code, title, **fields):
    return factories._save(session, Placement(
        company_id=company.id, code=code, title=title, kind=world_kind(session),
        levels=fields.pop("levels", [Level.vmbo_kb.value]), status=PlacementStatus.open,
        postcode=fields.pop("postcode", "6902"), place=fields.pop("place", "Zevenaar"),
        capacity=2, **fields))


def world_kind(session):
    return session.exec(select(Placement)).first().kind


def search(client, proposal, q="", page=None) -> str:
    query = f"?q={q}" + (f"&page={page}" if page else "")
    return client.get(f"/review/{proposal.id}{query}").get_data(as_text=True)


def rows_of(page: str) -> list[str]:
    table = page.split('data-testid="alternatives"', 1)[1].split("<tbody>", 1)[1]
    table = table.split("</tbody>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)


def test_each_alternative_shows_its_reference_and_matches_on_it(session, world, login,
                                                                proposal):
    placement(session, world.home.company, "ZVN-LAS-7", "Lassen bij ons")
    session.commit()
    client = login(world.home.counsellor)
    assert "ZVN-LAS-7" in search(client, proposal)
    found = rows_of(search(client, proposal, q="zvn-las"))
    assert len(found) == 1 and "Lassen bij ons" in found[0]


def test_placements_within_reach_come_first_and_one_breaking_a_rule_says_which(
        session, world, login, proposal):
    placement(session, world.home.company, "MBO4", "Alleen mbo 4", levels=[Level.mbo_4.value])
    placement(session, world.home.company, "OK1", "Past wel")
    session.commit()
    found = rows_of(search(login(world.home.counsellor), proposal))
    scored = [i for i, row in enumerate(found) if "niet voorgesteld door het matchen" not in row]
    excluded = [i for i, row in enumerate(found) if "niet voorgesteld door het matchen" in row]
    assert scored and excluded and max(scored) < min(excluded)
    mbo = next(row for row in found if "MBO4" in row)
    assert "de plek is niet voor het niveau van de leerling" in mbo
    assert 'name="breaking_rules"' in mbo and 'name="breaking_rules"' not in found[scored[0]]


def test_the_search_pages_beyond_25(session, world, login, proposal):
    for n in range(30):
        placement(session, world.home.company, f"REEKS-{n:02d}", f"Reeks {n}")
    session.commit()
    client = login(world.home.counsellor)
    first, second = search(client, proposal, q="reeks"), search(client, proposal, q="reeks",
                                                                   page=2)
    assert len(rows_of(first)) == 25 and len(rows_of(second)) == 5
    assert "Pagina 1 van 2" in first and "page=2" in first
    codes = set(re.findall(r"REEKS-\d\d", first)) | set(re.findall(r"REEKS-\d\d", second))
    assert len(codes) == 30


def test_offering_a_placement_that_breaks_a_rule_needs_the_counsellor_to_say_they_know(
        session, world, login, proposal):
    mbo = placement(session, world.home.company, "MBO4", "Alleen mbo 4",
                    levels=[Level.mbo_4.value])
    session.commit()
    client = login(world.home.counsellor)
    data = {"placement_id": mbo.id, "reason": "Kan het aan"}
    response = client.post(f"/review/{proposal.id}/replace", data=data, follow_redirects=True)
    assert "breekt een regel van het matchen" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(MatchProposal, proposal.id).status is ProposalStatus.proposed
    client.post(f"/review/{proposal.id}/replace", data={**data, "breaking_rules": "y"})
    session.expire_all()
    assert session.get(MatchProposal, proposal.id).status is ProposalStatus.rejected


def test_a_placement_found_in_the_search_is_pinned_for_the_next_round(session, world, login,
                                                                      proposal):
    from app.models import MatchPin, PinKind
    from tests.crawl import read_page

    found = placement(session, world.home.company, "PIN-ME", "Vastzetten graag")
    session.commit()
    client = login(world.home.counsellor)
    path = f"/review/{proposal.id}?q=PIN-ME"
    form = next(f for f in read_page(search(client, proposal, q="PIN-ME"), path).forms
                if f.path == "/matching/pins")
    values = {name: field.value for name, field in form.fields.items()}
    response = client.post(form.action, data=values)
    assert response.status_code == 302
    pin = session.exec(select(MatchPin).where(MatchPin.placement_id == found.id)).one()
    assert pin.student_id == world.home.student.id and pin.kind is PinKind.pin
