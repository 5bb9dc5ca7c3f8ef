"""Enum labels: each member has its own, even when two enums share a value (issue 21)."""

from __future__ import annotations

from app.models.enums import ActivityKind, Gender, SchoolKind
from app.models.labels import label


def test_the_gender_choice_other_reads_anders_and_not_other_activity(app):
    with app.test_request_context():
        assert label(Gender.other) == "Anders"
        assert label(ActivityKind.other) == "Andere activiteit"


def test_a_value_shared_by_two_enums_keeps_each_enums_label(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert label(SchoolKind.hbo) == "hbo"
        assert label(Gender.other) != label(ActivityKind.other)


def test_the_profile_form_offers_anders_as_a_gender(client, login, student_user):
    page = login(student_user).get("/me/profile").get_data(as_text=True)
    assert "Anders" in page
    assert "Andere activiteit" not in page
