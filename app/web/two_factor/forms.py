"""Forms of the second factor (Flask-WTF: every one carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app.web.ui.fields import Form

# A recovery code with its dashes is 19 characters; room for spaces typed between groups.
CODE_MAX_LENGTH = 40


def _code_field() -> StringField:
    return StringField(_l("Code"), validators=[DataRequired(), Length(max=CODE_MAX_LENGTH)])


class EnrolForm(Form):
    code = _code_field()
    next = HiddenField()
    submit = SubmitField(_l("Turn on"))


class CodeForm(Form):
    code = _code_field()
    next = HiddenField()
    submit = SubmitField(_l("Continue"))


class ManageForm(Form):
    code = _code_field()
    new_codes = SubmitField(_l("Make new recovery codes"))
    turn_off = SubmitField(_l("Turn off"))


class ResetForm(Form):
    submit = SubmitField(_l("Reset"))
