"""Forms for activities, participants, observers and talent observations.

Choices that come from the database (companies, themes, students, classes) are filled in
by the view before validating.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from app.models import ActivityKind, Pillar
from app.services.accounts import MIN_PASSWORD_LENGTH
from app.services.activities import DESCRIPTION_MAX, TITLE_MAX
from app.web.ui.fields import Form, MultiCheckboxField, enum_choices, optional_int


class ActivityForm(Form):
    kind = SelectField(
        _l("Kind of activity"), choices=enum_choices(ActivityKind),
        validators=[InputRequired(message=_l("Choose the kind of activity."))],
        description=_l("The programme counts participants per kind of activity."))
    pillar = SelectField(
        _l("Pillar"),
        choices=[SelectChoice("", _l("The usual pillar for this kind")), *enum_choices(Pillar)],
        validators=[Optional()],
        description=_l("The regional pact reports per pillar. The usual one: choosing "
                       "technology for girlsday, week of technology, technology classroom, "
                       "PET event, guest lesson and talent scouting (or learning, for older "
                       "students); working for a company visit; innovating for a fieldlab."))
    region_id = SelectField(
        _l("Region"), coerce=optional_int, validators=[Optional()],
        description=_l("The regional pact whose figures the activity counts in."))
    title = StringField(
        _l("Title"),
        validators=[DataRequired(message=_l("Give the activity a title.")),
                    Length(max=TITLE_MAX)],
        description=_l("How schools, students and observers recognise the activity."))
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=DESCRIPTION_MAX)],
        description=_l("What students will do: it tells observers what to look for."))
    starts_on = DateField(
        _l("Date"), validators=[InputRequired(message=_l("Give the date of the activity."))],
        description=_l("Decides the school year the activity counts in."))
    ends_on = DateField(
        _l("End date"), validators=[Optional()],
        description=_l("Only for an activity of more than one day."))
    postcode = StringField(
        _l("Postcode"),
        validators=[DataRequired(message=_l("Enter the 4 digits of a Dutch postcode, "
                                            "e.g. 6901.")), Length(max=7)],
        description=_l("Where it takes place: the 4 digits are enough to show the place."))
    host_company_id = SelectField(
        _l("Host company"), coerce=optional_int, validators=[Optional()],
        description=_l("The company where it takes place, if any: its contacts can then "
                       "see the activity."))
    themes = MultiCheckboxField(
        _l("Themes"), coerce=int,
        description=_l("The technology students meet here; observers start from these "
                       "themes."))
    capacity = IntegerField(
        _l("Capacity"),
        validators=[Optional(), NumberRange(min=1, message=_l(
            "The capacity must be at least 1, or empty for no limit."))],
        description=_l("The most students who can take part; empty for no limit. "
                       "Registering stops when it is full."))


class RegisterStudentForm(Form):
    # The list can be narrowed by a search, so the view checks the choice itself.
    student = SelectField(
        _l("Student"), coerce=optional_int, validate_choice=False,
        validators=[InputRequired(message=_l("Choose a student."))],
        description=_l("Students you may register who are not registered yet."))


class RegisterClassForm(Form):
    class_ref = SelectField(
        _l("Class"), validators=[InputRequired(message=_l("Choose a class."))],
        description=_l("Registers every student of the class; those already registered "
                       "are skipped."))


class AttendanceForm(Form):
    # Two buttons name the choice; the service says what to fix for anything else.
    attendance = RadioField(
        _l("Attendance"), validate_choice=False,
        choices=[SelectChoice("attended", _l("Attended")), SelectChoice("absent", _l("Absent"))])


class EveryoneAttendedForm(Form):
    group = SelectField(
        _l("Who attended"), validators=[Optional()],
        description=_l("Everyone still registered, or one class. Students marked absent stay "
                       "absent."))


class ObserverForm(Form):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(message=_l("Enter an e-mail address.")), Length(max=254)],
        description=_l("Of a talent scout, a company host or a counsellor. An existing "
                       "account is linked as it is."))
    display_name = StringField(
        _l("Name (new accounts only)"), validators=[Optional(), Length(max=120)],
        description=_l("Only when there is no account for this address yet: shown next to "
                       "their observations."))
    password = PasswordField(
        _l("Initial password (new accounts only)"),
        validators=[Optional(), Length(min=MIN_PASSWORD_LENGTH, message=_l(
            "Use at least %(n)s characters.", n=MIN_PASSWORD_LENGTH))],
        description=_l("At least %(n)s characters. Hand it over yourself; the observer can "
                       "change it after logging in.", n=MIN_PASSWORD_LENGTH))




