"""The placement pages: posting, editing, changes of status, history, counts, drafts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from app.models import MatchProposal, Placement, PlacementEvent, PlacementStatus, ProposalStatus
from app.models.base import local_today
from app.services.occupations import suggestions
from app.services.places import reserve_place
from tests.web.activities.builders import in_english, make_themes

ROLES = ("student", "counsellor", "company", "coordinator", "admin")
START = local_today() + timedelta(days=60)


def user_for(world, role):
    side = world.home
    return {"student": side.student_user, "counsellor": side.counsellor,
            "company": side.company_user, "coordinator": side.coordinator,
            "admin": world.admin}[role]


def placement_form(**changes):
    data = {"title": "BOL-stage elektrotechniek", "kind": "bol_internship",
            "levels": ["mbo_3", "mbo_4"], "description": "Werken aan zonnepanelen.",
            "learn_and_do": "Je legt een groep aan met een monteur.", "postcode": "6902",
            "capacity": "3", "starts_on": START.isoformat(),
            "ends_on": (START + timedelta(days=90)).isoformat(), "days_per_week": "4",
            "allowance": "€ 300 per maand",
            "application_deadline": (START - timedelta(days=20)).isoformat(), "code": ""}
    data.update(changes)
    return data


def newest_placement(session) -> Placement:
    session.expire_all()
    return session.exec(select(Placement).order_by(Placement.id.desc())).first()


def status_of(session, placement) -> PlacementStatus:
    session.expire_all()
    return session.get(Placement, placement.id).status


def complete(session, placement) -> Placement:
    """Fill in what publishing needs (the world's placements are bare)."""
    placement.description = "Meelopen in de werkplaats."
    placement.learn_and_do = "Solderen en meten."
    placement.starts_on = START
    placement.ends_on = START + timedelta(days=2)
    placement.days_per_week = 3
    session.add(placement)
    session.commit()
    return placement


# --- who may ----------------------------------------------------------------------------

TABLE = {
    ("GET", "/placements/new?company={home}"):            (404, 404, 200, 404, 200),
    ("GET", "/placements/new?company={away}"):            (404, 404, 404, 404, 200),
    ("GET", "/placements/{home_placement}/edit"):         (404, 404, 200, 404, 200),
    ("GET", "/placements/{home_draft}/edit"):             (404, 404, 200, 404, 200),
    ("GET", "/placements/{away_placement}/edit"):         (404, 404, 404, 404, 200),
    ("POST", "/placements/{home_placement}/pause"):       (404, 404, 302, 404, 302),
    ("POST", "/placements/{away_placement}/close"):       (404, 404, 404, 404, 302),
    ("POST", "/placements/{away_draft}/publish"):         (404, 404, 404, 404, 302),
    ("GET", "/placements/{home_draft}"):                  (404, 404, 200, 404, 200),
    ("GET", "/placements/{away_draft}"):                  (404, 404, 404, 404, 200),
    ("GET", "/placements/{home_placement}/occupation"):   (404, 404, 200, 404, 200),
    ("GET", "/placements/{away_placement}/occupation"):   (404, 404, 404, 404, 200),
    ("POST", "/placements/{home_draft}/occupation"):      (404, 404, 200, 404, 200),
    ("POST", "/placements/{away_draft}/occupation"):      (404, 404, 404, 404, 200),
}


@pytest.mark.parametrize(("method", "url", "role", "expected"), [
    pytest.param(method, url, role, expected[i], id=f"{role}-{method}-{url}")
    for (method, url), expected in TABLE.items() for i, role in enumerate(ROLES)])
def test_placement_routes_follow_the_permission_table(world, login, method, url, role,
                                                      expected):
    client = login(user_for(world, role))
    url = url.format(home=world.home.company.id, away=world.away.company.id,
                     home_placement=world.home.placement.id,
                     home_draft=world.home.draft_placement.id,
                     away_placement=world.away.placement.id,
                     away_draft=world.away.draft_placement.id)
    assert client.open(url, method=method).status_code == expected


def test_another_companys_draft_is_invisible_everywhere(world, login):
    draft = world.home.draft_placement
    for user in (world.home.student_user, world.home.counsellor, world.home.coordinator,
                 world.away.company_user):
        client = login(user)
        assert client.get(f"/placements/{draft.id}").status_code == 404
        company_page = client.get(f"/companies/{world.home.company.id}")
        assert draft.title not in company_page.get_data(as_text=True)
    assert draft.title in login(world.home.company_user).get(
        f"/companies/{world.home.company.id}").get_data(as_text=True)


def test_without_a_company_a_contact_of_one_company_gets_its_form(world, login):
    page = in_english(login(world.home.company_user)).get("/placements/new")
    assert page.status_code == 200
    assert world.home.company.name in page.get_data(as_text=True)
    assert login(world.admin).get("/placements/new").status_code == 404


# --- posting and editing ----------------------------------------------------------------

def test_the_form_explains_every_field_and_suggests_the_company_postcode(world, login,
                                                                       session):
    make_themes(session)
    session.commit()
    page = in_english(login(world.home.company_user)).get(
        f"/placements/new?company={world.home.company.id}").get_data(as_text=True)
    assert page.count('class="help"') == 15
    assert f'value="{world.home.company.postcode}"' in page
    assert "Electrical engineering" in page and "mbo level 3" in page
    assert "Save as draft" in page


def test_a_company_posts_a_draft_and_lands_on_it(world, login, session):
    themes = make_themes(session)
    session.commit()
    client = in_english(login(world.home.company_user))
    response = client.post(f"/placements/new?company={world.home.company.id}",
                           data=placement_form(themes=[str(themes["robotica"].id)]))
    placement = newest_placement(session)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/placements/{placement.id}")
    assert (placement.status, placement.company_id, placement.code) == (
        PlacementStatus.draft, world.home.company.id, "P-0001")
    assert placement.levels == ["mbo_3", "mbo_4"] and placement.capacity == 3
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "is saved as a draft" in page and "Robotics" in page
    assert "0 taken, 0 offered, 3 free of 3" in page
    assert ">Publish</button>" in page and 'data-testid="missing"' not in page


def test_errors_keep_what_was_typed(world, login, session):
    client = in_english(login(world.home.company_user))
    url = f"/placements/new?company={world.home.company.id}"
    response = client.post(url, data=placement_form(kind="snuffelstage",
                                                    title="Mijn titel"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "is for students of" in page and "Remove: mbo level 3, mbo level 4" in page
    assert 'value="Mijn titel"' in page and "Werken aan zonnepanelen." in page
    assert re.search(r'<input checked id="levels-\d+" name="levels" type="checkbox" '
                     r'value="mbo_3">', page)
    assert newest_placement(session).id == world.away.draft_placement.id  # nothing added

    for changes, message in [
        ({"days_per_week": "7"}, "from 1 to 5"),
        ({"capacity": "0"}, "Offer at least 1 place."),
        ({"ends_on": (START - timedelta(days=1)).isoformat()}, "before the start date"),
        ({"application_deadline": (START + timedelta(days=1)).isoformat()}, "after the start"),
        ({"postcode": "0000"}, "Dutch postcode"),
    ]:
        page = client.post(url, data=placement_form(**changes)).get_data(as_text=True)
        assert message in page, changes


def test_a_company_edits_a_placement_but_not_below_the_reserved_places(world, login,
                                                                     session):
    placement = world.home.placement  # open, 2 places
    complete(session, placement)
    session.add(MatchProposal(student_id=world.home.student.id, placement_id=placement.id,
                              status=ProposalStatus.sent_to_company, holds_place=True))
    reserve_place(session=session, placement_id=placement.id)
    session.add(MatchProposal(student_id=world.home.classmate.id, placement_id=placement.id,
                              status=ProposalStatus.company_accepted, holds_place=True))
    reserve_place(session=session, placement_id=placement.id)
    session.commit()
    client = in_english(login(world.home.company_user))
    page = client.get(f"/placements/{placement.id}/edit").get_data(as_text=True)
    assert f'value="{placement.title}"' in page
    page = client.post(f"/placements/{placement.id}/edit",
                       data=placement_form(capacity="1")).get_data(as_text=True)
    assert "2 places are reserved for candidates" in page
    response = client.post(f"/placements/{placement.id}/edit",
                           data=placement_form(capacity="4", title="Nieuwe titel"))
    assert response.status_code == 302
    session.refresh(placement)
    assert (placement.title, placement.capacity) == ("Nieuwe titel", 4)


# --- counts -----------------------------------------------------------------------------

def test_taken_offered_and_free_places_are_shown(world, login, session):
    placement = world.home.placement  # 2 places
    session.add(MatchProposal(student_id=world.home.student.id, placement_id=placement.id,
                              status=ProposalStatus.sent_to_company, holds_place=True))
    reserve_place(session=session, placement_id=placement.id)
    session.commit()
    client = in_english(login(world.home.company_user))
    page = client.get(f"/placements/{placement.id}").get_data(as_text=True)
    assert "0 taken, 1 offered, 1 free of 2" in page
    for url in ("/home", f"/companies/{world.home.company.id}"):
        page = client.get(url).get_data(as_text=True)
        row = page.split(f'data-testid="placement-{placement.id}"')[1].split("</tr>")[0]
        cells = row.split('class="num"')[1:]
        assert [c.split(">")[1].split("<")[0] for c in cells] == ["2", "0", "1", "1"], url


# --- changes of status ------------------------------------------------------------------

def test_publish_pause_reopen_and_close_from_the_page_with_history(world, login, session):
    placement = complete(session, world.home.draft_placement)
    client = in_english(login(world.home.company_user))
    url = f"/placements/{placement.id}"
    page = client.post(f"{url}/publish", follow_redirects=True).get_data(as_text=True)
    assert "is published" in page and status_of(session, placement) is PlacementStatus.open
    # A student of the region can now open it.
    assert login(world.home.student_user).get(url).status_code == 200
    client = in_english(login(world.home.company_user))
    client.post(f"{url}/pause", data={"reason": "Zomerstop"})
    assert status_of(session, placement) is PlacementStatus.paused
    client.post(f"{url}/reopen")
    client.post(f"{url}/close", data={"reason": "Alle plaatsen vervuld"})
    assert status_of(session, placement) is PlacementStatus.closed
    page = client.get(url).get_data(as_text=True)
    history = page.split('data-testid="placement-history"')[1]
    assert history.count("<tr>") == 1 + 4  # the header and four changes
    assert "Zomerstop" in history and "Alle plaatsen vervuld" in history
    assert "Open → Paused" in history and world.home.company_user.display_name in history
    assert 'data-testid="status-form"' not in page and "Edit placement" not in page
    actions = session.exec(select(PlacementEvent.action).where(
        PlacementEvent.placement_id == placement.id).order_by(PlacementEvent.id)).all()
    # The world's draft was made without the service, so its history starts at publishing.
    assert actions == ["published", "paused", "reopened", "closed"]


def test_an_illegal_change_says_why_and_changes_nothing(world, login, session):
    placement = world.home.placement
    client = in_english(login(world.home.company_user))
    client.post(f"/placements/{placement.id}/close")
    page = client.post(f"/placements/{placement.id}/publish",
                       follow_redirects=True).get_data(as_text=True)
    assert "closed and cannot be opened again" in page
    assert status_of(session, placement) is PlacementStatus.closed
    assert len(session.exec(select(PlacementEvent).where(
        PlacementEvent.placement_id == placement.id)).all()) == 1


def test_an_incomplete_draft_lists_what_is_missing(world, login, session):
    draft = world.home.draft_placement
    client = in_english(login(world.home.company_user))
    page = client.get(f"/placements/{draft.id}").get_data(as_text=True)
    assert 'data-testid="missing"' in page and "the start date" in page
    page = client.post(f"/placements/{draft.id}/publish",
                       follow_redirects=True).get_data(as_text=True)
    assert "cannot be published yet. Still missing: a description" in page
    assert status_of(session, draft) is PlacementStatus.draft


def test_history_is_for_the_company_and_the_coordinator_only(world, login):
    url = f"/placements/{world.home.placement.id}"
    for user, shown in ((world.home.company_user, True), (world.home.coordinator, True),
                        (world.admin, True), (world.home.student_user, False),
                        (world.home.counsellor, False)):
        page = login(user).get(url).get_data(as_text=True)
        assert ('data-testid="placement-history"' in page) is shown
        assert ('data-testid="placement-status"' in page) is (
            user in (world.home.company_user, world.admin))


# --- the occupation the title names -------------------------------------------------------
def name_occupation(session, placement, code, label):
    placement.occupation_code, placement.occupation_label = code, label
    session.add(placement)
    session.commit()
    return placement


def test_the_occupation_found_in_the_title_is_shown_to_everyone_who_sees_the_placement(
        world, login, session):
    placement = name_occupation(session, world.home.placement, "7223.4", "operator CNC-machine")
    for user in (world.home.company_user, world.home.student_user, world.home.counsellor):
        page = in_english(login(user)).get(f"/placements/{placement.id}").get_data(as_text=True)
        assert "<dt>Occupation</dt><dd>operator CNC-machine</dd>" in page
        assert 'data-testid="no-occupation"' not in page


def test_without_an_occupation_only_the_company_is_told_how_to_name_the_work(
        world, login, session):
    placement = name_occupation(session, world.home.placement, "", "")
    company = in_english(login(world.home.company_user))
    page = company.get(f"/placements/{placement.id}").get_data(as_text=True)
    assert "<dt>Occupation</dt><dd>—</dd>" in page
    hint = page.split('data-testid="no-occupation">')[1].split("</p>")[0]
    assert "Name the work in the title" in hint
    student_page = in_english(login(world.home.student_user)).get(
        f"/placements/{placement.id}").get_data(as_text=True)
    assert 'data-testid="no-occupation"' not in student_page


def test_the_company_chooses_another_occupation_from_a_search_and_everyone_sees_it(
        world, login, session):
    placement = name_occupation(session, world.home.placement, "", "")
    client = in_english(login(world.home.company_user))
    detail = client.get(f"/placements/{placement.id}").get_data(as_text=True)
    assert f'href="/placements/{placement.id}/occupation"' in detail
    page = client.get(f"/placements/{placement.id}/occupation?q=lasser").get_data(as_text=True)
    assert "Search for another occupation" in page and 'value="lasser"' in page
    # The choice asks a question rather than repeating the page's heading.
    assert "Which occupation fits the work?" in page
    assert re.search(r'<input checked[^>]*value="auto"', page)  # found in the title until chosen
    code = suggestions(text="lasser")[0].code
    assert f'value="{code}"' in page
    response = client.post(f"/placements/{placement.id}/occupation",
                           data={"code": code, "q": "lasser"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/placements/{placement.id}")
    session.expire_all()
    assert placement.occupation_code == code and placement.occupation_chosen
    again = client.get(f"/placements/{placement.id}/occupation").get_data(as_text=True)
    assert re.search(rf'<input checked[^>]*value="{re.escape(code)}"', again)
    student_page = in_english(login(world.home.student_user)).get(
        f"/placements/{placement.id}").get_data(as_text=True)
    assert f"<dt>Occupation</dt><dd>{placement.occupation_label}</dd>" in student_page
    assert f'/placements/{placement.id}/occupation"' not in student_page


def test_the_occupation_page_says_when_a_search_finds_nothing_and_refuses_unknown_codes(
        world, login, session):
    placement = world.home.placement
    client = in_english(login(world.home.company_user))
    page = client.get(f"/placements/{placement.id}/occupation?q=qwxz").get_data(as_text=True)
    assert 'data-testid="no-occupations-found"' in page and "Try another word" in page
    response = client.post(f"/placements/{placement.id}/occupation", data={"code": "9999.9"})
    assert response.status_code == 200
    assert "Choose one of the occupations in the list" in response.get_data(as_text=True)
    missing = client.post(f"/placements/{placement.id}/occupation", data={})
    assert "Choose an occupation, or one of the last two options" in missing.get_data(
        as_text=True)
    session.expire_all()
    assert not placement.occupation_chosen


def test_a_closed_placement_sends_the_company_back_with_a_message(world, login, session):
    placement = world.home.placement
    placement.status = PlacementStatus.closed
    session.add(placement)
    session.commit()
    client = in_english(login(world.home.company_user))
    for response in (client.get(f"/placements/{placement.id}/occupation"),
                     client.post(f"/placements/{placement.id}/occupation",
                                 data={"code": "none"})):
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/placements/{placement.id}")
    page = client.get(f"/placements/{placement.id}").get_data(as_text=True)
    assert "This placement is closed" in page
    session.expire_all()
    assert not placement.occupation_chosen


def test_a_company_that_chose_no_occupation_is_not_told_to_name_the_work(world, login, session):
    placement = world.home.placement
    client = in_english(login(world.home.company_user))
    assert client.post(f"/placements/{placement.id}/occupation",
                       data={"code": "none"}).status_code == 302
    page = client.get(f"/placements/{placement.id}").get_data(as_text=True)
    assert "<dt>Occupation</dt><dd>—</dd>" in page
    assert 'data-testid="no-occupation"' not in page


def test_a_posted_title_that_names_work_shows_its_occupation_in_dutch(world, login, session):
    client = login(world.home.company_user)
    response = client.post(f"/placements/new?company={world.home.company.id}",
                           data=placement_form(title="BOL-stage CNC-operator"))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    placement = newest_placement(session)
    assert placement.occupation_label
    assert f"<dt>Beroep</dt><dd>{placement.occupation_label}</dd>" in page
    assert 'data-testid="no-occupation"' not in page


def test_the_placement_page_says_days_and_hours_in_dutch_and_english(world, login, session):
    client = login(world.home.company_user)
    response = client.post(f"/placements/new?company={world.home.company.id}",
                           data=placement_form(days_per_week="3", hours_per_week="18"))
    assert response.status_code == 302
    placement = newest_placement(session)
    assert (placement.days_per_week, placement.hours_per_week) == (3, 18)
    page = client.get(f"/placements/{placement.id}").get_data(as_text=True)
    assert "<dt>Dagen en uren</dt><dd>3 dagen per week, 18 uur</dd>" in page
    edit = client.get(f"/placements/{placement.id}/edit").get_data(as_text=True)
    assert re.search(r'name="hours_per_week"[^>]*value="18"', edit)
    english = in_english(client).get(f"/placements/{placement.id}").get_data(as_text=True)
    assert "<dt>Days and hours</dt><dd>3 days a week, 18 hours</dd>" in english
    placement.days_per_week = 1
    placement.hours_per_week = 8
    session.add(placement)
    session.commit()
    english = client.get(f"/placements/{placement.id}").get_data(as_text=True)
    assert "<dd>1 day a week, 8 hours</dd>" in english


def test_hours_the_days_cannot_hold_are_refused_on_the_form(world, login, session):
    client = login(world.home.company_user)
    url = f"/placements/new?company={world.home.company.id}"
    before = newest_placement(session)
    for changes, message in [
        ({"hours_per_week": "41"}, "Vul een aantal uren per week in van 1 tot en met 40."),
        ({"hours_per_week": "0"}, "Vul een aantal uren per week in van 1 tot en met 40."),
        ({"days_per_week": "4", "hours_per_week": "41"}, "van 1 tot en met 40"),
        ({"days_per_week": "2", "hours_per_week": "24"},
         "24 uur per week past niet in 2 dagen: hooguit 10 uur per dag, dus hooguit 20 uur."),
    ]:
        response = client.post(url, data=placement_form(**changes))
        assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert newest_placement(session) == before
