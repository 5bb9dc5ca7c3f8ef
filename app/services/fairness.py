"""The fairness audit of matching rounds: measured when a round runs, stored with it, shown.

Gender is read here and only here, for the audit (see :mod:`matching.fairness`): it is loaded
beside the student records the round scored, never into them, and never reaches the scorer.

A round's audit is computed as the round is stored (:func:`round_audit`), with the placement
the round proposed to each student, on a sample when the cohort is large, and kept in
``MatchRound.fairness_audit``. A round can be audited again (:func:`audit_again`): from the
proposals of the round as they are stored now (what ``talentmatch export matches --round N``
lists), with the group's current students and today's open placements, which the audit then
says.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import date
from typing import cast

from flask_babel import gettext as _
from sqlmodel import Session, col, select

from matching.fairness import FORMAT, FairnessAudit
from matching.records import StudentRecord
from matching.scoring import MatchScorer

from ..models import (
    MatchProposal,
    MatchRound,
    Region,
    School,
    StudentGender,
    StudentProfile,
    utcnow,
)
from ..models.base import local_today
from ..models.lifecycle import UNDERWAY
from .errors import ServiceError
from .matching_data import placement_records, student_records
from .rows import id_of

log = logging.getLogger(__name__)
# A round of more students is audited on a sample of this many (the audit says so, and so do
# its group counts): a school's or a region's round is counted whole, so its figures are the
# exports' counts; a 20,000-student sample takes about ten seconds (2,000 placements).
ROUND_SAMPLE = 20_000
_CHUNK = 5_000


class FairnessError(ServiceError):
    """An audit could not be made as asked; nothing was stored."""


def genders_of(*, session: Session, student_ids: Sequence[int]) -> dict[int, str]:
    """Student id -> "girl", "boy", "other" or "not_given" (also for no answer at all)."""
    found: dict[int, str] = {}
    ids = list(student_ids)
    for start in range(0, len(ids), _CHUNK):
        for student_id, gender in session.exec(select(
                StudentGender.student_id, StudentGender.gender)
                .where(col(StudentGender.student_id).in_(ids[start:start + _CHUNK]))).all():
            found[student_id] = str(getattr(gender, "value", gender))
    return {student_id: found.get(student_id, "not_given") for student_id in ids}


def audit(*, session: Session, scorer: MatchScorer, students: Sequence[StudentRecord],
          proposals: Mapping[int, int], seed: int | None = 0,
          max_students: int | None = None) -> dict:
    """The audit of ``scorer``'s rankings of ``students`` and of the round's ``proposals``
    (student id -> proposed placement id), as stored (JSON); a cohort larger than
    ``max_students`` (default :data:`ROUND_SAMPLE`) is audited on a sample. The top 5 is
    :func:`matching.recommend.recommend`'s list without the pairs turned down or excluded, the
    list ``talentmatch export recommendations`` prints."""
    from .matching import excluded_pairs  # matching imports this module

    ids = [s.id for s in students]
    genders = genders_of(session=session, student_ids=ids)
    fitted = set(scorer.placement_ids_.tolist())
    # A placement proposed then and closed now is read from the database, to tell whether it
    # is technical: the stored proposal counts as it stands.
    closed = sorted({pid for pid in proposals.values() if pid not in fitted})
    report = FairnessAudit(scorer, random_state=seed,
                           max_students=max_students or ROUND_SAMPLE).fit(
        students, [genders[s.id] for s in students], proposals,
        placement_records(session=session, placement_ids=closed) if closed else (),
        # The top 5 leaves out what a round and the recommendations export leave out.
        excluded_pairs(session=session, student_ids=ids)).report_
    return {**report.to_json(), "computed_at": utcnow().isoformat(timespec="seconds")}


def round_audit(*, session: Session, scorer: MatchScorer, students: Sequence[StudentRecord],
                proposals: Mapping[int, int], seed: int | None = 0) -> dict:
    """The audit a round stores as it is saved, with the placement it proposed to each
    student. A failing audit must not lose the round: it is logged and stored as failed, and
    can be made again with ``talentmatch audit fairness --round N --recompute``."""
    try:
        return {**audit(session=session, scorer=scorer, students=students,
                        proposals=proposals, seed=seed),
                "computed": "with_round"}
    except Exception:  # noqa: BLE001 - see the docstring
        log.exception("the fairness audit of a matching round failed")
        return {"format": FORMAT, "failed": True, "computed": "with_round",
                "computed_at": utcnow().isoformat(timespec="seconds")}


def _scope_student_ids(session: Session, label: str) -> list[int]:
    """The current students of a round's group (its scope label), not anonymised."""
    query = select(StudentProfile.id).where(col(StudentProfile.anonymised_at).is_(None),
                                            col(StudentProfile.deletion_requested_at).is_(None))
    kind, _sep, key = label.partition(":")
    if kind == "school":
        school = session.exec(select(School).where(School.code == key)).first()
        if school is None:
            raise FairnessError(_("The school of this round no longer exists."))
        query = query.where(StudentProfile.school_id == school.id)
    elif kind == "region":
        region = session.exec(select(Region).where(Region.slug == key)).first()
        if region is None:
            raise FairnessError(_("The region of this round no longer exists."))
        query = query.join(School, col(School.id) == StudentProfile.school_id).where(
            School.region_id == region.id)
    elif label != "all":
        raise FairnessError(_("This round's group cannot be read: %(scope)s", scope=label))
    # A primary key is never NULL.
    return cast(list[int], list(session.exec(query.order_by(col(StudentProfile.id))).all()))


def round_proposals(*, session: Session, round_id: int) -> dict[int, int]:
    """Student id -> placement id of the round's proposals as stored now, whatever their
    status (the rows ``talentmatch export matches --round N`` lists)."""
    return dict(session.exec(select(MatchProposal.student_id, MatchProposal.placement_id)
                             .where(MatchProposal.round_id == round_id)
                             .order_by(col(MatchProposal.id))).all())


def round_student_ids(*, session: Session, round_: MatchRound,
                      proposals: Mapping[int, int]) -> list[int]:
    """The round's students as well as they can be told afterwards: the group's current
    students, without those whose match was already underway through an earlier proposal
    (a round leaves them out), and with everyone the round proposed something to."""
    ids = _scope_student_ids(session, round_.scope)
    elsewhere: set[int] = set()
    for start in range(0, len(ids), _CHUNK):
        elsewhere |= set(session.exec(select(MatchProposal.student_id).where(
            col(MatchProposal.student_id).in_(ids[start:start + _CHUNK]),
            col(MatchProposal.status).in_(UNDERWAY),
            col(MatchProposal.round_id).is_(None)
            | (col(MatchProposal.round_id) < round_.id))).all())
    return sorted({i for i in ids if i not in elsewhere} | set(proposals))


def audit_again(*, session: Session, round_: MatchRound, today: date | None = None,
                max_students: int | None = None) -> dict:
    """Audits a stored round afresh and stores the result. Commits.

    The round's weights and day are used, and its proposals as they are stored now; the
    students are the group's current ones (see :func:`round_student_ids`) and the rankings are
    of the placements open now, which the audit records (``"computed": "afterwards"``).
    """
    from .matching import MatchingError, fitted_scorer  # matching imports this module

    parameters = round_.parameters or {}
    try:
        today = today or date.fromisoformat(parameters["today"])
    except (KeyError, TypeError, ValueError):
        today = local_today()
    proposals = round_proposals(session=session, round_id=id_of(round_))
    ids = round_student_ids(session=session, round_=round_, proposals=proposals)
    if not ids:
        raise FairnessError(_("This round's group has no students any more."))
    try:
        scorer = fitted_scorer(session=session, today=today,
                               weights=parameters.get("weights") or None)
    except (MatchingError, ValueError) as error:
        raise FairnessError(str(error)) from error
    if not len(scorer.placements_):
        raise FairnessError(_("There are no open placements to audit the round with."))
    result = audit(session=session, scorer=scorer,
                   students=student_records(session=session, student_ids=ids, today=today),
                   proposals=proposals, seed=parameters.get("seed", 0),
                   max_students=max_students)
    result = {**result, "computed": "afterwards", "today": today.isoformat()}
    round_.fairness_audit = result
    session.add(round_)
    session.commit()
    return result


def latest_round(*, session: Session) -> MatchRound | None:
    return session.exec(select(MatchRound).order_by(col(MatchRound.id).desc()).limit(1)).first()


def rounds(*, session: Session, scopes: frozenset[str] | None,
           limit: int = 50) -> list[MatchRound]:
    """The newest rounds of these scope labels (None: every round), newest first."""
    query = select(MatchRound)
    if scopes is not None:
        if not scopes:
            return []
        query = query.where(col(MatchRound.scope).in_(sorted(scopes)))
    return list(session.exec(query.order_by(col(MatchRound.id).desc()).limit(limit)).all())


def has_audit(audit_json: dict | None) -> bool:
    return bool(audit_json) and audit_json.get("format") == FORMAT \
        and not audit_json.get("failed")


def scope_names(*, session: Session, labels: Sequence[str]) -> dict[str, str]:
    """A round's scope label ("school:04AB", "region:liemers", "all") -> what to call it."""
    wanted = set(labels)
    kinds: dict[str, set[str]] = {"school": set(), "region": set()}
    for label in wanted:
        kind, _sep, key = label.partition(":")
        if kind in kinds:
            kinds[kind].add(key)
    schools = dict(session.exec(select(School.code, School.name).where(
        col(School.code).in_(sorted(kinds["school"])))).all()) if kinds["school"] else {}
    regions = dict(session.exec(select(Region.slug, Region.name).where(
        col(Region.slug).in_(sorted(kinds["region"])))).all()) if kinds["region"] else {}
    names = {}
    for label in wanted:
        kind, _sep, key = label.partition(":")
        names[label] = (_("Everyone") if label == "all"
                        else schools.get(key) if kind == "school"
                        else regions.get(key) if kind == "region" else None) or label
    return names


AUDIT_TASK = "talentmatch.audit_round"


def audit_if_missing(*, session: Session, round_id: int) -> bool:
    """The audit of a round whose audit failed with it, or that was run region by region:
    made now over the whole round (a task, run again harmlessly). Returns whether it ran."""
    round_ = session.get(MatchRound, round_id)
    if round_ is None or has_audit(round_.fairness_audit):
        return False
    regions = (round_.fairness_audit or {}).get("regions")
    result = audit_again(session=session, round_=round_)
    if regions:  # the audits of a partitioned round's regions stay beside the whole
        round_.fairness_audit = {**result, "regions": regions, "partitioned": True}
        session.add(round_)
        session.commit()
    return True
