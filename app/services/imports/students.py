"""Students: one row per student, keyed by school and student number.

Gender goes to ``StudentGender``, never onto the profile. What the student gives themselves
(gender, interests, dream job, themes) is kept when the cell is empty, so a school's file does
not wipe it. No theme is an answer too: a student who does not know yet is undecided, and
matching treats that as such rather than as an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, update
from sqlmodel import Session, col, select

from ...models import (
    Gender,
    Level,
    Role,
    School,
    StudentGender,
    StudentProfile,
    StudentTheme,
    Theme,
    User,
    utcnow,
)
from ...models.base import local_today
from ..accounts import LOGIN_DOMAIN, unusable_password_hash
from ..rows import id_of, table_of
from .common import Context, FirstLines, Plan, RowReader, fetch_in, insert_rows, text_cell
from .reading import Row
from .values import (
    compact,
    list_items,
    max_length,
    parse_email,
    parse_gender,
    parse_level,
    parse_postcode,
    shown,
    whole_number,
)

FIRST_BIRTH_YEAR = 1990
YEARS, PRIMARY_YEARS = 6, 8  # leerjaar; primary schools count groups 1 to 8
MAX_TRAVEL_KM = 500
LIMITS = {name: max_length(StudentProfile, name)
          for name in ("student_number", "first_name", "last_name", "class_name",
                       "interests_text", "dream_job")} | {"email": max_length(User, "email")}
# Which column to name when a profile field changes.
FIELD_COLUMN = {
    "first_name": "first_name", "last_name": "last_name", "birth_year": "birth_year",
    "level": "level", "pathway": "pathway", "school_year": "year", "class_name": "class_name",
    "postcode": "postcode", "travel_km": "travel_km", "interests_text": "interests",
    "dream_job": "dream_job",
}
# A themes cell that says the student has none yet, compacted (no spaces, accents or case;
# "-" compacts to "", so a cell of dashes says it too).
UNDECIDED = frozenset(compact(text) for text in (
    "weet ik nog niet", "weet ik niet", "weet niet", "nog niet", "nog geen", "geen", "geen idee",
    "nog geen idee", "geen voorkeur", "twijfel", "onbekend", "-", "undecided", "none",
    "not yet", "don't know", "don't know yet", "no idea", "unknown"))


@dataclass
class StudentRow:
    line: int
    school: School
    number: str
    values: dict[str, Any]  # profile fields to set
    pathway_given: bool
    gender: Gender | None  # None: the cell was empty
    themes: list[Theme] | None  # None: the cell was empty ([]: the student is undecided)
    email: str | None


@dataclass
class StudentOp:
    row: StudentRow
    profile: StudentProfile | None = None  # None: a new student
    changes: dict[str, Any] = field(default_factory=dict)
    add_themes: list[int] = field(default_factory=list)
    remove_themes: list[int] = field(default_factory=list)
    gender: Gender | None = None  # to set
    has_gender_row: bool = False
    new_account: str | None = None  # e-mail of an account to create and link
    real_email: str | None = None  # replaces the login name of a printed code sheet


def _school(ctx: Context, r: RowReader) -> School | None:
    """The school of the row's school code, if the importer may import students there."""
    code = r.raw("school_code")
    if not code:
        r.problem("school_code", _("This cell is empty. Fill in %(column)s.",
                                   column=ctx.label("school_code")))
        return None
    school = ctx.schools().get(code.upper())
    if school is None:
        r.problem("school_code", ctx.unknown_school(code))
        return None
    if not ctx.scope.may_import_student_at(school):
        r.problem("school_code", _(
            "You can only import students of your own school (%(own)s), not of school "
            "%(code)s.", own=ctx.scope.school_code, code=shown(code)))
        return None
    return school


def _read(ctx: Context, row: Row, keys: FirstLines, emails: FirstLines) -> StudentRow | None:
    r = RowReader(ctx, row)
    limit = LIMITS
    number = r.get("student_number", text_cell(limit["student_number"]))
    school = _school(ctx, r)
    first_name = r.get("first_name", text_cell(limit["first_name"]))
    last_name = r.get("last_name", text_cell(limit["last_name"]))
    prefix = r.get("name_prefix", text_cell(limit["last_name"]), required=False)
    if prefix and last_name:
        last_name = f"{prefix} {last_name}"
        if len(last_name) > limit["last_name"]:
            r.problem("last_name", _("Prefix and last name together have %(length)s "
                                     "characters; at most %(limit)s fit.",
                                     length=len(last_name), limit=limit["last_name"]))
    today = local_today()
    birth_year = r.get("birth_year", whole_number, low=FIRST_BIRTH_YEAR, high=today.year - 3)
    level_and_pathway = r.get("level", lambda text: parse_level(text, r.raw("pathway")))
    level, pathway = level_and_pathway or (None, None)
    most = YEARS if level not in (None, Level.basis) else PRIMARY_YEARS
    year = r.get("year", whole_number, low=1, high=most)
    postcode_place = r.get("postcode", parse_postcode)
    travel_km = r.get("travel_km", whole_number, low=0, high=MAX_TRAVEL_KM, unit="km")
    gender = r.get("gender", parse_gender, required=False)
    interests = r.get("interests", text_cell(limit["interests_text"], single_line=False),
                      required=False)
    dream_job = r.get("dream_job", text_cell(limit["dream_job"]), required=False)
    themes = _themes(r)
    email = r.get("email", parse_email, required=False, limit=LIMITS["email"])
    class_name = r.get("class_name", text_cell(limit["class_name"]), required=False)

    if number and school is not None and (
            earlier := keys.first((school.id, number), row.line)):
        r.problem("student_number", _(
            "Student %(number)s of school %(school)s is already on line %(line)s. Each student "
            "may be in the file once: remove one of the two lines.",
            number=shown(number), school=school.code, line=earlier))
    if email and (earlier := emails.first(email, row.line)):
        r.problem("email", _("The e-mail address %(email)s is already on line %(line)s; "
                             "each student needs their own address.",
                             email=shown(email), line=earlier))
    if r.failed or school is None or number is None or postcode_place is None:
        return None
    values: dict[str, Any] = {
        "first_name": first_name, "last_name": last_name, "birth_year": birth_year,
        "level": level, "pathway": pathway, "school_year": year,
        "postcode": postcode_place[0], "travel_km": travel_km,
    }
    if r.has("class_name"):
        values["class_name"] = class_name or ""
    if interests:
        values["interests_text"] = interests
    if dream_job:
        values["dream_job"] = dream_job
    pathway_given = pathway is not None or bool(r.raw("pathway"))
    return StudentRow(row.line, school, number, values, pathway_given, gender, themes, email)


def _themes(r: RowReader) -> list[Theme] | None:
    """The themes of the cell; [] for an undecided student, None for an empty cell."""
    text = r.raw("themes")
    if not text:
        return None
    if compact(text) in UNDECIDED:
        return []
    items = list_items(text)
    undecided = [item for item in items if compact(item) in UNDECIDED]
    if undecided:
        r.problem("themes", _(
            "'%(value)s' means the student has no theme yet, but the cell names themes too. "
            "Write the themes, or only %(value)s.", value=shown(undecided[0])))
        return None
    return r.themes()


def parse(ctx: Context, rows: list[Row]) -> Plan:
    keys, emails = FirstLines(), FirstLines()
    parsed = [found for row in rows if (found := _read(ctx, row, keys, emails)) is not None]
    plan = Plan()
    if not parsed:
        return plan
    known = _Known.load(ctx, parsed)
    for row in parsed:
        profile = known.existing.get((id_of(row.school), row.number))
        key = f"{row.school.code} {row.number}"
        if profile is not None and (profile.deletion_requested_at or profile.anonymised_at):
            ctx.problem(row.line, "student_number", _(
                "Student %(number)s asked for their data to be deleted; they are not imported "
                "again. Remove this line.", number=shown(row.number)))
            continue
        op = StudentOp(row, profile)
        if row.email and not _plan_account(ctx, op, row.email, known.users_by_email,
                                           known.emails_by_id):
            continue
        if profile is None:
            op.gender = row.gender or Gender.not_given
            plan.create(row.line, key, op)
            continue
        profile_id = id_of(profile)
        _plan_update(op, profile, known.themes_of.get(profile_id, set()),
                     known.genders.get(profile_id))
        _plan_changes(ctx, plan, key, op)
    return plan


@dataclass
class _Known:
    """What the database holds about the students a file names, read in bulk."""

    existing: dict[tuple[int, str], StudentProfile]
    themes_of: dict[int, set[int]]
    genders: dict[int, Gender]
    users_by_email: dict[str, int]
    emails_by_id: dict[int, str]

    @classmethod
    def load(cls, ctx: Context, parsed: list[StudentRow]) -> _Known:
        session = ctx.session
        school_ids = list({row.school.id for row in parsed})
        existing = {
            (p.school_id, p.student_number): p
            for p in fetch_in(session, (row.number for row in parsed), lambda chunk: select(
                StudentProfile).where(col(StudentProfile.school_id).in_(school_ids),
                                      col(StudentProfile.student_number).in_(chunk)))
        }
        ids = [p.id for p in existing.values()]
        # Plain tuples, not model objects: a re-import of 10,000 students reads 40,000 of these.
        themes_of: dict[int, set[int]] = {}
        for student_id, theme_id in fetch_in(session, ids, lambda chunk: select(
                StudentTheme.student_id, StudentTheme.theme_id).where(
                col(StudentTheme.student_id).in_(chunk))):
            themes_of.setdefault(student_id, set()).add(theme_id)
        genders: dict[int, Gender] = dict(fetch_in(session, ids, lambda chunk: select(
            StudentGender.student_id, StudentGender.gender).where(
            col(StudentGender.student_id).in_(chunk))))
        users_by_email: dict[str, int] = {}
        emails_by_id: dict[int, str] = {}
        if ctx.columns.has("email"):
            users_by_email = dict(fetch_in(
                session, (row.email for row in parsed if row.email),
                lambda chunk: select(User.email, User.id).where(col(User.email).in_(chunk))))
            emails_by_id = dict(fetch_in(
                session, (p.user_id for p in existing.values() if p.user_id is not None),
                lambda chunk: select(User.id, User.email).where(col(User.id).in_(chunk))))
        return cls(existing, themes_of, genders, users_by_email, emails_by_id)


def _plan_changes(ctx: Context, plan: Plan, key: str, op: StudentOp) -> None:
    changed = [ctx.header(_column(ctx, name)) for name in op.changes]
    if op.add_themes or op.remove_themes:
        changed.append(ctx.header("themes"))
    if op.gender is not None:
        changed.append(ctx.header("gender"))
    if op.new_account or op.real_email:
        changed.append(ctx.header("email"))
    if changed:
        plan.update(op.row.line, key, changed, op)
    else:
        plan.keep()


def _column(ctx: Context, field_name: str) -> str:
    """The column a changed field came from (the pathway may come from the level column)."""
    key = FIELD_COLUMN[field_name]
    return "level" if key == "pathway" and not ctx.columns.has("pathway") else key


def _plan_account(ctx: Context, op: StudentOp, email: str, ids_by_email: dict[str, int],
                  emails_by_id: dict[int, str]) -> bool:
    """Check the row's e-mail address; plan a new account when needed. False on a problem."""
    row, profile = op.row, op.profile
    owner = ids_by_email.get(email)
    linked = emails_by_id.get(profile.user_id) if profile is not None and profile.user_id else None
    if linked is not None:
        if linked == email:
            return True
        if owner is None and linked.endswith("@" + LOGIN_DOMAIN):
            op.real_email = email  # the student now has a mailbox: it becomes their login
            return True
        if owner is None:
            ctx.problem(row.line, "email", _(
                "This student already has an account with another e-mail address. Leave the "
                "cell empty, or write the address of that account."))
            return False
    if owner is not None:
        ctx.problem(row.line, "email", _(
            "The e-mail address %(email)s is already used by another account. Use the "
            "student's own address, or leave the cell empty.", email=shown(email)))
        return False
    op.new_account = email
    return True


def _plan_update(op: StudentOp, profile: StudentProfile, theme_ids: set[int],
                 gender: Gender | None) -> None:
    row = op.row
    values = dict(row.values)
    if not row.pathway_given and values["level"].value.startswith("mbo"):
        values["pathway"] = profile.pathway  # nothing said about it: keep it
    op.changes = {name: value for name, value in values.items()
                  if getattr(profile, name) != value}
    if row.themes is not None:  # an empty cell keeps the student's themes
        wanted = {id_of(theme) for theme in row.themes}
        op.add_themes = sorted(wanted - theme_ids)
        op.remove_themes = sorted(theme_ids - wanted)
    op.has_gender_row = gender is not None
    if row.gender is not None and row.gender != gender:
        op.gender = row.gender


def write(ctx: Context, plan: Plan) -> None:
    session = ctx.session
    ops: list[StudentOp] = plan.items
    account_ids = _insert_accounts(session, [op for op in ops if op.new_account])
    _insert_students(session, [op for op in ops if op.profile is None], account_ids)

    now = utcnow()
    new_links: list[dict] = []
    old_links: list[dict] = []
    new_genders: list[dict] = []
    changed_genders: list[dict] = []
    for op in ops:
        profile = op.profile
        if profile is None:
            continue
        _apply(session, op, profile, account_ids, now)
        new_links.extend({"student_id": profile.id, "theme_id": theme_id}
                         for theme_id in op.add_themes)
        old_links.extend({"sid": profile.id, "tid": theme_id} for theme_id in op.remove_themes)
        if op.gender is not None:
            (changed_genders if op.has_gender_row else new_genders).append(
                {"student_id": profile.id, "gender": op.gender})
    session.flush()
    links = table_of(StudentTheme)
    if old_links:
        session.execute(delete(links).where(links.c.student_id == bindparam("sid"),
                                            links.c.theme_id == bindparam("tid")), old_links)
    insert_rows(session, StudentTheme, new_links)
    insert_rows(session, StudentGender, new_genders)
    genders = table_of(StudentGender)
    if changed_genders:
        session.execute(update(genders).where(genders.c.student_id == bindparam("sid"))
                        .values(gender=bindparam("new_gender")),
                        [{"sid": g["student_id"], "new_gender": g["gender"]}
                         for g in changed_genders])


def _insert_accounts(session: Session, new_accounts: list[StudentOp]) -> dict[str | None, int]:
    """Student accounts without a usable password for the new e-mail addresses; their ids."""
    return dict(zip(
        (op.new_account for op in new_accounts),
        insert_rows(session, User, [{
            "email": op.new_account, "role": Role.student,
            "display_name": f"{op.row.values['first_name']} {op.row.values['last_name']}"[
                : max_length(User, "display_name")],
            "password_hash": unusable_password_hash(), "school_id": op.row.school.id,
            "region_id": op.row.school.region_id,
        } for op in new_accounts], returning_ids=True), strict=True))


def _insert_students(session: Session, new: list[StudentOp], account_ids: dict[str | None, int]
                     ) -> None:
    """The new students with their gender and themes."""
    ids = insert_rows(session, StudentProfile, [{
        "interests_text": "", "dream_job": "", **op.row.values, "school_id": op.row.school.id,
        "student_number": op.row.number, "user_id": account_ids.get(op.new_account),
    } for op in new], returning_ids=True)
    insert_rows(session, StudentGender, [
        {"student_id": student_id, "gender": op.gender or Gender.not_given}
        for op, student_id in zip(new, ids, strict=True)])
    insert_rows(session, StudentTheme, [
        {"student_id": student_id, "theme_id": theme.id}
        for op, student_id in zip(new, ids, strict=True) for theme in op.row.themes or ()])


def _apply(session: Session, op: StudentOp, profile: StudentProfile,
           account_ids: dict[str | None, int], now) -> None:
    """The planned changes of one student who is there already, and their new account."""
    for name, value in op.changes.items():
        setattr(profile, name, value)
    if op.new_account:
        profile.user_id = account_ids[op.new_account]
    if op.real_email:
        account = session.get(User, profile.user_id)
        if account is not None:
            account.email = op.real_email
            session.add(account)
    if op.changes or op.new_account or op.real_email:
        profile.updated_at = now
        session.add(profile)
