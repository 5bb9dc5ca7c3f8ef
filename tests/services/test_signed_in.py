"""The signed-in user of a request: one query finds the user of a login cookie, their unread
count and whether they have a second factor, and refuses a stale cookie."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.models import Notification, TwoFactor
from app.services.signed_in import signed_in
from tests.web.query_count import Recorder


def _notify(session, user, *, read: bool = False) -> None:
    session.add(Notification(user_id=user.id, kind="test", message="Hallo",
                             read_at=datetime.now(UTC) if read else None))


def test_one_query_finds_the_user_their_unread_count_and_their_second_factor(
        session, engine, counsellor_user, student_user):
    _notify(session, counsellor_user)
    _notify(session, counsellor_user)
    _notify(session, counsellor_user, read=True)
    _notify(session, student_user)  # someone else's
    session.add(TwoFactor(user_id=counsellor_user.id, secret="A" * 32,
                          enabled_at=datetime.now(UTC)))
    session.commit()
    session.expunge_all()
    user_id, token = counsellor_user.id, counsellor_user.session_token
    with Recorder(engine) as sent:
        found = signed_in(session=session, user_id=user_id, token=token)
    assert sent.queries == 1
    assert found is not None
    assert (found.user.id, found.unread_notifications, found.has_second_factor) == (
        user_id, 2, True)


def test_a_factor_still_being_set_up_does_not_count(session, counsellor_user):
    session.add(TwoFactor(user_id=counsellor_user.id, secret="A" * 32))
    session.commit()
    found = signed_in(session=session, user_id=counsellor_user.id,
                      token=counsellor_user.session_token)
    assert found is not None
    assert (found.unread_notifications, found.has_second_factor) == (0, False)


@pytest.mark.parametrize("problem", ["old token", "inactive", "unknown id"])
def test_a_stale_cookie_or_an_inactive_account_finds_no_one(session, student_user, problem):
    user_id, token = student_user.id, student_user.session_token
    if problem == "old token":
        token = "not-" + token
    elif problem == "inactive":
        student_user.is_active = False
        session.add(student_user)
        session.commit()
    else:
        user_id += 10_000
    assert signed_in(session=session, user_id=user_id, token=token) is None
