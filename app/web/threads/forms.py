"""A message on a proposal's thread; a contact's telephone number."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.models import MESSAGE_MAX
from app.web.ui.fields import Form


class MessageForm(Form):
    body = TextAreaField(_l("Your message"),
                         validators=[DataRequired(_l("Write a message first.")),
                                     Length(max=MESSAGE_MAX)],
                         description=_l("The student, the company contact and the counsellor "
                                        "read it."))
    submit = SubmitField(_l("Send message"))


class PhoneForm(Form):
    phone = StringField(_l("Telephone number"), validators=[Optional(), Length(max=20)],
                        description=_l("Shown to the student and the counsellor (or the "
                                       "company) once a placement is agreed."))
    submit = SubmitField(_l("Save"))
