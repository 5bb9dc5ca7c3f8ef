"""Companies: the profile and its checks, contacts, invitations."""

from __future__ import annotations

import time

import flask
import pytest
from sqlmodel import select

from app import permissions
from app.models import Company, CompanyContact, PlacementKind, Role, User
from app.services import accounts
from app.services import companies as service
from app.services.companies import CompanyError, ContactError, InvitationError
from tests import factories

NEW_PASSWORD = "a long new password"


def profile(**changes):
    values = {"name": "Voltwerk Installaties B.V.", "kvk": "6543 21.09", "sector": "installatie",
              "postcode": "6901 AB", "address": "Industrieweg 4",
              "website": "www.voltwerk.nl", "recognised": True,
              "recognised_for": ["bol_internship", "snuffelstage"], "offers_mentor": True,
              "female_role_model": True, "accessibility_notes": "Rolstoeltoegankelijk"}
    values.update(changes)
    return values


@pytest.fixture
def ctx(app):
    """A request in English: invitation links are signed with the app's secret key."""
    with app.test_request_context():
        flask.session["lang"] = "en"
        yield


def contact_rows(session, company) -> dict[int, bool]:
    session.expire_all()
    return {c.user_id: c.can_act for c in session.exec(
        select(CompanyContact).where(CompanyContact.company_id == company.id)).all()}


# --- the profile ------------------------------------------------------------------------

def test_a_coordinator_adds_a_company_to_their_region(session, world):
    company = service.create_company(session=session, user=world.home.coordinator,
                                     region_id=world.away.region.id, **profile())
    assert company.region_id == world.home.region.id  # never another region
    assert company.kvk == "65432109"
    assert (company.postcode, company.place) == ("6901", "Zevenaar")
    assert company.website == "https://www.voltwerk.nl"
    # In the order of the enum, whatever order they were given in.
    assert company.recognised_for == ["snuffelstage", "bol_internship"]
    assert company.recognised_for_kinds() == [PlacementKind.snuffelstage,
                                              PlacementKind.bol_internship]
    assert company.offers_mentor and company.female_role_model


def test_an_admin_chooses_the_region(session, world):
    company = service.create_company(session=session, user=world.admin,
                                     region_id=world.away.region.id, **profile())
    assert company.region_id == world.away.region.id
    with pytest.raises(CompanyError) as error:
        service.create_company(session=session, user=world.admin, region_id=None,
                               **profile(kvk="11112222"))
    assert error.value.field == "region_id"


@pytest.mark.parametrize("role", ["student", "counsellor", "company"])
def test_other_roles_add_no_company(session, world, role):
    user = {"student": world.home.student_user, "counsellor": world.home.counsellor,
            "company": world.home.company_user}[role]
    with pytest.raises(CompanyError):
        service.create_company(session=session, user=user, **profile())


@pytest.mark.parametrize("kvk", ["1234567", "123456789", "1234567a", "", "12-345678"])
def test_a_kvk_number_has_8_digits(session, world, kvk):
    with pytest.raises(CompanyError) as error:
        service.create_company(session=session, user=world.home.coordinator,
                               **profile(kvk=kvk))
    assert error.value.field == "kvk"
    assert "8 digits" in str(error.value)


def test_a_kvk_number_is_unique_and_the_message_names_the_other_company(session, world):
    taken = world.away.company
    with pytest.raises(CompanyError) as error:
        service.create_company(session=session, user=world.home.coordinator,
                               **profile(kvk=taken.kvk))
    assert error.value.field == "kvk"
    assert taken.name in str(error.value) and taken.kvk in str(error.value)
    # Editing a company and keeping its own number is fine.
    own = world.home.company
    service.update_company(session=session, company=own, **profile(kvk=own.kvk))
    with pytest.raises(CompanyError) as error:
        service.update_company(session=session, company=own, **profile(kvk=taken.kvk))
    assert taken.name in str(error.value)
    session.expire_all()
    assert session.get(Company, own.id).kvk == own.kvk


@pytest.mark.parametrize(("changes", "field"), [
    ({"postcode": "0000"}, "postcode"),
    ({"postcode": "69"}, "postcode"),
    ({"website": "not a website"}, "website"),
    ({"website": "ftp://voltwerk.nl"}, "website"),
    ({"name": "  "}, "name"),
    ({"name": "x" * 161}, "name"),
    ({"sector": ""}, "sector"),
    ({"accessibility_notes": "x" * 1001}, "accessibility_notes"),
    ({"recognised_for": ["carpentry"]}, "recognised_for"),
])
def test_what_cannot_be_saved_names_its_field_and_changes_nothing(session, world, changes,
                                                                   field):
    company = world.home.company
    before = (company.name, company.postcode, company.website, company.sector)
    with pytest.raises(CompanyError) as error:
        service.update_company(session=session, company=company, **profile(**changes))
    assert error.value.field == field
    session.expire_all()
    company = session.get(Company, company.id)
    assert (company.name, company.postcode, company.website, company.sector) == before


def test_an_empty_website_is_allowed(session, world):
    company = service.update_company(session=session, company=world.home.company,
                                     **profile(website=""))
    assert company.website == ""


def test_recognised_for_only_counts_for_a_recognised_company(session, world):
    company = service.update_company(session=session, company=world.home.company,
                                     **profile(recognised=False))
    assert company.recognised is False and company.recognised_for == []


# --- who may ----------------------------------------------------------------------------

def test_who_may_manage_which_company(app, world):
    with app.test_request_context():
        home, away = world.home.company, world.away.company
        assert permissions.can_manage_company(world.admin, away)
        assert permissions.can_manage_company(world.home.coordinator, home)
        assert not permissions.can_manage_company(world.home.coordinator, away)
        assert permissions.can_manage_company(world.home.company_user, home)
        assert not permissions.can_manage_company(world.home.company_user, away)
        assert not permissions.can_manage_company(world.home.counsellor, home)
        assert not permissions.can_manage_company(world.home.student_user, home)
        assert permissions.can_add_company(world.home.coordinator)
        assert permissions.can_add_company(world.admin)
        assert not permissions.can_add_company(world.home.company_user)


# --- contacts and invitations -----------------------------------------------------------

def test_inviting_an_unknown_address_makes_an_account_that_cannot_log_in_yet(session, world,
                                                                             ctx):
    company = world.home.company
    result = service.invite_contact(session=session, company=company,
                                    email=" Nieuw@Voltwerk.NL ", display_name="Noor Bakker",
                                    job_title="HR-adviseur", invited_by=world.home.coordinator)
    assert result.created and result.token
    user = result.user
    assert (user.email, user.role, user.display_name) == ("nieuw@voltwerk.nl", Role.company,
                                                          "Noor Bakker")
    assert contact_rows(session, company)[user.id] is True
    assert not accounts.has_usable_password(user)
    assert accounts.authenticate(session=session, email=user.email, password="") is None
    assert service.check_invitation(session=session, token=result.token).id == user.id


def test_an_existing_company_account_is_linked_without_a_link(session, world, ctx):
    other = world.away.company_user
    result = service.invite_contact(session=session, company=world.home.company,
                                    email=other.email, invited_by=world.home.coordinator)
    assert result.user.id == other.id and not result.created
    assert result.token is None  # nobody gets a way to set someone else's password
    assert contact_rows(session, world.home.company)[other.id] is True


@pytest.mark.parametrize(("email", "name", "field"), [
    ("no-address", "Noor", "email"),
    ("noor@", "Noor", "email"),
    ("new@voltwerk.nl", "", "display_name"),
])
def test_an_invitation_needs_an_address_and_a_name(session, world, ctx, email, name, field):
    with pytest.raises(ContactError) as error:
        service.invite_contact(session=session, company=world.home.company, email=email,
                               display_name=name)
    assert error.value.field == field


def test_other_accounts_and_existing_contacts_are_refused(session, world, ctx):
    with pytest.raises(ContactError) as error:
        service.invite_contact(session=session, company=world.home.company,
                               email=world.home.counsellor.email)
    assert "another kind" in str(error.value)
    with pytest.raises(ContactError) as error:
        service.invite_contact(session=session, company=world.home.company,
                               email=world.home.company_user.email)
    assert "already a contact" in str(error.value)


def test_accepting_sets_the_password_and_the_link_cannot_be_used_again(session, world, ctx):
    result = service.invite_contact(session=session, company=world.home.company,
                                    email="noor@voltwerk.nl", display_name="Noor")
    old_token = result.user.session_token
    user = service.accept_invitation(session=session, token=result.token,
                                     password=NEW_PASSWORD)
    assert user.session_token != old_token
    assert accounts.authenticate(session=session, email="noor@voltwerk.nl",
                                 password=NEW_PASSWORD).id == user.id
    with pytest.raises(InvitationError) as error:
        service.accept_invitation(session=session, token=result.token, password="another one!")
    assert error.value.reason == "used"
    assert "already been used" in str(error.value)
    assert world.home.company.name in str(error.value)  # whom to ask
    assert accounts.authenticate(session=session, email="noor@voltwerk.nl",
                                 password=NEW_PASSWORD) is not None


def test_a_short_password_is_refused_and_the_link_stays_valid(session, world, ctx):
    result = service.invite_contact(session=session, company=world.home.company,
                                    email="noor@voltwerk.nl", display_name="Noor")
    with pytest.raises(InvitationError) as error:
        service.accept_invitation(session=session, token=result.token, password="short")
    assert error.value.field == "password"
    assert service.check_invitation(session=session, token=result.token)


def test_an_invitation_expires_after_14_days(session, world, ctx, monkeypatch):
    start = time.time()
    monkeypatch.setattr(service, "_now", lambda: start)
    result = service.invite_contact(session=session, company=world.home.company,
                                    email="noor@voltwerk.nl", display_name="Noor")
    monkeypatch.setattr(service, "_now", lambda: start + 14 * 86400 - 60)
    assert service.check_invitation(session=session, token=result.token)
    monkeypatch.setattr(service, "_now", lambda: start + 14 * 86400 + 60)
    with pytest.raises(InvitationError) as error:
        service.accept_invitation(session=session, token=result.token, password=NEW_PASSWORD)
    assert error.value.reason == "expired"
    assert "expired" in str(error.value) and world.home.company.name in str(error.value)
    session.expire_all()
    assert not accounts.has_usable_password(session.get(User, result.user.id))


@pytest.mark.parametrize("tamper", [
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
    lambda t: t.replace(".", "x.", 1),
    lambda t: "nonsense",
    lambda t: "",
])
def test_a_tampered_link_is_refused(session, world, ctx, tamper):
    result = service.invite_contact(session=session, company=world.home.company,
                                    email="noor@voltwerk.nl", display_name="Noor")
    with pytest.raises(InvitationError) as error:
        service.accept_invitation(session=session, token=tamper(result.token),
                                  password=NEW_PASSWORD)
    assert error.value.reason == "invalid"


def test_a_link_signed_with_another_key_is_refused(session, world, app):
    with app.test_request_context():
        result = service.invite_contact(session=session, company=world.home.company,
                                        email="noor@voltwerk.nl", display_name="Noor")
        app.config["SECRET_KEY"] = "another-secret"
        with pytest.raises(InvitationError):
            service.check_invitation(session=session, token=result.token)


def test_the_last_contact_who_can_act_keeps_that_right(session, world):
    company, only = world.home.company, world.home.company_user
    with pytest.raises(ContactError) as error:
        service.set_contact_rights(session=session, company=company, contact_user=only,
                                   can_act=False)
    assert "only contact" in str(error.value)
    with pytest.raises(ContactError):
        service.remove_contact(session=session, company=company, contact_user=only)
    assert contact_rows(session, company) == {only.id: True}


def test_with_a_second_acting_contact_rights_can_change_and_contacts_go(session, world,
                                                                       password_hash):
    company, first = world.home.company, world.home.company_user
    second = factories.make_user(session, Role.company, password_hash=password_hash)
    session.add(CompanyContact(company_id=company.id, user_id=second.id))
    session.commit()
    service.set_contact_rights(session=session, company=company, contact_user=first,
                               can_act=False)
    assert contact_rows(session, company) == {first.id: False, second.id: True}
    # The one left who can act is protected again; one without the right can always go.
    with pytest.raises(ContactError):
        service.remove_contact(session=session, company=company, contact_user=second)
    service.remove_contact(session=session, company=company, contact_user=first)
    assert contact_rows(session, company) == {second.id: True}
    assert session.get(User, first.id) is not None  # the account stays
    with pytest.raises(ContactError):
        service.remove_contact(session=session, company=company, contact_user=first)


def test_list_companies_per_region(session, world):
    page = service.list_companies(session=session, region_id=world.home.region.id)
    assert [row.company.id for row in page.rows] == [world.home.company.id]
    assert page.rows[0].open_placements == 1 and page.rows[0].contacts == 1
    assert service.list_companies(session=session, region_id=None).total == 2

