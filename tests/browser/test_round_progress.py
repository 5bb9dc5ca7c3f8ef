"""Starting a round in the browser: confirm its scope and size, then follow its progress."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.models import BackgroundJob, JobKind, JobStatus
from tests.browser.test_login_roles import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _fits(page) -> None:
    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"page is {scroll_width}px wide in {inner_width}px"


@pytest.mark.parametrize("width", [390, 1280])
def test_a_counsellor_confirms_a_round_and_sees_its_summary(new_page, world, width, tmp_path):
    page = new_page(viewport={"width": width, "height": 900})
    log_in(page, world.home.counsellor.email, PASSWORD)
    page.goto("/matching/")
    expect(page.get_by_test_id("run-scope")).to_have_text(world.home.school.name)
    page.locator("form[action$='/matching/run'] [type=submit]").click()
    confirm = page.get_by_test_id("confirm-round")
    expect(confirm).to_be_visible()
    expect(page.get_by_test_id("round-students")).not_to_have_text("0")
    folder = Path(os.environ.get("TALENTMATCH_SCREENSHOTS") or tmp_path)
    page.screenshot(path=folder / f"round-confirm-{width}.png", full_page=True)
    _fits(page)
    confirm.locator("[type=submit]").click()
    expect(page.get_by_test_id("job-summary")).to_be_visible()
    page.screenshot(path=folder / f"round-summary-{width}.png", full_page=True)
    _fits(page)


def test_the_progress_page_follows_a_running_round_and_shows_its_end(new_page, world,
                                                                     session, tmp_path):
    job = BackgroundJob(kind=JobKind.round, scope_key=f"school:{world.home.school.id}",
                        scope_label=world.home.school.code, status=JobStatus.running,
                        stage="scoring", done=10, total=100,
                        created_by_id=world.home.counsellor.id)
    session.add(job)
    session.commit()
    page = new_page(viewport={"width": 390, "height": 844})
    log_in(page, world.home.counsellor.email, PASSWORD)
    page.goto(f"/jobs/{job.id}")
    expect(page.locator("[data-job-percent]")).to_have_text("10%")
    page.screenshot(path=Path(os.environ.get("TALENTMATCH_SCREENSHOTS") or tmp_path)
                    / "round-progress-390.png", full_page=True)
    _fits(page)
    job.done, job.stage = 60, "allocating"
    session.commit()
    expect(page.locator("[data-job-percent]")).to_have_text("60%")
    expect(page.locator("[data-job-bar]")).to_have_attribute("value", "60")
    job.status, job.stage = JobStatus.finished, "done"
    job.result = {"students_proposed": 3, "students": 4, "mean_score": 0.5,
                  "insufficient": 1, "no_admissible": 0, "unassigned": 0}
    session.commit()
    # The page reloads by itself once the job ends.
    expect(page.get_by_test_id("job-summary")).to_be_visible()
