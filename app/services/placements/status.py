"""Publishing and the other changes of status (draft, open, paused, closed), each written
down with who, when and why; of two requests at once only one changes it."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlmodel import Session, col

from ...models import Placement, PlacementStatus, User, utcnow
from ..matching import after_placement_change
from ..rows import changed_rows, id_of
from .rules import REASON_MAX, NotComplete, StatusError, missing_for_publishing, record_event

_ACTIONS = {
    # action: (statuses it starts from, the status it leads to)
    "published": ((PlacementStatus.draft,), PlacementStatus.open),
    "paused": ((PlacementStatus.open,), PlacementStatus.paused),
    "reopened": ((PlacementStatus.paused,), PlacementStatus.open),
    "closed": ((PlacementStatus.draft, PlacementStatus.open, PlacementStatus.paused),
               PlacementStatus.closed),
}


def _refusal(action: str, status: PlacementStatus) -> str:
    if status is PlacementStatus.closed:
        return {
            "closed": _("This placement is already closed."),
        }.get(action, _("This placement is closed and cannot be opened again. Post a new "
                        "placement instead."))
    messages = {
        ("published", PlacementStatus.open): _("This placement is already published."),
        ("published", PlacementStatus.paused): _("This placement is paused: reopen it instead "
                                                 "of publishing it."),
        ("paused", PlacementStatus.draft): _("A draft cannot be paused: students do not see "
                                             "it yet."),
        ("paused", PlacementStatus.paused): _("This placement is already paused."),
        ("reopened", PlacementStatus.draft): _("A draft is not reopened but published."),
        ("reopened", PlacementStatus.open): _("This placement is already open."),
    }
    return messages.get((action, status), _("This change is not possible now."))


def _change_status(session: Session, placement: Placement, *, user: User | None, action: str,
                   reason: str = "") -> Placement:
    sources, target = _ACTIONS[action]
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise StatusError(_("Keep the reason to %(n)s characters.", n=REASON_MAX),
                          field="reason")
    session.refresh(placement)
    if placement.status not in sources:
        raise StatusError(_refusal(action, placement.status))
    if action == "published":
        missing = missing_for_publishing(placement)
        if missing:
            raise NotComplete(_("This placement cannot be published yet. Still missing: "
                                "%(missing)s.", missing="; ".join(missing)), missing)
    before = placement.status
    # Conditional on the status we checked: of two requests at once, only one changes it.
    result = session.execute(
        sa.update(Placement)
        .where(col(Placement.id) == placement.id, col(Placement.status) == before)
        .values(status=target, updated_at=utcnow())
        .execution_options(synchronize_session=False))
    if changed_rows(result) != 1:
        session.rollback()
        session.refresh(placement)
        raise StatusError(_refusal(action, placement.status))
    record_event(session, placement, user=user, action=action, from_status=before,
                 to_status=target, reason=reason)
    session.commit()
    session.refresh(placement)
    after_placement_change(session=session, placement_id=id_of(placement))
    return placement


def publish(*, session: Session, placement: Placement, user: User | None,
            reason: str = "") -> Placement:
    """Draft → open: students and counsellors of the region can see it."""
    return _change_status(session, placement, user=user, action="published", reason=reason)


def pause(*, session: Session, placement: Placement, user: User | None,
          reason: str = "") -> Placement:
    """Open → paused: no new candidates for now."""
    return _change_status(session, placement, user=user, action="paused", reason=reason)


def reopen(*, session: Session, placement: Placement, user: User | None,
           reason: str = "") -> Placement:
    """Paused → open."""
    return _change_status(session, placement, user=user, action="reopened", reason=reason)


def close(*, session: Session, placement: Placement, user: User | None,
          reason: str = "") -> Placement:
    """Any status but closed → closed, for good."""
    return _change_status(session, placement, user=user, action="closed", reason=reason)
