"""Forms of a student's page as their counsellor sees it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import InputRequired, Length, Optional

from app.models import ConsentGiver
from app.web.ui.fields import Form, enum_choices


class ConsentForm(Form):
    given_by = SelectField(_l("Consent given by"), choices=enum_choices(ConsentGiver),
                           validators=[InputRequired()])
    given_by_name = StringField(_l("Name of the parent or guardian"),
                                validators=[Optional(), Length(max=160)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Record consent"))
