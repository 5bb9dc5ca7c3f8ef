"""The form for a new token. The accounts to choose from are filled in by the view; the
service checks every rule again (and says what to fix)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from app.models import API_SCOPES, ApiAccess, ApiArea
from app.models.api_tokens import TOKEN_NAME_MAX
from app.web.ui.fields import Form, MultiCheckboxField, optional_int

# What each area of the API holds, in the words of the pages.
AREA_LABELS = {
    ApiArea.reference: _l("Regions and schools"),
    ApiArea.students: _l("Students"),
    ApiArea.activities: _l("Activities, participations and observations"),
    ApiArea.placements: _l("Companies and placements"),
    ApiArea.proposals: _l("Proposals and recommendations"),
    ApiArea.monitor: _l("Monitor figures and fairness audit"),
    ApiArea.me: _l("A student's own proposals"),
}
ACCESS_LABELS = {ApiAccess.read: _l("read"), ApiAccess.write: _l("read and change")}


def scope_label(scope: str) -> str:
    """``students:write`` as "Students: read and change"."""
    area, _sep, access = scope.partition(":")
    return f"{AREA_LABELS[ApiArea(area)]}: {ACCESS_LABELS[ApiAccess(access)]}"


def scope_choices() -> list[SelectChoice]:
    """The scopes of a token made on this page (never a student's own: those are hers)."""
    return [SelectChoice(scope, scope_label(scope)) for scope in API_SCOPES]


class NewTokenForm(Form):
    name = StringField(_l("Name"), description=_l(
        "What it is for, e.g. Magister Het Liemers College."),
                       render_kw={"maxlength": TOKEN_NAME_MAX})
    acting_user_id = SelectField(_l("Acts as account"), coerce=optional_int,
                                 validators=[Optional()], description=_l(
        "The token may do exactly what this account may do, within its scopes."))
    scopes = MultiCheckboxField(_l("Scopes"), choices=[], validators=[Optional()],
                                description=_l("Changing includes reading."))
    expires_on = DateField(_l("Expires on"), validators=[Optional()], description=_l(
        "The token works through this day; at most a year ahead."))
