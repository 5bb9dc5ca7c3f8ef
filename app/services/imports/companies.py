"""Companies: one row per company, keyed by its KvK number.

What a company may fill in itself (address, website, the yes/no answers, accessibility) is
kept when a cell is empty, so a region's spreadsheet does not wipe it. A contact e-mail
address links a company account to the company, creating the account when it is new.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlmodel import col, select

from ...models import Company, CompanyContact, Region, Role, User
from ..accounts import unusable_password_hash
from .common import (
    Context,
    FirstLines,
    Plan,
    RowReader,
    fetch_in,
    insert_rows,
    load_regions,
    needs_region_column,
    pick_region,
    region_name,
    text_cell,
)
from .reading import Row
from .values import (
    max_length,
    parse_email,
    parse_kvk,
    parse_placement_kinds,
    parse_postcode,
    parse_website,
    parse_yes_no,
    shown,
)

LIMITS = {name: max_length(Company, name)
          for name in ("name", "sector", "address", "website", "accessibility_notes")} | {
    "email": max_length(User, "email"), "display_name": max_length(User, "display_name")}
# Which column to name when a company field changes.
FIELD_COLUMN = {
    "name": "name", "sector": "sector", "address": "address", "postcode": "postcode",
    "place": "postcode", "website": "website", "recognised": "recognised",
    "recognised_for": "recognised_for", "offers_mentor": "offers_mentor",
    "female_role_model": "female_role_model", "accessibility_notes": "accessibility_notes",
}
# Kept when the cell is empty (a new company gets the model's default).
KEPT_WHEN_EMPTY = ("address", "website", "recognised", "recognised_for", "offers_mentor",
                   "female_role_model", "accessibility_notes")


@dataclass
class CompanyRow:
    line: int
    kvk: str
    region: Region
    values: dict[str, Any]  # only what the row says; absent: keep
    contact_email: str | None
    contact_name: str | None


@dataclass
class CompanyOp:
    row: CompanyRow
    company: Company | None = None  # None: a new company
    changes: dict[str, Any] = field(default_factory=dict)
    contact_user_id: int | None = None  # an existing account to link
    new_contact: str | None = None  # the e-mail of an account to create and link
    new_contact_name: str = ""


def _read(ctx: Context, row: Row, regions: dict[str, Region], keys: FirstLines
          ) -> CompanyRow | None:
    r = RowReader(ctx, row)
    kvk = r.get("kvk", parse_kvk)
    name = r.get("name", text_cell(LIMITS["name"]))
    sector = r.get("sector", text_cell(LIMITS["sector"]))
    address = r.get("address", text_cell(LIMITS["address"]), required=False)
    postcode_place = r.get("postcode", parse_postcode)
    website = r.get("website", parse_website, required=False, limit=LIMITS["website"])
    recognised = r.get("recognised", parse_yes_no, required=False)
    kinds = r.get("recognised_for", parse_placement_kinds, required=False)
    offers_mentor = r.get("offers_mentor", parse_yes_no, required=False)
    role_model = r.get("female_role_model", parse_yes_no, required=False)
    notes = r.get("accessibility_notes", text_cell(LIMITS["accessibility_notes"],
                                                   single_line=False), required=False)
    region = pick_region(r, regions, lambda own: _(
        "You can only import companies in your own region, %(region)s. Write that region or "
        "leave the cell empty.", region=own.name))
    email = r.get("contact_email", parse_email, required=False, limit=LIMITS["email"])
    contact_name = r.get("contact_name", text_cell(LIMITS["display_name"]), required=False)
    if contact_name and not email and not r.raw("contact_email"):
        r.problem("contact_name", _(
            "A contact person needs an e-mail address: fill in %(column)s, or leave the name "
            "empty.", column=ctx.label("contact_email")))
    if kvk and (earlier := keys.first(kvk, row.line)):
        r.problem("kvk", _("KvK number %(kvk)s is already on line %(line)s. Each company may be "
                           "in the file once: remove one of the two lines.",
                           kvk=kvk, line=earlier))
    if r.failed or kvk is None or region is None or postcode_place is None:
        return None
    values: dict[str, Any] = {"name": name, "sector": sector, "postcode": postcode_place[0],
                              "place": postcode_place[1]}
    given = {"address": address, "website": website, "recognised": recognised,
             "recognised_for": [k.value for k in kinds] if kinds else None,
             "offers_mentor": offers_mentor, "female_role_model": role_model,
             "accessibility_notes": notes}
    values.update({name: value for name, value in given.items() if value not in (None, "")})
    return CompanyRow(row.line, kvk, region, values, email, contact_name)


def parse(ctx: Context, rows: list[Row]) -> Plan:
    plan = Plan()
    session = ctx.session
    if needs_region_column(ctx, _(
            "Add a column %(column)s: on the command line and as administrator you give the "
            "region of each company (e.g. liemers).", column=ctx.label("region"))):
        return plan
    regions = load_regions(session)
    keys = FirstLines()
    parsed = [found for row in rows if (found := _read(ctx, row, regions, keys)) is not None]
    if not parsed:
        return plan
    existing, users, links = _known(ctx, parsed)
    names: dict[str, str] = {}  # new accounts: e-mail -> name, from the first line giving it
    for row in parsed:
        company = existing.get(row.kvk)
        op = CompanyOp(row, company)
        if company is not None and not _may_change(ctx, row, company, regions):
            continue
        if not _plan_values(ctx, op):
            continue
        if row.contact_email and not _plan_contact(ctx, op, users, links, names):
            continue
        _plan_row(ctx, plan, op)
    return plan


def _known(ctx: Context, parsed: list[CompanyRow]):
    """The companies the file names, the accounts of its contacts and who is already a
    contact of what, read in bulk."""
    session = ctx.session
    existing = {c.kvk: c for c in fetch_in(
        session, (row.kvk for row in parsed),
        lambda chunk: select(Company).where(col(Company.kvk).in_(chunk)))}
    users = {u.email: u for u in fetch_in(
        session, (row.contact_email for row in parsed if row.contact_email),
        lambda chunk: select(User).where(col(User.email).in_(chunk)))}
    links = set(fetch_in(
        session, (c.id for c in existing.values()),
        lambda chunk: select(CompanyContact.company_id, CompanyContact.user_id).where(
            col(CompanyContact.company_id).in_(chunk))))
    return existing, users, links


def _plan_row(ctx: Context, plan: Plan, op: CompanyOp) -> None:
    row, company = op.row, op.company
    if company is None:
        plan.create(row.line, f"{row.kvk} {row.values['name']}", op)
        return
    changed = [ctx.header(FIELD_COLUMN[name]) for name in op.changes]
    if op.contact_user_id is not None or op.new_contact:
        changed.append(ctx.header("contact_email"))
    if changed:
        plan.update(row.line, f"{row.kvk} {company.name}", changed, op)
    else:
        plan.keep()


def _may_change(ctx: Context, row: CompanyRow, company: Company,
                regions: dict[str, Region]) -> bool:
    if not ctx.scope.may_manage_company_in(company.region_id):
        ctx.problem(row.line, "kvk", _(
            "KvK number %(kvk)s belongs to a company in another region; you can only import "
            "companies of your own region. Ask the administrator if the company moved.",
            kvk=row.kvk))
        return False
    if row.region.id != company.region_id:
        ctx.problem(row.line, "region", _(
            "%(company)s is in the region %(region)s; an import does not move it to another "
            "region.", company=company.name, region=region_name(regions, company.region_id)))
        return False
    return True


def _plan_values(ctx: Context, op: CompanyOp) -> bool:
    """The fields to set; False (with a problem) when they do not fit together."""
    row, company = op.row, op.company
    values = dict(row.values)
    recognised = values.get("recognised", company.recognised if company else False)
    if not recognised:
        if company is not None and company.recognised_for and "recognised_for" not in values:
            values["recognised_for"] = []  # no longer recognised: for no kind either
        elif values.get("recognised_for"):
            ctx.problem(row.line, "recognised_for", _(
                "%(company)s is not a recognised training company, so it cannot be recognised "
                "for kinds of placement. Write ja in the column %(column)s, or leave this cell "
                "empty.", company=company.name if company else row.values["name"],
                column=ctx.label("recognised")))
            return False
    if company is None:
        op.changes = values
        return True
    op.changes = {name: value for name, value in values.items()
                  if not _same(name, getattr(company, name), value)}
    return True


def _same(name: str, old: Any, new: Any) -> bool:
    if name == "recognised_for":
        return set(old or ()) == set(new or ())
    return old == new


def _plan_contact(ctx: Context, op: CompanyOp, users: dict[str, User],
                  links: set[tuple[int, int]], names: dict[str, str]) -> bool:
    """Link the row's contact, creating the account when needed; False on a problem."""
    row = op.row
    email = row.contact_email
    if not email:
        return True  # no contact to link
    user = users.get(email)
    if user is None:
        if email not in names:
            if not row.contact_name:
                ctx.problem(row.line, "contact_name" if ctx.columns.has("contact_name")
                            else "contact_email", _(
                                "There is no account for %(email)s yet. Fill in the name of "
                                "the contact in %(column)s.", email=shown(email),
                                column=ctx.label("contact_name")))
                return False
            names[email] = row.contact_name
        op.new_contact, op.new_contact_name = email, names[email]
        return True
    if user.role is not Role.company:
        ctx.problem(row.line, "contact_email", _(
            "%(email)s already has an account of another kind and cannot be a company contact. "
            "Use another address.", email=shown(email)))
        return False
    if not user.is_active:
        ctx.problem(row.line, "contact_email", _(
            "The account of %(email)s is switched off. Use another address, or ask the "
            "administrator.", email=shown(email)))
        return False
    if op.company is None or (op.company.id, user.id) not in links:
        op.contact_user_id = user.id
    return True


def write(ctx: Context, plan: Plan) -> None:
    session = ctx.session
    ops: list[CompanyOp] = plan.items
    names = {op.new_contact: op.new_contact_name for op in reversed(ops) if op.new_contact}
    emails = list(dict.fromkeys(op.new_contact for op in ops if op.new_contact))
    account_ids = dict(zip(emails, insert_rows(session, User, [{
        "email": email, "role": Role.company, "display_name": names[email],
        "password_hash": unusable_password_hash(), "school_id": None, "region_id": None,
    } for email in emails], returning_ids=True), strict=True))

    new = [op for op in ops if op.company is None]
    defaults = {"address": "", "website": "", "recognised": False, "recognised_for": [],
                "offers_mentor": False, "female_role_model": False, "accessibility_notes": ""}
    ids = insert_rows(session, Company, [
        {**defaults, **op.changes, "kvk": op.row.kvk, "region_id": op.row.region.id}
        for op in new], returning_ids=True)
    company_ids = {id(op): company_id for op, company_id in zip(new, ids, strict=True)}
    for op in ops:
        if op.company is not None and op.changes:
            for name, value in op.changes.items():
                setattr(op.company, name, value)
            session.add(op.company)
    session.flush()
    insert_rows(session, CompanyContact, [
        {"company_id": op.company.id if op.company else company_ids[id(op)],
         "user_id": op.contact_user_id or account_ids[op.new_contact or ""], "can_act": True,
         "job_title": ""}
        for op in ops if op.contact_user_id is not None or op.new_contact])
