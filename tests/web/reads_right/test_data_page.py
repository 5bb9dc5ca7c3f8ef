"""The student's data export is also a page to read and print (issue 21)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from app.models import ProposalStatus
from tests import factories

CSS = Path(__file__).resolve().parents[3] / "app" / "static" / "css" / "app.css"


def test_the_privacy_page_links_to_a_readable_page_beside_the_download(world, login):
    page = login(world.home.student_user).get("/me/privacy").get_data(as_text=True)
    assert 'href="/me/data"' in page and 'href="/me/export.json"' in page


def test_the_readable_page_shows_what_the_download_holds_in_words(session, world, login):
    factories.make_proposal(session, world.home.student, world.home.placement,
                            status=ProposalStatus.offered)
    session.commit()
    client = login(world.home.student_user)
    download = json.loads(client.get("/me/export.json").get_data(as_text=True))
    page = client.get("/me/data").get_data(as_text=True)
    student = world.home.student
    assert student.first_name in page and student.last_name in page
    assert "Je profiel" in page and "Je matchvoorstellen" in page
    assert "Aangeboden aan leerling" in page          # a status, as a label
    assert "vmbo kaderberoepsgericht" in page          # the level, as a label
    assert "heel precies bij het solderen" in page     # what an observer saw
    assert "0,8" in page and "0.8" not in page         # the score, the Dutch way
    # Dates as words, never as the download writes them.
    assert not re.search(r"\d{4}-\d{2}-\d{2}", page)
    assert re.search(r"\b\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|"
                     r"september|oktober|november|december) \d{4}", page)
    assert set(download) >= {"profile", "proposals", "observations"}


def test_the_page_prints_without_menu_and_buttons(world, login):
    page = login(world.home.student_user).get("/me/data").get_data(as_text=True)
    assert "data-print" in page and "js/print.js" in page
    print_rules = CSS.read_text(encoding="utf-8").split("@media print", 1)[1]
    assert ".topbar" in print_rules and "display: none" in print_rules


def test_only_a_student_has_a_data_page(world, login):
    assert login(world.home.counsellor).get("/me/data").status_code in (403, 404)
