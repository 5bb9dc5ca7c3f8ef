"""Importing companies: values, region, contacts, re-import, scope, command line and page."""

from __future__ import annotations

import io

import pytest
from click.testing import CliRunner
from sqlmodel import select
from werkzeug.security import check_password_hash

from app.cli import main
from app.models import Company, CompanyContact, Role, User

from .test_support import (
    count,
    csv_bytes,
    do_import,
    messages,
    scope_of,
    themes,  # noqa: F401 - a fixture, used by pytestmark
)

pytestmark = pytest.mark.usefixtures("themes")
HEADER = ["kvk", "name", "sector", "address", "postcode", "website", "recognised",
          "recognised_for", "offers_mentor", "female_role_model", "accessibility_notes",
          "region"]
CONTACT_HEADER = [*HEADER, "contact_email", "contact_name"]


def company_row(kvk: str = "70000001", /, **overrides) -> dict:
    row = {"kvk": kvk, "name": "Installatietechniek Angerlo B.V.", "sector": "installatie",
           "address": "Dorpsstraat 12", "postcode": "6986 AB", "website": "www.angerlo.example",
           "recognised": "ja", "recognised_for": "stage|leerbaan", "offers_mentor": "ja",
           "female_role_model": "nee", "accessibility_notes": "Rolstoeltoegankelijk",
           "region": "liemers"}
    row.update(overrides)
    return row


def companies_file(*rows: dict, header=HEADER, delimiter: str = ",") -> bytes:
    return csv_bytes([header, *([row.get(name, "") for name in header]
                                for row in rows or (company_row(),))], delimiter)


def company(session, kvk: str = "70000001") -> Company:
    return session.exec(select(Company).where(Company.kvk == kvk)).one()


def table_counts(session) -> tuple[int, ...]:
    return tuple(count(session, model) for model in (Company, User, CompanyContact))


def contacts_of(session, item: Company) -> set[str]:
    return set(session.exec(select(User.email).join(
        CompanyContact, CompanyContact.user_id == User.id).where(
        CompanyContact.company_id == item.id)).all())


def test_a_new_company_is_created_with_everything_derived(session, world):
    report = do_import(session, "companies", companies_file())
    assert (report.created, report.updated, report.unchanged) == (1, 0, 0), messages(report)
    item = company(session)
    assert (item.name, item.sector, item.address) == ("Installatietechniek Angerlo B.V.",
                                                      "installatie", "Dorpsstraat 12")
    assert (item.postcode, item.place, item.region_id) == ("6986", "Angerlo",
                                                           world.home.region.id)
    assert item.website == "https://www.angerlo.example"
    assert item.recognised and item.recognised_for == ["bol_internship", "bbl_apprenticeship"]
    assert item.offers_mentor and not item.female_role_model
    assert item.accessibility_notes == "Rolstoeltoegankelijk"
    assert report.changes[0].key == "70000001 Installatietechniek Angerlo B.V."


def test_only_the_needed_columns_make_a_company_with_defaults(session, world):
    header = ["KvK-nummer", "Bedrijfsnaam", "Branche", "Postcode", "Regio"]
    data = csv_bytes([header, ["7000001", "Metaal Zevenaar", "metaal", "6901", "Liemers"]], ";")
    report = do_import(session, "companies", data)
    assert report.ok, messages(report)
    item = company(session, "07000001")  # the leading zero a spreadsheet dropped
    assert (item.address, item.website, item.recognised, item.recognised_for) == ("", "", False,
                                                                                 [])
    assert not item.offers_mentor and not item.female_role_model


@pytest.mark.parametrize(("yes", "no"), [("ja", "nee"), ("Yes", "No"), ("1", "0"),
                                         ("waar", "onwaar"), ("J", "N"), ("true", "false")])
def test_yes_and_no_in_dutch_and_english(session, world, yes, no):
    report = do_import(session, "companies", companies_file(company_row(
        recognised=yes, recognised_for="", offers_mentor=no, female_role_model=yes)))
    assert report.ok, messages(report)
    item = company(session)
    assert (item.recognised, item.offers_mentor, item.female_role_model) == (True, False, True)


@pytest.mark.parametrize(("cell", "delimiter"), [
    ("BOL-stage; BBL", ","), ("internship|apprenticeship", ";"), ("stage;leerbaan", ";"),
    ("leerbaan, stage", ","),
])
def test_recognised_for_takes_kinds_by_any_name_and_list_separator(session, world, cell,
                                                                   delimiter):
    report = do_import(session, "companies", companies_file(
        company_row(recognised_for=cell), delimiter=delimiter))
    assert report.ok, messages(report)
    assert company(session).recognised_for == ["bol_internship", "bbl_apprenticeship"]


def test_an_unquoted_semicolon_list_in_a_semicolon_file_is_a_problem_that_says_so(
        session, world):
    text = companies_file(company_row(recognised_for="stagexleerbaan"), delimiter=";")
    report = do_import(session, "companies", text.replace(b"stagexleerbaan", b"stage;leerbaan"))
    assert [(p.line, p.column) for p in report.problems] == [(2, None)]
    assert "needs quotes around it" in report.problems[0].message


@pytest.mark.parametrize(("column", "value", "message"), [
    ("kvk", "123", "is not a KvK number"),
    ("kvk", "", "Fill in kvk"),
    ("name", "", "Fill in naam (name)"),
    ("name", "n" * 161, "at most 160 fit"),
    ("sector", "", "Fill in sector"),
    ("postcode", "1000", "Postcode 1000 does not exist"),
    ("postcode", "abc", "is not a postcode"),
    ("website", "mijn site", "Give a web address like"),
    ("recognised", "misschien", "'misschien' is not yes or no"),
    ("recognised_for", "stage|vakantiewerk", "'vakantiewerk' is not a kind of placement"),
    ("offers_mentor", "soms", "is not yes or no"),
    ("region", "Twente", "Unknown region 'Twente'. Write one of: achterhoek, liemers"),
    ("region", "", "Fill in regio (region)"),
    ("accessibility_notes", "x" * 1001, "at most 1000 fit"),
])
def test_each_bad_value_is_a_problem_on_its_line_and_column(session, world, column, value,
                                                            message):
    before = table_counts(session)
    second = company_row("70000002")
    second[column] = value
    report = do_import(session, "companies", companies_file(company_row("70000001"), second))
    assert [(p.line, p.column) for p in report.problems] == [(3, column)]
    assert message in report.problems[0].message
    assert table_counts(session) == before


def test_kinds_for_a_company_that_is_not_recognised_are_a_problem(session, world):
    report = do_import(session, "companies", companies_file(
        company_row("70000001", recognised="nee", recognised_for="stage"),
        company_row("70000002", recognised="", recognised_for="stage")))
    assert [(p.line, p.column) for p in report.problems] == [(2, "recognised_for"),
                                                            (3, "recognised_for")]
    assert "is not a recognised training company" in report.problems[0].message


def test_the_same_kvk_twice_is_a_problem_on_the_second_line(session, world):
    report = do_import(session, "companies", companies_file(
        company_row("70000001"), company_row("70000002"), company_row("7000.0001")))
    assert [(p.line, p.column) for p in report.problems] == [(4, "kvk")]
    assert "already on line 2" in report.problems[0].message


def test_the_operator_must_give_a_region_column(session, world):
    header = [name for name in HEADER if name != "region"]
    report = do_import(session, "companies", companies_file(header=header))
    assert [(p.line, p.column) for p in report.problems] == [(1, None)]
    assert "Add a column regio (region)" in report.problems[0].message


def test_a_file_without_the_needed_columns_names_them(session, world):
    report = do_import(session, "companies", csv_bytes([["kvk", "naam"], ["70000001", "X"]]))
    assert [(p.line, p.column) for p in report.problems] == [(1, None)]
    assert "sector, postcode are missing" in report.problems[0].message


def test_a_placements_file_chosen_as_companies_is_recognised(session, world):
    header = ["company_kvk", "code", "title", "description", "kind", "levels", "capacity",
              "start", "end", "themes"]
    report = do_import(session, "companies", csv_bytes([header, ["1"] * len(header)]))
    assert "It looks like a file of placements" in messages(report)


# --- re-import -----------------------------------------------------------------------------

def test_re_importing_updates_by_kvk_without_doubles(session, world):
    do_import(session, "companies", companies_file())
    before = table_counts(session)
    again = do_import(session, "companies", companies_file())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    changed = do_import(session, "companies", companies_file(company_row(
        name="Angerlo Installaties B.V.", postcode="6987", recognised_for="leerbaan;stage",
        female_role_model="ja")))
    assert (changed.created, changed.updated) == (0, 1), messages(changed)
    assert set(changed.changes[0].columns) == {"name", "postcode", "female_role_model"}
    item = company(session)
    assert (item.name, item.place, item.female_role_model) == ("Angerlo Installaties B.V.",
                                                               "Giesbeek", True)
    assert table_counts(session) == before


def test_empty_cells_keep_what_the_company_filled_in(session, world):
    do_import(session, "companies", companies_file())
    report = do_import(session, "companies", companies_file(company_row(
        address="", website="", recognised="", recognised_for="", offers_mentor="",
        female_role_model="", accessibility_notes="")))
    assert report.unchanged == 1, messages(report)
    item = company(session)
    assert item.address == "Dorpsstraat 12" and item.website == "https://www.angerlo.example"
    assert item.recognised and item.recognised_for == ["bol_internship", "bbl_apprenticeship"]
    assert item.offers_mentor and item.accessibility_notes == "Rolstoeltoegankelijk"


def test_no_longer_recognised_means_recognised_for_no_kind(session, world):
    do_import(session, "companies", companies_file())
    report = do_import(session, "companies", companies_file(company_row(
        recognised="nee", recognised_for="")))
    assert set(report.changes[0].columns) == {"recognised", "recognised_for"}
    item = company(session)
    assert not item.recognised and item.recognised_for == []


def test_an_import_does_not_move_a_company_to_another_region(session, world):
    home = world.home.company
    report = do_import(session, "companies", companies_file(company_row(
        home.kvk, region="achterhoek")))
    assert [(p.line, p.column) for p in report.problems] == [(2, "region")]
    assert "does not move it to another region" in report.problems[0].message
    session.refresh(home)
    assert home.region_id == world.home.region.id


def test_a_dry_run_counts_and_writes_nothing(session, world):
    before = table_counts(session)
    report = do_import(session, "companies", companies_file(
        company_row("70000001", contact_email="nieuw@bedrijf.example", contact_name="Ans"),
        company_row(world.home.company.kvk, name="Nieuwe naam"), header=CONTACT_HEADER),
        dry_run=True)
    assert (report.created, report.updated) == (1, 1), messages(report)
    assert [c.action for c in report.changes] == ["create", "update"]
    assert table_counts(session) == before
    session.refresh(world.home.company)
    assert world.home.company.name != "Nieuwe naam"


# --- contacts ------------------------------------------------------------------------------

def test_a_new_contact_address_gets_a_company_account_without_a_password(session, world):
    report = do_import(session, "companies", companies_file(company_row(
        contact_email="Ans.Jansen@Angerlo.example", contact_name="Ans Jansen"),
        header=CONTACT_HEADER))
    assert report.ok, messages(report)
    user = session.exec(select(User).where(User.email == "ans.jansen@angerlo.example")).one()
    assert (user.role, user.display_name, user.school_id) == (Role.company, "Ans Jansen", None)
    assert not check_password_hash(user.password_hash, "")
    assert contacts_of(session, company(session)) == {"ans.jansen@angerlo.example"}
    before = table_counts(session)
    again = do_import(session, "companies", companies_file(company_row(
        contact_email="ans.jansen@angerlo.example", contact_name="Anders"),
        header=CONTACT_HEADER))
    assert again.unchanged == 1
    assert table_counts(session) == before


def test_an_existing_company_account_is_linked_to_another_company(session, world):
    other = world.away.company_user
    before = count(session, User)
    report = do_import(session, "companies", companies_file(
        company_row(world.home.company.kvk, name=world.home.company.name,
                    contact_email=other.email), header=CONTACT_HEADER))
    assert report.updated == 1, messages(report)
    assert "contact_email" in report.changes[0].columns
    assert other.email in contacts_of(session, world.home.company)
    assert count(session, User) == before


def test_one_new_contact_for_two_companies_is_one_account(session, world):
    report = do_import(session, "companies", companies_file(
        company_row("70000001", contact_email="jan@groep.example", contact_name="Jan"),
        company_row("70000002", contact_email="jan@groep.example"), header=CONTACT_HEADER))
    assert report.created == 2, messages(report)
    assert contacts_of(session, company(session, "70000002")) == {"jan@groep.example"}
    assert len(session.exec(select(User).where(User.email == "jan@groep.example")).all()) == 1


@pytest.mark.parametrize(("email", "name", "column", "message"), [
    ("student", "", "contact_email", "already has an account of another kind"),
    ("counsellor", "", "contact_email", "already has an account of another kind"),
    ("nieuw@bedrijf.example", "", "contact_name", "There is no account for nieuw@bedrijf"),
    ("", "Ans Jansen", "contact_name", "A contact person needs an e-mail address"),
    ("geen adres", "", "contact_email", "is not an e-mail address"),
])
def test_contact_problems(session, world, email, name, column, message):
    email = {"student": world.home.student_user.email,
             "counsellor": world.home.counsellor.email}.get(email, email)
    before = table_counts(session)
    report = do_import(session, "companies", companies_file(company_row(
        contact_email=email, contact_name=name), header=CONTACT_HEADER))
    assert [(p.line, p.column) for p in report.problems] == [(2, column)]
    assert message in report.problems[0].message
    assert table_counts(session) == before


def test_a_switched_off_company_account_is_not_linked(session, world):
    user = world.away.company_user
    user.is_active = False
    session.add(user)
    session.commit()
    report = do_import(session, "companies", companies_file(company_row(
        contact_email=user.email), header=CONTACT_HEADER))
    assert "is switched off" in messages(report)


# --- who may import companies ----------------------------------------------------------

def test_a_coordinator_imports_into_their_own_region(session, world):
    coordinator = world.home.coordinator
    header = [name for name in HEADER if name != "region"]
    report = do_import(session, "companies", companies_file(header=header),
                       scope_of(session, coordinator))
    assert report.ok, messages(report)
    assert company(session).region_id == world.home.region.id


def test_a_coordinator_cannot_import_into_another_region(session, world):
    coordinator = world.home.coordinator
    away = world.away.company
    report = do_import(session, "companies", companies_file(
        company_row("70000001", region="Achterhoek"),
        company_row(away.kvk, region=""), company_row("70000003", region="Liemers")),
        scope_of(session, coordinator))
    assert [(p.line, p.column) for p in report.problems] == [(2, "region"), (3, "kvk")]
    assert "only import companies in your own region, Liemers" in report.problems[0].message
    assert "belongs to a company in another region" in report.problems[1].message
    session.refresh(away)
    assert away.name.startswith("Testbedrijf")


def test_a_coordinator_updates_a_company_of_their_region(session, world):
    home = world.home.company
    report = do_import(session, "companies", companies_file(company_row(
        home.kvk, name="Nieuwe naam B.V.", region="")), scope_of(session, world.home.coordinator))
    assert report.updated == 1, messages(report)
    session.refresh(home)
    assert home.name == "Nieuwe naam B.V."


def test_a_counsellor_may_not_import_companies(session, world):
    report = do_import(session, "companies", companies_file(),
                       scope_of(session, world.home.counsellor))
    assert [(p.line, p.column) for p in report.problems] == [(0, None)]
    assert "may not import this kind of file" in report.problems[0].message


# --- command line and page -------------------------------------------------------------

@pytest.fixture
def run(database_url, monkeypatch, tmp_path):
    monkeypatch.setenv("TALENTMATCH_ENV", "testing")
    monkeypatch.setenv("DATABASE_URL", database_url)

    def invoke(kind: str, data: bytes, *options: str):
        path = tmp_path / f"{kind}.csv"
        path.write_bytes(data)
        return CliRunner().invoke(main, ["import", kind, str(path), *options],
                                  catch_exceptions=False)

    return invoke


def test_the_command_line_imports_companies(run, session, world):
    result = run("companies", companies_file(), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Companies: 1 added, 0 updated, 0 unchanged." in result.output
    assert company(session).region_id == world.home.region.id
    bad = run("companies", companies_file(company_row(postcode="1000")), "--lang", "en")
    assert bad.exit_code == 1
    assert "line 2, column postcode: Postcode 1000 does not exist" in bad.output


def test_the_page_offers_a_coordinator_companies_and_placements(world, login):
    client = login(world.home.coordinator)
    page = client.get("/imports/").get_data(as_text=True)
    for kind in ("companies", "placements"):
        assert f'value="{kind}"' in page
        assert client.get(f"/imports/examples/{kind}.csv").status_code == 200
    help_page = client.get("/imports/help").get_data(as_text=True)
    assert "recognised_for" in help_page and "company_kvk" in help_page


def test_the_page_does_not_offer_a_counsellor_companies(world, login):
    client = login(world.home.counsellor)
    page = client.get("/imports/").get_data(as_text=True)
    assert 'value="companies"' not in page and 'value="placements"' not in page
    assert client.get("/imports/examples/companies.csv").status_code == 404


def test_a_coordinator_uploads_companies(world, login, session):
    client = login(world.home.coordinator)
    header = [name for name in HEADER if name != "region"]
    response = client.post("/imports/", data={
        "kind": "companies", "file": (io.BytesIO(companies_file(header=header)), "b.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 200
    assert company(session).region_id == world.home.region.id

