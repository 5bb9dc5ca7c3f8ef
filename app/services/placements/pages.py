"""What the placement pages show: the history of a placement's status and the themes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from ...models import Placement, PlacementEvent, PlacementStatus, PlacementTheme, User


@dataclass(frozen=True)
class HistoryRow:
    event: PlacementEvent
    actor: User | None

    @property
    def from_status(self) -> PlacementStatus | None:
        return PlacementStatus(self.event.from_status) if self.event.from_status else None

    @property
    def to_status(self) -> PlacementStatus | None:
        return PlacementStatus(self.event.to_status) if self.event.to_status else None


def placement_history(*, session: Session, placement: Placement) -> list[HistoryRow]:
    """Every change of status, oldest first."""
    rows = session.exec(
        select(PlacementEvent, User).outerjoin(User, col(User.id) == PlacementEvent.actor_id)
        .where(PlacementEvent.placement_id == placement.id)
        .order_by(col(PlacementEvent.at), col(PlacementEvent.id))
    ).all()
    return [HistoryRow(e, u) for e, u in rows]


def theme_ids_of(*, session: Session, placement: Placement) -> list[int]:
    return list(session.exec(select(PlacementTheme.theme_id)
                             .where(PlacementTheme.placement_id == placement.id)).all())

