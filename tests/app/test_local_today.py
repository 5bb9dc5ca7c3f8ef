"""The service's "today" is the day in the Netherlands, whatever the server's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.models import base


@pytest.mark.parametrize(("utc", "dutch_day"), [
    (datetime(2026, 12, 18, 22, 59, tzinfo=UTC), date(2026, 12, 18)),  # 23:59 in winter
    (datetime(2026, 12, 18, 23, 0, tzinfo=UTC), date(2026, 12, 19)),  # midnight in winter
    (datetime(2027, 6, 30, 21, 59, tzinfo=UTC), date(2027, 6, 30)),  # 23:59 in summer
    (datetime(2027, 6, 30, 22, 0, tzinfo=UTC), date(2027, 7, 1)),  # midnight in summer
])
def test_today_turns_at_dutch_midnight_not_at_the_servers(clock, utc, dutch_day):
    clock(utc)
    assert base.local_today() == dutch_day


def test_an_offer_lapses_after_dutch_midnight_on_a_utc_server(world, session, app, clock):
    from app.models import MatchProposal, ProposalStatus
    from app.services import candidates
    from tests import factories

    factories.give_consent(session, world.home.student)
    proposal = factories.make_proposal(session, world.home.student, world.home.placement)
    session.commit()
    with app.test_request_context():
        candidates.send_to_company(session=session, proposal=proposal, actor=None,
                                   today=date(2026, 11, 23))
        deadline = proposal.company_deadline  # 7 December 2026: the last day to answer
        clock(datetime(2026, 12, 7, 22, 30, tzinfo=UTC))
        assert candidates.lapse_overdue(session=session) == 0  # 23:30 on the 7th in Utrecht
        clock(datetime(2026, 12, 7, 23, 30, tzinfo=UTC))
        assert candidates.lapse_overdue(session=session) == 1  # 00:30 on the 8th
    session.expire_all()
    assert deadline == date(2026, 12, 7)
    assert session.get(MatchProposal, proposal.id).status is ProposalStatus.lapsed
