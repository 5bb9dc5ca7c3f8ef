"""The company pages: the list, adding and editing, contacts and their rights."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from app.models import Company, CompanyContact, Role, User
from tests import factories
from tests.web.activities.builders import in_english

ROLES = ("student", "counsellor", "company", "coordinator", "admin")


def user_for(world, role):
    side = world.home
    return {"student": side.student_user, "counsellor": side.counsellor,
            "company": side.company_user, "coordinator": side.coordinator,
            "admin": world.admin}[role]


def company_form(**changes):
    data = {"name": "Voltwerk Installaties B.V.", "kvk": "65432109", "sector": "installatie",
            "address": "Industrieweg 4", "postcode": "6901", "website": "www.voltwerk.nl",
            "recognised": "y", "recognised_for": ["bol_internship"], "offers_mentor": "y",
            "accessibility_notes": ""}
    data.update(changes)
    return data


def newest_company(session) -> Company:
    session.expire_all()
    return session.exec(select(Company).order_by(Company.id.desc())).first()


# --- who may open what ------------------------------------------------------------------

# (method, url with {home}/{away}/{away_contact}) -> status per role
# (student, counsellor, company, coordinator, admin). Another company's objects answer 404.
TABLE = {
    ("GET", "/companies/"):                                (403, 403, 403, 200, 200),
    ("GET", "/companies/new"):                             (403, 403, 403, 200, 200),
    ("GET", "/companies/{home}/edit"):                     (404, 404, 200, 200, 200),
    ("GET", "/companies/{away}/edit"):                     (404, 404, 404, 404, 200),
    ("POST", "/companies/{away}/contacts"):                (404, 404, 404, 404, 200),
    ("POST", "/companies/{home}/contacts/{away_contact}/rights"): (404, 404, 404, 404, 404),
    ("POST", "/companies/{away}/contacts/{away_contact}/remove"): (404, 404, 404, 404, 302),
    ("POST", "/companies/{home}/edit"):                    (404, 404, 200, 200, 200),
}


@pytest.mark.parametrize(("method", "url", "role", "expected"), [
    pytest.param(method, url, role, expected[i], id=f"{role}-{method}-{url}")
    for (method, url), expected in TABLE.items() for i, role in enumerate(ROLES)])
def test_company_routes_follow_the_permission_table(world, login, method, url, role,
                                                    expected):
    client = login(user_for(world, role))
    url = url.format(home=world.home.company.id, away=world.away.company.id,
                     away_contact=world.away.company_user.id)
    response = client.open(url, method=method, data={"name": ""})
    assert response.status_code == expected


def test_a_contact_without_the_right_to_act_cannot_open_the_company(world, login, session):
    contact = session.exec(select(CompanyContact).where(
        CompanyContact.user_id == world.home.company_user.id)).one()
    contact.can_act = False
    session.add(contact)
    session.commit()
    client = login(world.home.company_user)
    assert client.get(f"/companies/{world.home.company.id}").status_code == 404
    assert client.get(f"/companies/{world.home.company.id}/edit").status_code == 404


# --- the list ---------------------------------------------------------------------------

def test_a_coordinator_lists_the_companies_of_their_region(world, login):
    page = in_english(login(world.home.coordinator)).get("/companies/").get_data(as_text=True)
    assert 'data-testid="company-list"' in page
    assert world.home.company.name in page and world.away.company.name not in page
    assert "1 company" in page and "Add a company" in page
    assert 'name="region"' not in page


def test_an_admin_lists_every_region_and_filters_one(world, login):
    client = in_english(login(world.admin))
    page = client.get("/companies/").get_data(as_text=True)
    assert world.home.company.name in page and world.away.company.name in page
    assert "2 companies" in page
    page = client.get(f"/companies/?region={world.away.region.id}").get_data(as_text=True)
    assert world.away.company.name in page and world.home.company.name not in page


# --- adding and editing -----------------------------------------------------------------

def test_the_form_has_a_help_text_for_every_field(world, login):
    page = in_english(login(world.home.coordinator)).get("/companies/new").get_data(
        as_text=True)
    assert page.count('class="help"') == 11
    assert 'name="region_id"' not in page  # a coordinator adds to their own region
    assert "Internship (BOL)" in page


def test_form_fields_carry_an_autocomplete_hint_only_where_one_is_given(world, login):
    page = login(world.home.coordinator).get("/companies/new").get_data(as_text=True)
    assert 'autocomplete="postal-code"' in page and 'autocomplete="organization"' in page
    assert 'autocomplete="None"' not in page
    placement_form = login(world.home.company_user).get(
        f"/placements/new?company={world.home.company.id}").get_data(as_text=True)
    assert 'autocomplete="None"' not in placement_form and 'name="title"' in placement_form


def test_a_coordinator_adds_a_company_and_lands_on_its_contacts(world, login, session):
    response = in_english(login(world.home.coordinator)).post("/companies/new",
                                                             data=company_form())
    company = newest_company(session)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/companies/{company.id}#contacts")
    assert (company.name, company.kvk, company.region_id) == (
        "Voltwerk Installaties B.V.", "65432109", world.home.region.id)
    assert company.website == "https://www.voltwerk.nl"
    assert company.recognised and company.recognised_for == ["bol_internship"]
    assert company.offers_mentor and not company.female_role_model


def test_an_admin_chooses_the_region(world, login, session):
    client = in_english(login(world.admin))
    assert 'name="region_id"' in client.get("/companies/new").get_data(as_text=True)
    page = client.post("/companies/new", data=company_form()).get_data(as_text=True)
    assert "Choose the region of the company." in page
    client.post("/companies/new", data=company_form(region_id=str(world.away.region.id)))
    assert newest_company(session).region_id == world.away.region.id


def test_errors_keep_what_was_typed(world, login, session):
    client = in_english(login(world.home.coordinator))
    response = client.post("/companies/new", data=company_form(
        kvk=world.away.company.kvk, name="Mijn Bedrijf", sector="metaal"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"already registered for {world.away.company.name}" in page
    assert 'value="Mijn Bedrijf"' in page and 'value="metaal"' in page
    assert 'aria-invalid="true"' in page
    assert newest_company(session).id == world.away.company.id  # nothing added

    page = client.post("/companies/new", data=company_form(kvk="1234")).get_data(as_text=True)
    assert "A KvK number has exactly 8 digits" in page
    page = client.post("/companies/new", data=company_form(postcode="0000")).get_data(
        as_text=True)
    assert "Dutch postcode" in page
    page = client.post("/companies/new", data=company_form(website="voltwerk")).get_data(
        as_text=True)
    assert "web address" in page


def test_a_company_contact_edits_their_own_profile(world, login, session):
    company = world.home.company
    client = in_english(login(world.home.company_user))
    page = client.get(f"/companies/{company.id}/edit").get_data(as_text=True)
    assert f'value="{company.kvk}"' in page and 'name="region_id"' not in page
    response = client.post(f"/companies/{company.id}/edit", data=company_form(
        kvk=company.kvk, female_role_model="y", recognised_for=[]))
    assert response.status_code == 302
    session.expire_all()
    company = session.get(Company, company.id)
    assert company.female_role_model and company.name == "Voltwerk Installaties B.V."
    page = client.get(f"/companies/{company.id}").get_data(as_text=True)
    assert "The changes are saved." in page and "Industrieweg 4" in page


# --- contacts ---------------------------------------------------------------------------

def test_only_managers_see_the_contacts(world, login):
    url = f"/companies/{world.home.company.id}"
    for user in (world.home.coordinator, world.home.company_user, world.admin):
        page = login(user).get(url).get_data(as_text=True)
        assert 'data-testid="company-contacts"' in page
        assert world.home.company_user.email in page
    for user in (world.home.student_user, world.home.counsellor):
        page = login(user).get(url).get_data(as_text=True)
        assert 'data-testid="company-contacts"' not in page
        assert world.home.company_user.email not in page


def test_an_invitation_link_is_shown_once(world, login, session):
    client = in_english(login(world.home.coordinator))
    url = f"/companies/{world.home.company.id}"
    response = client.post(f"{url}/contacts", data={"email": "noor@voltwerk.nl",
                                                     "display_name": "Noor Bakker",
                                                     "job_title": "HR"})
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Noor Bakker is invited" in page
    link = re.search(r'value="(http://localhost/invitations/[^"]+)"', page).group(1)
    assert len(link) > 60
    page = client.get(url).get_data(as_text=True)
    assert "/invitations/" not in page  # only once
    assert "invited, no password yet" in page and "noor@voltwerk.nl" in page
    user = session.exec(select(User).where(User.email == "noor@voltwerk.nl")).one()
    assert user.role is Role.company


def test_an_invitation_error_keeps_what_was_typed(world, login):
    client = in_english(login(world.home.company_user))
    page = client.post(f"/companies/{world.home.company.id}/contacts",
                       data={"email": "noor@voltwerk.nl", "display_name": "",
                             "job_title": "Werkplaatschef"}).get_data(as_text=True)
    assert "Fill in the name of the contact" in page
    assert 'value="noor@voltwerk.nl"' in page and 'value="Werkplaatschef"' in page


def test_rights_toggle_and_the_last_acting_contact_is_protected(world, login, session,
                                                                password_hash):
    company, first = world.home.company, world.home.company_user
    client = in_english(login(world.home.coordinator))
    base = f"/companies/{company.id}/contacts"
    page = client.post(f"{base}/{first.id}/rights", data={"can_act": "0"},
                       follow_redirects=True).get_data(as_text=True)
    assert "is the only contact who can act" in page
    page = client.post(f"{base}/{first.id}/remove", follow_redirects=True).get_data(
        as_text=True)
    assert "cannot be removed" in page

    second = factories.make_user(session, Role.company, password_hash=password_hash)
    session.add(CompanyContact(company_id=company.id, user_id=second.id))
    session.commit()
    page = client.post(f"{base}/{first.id}/rights", data={"can_act": "0"},
                       follow_redirects=True).get_data(as_text=True)
    assert "can no longer act" in page
    assert client.post(f"{base}/{first.id}/rights", data={"can_act": "maybe"}
                       ).status_code == 302
    session.expire_all()
    rows = {c.user_id: c.can_act for c in session.exec(
        select(CompanyContact).where(CompanyContact.company_id == company.id)).all()}
    assert rows == {first.id: False, second.id: True}
    client.post(f"{base}/{first.id}/rights", data={"can_act": "1"})
    client.post(f"{base}/{second.id}/remove")
    session.expire_all()
    rows = {c.user_id: c.can_act for c in session.exec(
        select(CompanyContact).where(CompanyContact.company_id == company.id)).all()}
    assert rows == {first.id: True}


def test_a_contact_who_gives_up_their_own_right_goes_home(world, login, session,
                                                         password_hash):
    company, me = world.home.company, world.home.company_user
    other = factories.make_user(session, Role.company, password_hash=password_hash)
    session.add(CompanyContact(company_id=company.id, user_id=other.id))
    session.commit()
    response = login(me).post(f"/companies/{company.id}/contacts/{me.id}/rights",
                              data={"can_act": "0"})
    assert response.headers["Location"].endswith("/home")


def test_the_company_list_searches_name_kvk_and_place(world, login, session):
    client = in_english(login(world.admin))
    company, other = world.home.company, world.away.company
    other.place = "Doetinchem"
    session.add(other)
    session.commit()
    for query in (company.name.lower(), company.kvk, company.place.upper()):
        page = client.get("/companies/", query_string={"q": query}).get_data(as_text=True)
        assert company.name in page and other.name not in page, query
    page = client.get("/companies/", query_string={"q": "geen-zo-bedrijf"}).get_data(
        as_text=True)
    assert company.name not in page and other.name not in page


def test_company_changes_and_contact_changes_are_in_the_admin_log(world, login, session,
                                                                   password_hash):
    from app.models import AdminLogEntry

    company = world.home.company
    client = in_english(login(world.home.coordinator))
    assert client.post(f"/companies/{company.id}/edit", data=company_form(
        kvk=company.kvk, female_role_model="y", recognised_for=[])).status_code == 302
    second = factories.make_user(session, Role.company, password_hash=password_hash)
    session.add(CompanyContact(company_id=company.id, user_id=second.id))
    session.commit()
    client.post(f"/companies/{company.id}/contacts/{second.id}/remove")
    entries = session.exec(select(AdminLogEntry).order_by(AdminLogEntry.id)).all()
    assert [(e.action, e.object_id, e.actor_id) for e in entries] == [
        ("company.change", company.id, world.home.coordinator.id),
        ("company.contact.remove", company.id, world.home.coordinator.id)]
    assert entries[0].before["female_role_model"] is False
    assert entries[0].after["female_role_model"] is True
    assert entries[1].after == {"contact": second.email}


def test_another_companys_contact_is_not_found(world, login):
    client = login(world.home.coordinator)
    stranger = world.away.company_user
    base = f"/companies/{world.home.company.id}/contacts/{stranger.id}"
    assert client.post(f"{base}/remove").status_code == 404
    assert client.post(f"{base}/rights", data={"can_act": "0"}).status_code == 404
