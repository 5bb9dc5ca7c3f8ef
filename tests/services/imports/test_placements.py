"""Importing placements: values, kinds and levels, status history, capacity, scope, size."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner
from sqlmodel import select

from app.models import (
    Placement,
    PlacementEvent,
    PlacementKind,
    PlacementStatus,
    PlacementTheme,
    Theme,
)
from app.services import occupations
from app.services.occupations import best_occupation, choose_occupation

from .test_support import (
    count,
    csv_bytes,
    do_import,
    messages,
    scope_of,
    themes,  # noqa: F401 - a fixture, used by pytestmark
)

pytestmark = pytest.mark.usefixtures("themes")
HEADER = ["company_kvk", "code", "title", "description", "kind", "levels", "postcode",
          "capacity", "start", "end", "themes"]


def placement_row(kvk: str, /, code: str = "BOL-001", **overrides) -> dict:
    row = {"company_kvk": kvk, "code": code, "title": "Stage elektrotechniek",
           "description": "Je sluit groepen aan\nen test ze.", "kind": "BOL-stage",
           "levels": "mbo 2|mbo-3", "postcode": "", "capacity": "2", "start": "1-9-2026",
           "end": "2026-11-20", "themes": "elektrotechniek; installatietechniek"}
    row.update(overrides)
    return row


def placements_file(*rows: dict, header=HEADER, delimiter: str = ",") -> bytes:
    return csv_bytes([header, *([row.get(name, "") for name in header] for row in rows)],
                     delimiter)


def placement(session, company, code: str = "BOL-001") -> Placement:
    return session.exec(select(Placement).where(Placement.company_id == company.id,
                                                Placement.code == code)).one()


def theme_slugs(session, item: Placement) -> set[str]:
    return set(session.exec(select(Theme.slug).join(PlacementTheme).where(
        PlacementTheme.placement_id == item.id)).all())


def events(session, item: Placement) -> list[tuple]:
    return [(e.actor_id, e.action, e.from_status, e.to_status) for e in session.exec(
        select(PlacementEvent).where(PlacementEvent.placement_id == item.id)
        .order_by(PlacementEvent.id)).all()]


def table_counts(session) -> tuple[int, ...]:
    return tuple(count(session, model) for model in (Placement, PlacementTheme, PlacementEvent))


def test_a_new_placement_is_a_draft_at_the_company_with_its_history(session, world):
    company = world.home.company
    report = do_import(session, "placements", placements_file(placement_row(company.kvk)))
    assert (report.created, report.updated, report.unchanged) == (1, 0, 0), messages(report)
    item = placement(session, company)
    assert (item.title, item.kind, item.levels) == ("Stage elektrotechniek",
                                                    PlacementKind.bol_internship,
                                                    ["mbo_2", "mbo_3"])
    assert item.description == "Je sluit groepen aan\nen test ze."
    assert (item.postcode, item.place) == (company.postcode, company.place)
    assert (item.capacity, item.places_taken, item.status) == (2, 0, PlacementStatus.draft)
    assert (item.starts_on, item.ends_on) == (date(2026, 9, 1), date(2026, 11, 20))
    assert (item.days_per_week, item.allowance, item.application_deadline) == (None, "", None)
    assert theme_slugs(session, item) == {"elektrotechniek", "installatietechniek"}
    assert events(session, item) == [(None, "import", None, "draft")]
    assert report.changes[0].key == f"{company.kvk} BOL-001"


def test_the_optional_columns_are_stored(session, world):
    company = world.home.company
    header = [*HEADER, "status", "dagen per week", "vergoeding", "reageren voor",
              "leren en doen"]
    report = do_import(session, "placements", placements_file(placement_row(
        company.kvk, postcode="6903", status="Open", **{
            "dagen per week": "4", "vergoeding": "€ 300 per maand",
            "reageren voor": "15-6-2026", "leren en doen": "Solderen\nen meten"}),
        header=header))
    assert report.ok, messages(report)
    item = placement(session, company)
    assert (item.postcode, item.place, item.status) == ("6903", "Zevenaar",
                                                        PlacementStatus.open)
    assert (item.days_per_week, item.allowance, item.application_deadline) == (
        4, "€ 300 per maand", date(2026, 6, 15))
    assert item.learn_and_do == "Solderen\nen meten"
    assert events(session, item) == [(None, "import", None, "open")]


@pytest.mark.parametrize(("kind", "levels", "expected_kind", "expected_levels"), [
    ("snuffelstage", "vmbo-kb; vmbo gl", PlacementKind.snuffelstage, ["vmbo_kb", "vmbo_gl"]),
    ("job shadowing", "vmbo", PlacementKind.snuffelstage,
     ["vmbo_bb", "vmbo_kb", "vmbo_gl", "vmbo_tl"]),
    ("Snuffelstage", "vmbo bb/kb|havo/vwo", PlacementKind.snuffelstage,
     ["vmbo_bb", "vmbo_kb", "havo", "vwo"]),
    ("stage", "mbo 2-4", PlacementKind.bol_internship, ["mbo_2", "mbo_3", "mbo_4"]),
    ("internship", "mbo-niveau 2 t/m 3", PlacementKind.bol_internship, ["mbo_2", "mbo_3"]),
    ("leerbaan", "entree|MBO2", PlacementKind.bbl_apprenticeship, ["mbo_1", "mbo_2"]),
    ("BBL", "mbo 3 bbl", PlacementKind.bbl_apprenticeship, ["mbo_3"]),
    ("apprenticeship", "mbo", PlacementKind.bbl_apprenticeship,
     ["mbo_1", "mbo_2", "mbo_3", "mbo_4"]),
    ("hbo-stage", "hbo", PlacementKind.hbo_internship, ["hbo"]),
    ("afstudeeropdracht", "HBO", PlacementKind.graduation_project, ["hbo"]),
    ("graduation project", "hbo", PlacementKind.graduation_project, ["hbo"]),
    ("fieldlab", "hbo; mbo 4", PlacementKind.fieldlab_project, ["mbo_4", "hbo"]),
    ("bbl_apprenticeship", "mbo_3", PlacementKind.bbl_apprenticeship, ["mbo_3"]),
])
def test_kinds_and_levels_as_people_write_them(session, world, kind, levels, expected_kind,
                                               expected_levels):
    company = world.home.company
    report = do_import(session, "placements", placements_file(placement_row(
        company.kvk, kind=kind, levels=levels)))
    assert report.ok, messages(report)
    item = placement(session, company)
    assert (item.kind, item.levels) == (expected_kind, expected_levels)


@pytest.mark.parametrize(("kind", "levels", "message"), [
    ("snuffelstage", "mbo 2", "A snuffelstage is for vmbo, havo and vwo students. mbo_2 does"),
    ("stage", "vmbo-kb|mbo 2", "A stage (BOL) is for mbo students"),
    ("leerbaan", "hbo", "A leerbaan (BBL) is for mbo students"),
    ("hbo-stage", "mbo 4", "An hbo-stage or afstudeeropdracht is for hbo students"),
    ("afstudeeropdracht", "vwo", "An hbo-stage or afstudeeropdracht is for hbo students"),
    ("fieldlab", "havo", "A fieldlab is for mbo and hbo students"),
    ("snuffelstage", "basisonderwijs", "basisonderwijs does not fit"),
])
def test_levels_that_do_not_fit_the_kind_are_a_problem(session, world, kind, levels, message):
    report = do_import(session, "placements", placements_file(placement_row(
        world.home.company.kvk, kind=kind, levels=levels)))
    assert [(p.line, p.column) for p in report.problems] == [(2, "levels")]
    assert message in report.problems[0].message


@pytest.mark.parametrize(("column", "value", "message"), [
    ("company_kvk", "123", "is not a KvK number"),
    ("company_kvk", "99999999", "There is no company with KvK number 99999999"),
    ("code", "", "Fill in code"),
    ("code", "c" * 41, "at most 40 fit"),
    ("title", "", "Fill in titel (title)"),
    ("kind", "vakantiewerk", "'vakantiewerk' is not a kind of placement"),
    ("levels", "kb", "'kb' alone is not clear: write vmbo-kb"),
    ("levels", "mbo 5", "'mbo 5' is not a level"),
    ("levels", "", "Fill in niveaus (levels)"),
    ("capacity", "0", "is not between 1 and 1000"),
    ("capacity", "twee", "is not a whole number"),
    ("capacity", "", "Fill in capaciteit (capacity)"),
    ("start", "31-02-2026", "is not a date that exists"),
    ("end", "volgend jaar", "is not a date"),
    ("postcode", "1000", "Postcode 1000 does not exist"),
    ("themes", "elektrotechniek|roobtcia", "Unknown theme 'roobtcia'. Did you mean Robotica"),
    ("themes", "", "Fill in at least one theme"),
    ("description", "d" * 4001, "at most 4000 fit"),
])
def test_each_bad_value_is_a_problem_on_its_line_and_column(session, world, column, value,
                                                            message):
    kvk = world.home.company.kvk
    before = table_counts(session)
    second = placement_row(kvk, "BOL-002")
    second[column] = value
    report = do_import(session, "placements", placements_file(placement_row(kvk), second))
    assert [(p.line, p.column) for p in report.problems] == [(3, column)]
    assert message in report.problems[0].message
    assert table_counts(session) == before


@pytest.mark.parametrize(("column", "value", "message"), [
    ("status", "misschien", "'misschien' is not a status"),
    ("days_per_week", "6", "6 is not between 1 and 5"),
    ("allowance", "a" * 121, "at most 120 fit"),
    ("deadline", "2027-01-01", "The last day to apply is after the last day"),
])
def test_bad_optional_values_are_problems(session, world, column, value, message):
    report = do_import(session, "placements", placements_file(
        placement_row(world.home.company.kvk, **{column: value}), header=[*HEADER, column]))
    assert [(p.line, p.column) for p in report.problems] == [(2, column)]
    assert message in report.problems[0].message


def test_an_end_before_the_start_is_a_problem(session, world):
    report = do_import(session, "placements", placements_file(placement_row(
        world.home.company.kvk, start="2026-09-01", end="31-08-2026")))
    assert [(p.line, p.column) for p in report.problems] == [(2, "end")]
    assert "The last day is before the first day (start)" in report.problems[0].message


def test_open_dates_are_allowed(session, world):
    company = world.home.company
    report = do_import(session, "placements", placements_file(placement_row(
        company.kvk, start="", end="")))
    assert report.ok, messages(report)
    item = placement(session, company)
    assert item.starts_on is None and item.ends_on is None


def test_a_company_earlier_in_the_same_file_does_not_count(session, world):
    report = do_import(session, "placements", placements_file(placement_row("70000001")))
    assert "or import the companies first" in messages(report)


def test_the_same_placement_twice_is_a_problem_on_the_second_line(session, world):
    home, away = world.home.company.kvk, world.away.company.kvk
    report = do_import(session, "placements", placements_file(
        placement_row(home, "A"), placement_row(away, "A"), placement_row(home, "B"),
        placement_row(home, "A")))
    assert [(p.line, p.column) for p in report.problems] == [(5, "code")]
    assert "already on line 2" in report.problems[0].message


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_list_cells_take_bars_in_either_file_and_quoted_semicolons(session, world, delimiter):
    company = world.home.company
    report = do_import(session, "placements", placements_file(
        placement_row(company.kvk, "A", levels="mbo 2|mbo 3", themes="lassen|bouw"),
        placement_row(company.kvk, "B", levels="mbo 2; mbo 3", themes="lassen; bouw"),
        delimiter=delimiter))  # the csv writer quotes the cells with ";" in a ";" file
    assert report.created == 2, messages(report)
    for code in ("A", "B"):
        item = placement(session, company, code)
        assert item.levels == ["mbo_2", "mbo_3"]
        assert theme_slugs(session, item) == {"lassen", "bouw"}


# --- re-import, status and capacity --------------------------------------------------------

def test_re_importing_updates_by_company_and_code_without_doubles(session, world):
    company = world.home.company
    data = placements_file(placement_row(company.kvk))
    do_import(session, "placements", data)
    before = table_counts(session)
    again = do_import(session, "placements", data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert table_counts(session) == before
    changed = do_import(session, "placements", placements_file(placement_row(
        company.kvk, title="Stage installatietechniek", levels="mbo 3; mbo 2",
        themes="installatietechniek", capacity="3")))
    assert (changed.created, changed.updated) == (0, 1), messages(changed)
    assert set(changed.changes[0].columns) == {"title", "capacity", "themes"}
    item = placement(session, company)
    assert (item.title, item.capacity) == ("Stage installatietechniek", 3)
    assert theme_slugs(session, item) == {"installatietechniek"}
    assert count(session, Placement) == before[0]
    assert events(session, item) == [(None, "import", None, "draft")]  # status unchanged


def test_a_new_title_finds_its_occupation_anew_unless_the_company_chose_one(session, world):
    company = world.home.company
    do_import(session, "placements", placements_file(
        placement_row(company.kvk, title="BOL-stage lasser"),
        placement_row(company.kvk, code="BOL-002", title="BOL-stage lasser")))
    found, chosen = placement(session, company), placement(session, company, "BOL-002")
    welder = found.occupation_code
    assert welder
    choose_occupation(session=session, placement=chosen, code=occupations.NONE)
    do_import(session, "placements", placements_file(
        placement_row(company.kvk, title="BOL-stage softwareontwikkelaar"),
        placement_row(company.kvk, code="BOL-002", title="BOL-stage softwareontwikkelaar")))
    session.expire_all()
    assert found.occupation_code not in ("", welder)
    assert found.occupation_code == best_occupation("BOL-stage softwareontwikkelaar")[0]
    assert (chosen.occupation_code, chosen.occupation_chosen) == ("", True)


def test_an_absent_optional_column_keeps_its_value(session, world):
    company = world.home.company
    header = [*HEADER, "status", "allowance"]
    do_import(session, "placements", placements_file(placement_row(
        company.kvk, status="open", allowance="€ 200"), header=header))
    report = do_import(session, "placements", placements_file(placement_row(company.kvk)))
    assert report.unchanged == 1, messages(report)
    item = placement(session, company)
    assert (item.status, item.allowance) == (PlacementStatus.open, "€ 200")


def test_a_status_change_is_written_down_with_who_did_it(session, world):
    existing = world.home.placement  # open, made by the factories
    coordinator = world.home.coordinator
    header = [*HEADER, "status"]
    row = placement_row(world.home.company.kvk, existing.code, kind="snuffelstage",
                        levels="vmbo-kb", status="gepauzeerd")
    report = do_import(session, "placements", placements_file(row, header=header),
                       scope_of(session, coordinator))
    assert report.updated == 1, messages(report)
    assert "status" in report.changes[0].columns
    session.refresh(existing)
    assert existing.status is PlacementStatus.paused
    assert events(session, existing) == [(coordinator.id, "import", "open", "paused")]
    again = do_import(session, "placements", placements_file(
        {**row, "status": "closed"}, header=header))
    assert again.updated == 1
    assert events(session, existing)[-1] == (None, "import", "paused", "closed")
    same = do_import(session, "placements", placements_file({**row, "status": "Gesloten"},
                                                            header=header))
    assert same.unchanged == 1
    assert len(events(session, existing)) == 2


def test_a_published_placement_does_not_become_a_draft_again(session, world):
    existing = world.home.placement
    report = do_import(session, "placements", placements_file(placement_row(
        world.home.company.kvk, existing.code, kind="snuffelstage", levels="vmbo-kb",
        status="concept"), header=[*HEADER, "status"]))
    assert [(p.line, p.column) for p in report.problems] == [(2, "status")]
    assert "cannot become a draft again" in report.problems[0].message


def test_a_draft_is_published_by_the_status_column(session, world):
    draft = world.home.draft_placement
    report = do_import(session, "placements", placements_file(placement_row(
        world.home.company.kvk, draft.code, kind="snuffelstage", levels="vmbo-kb",
        status="published"), header=[*HEADER, "status"]))
    assert report.updated == 1, messages(report)
    session.refresh(draft)
    assert draft.status is PlacementStatus.open
    assert events(session, draft) == [(None, "import", "draft", "open")]


def test_capacity_cannot_drop_below_the_places_reserved(session, world):
    existing = world.home.placement
    existing.capacity, existing.places_taken = 3, 2
    session.add(existing)
    session.commit()
    row = placement_row(world.home.company.kvk, existing.code, kind="snuffelstage",
                        levels="vmbo-kb", capacity="1")
    report = do_import(session, "placements", placements_file(row))
    assert [(p.line, p.column) for p in report.problems] == [(2, "capacity")]
    assert "2 places of this placement are reserved already" in report.problems[0].message
    ok = do_import(session, "placements", placements_file({**row, "capacity": "2"}))
    assert ok.updated == 1, messages(ok)
    session.refresh(existing)
    assert (existing.capacity, existing.places_taken) == (2, 2)


def test_an_empty_postcode_cell_is_the_companys_postcode(session, world):
    company = world.home.company
    header = HEADER
    do_import(session, "placements", placements_file(placement_row(
        company.kvk, postcode="6986"), header=header))
    assert placement(session, company).place == "Angerlo"
    report = do_import(session, "placements", placements_file(placement_row(company.kvk)))
    assert report.changes[0].columns == ("postcode",)
    assert placement(session, company).postcode == company.postcode


def test_a_dry_run_writes_nothing(session, world):
    before = table_counts(session)
    existing = world.home.placement
    report = do_import(session, "placements", placements_file(
        placement_row(world.home.company.kvk, "NEW"),
        placement_row(world.home.company.kvk, existing.code, kind="snuffelstage",
                      levels="vmbo-kb", status="gesloten"), header=[*HEADER, "status"]),
        dry_run=True)
    assert (report.created, report.updated) == (1, 1), messages(report)
    assert table_counts(session) == before
    session.refresh(existing)
    assert existing.status is PlacementStatus.open


def test_one_bad_row_writes_nothing_at_all(session, world):
    before = table_counts(session)
    report = do_import(session, "placements", placements_file(
        placement_row(world.home.company.kvk, "A"),
        placement_row(world.home.company.kvk, "B", capacity="-1")))
    assert len(report.problems) == 1
    assert table_counts(session) == before


# --- who may import placements ---------------------------------------------------------

def test_a_coordinator_imports_placements_of_companies_in_their_region(session, world):
    coordinator = world.home.coordinator
    report = do_import(session, "placements", placements_file(
        placement_row(world.home.company.kvk, "A"), placement_row(world.away.company.kvk, "B")),
        scope_of(session, coordinator))
    assert [(p.line, p.column) for p in report.problems] == [(3, "company_kvk")]
    assert "is not in your region" in report.problems[0].message
    ok = do_import(session, "placements", placements_file(
        placement_row(world.home.company.kvk, "A")), scope_of(session, coordinator))
    assert ok.created == 1, messages(ok)
    item = placement(session, world.home.company, "A")
    assert events(session, item) == [(coordinator.id, "import", None, "draft")]


def test_a_coordinator_cannot_change_a_placement_of_another_region(session, world):
    away = world.away.placement
    report = do_import(session, "placements", placements_file(placement_row(
        world.away.company.kvk, away.code, kind="snuffelstage", levels="vmbo-kb",
        title="Overgenomen")), scope_of(session, world.home.coordinator))
    assert not report.ok
    session.refresh(away)
    assert away.title != "Overgenomen"


@pytest.mark.parametrize("who", ["counsellor", "company_user", "student_user"])
def test_others_may_not_import_placements(session, world, who):
    report = do_import(session, "placements", placements_file(placement_row(
        world.home.company.kvk)), scope_of(session, getattr(world.home, who)))
    assert [p.line for p in report.problems] == [0]


# --- the command line and a large file ---------------------------------------------------

def test_the_command_line_imports_placements(session, world, database_url, monkeypatch,
                                             tmp_path):
    monkeypatch.setenv("TALENTMATCH_ENV", "testing")
    monkeypatch.setenv("DATABASE_URL", database_url)
    from app.cli import main

    path = tmp_path / "plekken.csv"
    path.write_bytes(placements_file(placement_row(world.home.company.kvk), delimiter=";"))
    result = CliRunner().invoke(main, ["import", "placements", str(path), "--dry-run",
                                       "--lang", "en"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Placements: 1 would be added" in result.output
    assert f"line 2: new {world.home.company.kvk} BOL-001" in result.output
    result = CliRunner().invoke(main, ["import", "placements", str(path)])
    assert result.exit_code == 0, result.output
    assert placement(session, world.home.company).status is PlacementStatus.draft


ROWS = 2_000
KINDS = [("snuffelstage", "vmbo-kb|vmbo-gl"), ("stage", "mbo 2-4"), ("leerbaan", "mbo 3"),
         ("hbo-stage", "hbo"), ("fieldlab", "mbo 4; hbo")]


def big_file(kvks: list[str], *, change_every: int = 0) -> bytes:
    rows = [[*HEADER, "status"]]
    for n in range(ROWS):
        kind, levels = KINDS[n % len(KINDS)]
        capacity = "3" if change_every and n % change_every == 0 else "2"
        row = placement_row(kvks[n % len(kvks)], f"P-{n:05d}", kind=kind, levels=levels,
                            capacity=capacity, themes=["lassen|bouw", "ict", "robotica"][n % 3],
                            status=["", "open", "gesloten"][n % 3])
        rows.append([row.get(name, "") for name in rows[0]])
    return csv_bytes(rows, ";")


def test_two_thousand_placements_import_and_re_import_without_doubles(session, world):
    kvks = [world.home.company.kvk, world.away.company.kvk]
    before = table_counts(session)
    first = do_import(session, "placements", big_file(kvks))
    assert first.ok, messages(first)[:2000]
    assert (first.created, first.updated, first.unchanged, first.rows) == (ROWS, 0, 0, ROWS)
    after = table_counts(session)
    assert after[0] - before[0] == ROWS
    assert after[2] - before[2] == ROWS  # one event for each new placement
    again = do_import(session, "placements", big_file(kvks))
    assert (again.created, again.updated, again.unchanged) == (0, 0, ROWS)
    assert table_counts(session) == after
    changed = do_import(session, "placements", big_file(kvks, change_every=10))
    assert (changed.created, changed.updated, changed.unchanged) == (0, ROWS // 10,
                                                                   ROWS - ROWS // 10)
    assert table_counts(session) == after


def test_two_thousand_rows_with_one_mistake_write_nothing(session, world):
    data = big_file([world.home.company.kvk]).replace(b"P-01999;", b"P-00001;")
    before = table_counts(session)
    report = do_import(session, "placements", data)
    assert [(p.line, p.column) for p in report.problems] == [(ROWS + 1, "code")]
    assert "already on line 3" in report.problems[0].message
    assert table_counts(session) == before


def test_a_file_may_name_the_occupation_by_code_name_or_geen_and_it_counts_as_chosen(
        session, world):
    company = world.home.company
    header = [*HEADER, "beroep"]
    report = do_import(session, "placements", placements_file(
        placement_row(company.kvk, title="Stage in ons team", beroep="7212.3"),
        placement_row(company.kvk, code="BOL-002", title="Stage in ons team",
                      beroep="  Lasser "),
        placement_row(company.kvk, code="BOL-003", title="BOL-stage lasser", beroep="geen"),
        placement_row(company.kvk, code="BOL-004", title="BOL-stage lasser", beroep=""),
        header=header))
    assert report.created == 4, messages(report)
    by_code, by_name, none, found = (placement(session, company, f"BOL-00{n}")
                                     for n in range(1, 5))
    assert (by_code.occupation_code, by_code.occupation_label) == ("7212.3", "lasser")
    assert (by_name.occupation_code, by_name.occupation_chosen) == ("7212.3", True)
    assert by_code.occupation_chosen_for == "Stage in ons team"
    assert (none.occupation_code, none.occupation_label, none.occupation_chosen) == (
        "", "", True)
    # An empty cell: found in the title, as without the column.
    assert (found.occupation_code, found.occupation_chosen) == (
        best_occupation("BOL-stage lasser")[0], False)


def test_an_unknown_occupation_is_refused_with_the_closest_ones_and_nothing_is_written(
        session, world):
    company = world.home.company
    before = table_counts(session)
    report = do_import(session, "placements", placements_file(
        placement_row(company.kvk, beroep="lassr"), header=[*HEADER, "beroep"]))
    assert not report.ok and table_counts(session) == before
    [problem] = report.problems
    assert problem.column == "beroep"
    assert "“lassr” is not an ESCO occupation" in problem.message
    assert "lasser (7212.3)" in problem.message


def test_an_occupation_from_a_file_is_kept_when_a_later_file_changes_the_title(session, world):
    company = world.home.company
    header = [*HEADER, "occupation"]
    do_import(session, "placements", placements_file(placement_row(company.kvk)))
    report = do_import(session, "placements", placements_file(
        placement_row(company.kvk, occupation="7212.3"), header=header))
    assert report.updated == 1 and report.changes[0].columns == ("occupation",), messages(report)
    # The same occupation named again for a new title: only the title changed.
    report = do_import(session, "placements", placements_file(
        placement_row(company.kvk, title="Stage in ons team", occupation="lasser"),
        header=header))
    assert report.changes[0].columns == ("title",), messages(report)
    # Without the occupation, a new title keeps the chosen one too.
    report = do_import(session, "placements", placements_file(
        placement_row(company.kvk, title="BOL-stage softwareontwikkelaar")))
    assert report.changes[0].columns == ("title",), messages(report)
    session.expire_all()
    item = placement(session, company)
    assert (item.occupation_code, item.occupation_chosen_for) == ("7212.3", "Stage in ons team")


def test_a_name_esco_gives_to_two_occupations_asks_for_the_code(session, world):
    company = world.home.company
    header = [*HEADER, "beroep"]
    before = table_counts(session)
    report = do_import(session, "placements", placements_file(
        placement_row(company.kvk, beroep="Portier"), header=header))
    [problem] = report.problems
    assert "more than one occupation called “Portier”" in problem.message
    assert "(5414.1.4)" in problem.message and "(9621.1)" in problem.message
    assert table_counts(session) == before
    report = do_import(session, "placements", placements_file(
        placement_row(company.kvk, beroep="9621.1"), header=header))
    assert report.ok, messages(report)
    assert placement(session, company).occupation_code == "9621.1"


def test_automatisch_hands_the_occupation_back_to_the_title(session, world):
    company = world.home.company
    header = [*HEADER, "beroep"]
    title = "BOL-stage lasser"
    found = best_occupation(title)
    assert found[0]
    do_import(session, "placements", placements_file(
        placement_row(company.kvk, title=title, beroep=found[0]), header=header))
    assert placement(session, company).occupation_chosen
    # The title finds the occupation the company chose: still a change, to "not chosen".
    report = do_import(session, "placements", placements_file(
        placement_row(company.kvk, title=title, beroep="Automatisch"), header=header))
    assert report.updated == 1 and report.changes[0].columns == ("beroep",), messages(report)
    session.expire_all()
    item = placement(session, company)
    assert (item.occupation_code, item.occupation_chosen) == (found[0], False)
    # From now on a new title names the occupation anew, as on the site.
    report = do_import(session, "placements", placements_file(
        placement_row(company.kvk, title="Stage in ons team")))
    session.expire_all()
    item = placement(session, company)
    assert (item.occupation_code, item.occupation_label) == best_occupation("Stage in ons team")
    # A new placement with "automatic" is one without the column.
    report = do_import(session, "placements", placements_file(
        placement_row(company.kvk, code="BOL-002", title=title, beroep="automatic"),
        header=header))
    assert report.created == 1, messages(report)
    new = placement(session, company, "BOL-002")
    assert (new.occupation_code, new.occupation_chosen) == (found[0], False)


@pytest.mark.parametrize(("header", "cell"), [
    ("uren per week", "32"), ("Uren", "32 uur"), ("hours_per_week", "32"),
    ("Hours a week", "32,0"),
])
def test_hours_per_week_are_read_under_their_names(session, world, header, cell):
    company = world.home.company
    report = do_import(session, "placements", placements_file(
        placement_row(company.kvk, **{"dagen per week": "4", header: cell}),
        header=[*HEADER, "dagen per week", header]))
    assert report.ok, messages(report)
    item = placement(session, company)
    assert (item.days_per_week, item.hours_per_week) == (4, 32)


@pytest.mark.parametrize(("days", "hours", "message"), [
    ("4", "41", "41 is not between 1 and 40. Write a whole number from 1 to 40."),
    ("4", "0", "0 is not between 1 and 40"),
    ("4", "veel", "'veel' is not a whole number"),
    # In the words of the placement form.
    ("3", "31", "31 hours a week do not fit in 3 days: at most 10 hours a day, so at most 30 "
                "hours. Lower the hours or add days."),
])
def test_hours_that_are_no_number_or_do_not_fit_the_days_are_problems(session, world, days,
                                                                      hours, message):
    before = table_counts(session)
    report = do_import(session, "placements", placements_file(
        placement_row(world.home.company.kvk, days_per_week=days, hours_per_week=hours),
        header=[*HEADER, "days_per_week", "hours_per_week"]))
    assert [(p.line, p.column) for p in report.problems] == [(2, "hours_per_week")]
    assert report.problems[0].message.startswith(message)
    assert table_counts(session) == before


def test_hours_alone_are_checked_against_the_days_the_placement_has(session, world):
    company = world.home.company
    first = do_import(session, "placements", placements_file(
        placement_row(company.kvk, days_per_week="2", hours_per_week="16"),
        header=[*HEADER, "days_per_week", "hours_per_week"]))
    assert first.ok, messages(first)
    report = do_import(session, "placements", placements_file(
        placement_row(company.kvk, hours_per_week="24"), header=[*HEADER, "hours_per_week"]))
    assert [(p.line, p.column) for p in report.problems] == [(2, "hours_per_week")]
    assert "24 hours a week do not fit in 2 days" in report.problems[0].message
    again = do_import(session, "placements", placements_file(
        placement_row(company.kvk, hours_per_week="20"), header=[*HEADER, "hours_per_week"]))
    assert again.ok and again.updated == 1, messages(again)
    session.expire_all()
    assert (placement(session, company).days_per_week,
            placement(session, company).hours_per_week) == (2, 20)
