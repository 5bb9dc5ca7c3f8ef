"""The observation form: what a scout or counsellor saw a student do, and how strongly."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from app.services.observations import NOTE_MAX, SKILLS_MAX
from app.web.ui.fields import Form, MultiCheckboxField


def _whole_number_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class StrengthField(RadioField):
    """Radio buttons 1-5; anything else gets the message that says what to choose."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("coerce", _whole_number_or_none)
        super().__init__(label, validators, **kwargs)

    def pre_validate(self, form):
        if self.data not in {choice.value for choice in self.iter_choices()}:
            raise ValidationError(str(MESSAGE_STRENGTH))


MESSAGE_STRENGTH = _l("Choose a strength from 1 to 5.")


STRENGTH_CHOICES = [
    SelectChoice(1, _l("1 – a first sign")),
    SelectChoice(2, _l("2 – some talent")),
    SelectChoice(3, _l("3 – clear talent")),
    SelectChoice(4, _l("4 – strong talent")),
    SelectChoice(5, _l("5 – outstanding")),
]


class ObservationForm(Form):
    themes = MultiCheckboxField(
        _l("Themes the student showed"), coerce=int,
        description=_l("The technology the student was drawn to or good at. The themes of "
                       "the activity come first."))
    skills = StringField(
        _l("Skills"), validators=[Optional(), Length(max=SKILLS_MAX)],
        description=_l("What they did well, in a few words, e.g. \"very precise at "
                       "soldering\" or \"takes the lead in the robot challenge\"."))
    strength = StrengthField(
        _l("Strength"), choices=STRENGTH_CHOICES,
        validators=[InputRequired(message=MESSAGE_STRENGTH)],
        description=_l("How clearly the talent showed, compared with others of the same "
                       "age."))
    note = TextAreaField(
        _l("Note"), validators=[Optional(), Length(max=NOTE_MAX)],
        description=_l("A short note for the counsellor: what happened, what to follow up. "
                       "The student can read it."))
