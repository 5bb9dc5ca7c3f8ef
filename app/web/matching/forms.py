"""Forms of the matching page: run a round, pin or exclude a pair."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.models import PinKind
from app.web.ui.fields import Form, enum_choices


class RunRoundForm(Form):
    scope = SelectField(_l("Whom to match"), validators=[DataRequired()],
                        description=_l("Everyone in it without a match underway gets at most "
                                       "one proposal. Proposals nobody decided on yet are "
                                       "replaced."))
    seed = IntegerField(_l("Tie-break number (optional)"),
                        validators=[Optional(), NumberRange(min=0, max=2**31 - 1)],
                        description=_l("The same number gives the same result on the same "
                                       "data; leave empty for a fresh draw."))
    # Set by the confirmation page: the first submit shows the scope and its size.
    confirmed = HiddenField()
    submit = SubmitField(_l("Run matching"))


class PinForm(Form):
    student_number = StringField(_l("Student number"), validators=[DataRequired(),
                                                                   Length(max=32)])
    placement_code = StringField(
        _l("Placement reference"), validators=[DataRequired(), Length(max=60)],
        description=_l("As shown on the placement, e.g. SN-004; add the KvK number if two "
                       "companies use the same reference: 12345678 SN-004."))
    kind = RadioField(_l("What to do"), choices=enum_choices(PinKind),
                      default=PinKind.pin.value)
    note = StringField(_l("Why (optional)"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Save"))
