"""The races: requests released together against fresh proposals, and the database counted
after each run (holders against capacity, places_taken against holders, log rows)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlmodel import select

from app.models import DecisionLog, MatchProposal, Placement, ProposalStatus
from app.models.lifecycle import HOLDS_PLACE
from benchmarks.probe.browser import at_once, posted, status_counts
from benchmarks.probe.world import Probe, offered, say_yes

S = ProposalStatus


@dataclass
class RaceFigures:
    name: str
    runs: int = 0
    overbookings: int = 0
    drift: int = 0
    double_logs: int = 0
    unexpected: list[str] = field(default_factory=list)
    answers: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        broken = any(status >= 500 or status == 0 for status in self.answers)
        return not (self.overbookings or self.drift or self.double_logs or self.unexpected
                    or broken)

    def line(self) -> str:
        shown = ", ".join(f"{k} {v}" for k, v in sorted(self.outcomes.items()))
        return (f"race {self.name}: runs {self.runs}, overbookings {self.overbookings}, "
                f"drift {self.drift}, double logs {self.double_logs}, unexpected "
                f"{len(self.unexpected)} (answers {status_counts(self.answers)}; {shown})")


@dataclass
class Counted:
    status: dict[int, ProposalStatus]
    logs: dict[int, list[str]]


def count_race(probe: Probe, figures: RaceFigures, placement_id: int,
               proposal_ids: list[int]) -> Counted:
    """Holders against capacity, places_taken against holders, log rows per proposal."""
    with probe.db() as session:
        placement = session.get(Placement, placement_id)
        proposals = session.exec(select(MatchProposal).where(
            MatchProposal.placement_id == placement_id)).all()
        flagged = sum(p.holds_place for p in proposals)
        by_status = sum(p.status in HOLDS_PLACE for p in proposals)
        if max(flagged, by_status) > placement.capacity:
            figures.overbookings += 1
        figures.drift += (placement.places_taken != flagged) + sum(
            p.holds_place != (p.status in HOLDS_PLACE) for p in proposals)
        logs: dict[int, list[str]] = {pid: [] for pid in proposal_ids}
        for entry in session.exec(select(DecisionLog).where(
                DecisionLog.proposal_id.in_(proposal_ids)).order_by(DecisionLog.id)).all():
            logs[entry.proposal_id].append(entry.action)
        figures.double_logs += sum(n - 1 for log in logs.values()
                                   for n in Counter(log).values() if n > 1)
        return Counted({p.id: p.status for p in proposals}, logs)


def race_company_decline(probe: Probe, figures: RaceFigures) -> None:
    """Both places held; the company's decline of one candidate sent 10 times at once; then
    two more students say yes at once: one of them gets the freed place, the other waits."""
    placement, made = offered(probe, capacity=2, count=4, name="Racea")
    (first, first_user), (other, other_user), *late = made
    for proposal_id, user_id in ((first, first_user), (other, other_user)):
        browser, path, values = say_yes(probe, proposal_id, user_id)
        browser.post(path, values)
    company = probe.browser(probe.users["company"])
    page = company.get(f"/candidates/{first}")
    path = f"/candidates/{first}/decline"
    values = posted(page, f"/candidates/{first}", path, reason="Helaas, we zitten vol.",
                    reason_code="full")
    answers = at_once([(company, path, values)] * 10)
    answers += at_once([say_yes(probe, pid, uid) for pid, uid in late])
    figures.answers.update(a.status for a in answers)
    counted = count_race(probe, figures, placement, [p for p, _u in made])
    late_status = sorted(counted.status[p].value for p, _u in late)
    figures.outcomes[f"late yes: {' + '.join(late_status)}"] += 1
    if counted.logs[first] != ["student_accept", "send_to_company", "company_decline"]:
        figures.unexpected.append(f"declined candidate's log {counted.logs[first]}")
    if counted.status[other] is not S.sent_to_company:
        figures.unexpected.append(f"the other candidate is {counted.status[other]}")
    if late_status != ["sent_to_company", "student_accepted"]:
        figures.unexpected.append(f"the two late yeses ended {late_status}")


def race_company_answers(probe: Probe, figures: RaceFigures) -> None:
    """Accept and decline of one candidate sent at once by the company, 5 of each."""
    placement, [(proposal, user)] = offered(probe, capacity=2, count=1, name="Raceb")
    browser, path, values = say_yes(probe, proposal, user)
    browser.post(path, values)
    company = probe.browser(probe.users["company"])
    base = f"/candidates/{proposal}"
    page = company.get(base)
    accept = (company, f"{base}/accept", posted(page, base, f"{base}/accept"))
    decline = (company, f"{base}/decline",
               posted(page, base, f"{base}/decline", reason="Helaas, we zitten vol.",
                      reason_code="full"))
    answers = at_once([accept, decline] * 5)
    figures.answers.update(a.status for a in answers)
    counted = count_race(probe, figures, placement, [proposal])
    answer = counted.logs[proposal][2:]
    figures.outcomes[f"answer {'+'.join(answer) or 'none'}"] += 1
    if answer not in (["company_accept"], ["company_decline"]):
        figures.unexpected.append(f"the company's answers logged {answer}")


def race_student_yes(probe: Probe, figures: RaceFigures) -> None:
    """8 students click "yes" 5 times each at once on a placement with 3 places."""
    placement, made = offered(probe, capacity=3, count=8, name="Racec")
    calls = [say_yes(probe, pid, uid) for pid, uid in made]
    answers = at_once([call for call in calls for _click in range(5)])
    figures.answers.update(a.status for a in answers)
    counted = count_race(probe, figures, placement, [p for p, _u in made])
    sent = sum(counted.status[p] is S.sent_to_company for p, _u in made)
    figures.outcomes[f"sent {sent} of 8"] += 1
    for proposal, _u in made:
        log = counted.logs[proposal]
        if log not in (["student_accept"], ["student_accept", "send_to_company"]):
            figures.unexpected.append(f"proposal {proposal} logged {log}")
    if sent != 3:
        figures.unexpected.append(f"{sent} of 8 sent to a placement with 3 places")


RACES: tuple[tuple[str, Callable[[Probe, RaceFigures], None]], ...] = (
    ("company-decline x10 then 2 yes", race_company_decline),
    ("company accept+decline x5+x5", race_company_answers),
    ("student-yes 8x5 on 3 places", race_student_yes),
)
