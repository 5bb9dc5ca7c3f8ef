"""The pin form of the matching page (issue 21): the counsellor finds the student, then picks
from the open placements ranked by that student's score (within reach first, each with its
reference, paged beyond 25), and confirms before pinning one that breaks a hard rule."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from app.models import Level, MatchPin, PinKind
from app.services.matching import forget_fitted_scorers
from tests.web.reads_right.test_replace_search import placement, rows_of


@pytest.fixture(autouse=True)
def fresh_scorer():
    forget_fitted_scorers()
    yield
    forget_fitted_scorers()


def scope(world) -> str:
    return f"school:{world.home.school.id}"


def placements_page(client, world, q="", page=None, student=None) -> str:
    student = student or world.home.student
    query = f"?scope={scope(world)}&student={student.id}&q={q}" + (
        f"&page={page}" if page else "")
    response = client.get(f"/matching/pins/new{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def pin_data(world, found, **fields) -> dict:
    return {"student_id": world.home.student.id, "placement_id": found.id, "kind": "pin",
            **fields}


def pins(session) -> list[MatchPin]:
    session.expire_all()
    return list(session.exec(select(MatchPin)).all())


def test_the_matching_page_asks_for_the_student_not_a_typed_reference(world, login):
    client = login(world.home.counsellor)
    page = client.get("/matching/").get_data(as_text=True)
    assert 'data-testid="pin-start"' in page and 'action="/matching/pins/new"' in page
    assert "placement_code" not in page and "Referentie van de stageplek" not in page
    found = client.get(f"/matching/pins/new?scope={scope(world)}"
                       f"&who={world.home.student.last_name}").get_data(as_text=True)
    listed = found.split('data-testid="pin-students"', 1)[1].split("</ul>", 1)[0]
    assert f"student={world.home.student.id}" in listed
    assert f"student={world.away.student.id}\"" not in listed  # another school's namesake
    by_number = client.get(f"/matching/pins/new?scope={scope(world)}"
                           f"&who={world.home.student.student_number}").get_data(as_text=True)
    assert len(re.findall("<li>", by_number.split('data-testid="pin-students"', 1)[1]
                          .split("</ul>", 1)[0])) == 1
    nobody = client.get(f"/matching/pins/new?scope={scope(world)}&who=zzzqqq").get_data(
        as_text=True)
    assert "Geen leerling gevonden." in nobody


def test_the_placements_show_their_reference_and_page_beyond_25(session, world, login):
    for n in range(30):
        placement(session, world.home.company, f"REEKS-{n:02d}", f"Reeks {n}")
    session.commit()
    client = login(world.home.counsellor)
    first = placements_page(client, world, q="reeks")
    second = placements_page(client, world, q="reeks", page=2)
    assert len(rows_of(first)) == 25 and len(rows_of(second)) == 5
    assert "Pagina 1 van 2" in first and "page=2" in first
    codes = set(re.findall(r"REEKS-\d\d", first)) | set(re.findall(r"REEKS-\d\d", second))
    assert len(codes) == 30
    assert len(rows_of(placements_page(client, world, q="reeks-07"))) == 1


def test_within_reach_first_and_one_breaking_a_rule_says_which(session, world, login):
    placement(session, world.home.company, "MBO4", "Alleen mbo 4", levels=[Level.mbo_4.value])
    placement(session, world.home.company, "OK1", "Past wel")
    session.commit()
    found = rows_of(placements_page(login(world.home.counsellor), world))
    scored = [i for i, row in enumerate(found) if "niet voorgesteld door het matchen" not in row]
    excluded = [i for i, row in enumerate(found) if "niet voorgesteld door het matchen" in row]
    assert scored and excluded and max(scored) < min(excluded)
    mbo = next(row for row in found if "MBO4" in row)
    assert 'data-testid="rule-warning"' in mbo
    assert "de plek is niet voor het niveau van de leerling" in mbo
    assert 'name="breaking_rules"' in mbo and 'name="breaking_rules"' not in found[scored[0]]


def test_pinning_a_placement_that_breaks_a_rule_needs_the_counsellor_to_say_they_know(
        session, world, login):
    mbo = placement(session, world.home.company, "MBO4", "Alleen mbo 4",
                    levels=[Level.mbo_4.value])
    session.commit()
    client = login(world.home.counsellor)
    url = f"/matching/pins?scope={scope(world)}&student={world.home.student.id}"
    refused = client.post(url, data=pin_data(world, mbo))
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "breekt een regel van het matchen" in text
    assert "Vink aan dat je dat weet om de plek toch vast te zetten." in text
    assert 'data-testid="pin-placements"' in text  # the search is shown again
    assert pins(session) == []
    # Excluding it needs no confirmation: the engine would not propose it anyway.
    assert client.post(url, data=pin_data(world, mbo, kind="exclude")).status_code == 302
    assert [p.kind for p in pins(session)] == [PinKind.exclude]
    done = client.post(url, data=pin_data(world, mbo, breaking_rules="y", note="kan het aan"))
    assert done.status_code == 302 and done.location.endswith("#pins")
    [pin] = pins(session)
    assert (pin.kind, pin.placement_id, pin.note) == (PinKind.pin, mbo.id, "kan het aan")


def test_a_placement_found_for_the_student_is_pinned_and_listed(session, world, login):
    from tests.crawl import read_page

    found = placement(session, world.home.company, "PIN-ME", "Vastzetten graag")
    session.commit()
    client = login(world.home.counsellor)
    path = f"/matching/pins/new?scope={scope(world)}&student={world.home.student.id}&q=PIN-ME"
    html = client.get(path).get_data(as_text=True)
    form = next(f for f in read_page(html, path).forms if f.path == "/matching/pins")
    values = {name: field.value for name, field in form.fields.items()}
    response = client.post(form.action, data={**values, "kind": "pin"})
    assert response.status_code == 302
    [pin] = pins(session)
    assert (pin.student_id, pin.placement_id, pin.kind) == (world.home.student.id, found.id,
                                                            PinKind.pin)
    page = client.get(response.location).get_data(as_text=True)
    assert "Vastzetten graag is vastgezet voor" in page and "PIN-ME" not in page.split(
        'data-testid="pins"', 1)[0]
    assert client.post(f"/matching/pins/{pin.id}/delete").status_code == 302
    assert pins(session) == []


def test_only_the_own_schools_students_and_open_placements(session, world, login):
    client = login(world.home.counsellor)
    away = world.away.student
    assert client.get(f"/matching/pins/new?scope={scope(world)}&student={away.id}"
                      ).status_code == 404
    url = f"/matching/pins?scope={scope(world)}"
    assert client.post(url, data={**pin_data(world, world.home.placement),
                                  "student_id": away.id}).status_code == 404
    for draft in (world.home.draft_placement, world.away.draft_placement):
        response = client.post(url, data=pin_data(world, draft))
        assert response.status_code == 400
        assert "Alleen open stageplekken kun je vastzetten" in response.get_data(as_text=True)
    assert client.post(url, data=pin_data(world, world.home.placement, kind="maybe")
                       ).status_code == 400
    assert pins(session) == []


def test_an_admin_pins_for_any_school_and_a_coordinator_not_at_all(session, world, login):
    client = login(world.admin)
    away_scope = f"school:{world.away.school.id}"
    page = client.get(f"/matching/pins/new?scope={away_scope}&student={world.away.student.id}")
    assert page.status_code == 200
    response = client.post(f"/matching/pins?scope={away_scope}", data={
        "student_id": world.away.student.id, "placement_id": world.away.placement.id,
        "kind": "exclude"})
    assert response.status_code == 302 and len(pins(session)) == 1
    client = login(world.home.coordinator)
    assert client.get(f"/matching/pins/new?scope={scope(world)}").status_code == 403
    assert client.post(f"/matching/pins?scope={scope(world)}",
                       data=pin_data(world, world.home.placement)).status_code == 403
