"""An import's report that named a student is emptied when the student is erased."""

from __future__ import annotations

from app.models import BackgroundJob, JobKind, JobStatus
from app.services.personal_data import erase_student


def _import_job(session, key: str) -> BackgroundJob:
    job = BackgroundJob(kind=JobKind.import_, scope_key="import:students", scope_label="x",
                        status=JobStatus.finished,
                        result={"changes": [[2, "create", key, []]], "problems": []})
    session.add(job)
    session.commit()
    return job


def test_erasing_a_student_empties_the_import_reports_that_named_them(world, session, app):
    student = world.home.student
    naming = _import_job(session, f"{world.home.school.code} {student.student_number}")
    other = _import_job(session, "85NR 000000001")
    with app.test_request_context():
        erase_student(session=session, student=student)
    session.expire_all()
    assert session.get(BackgroundJob, naming.id).result == {}
    assert session.get(BackgroundJob, other.id).result["changes"]
