"""Forms of the matching page: run a round; find a student and a placement to pin or exclude."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

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


class StudentSearchForm(Form):
    """The pin search's first step: which student (read from the address bar)."""

    class Meta:
        csrf = False

    who = StringField(_l("Find the student"), validators=[Optional(), Length(max=100)],
                      description=_l("A name, student number or class; empty lists them all."))
    submit = SubmitField(_l("Search"))


class PlacementSearchForm(Form):
    """The second step: the placements ranked for that student (read from the address bar)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search open placements"), validators=[Optional(), Length(max=100)],
                    description=_l("A reference, title, company or place; empty: the best "
                                   "for this student first."))
    submit = SubmitField(_l("Search"))


class PinForm(Form):
    """A placement picked in the search, pinned or excluded; each row of the search is one.
    The page writes the inputs itself (one form per row), so the labels live here."""

    student_id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)])
    placement_id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)])
    kind = RadioField(_l("What to do"), choices=enum_choices(PinKind),
                      validators=[InputRequired()])
    note = StringField(_l("Why (optional)"), validators=[Optional(), Length(max=500)])
    breaking_rules = BooleanField(_l("I know it breaks this rule: pin it anyway"))
