"""Pins and excludes: a counsellor's instruction to keep or never propose a pair in the next
round."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlmodel import Session, col, select

from ...models import MatchPin, PinKind, Placement, StudentProfile, User, utcnow
from ..rows import id_of
from .cohort import MatchingError


def set_pin(*, session: Session, student: StudentProfile, placement: Placement, kind: PinKind,
            actor: User, note: str = "") -> MatchPin:
    """Pins or excludes a pair for the next round (replacing an earlier instruction). Commits."""
    note = note.strip()
    if len(note) > 500:
        raise MatchingError(_("The note can be at most 500 characters."), field="note")
    pin = session.exec(select(MatchPin).where(MatchPin.student_id == student.id,
                                              MatchPin.placement_id == placement.id)).first()
    if pin is None:
        pin = MatchPin(student_id=id_of(student), placement_id=id_of(placement), kind=kind)
    if kind is PinKind.pin:
        other = session.exec(select(MatchPin).where(
            MatchPin.student_id == student.id, MatchPin.kind == PinKind.pin,
            MatchPin.placement_id != placement.id)).first()
        if other is not None:
            raise MatchingError(_("This student already has a pinned placement; remove that "
                                  "pin first."), field="placement")
    pin.kind, pin.note, pin.created_by_id, pin.created_at = kind, note, actor.id, utcnow()
    session.add(pin)
    session.commit()
    return pin


def remove_pin(*, session: Session, pin: MatchPin) -> None:
    session.delete(pin)
    session.commit()


def pins_of_school(*, session: Session, school_id: int) -> list[tuple[MatchPin, StudentProfile,
                                                                       Placement]]:
    return list(session.exec(
        select(MatchPin, StudentProfile, Placement)
        .join(StudentProfile, col(StudentProfile.id) == MatchPin.student_id)
        .join(Placement, col(Placement.id) == MatchPin.placement_id)
        .where(StudentProfile.school_id == school_id)
        .order_by(col(StudentProfile.last_name), col(StudentProfile.first_name),
                  col(MatchPin.id))).all())
