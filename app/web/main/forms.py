"""Forms of the home pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    IntegerField,
    SubmitField,
)
from wtforms.validators import InputRequired

from app.web.ui.fields import Form


class AnswerDaysForm(Form):
    answer_days = IntegerField(
        _l("Working days a company has to answer a candidate"), validators=[InputRequired()],
        description=_l("After this the offer lapses, the place is freed and the student can "
                       "be matched again."))
    submit = SubmitField(_l("Save"))
