"""A company's placement: its details, its status, its occupation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from app.models import Level, PlacementKind
from app.services.placements import (
    ALLOWANCE_MAX,
    CODE_MAX,
    DESCRIPTION_MAX,
    LEARN_AND_DO_MAX,
    MAX_DAYS_PER_WEEK,
    MAX_HOURS_PER_WEEK,
    REASON_MAX,
    TITLE_MAX,
)
from app.web.ui.fields import Form, MultiCheckboxField, enum_choices


class PlacementForm(Form):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(message=_l("Give the placement a title.")),
                    Length(max=TITLE_MAX)],
        description=_l("What students see first in their list, e.g. “Snuffelstage "
                       "installation technology”."))
    kind = SelectField(
        _l("Kind of placement"), choices=enum_choices(PlacementKind),
        validators=[InputRequired(message=_l("Choose the kind of placement."))],
        description=_l("Decides which students it suits: job shadowing for vmbo, havo and "
                       "vwo; internships and apprenticeships for mbo; hbo internships and "
                       "graduation projects for hbo; fieldlab projects for mbo and hbo."))
    levels = MultiCheckboxField(
        _l("Levels"), choices=enum_choices(Level),
        description=_l("The school levels of the students you accept. Needed before "
                       "publishing; matching only proposes students of these levels."))
    themes = MultiCheckboxField(
        _l("Themes"), coerce=int,
        description=_l("The technology a student works with: matching compares these with "
                       "the student's interests and talents."))
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=DESCRIPTION_MAX)],
        description=_l("The company, the team and the work. Needed before publishing."))
    learn_and_do = TextAreaField(
        _l("What a student will learn and do"),
        validators=[Optional(), Length(max=LEARN_AND_DO_MAX)],
        description=_l("Concrete tasks, e.g. “wire a switchboard with a mechanic”. Students "
                       "choose on this; needed before publishing."))
    postcode = StringField(
        _l("Postcode of the place"),
        validators=[DataRequired(message=_l("Give the 4 digits of a Dutch postcode, "
                                            "e.g. 6901.")), Length(max=7)],
        description=_l("Where the student works, if not at the company's address: used for "
                       "the travel distance."))
    capacity = IntegerField(
        _l("Number of places"),
        validators=[InputRequired(message=_l("Offer at least 1 place.")),
                    NumberRange(min=1, message=_l("Offer at least 1 place."))],
        description=_l("How many students you can take at the same time."))
    starts_on = DateField(
        _l("Start date"), validators=[Optional()],
        description=_l("Needed before publishing: matching checks when students are "
                       "available."))
    ends_on = DateField(
        _l("End date"), validators=[Optional()],
        description=_l("The last day; for a single day, the same as the start date."))
    days_per_week = IntegerField(
        _l("Days per week"),
        validators=[Optional(), NumberRange(min=1, max=MAX_DAYS_PER_WEEK, message=_l(
            "Give a number of days per week from 1 to %(n)s.", n=MAX_DAYS_PER_WEEK))],
        description=_l("Needed before publishing: students combine a placement with school."))
    hours_per_week = IntegerField(
        _l("Hours per week"),
        validators=[Optional(), NumberRange(min=1, max=MAX_HOURS_PER_WEEK, message=_l(
            "Give a number of hours per week from 1 to %(n)s.", n=MAX_HOURS_PER_WEEK))],
        description=_l("What a student plans their week around: at most 10 hours a day of "
                       "the days per week."))
    allowance = StringField(
        _l("Allowance"), validators=[Optional(), Length(max=ALLOWANCE_MAX)],
        description=_l("E.g. “€ 300 a month” or “travel costs”; leave empty if there is "
                       "none."))
    application_deadline = DateField(
        _l("Apply before"), validators=[Optional()],
        description=_l("The last day counsellors can propose a student; not after the start "
                       "date."))
    code = StringField(
        _l("Your reference"), validators=[Optional(), Length(max=CODE_MAX)],
        description=_l("Your own number for this placement, e.g. a vacancy number. Left "
                       "empty, one is made (P-0001)."))


class StatusForm(Form):
    """A change of status, with an optional reason for the history."""

    reason = TextAreaField(
        _l("Reason"), validators=[Optional(), Length(max=REASON_MAX)],
        description=_l("Optional: kept in the history, so colleagues and the coordinator "
                       "know why."))


class OccupationForm(Form):
    """The occupation a placement offers work in; the choices are set by the view (the
    suggestions for its title or a search) and the service checks the code."""

    code = RadioField(
        _l("Which occupation fits the work?"), validate_choice=False,
        validators=[InputRequired(message=_l("Choose an occupation, or one of the last two "
                                             "options."))],
        description=_l("Students whose dream job is this occupation find the placement "
                       "sooner, and matching compares it with what they like and can do."))
    q = HiddenField()
