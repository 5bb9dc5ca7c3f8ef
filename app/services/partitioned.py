"""A round for every region at once, split into one task per region that workers run in
parallel (see :mod:`matching.partition` for how border placements are shared).

1. The round's job plans the split (:func:`plan_round`): each region gets its students and
   the free places allotted to it, a place of a border placement going to exactly one region.
   It stores a running round and one child job per region, and queues them.
2. Each region's task (:func:`run_region`) scores and allocates its students on its own
   allotment and, in one transaction, replaces their pending proposals, stores the new ones
   in the shared round with the region's fairness audit, and counts itself done. A worker that
   dies rolls that back and the task runs again.
3. The region that ends last (the parent row is locked while it looks) runs the final pass
   over the places regions left unused, checks that no placement got more proposals than its
   free places, and finishes the round. If a region failed for good, the round is marked
   failed and cleaned up: its proposals nobody acted on yet are removed.
"""

from __future__ import annotations

import time
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlmodel import Session, col, select

from matching.partition import (
    PartitionPlan,
    PartOutcome,
    RegionPart,
    check_bookings,
    leftover_part,
    plan_partitions,
)
from matching.partition import Region as RegionKey
from matching.records import StudentRecord
from matching.rounds import RoundResult, run_round
from matching.scoring import MatchScorer

from ..models import (
    JOB_DONE,
    BackgroundJob,
    JobKind,
    JobStatus,
    MatchProposal,
    MatchRound,
    PinKind,
    ProposalStatus,
    Region,
    RoundStatus,
    School,
    StudentProfile,
    utcnow,
)
from . import queue
from .fairness import AUDIT_TASK, round_audit
from .job_states import begin_attempt, move
from .matching import MatchingError, Scope, cohort_ids, configured_weights, excluded_pairs
from .matching.cohort import pairs_of_kind
from .matching.rounds import (
    drop_pending,
    lock_rounds,
    proposal_row,
    tell_counsellors,
    underway_among,
)
from .matching.scorer import matching_jobs, occupation_lookup
from .matching_data import free_places, open_placement_ids, placement_records, student_records

REGION_TASK = "talentmatch.run_region_round"


def _regions_of(session: Session, student_ids: list[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    for start in range(0, len(student_ids), 5_000):
        rows = session.exec(
            select(StudentProfile.id, School.region_id)
            .join(School, col(School.id) == StudentProfile.school_id)
            .where(col(StudentProfile.id).in_(student_ids[start:start + 5_000]))).all()
        found.update((int(student or 0), int(region)) for student, region in rows)
    return found


def plan_round(*, session: Session, job: BackgroundJob, today: date, seed: int) -> None:
    """Split the round of ``job`` (everyone) per region and queue one task per region."""
    students = cohort_ids(session=session, scope=Scope())
    if not students:
        raise MatchingError(_("There are no students to match in %(scope)s.", scope="all"))
    placement_ids = open_placement_ids(session=session, today=today)
    if not placement_ids:
        raise MatchingError(_("There are no open placements to match with."))
    region_of = _regions_of(session, students)
    records = student_records(session=session, student_ids=students, today=today)
    by_region: dict[RegionKey, list[StudentRecord]] = {}
    for record in records:
        by_region.setdefault(region_of[record.id], []).append(record)
    placements = placement_records(session=session, placement_ids=placement_ids)
    free = free_places(session=session, placement_ids=placement_ids,
                       leaving_out_students=students)
    plan = plan_partitions(by_region, placements, free,
                           pins=pairs_of_kind(session, students, PinKind.pin))
    round_ = MatchRound(scope=Scope().label, status=RoundStatus.running,
                        started_by_id=job.created_by_id,
                        parameters={"seed": seed, "today": today.isoformat(),
                                    "partitioned": True, "regions": len(plan.parts),
                                    "students": len(students), "placements": len(placements)})
    session.add(round_)
    session.flush()
    names = dict(session.exec(select(Region.id, Region.name)).all())
    children = [BackgroundJob(
        kind=JobKind.region_round, scope_key=f"region:{part.region}",
        scope_label=names.get(int(part.region or 0), str(part.region)), parent_id=job.id,
        created_by_id=job.created_by_id, round_id=round_.id,
        parameters={"region": part.region, "seed": seed, "today": today.isoformat(),
                    "student_ids": list(part.student_ids),
                    "free_places": {str(k): v for k, v in part.free_places.items()}})
        for part in plan.parts if part.student_ids]
    session.add_all(children)
    job.round_id = round_.id
    job.parameters = {**job.parameters, "partitioned": True,
                      "free_places": {str(k): v for k, v in plan.free_places.items()},
                      "border_reach": {str(pid): {str(r): n for r, n in reach.items()}
                                       for pid, reach in plan.border_reach.items()}}
    job.stage, job.done, job.total = "regions", 0, len(children)
    session.commit()
    for child in children:
        queue.enqueue(REGION_TASK, job_id=child.id)


def _part_of(job: BackgroundJob) -> RegionPart:
    p = job.parameters
    return RegionPart(p["region"], tuple(p["student_ids"]),
                      tuple(sorted(int(k) for k in p["free_places"])),
                      {int(k): v for k, v in p["free_places"].items()})


def _sub_round(session: Session, part: RegionPart, today: date, seed: int,
               ) -> tuple[MatchScorer, list, RoundResult]:
    students = list(part.student_ids)
    records = student_records(session=session, student_ids=students, today=today)
    scorer = MatchScorer(weights=configured_weights(), today=today,
                         occupation_lookup=occupation_lookup()).fit(
        placement_records(session=session, placement_ids=list(part.placement_ids)))
    result = run_round(scorer=scorer, students=records, free_places=part.free_places,
                       pins=pairs_of_kind(session, students, PinKind.pin),
                       excludes=excluded_pairs(session=session, student_ids=students),
                       random_state=seed, n_jobs=matching_jobs())
    return scorer, records, result


def _store(session: Session, round_id: int, student_ids: list[int], result: RoundResult,
           ) -> list[dict]:
    """Replace these students' pending proposals with the part's; those underway keep theirs.

    The regions of the round share their places by the plan, but another round (a school's,
    say) may have claimed places since: under the rounds' lock the places are counted again,
    and a placement's proposals beyond what is free now are dropped, the weakest first.
    """
    lock_rounds(session)
    drop_pending(session, student_ids)
    underway = underway_among(session, student_ids)
    proposals = sorted((p for p in result.proposals if p.student_id not in underway),
                       key=lambda p: (not p.pinned, -p.pair.score, p.student_id))
    free = free_places(session=session,
                       placement_ids=sorted({p.placement_id for p in proposals}),
                       leaving_out_students=student_ids)
    now = utcnow()
    rows = []
    for p in proposals:
        if free.get(p.placement_id, 0) > 0:
            free[p.placement_id] -= 1
            rows.append(proposal_row(round_id, p.pair, rank=p.rank, pinned=p.pinned, now=now))
    for start in range(0, len(rows), 5_000):
        session.execute(sa.insert(MatchProposal), rows[start:start + 5_000])
    tell_counsellors(session, [r["student_id"] for r in rows])
    return rows


def run_region(*, session: Session, job_id: int) -> None:
    """One region's part of a partitioned round; see the module docstring."""
    job = begin_attempt(session=session, job_id=job_id)
    if job is None:
        return
    started = time.perf_counter()
    today, seed = date.fromisoformat(job.parameters["today"]), job.parameters["seed"]
    part = _part_of(job)
    scorer, records, result = _sub_round(session, part, today, seed)
    assert job.round_id is not None  # set when the plan made this job
    rows = _store(session, job.round_id, list(part.student_ids), result)
    job.result = {**result.summary(), "students": len(part.student_ids),
                  "seconds": round(time.perf_counter() - started, 2),
                  "pairs": [[r["student_id"], r["placement_id"]] for r in rows],
                  "insufficient_ids": list(result.insufficient),
                  "audit": round_audit(session=session, scorer=scorer, students=records,
                                       seed=seed, proposals={r["student_id"]: r["placement_id"]
                                                             for r in rows})}
    job.finished_at = utcnow()
    move(job, JobStatus.finished)
    _count_done(session, job)
    session.commit()
    finish_if_last(session=session, parent_id=job.parent_id)


def _count_done(session: Session, job: BackgroundJob) -> None:
    table = BackgroundJob.__table__  # type: ignore[attr-defined]
    session.execute(sa.update(table).where(table.c.id == job.parent_id)
                    .values(done=table.c.done + 1))


def _locked_parent(session: Session, parent_id: int) -> BackgroundJob | None:
    query = select(BackgroundJob).where(BackgroundJob.id == parent_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()  # the last two regions to end must not both finish
    return session.exec(query.execution_options(populate_existing=True)).first()


def finish_if_last(*, session: Session, parent_id: int | None) -> None:
    """When every region of the round has ended: the final pass and the round's end, or,
    when a region failed, the round marked failed and its untouched proposals removed."""
    if parent_id is None:
        return
    parent = _locked_parent(session, parent_id)
    if parent is None or parent.status in JOB_DONE:
        session.rollback()
        return
    children = list(session.exec(select(BackgroundJob).where(
        BackgroundJob.parent_id == parent_id).order_by(col(BackgroundJob.id))).all())
    if any(child.status not in JOB_DONE for child in children):
        session.rollback()
        return
    round_ = session.get(MatchRound, parent.round_id) if parent.round_id else None
    failed = [child.scope_label for child in children if child.status is JobStatus.failed]
    if failed or round_ is None:
        _fail_round(session, parent, round_, failed)
        session.commit()
        return
    _final_pass(session, parent, round_, children)
    session.commit()
    # Each region was audited on its own; the round's audit over everyone is a task of its own.
    queue.enqueue(AUDIT_TASK, round_id=round_.id)


def _fail_round(session: Session, parent: BackgroundJob, round_: MatchRound | None,
                failed: list[str]) -> None:
    if round_ is not None:
        session.execute(sa.delete(MatchProposal).where(
            col(MatchProposal.round_id) == round_.id,
            col(MatchProposal.status) == ProposalStatus.proposed))
        round_.status = RoundStatus.failed
        round_.finished_at = utcnow()
    move(parent, JobStatus.failed)
    parent.error = _("The round stopped in %(regions)s, so none of it was kept. Try again, or "
                     "ask the administrator to look in the log.", regions=", ".join(failed))
    parent.finished_at = utcnow()


def _plan_of(parent: BackgroundJob, children: list[BackgroundJob]) -> PartitionPlan:
    p = parent.parameters
    return PartitionPlan(
        parts=tuple(_part_of(child) for child in children),
        free_places={int(k): v for k, v in p["free_places"].items()},
        border_reach={int(pid): {int(r): n for r, n in reach.items()}
                      for pid, reach in p["border_reach"].items()},
        unreached=())


def _final_pass(session: Session, parent: BackgroundJob, round_: MatchRound,
                children: list[BackgroundJob]) -> None:
    plan = _plan_of(parent, children)
    outcomes = [PartOutcome(child.parameters["region"],
                            tuple(map(tuple, child.result["pairs"])),
                            tuple(child.result["insufficient_ids"])) for child in children]
    today = date.fromisoformat(round_.parameters["today"])
    seed = int(round_.parameters["seed"])
    done = {s for o in outcomes for s, _ in o.proposals} | \
        {s for o in outcomes for s in o.insufficient}
    waiting = {child.parameters["region"]: [s for s in child.parameters["student_ids"]
                                            if s not in done] for child in children}
    pooled_ids = list(plan.border_reach)
    final = leftover_part(
        plan, outcomes,
        {region: student_records(session=session, student_ids=ids, today=today)
         for region, ids in waiting.items()},
        placement_records(session=session, placement_ids=pooled_ids))
    final_rows: list[dict] = []
    if final.student_ids:
        _scorer, _records, result = _sub_round(session, final, today, seed)
        final_rows = _store(session, int(round_.id or 0), list(final.student_ids), result)
        outcomes.append(PartOutcome(None, tuple((r["student_id"], r["placement_id"])
                                                for r in final_rows)))
    check = check_bookings(plan, outcomes, final=final)
    summary = _summary(children, len(final_rows), check.double_bookings)
    round_.summary = summary
    round_.fairness_audit = {"computed": "with_round", "partitioned": True,
                             "regions": {child.scope_label: child.result["audit"]
                                         for child in children}}
    round_.status = RoundStatus.finished
    round_.finished_at = utcnow()
    parent.result = summary
    parent.stage = "done"
    parent.finished_at = utcnow()
    move(parent, JobStatus.finished)


def _summary(children: list[BackgroundJob], final_proposed: int, double_bookings: int) -> dict:
    total = {key: sum(int(child.result.get(key, 0)) for child in children)
             for key in ("students", "students_proposed", "insufficient", "no_admissible",
                         "unassigned")}
    proposed = total["students_proposed"] + final_proposed
    weighted = sum(float(child.result.get("mean_score", 0.0)) *
                   int(child.result.get("students_proposed", 0)) for child in children)
    return {**total, "students_proposed": proposed,
            # Students placed in the final pass were counted as left without a place.
            "unassigned": max(0, total["unassigned"] - final_proposed),
            "mean_score": weighted / max(1, total["students_proposed"]),
            "final_pass": final_proposed, "double_bookings": double_bookings,
            "regions": {child.scope_label: {"students": child.result.get("students", 0),
                                            "proposed": child.result.get("students_proposed", 0),
                                            "seconds": child.result.get("seconds", 0)}
                        for child in children}}


def region_gave_up(*, session: Session, job_id: int) -> None:
    """A region's task failed for good (its job is marked failed): let the round conclude."""
    job = session.get(BackgroundJob, job_id)
    if job is not None:
        finish_if_last(session=session, parent_id=job.parent_id)
