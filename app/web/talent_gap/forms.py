"""Inviting a student from the talent list to an activity."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField
from wtforms.validators import DataRequired

from app.web.ui.fields import Form


class InviteForm(Form):
    student_id = HiddenField(validators=[DataRequired()])
    activity_id = IntegerField(_l("Activity"), validators=[DataRequired()])
