"""Forms for companies, their contacts, invitations and placements.

Choices that come from the database (regions, themes) are filled in by the view before
validating. The services check every rule again; these validators only catch what the
browser should have caught.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from .form_fields import Form, MultiCheckboxField, enum_choices, optional_int
from .models import Level, PlacementKind
from .services.accounts import MIN_PASSWORD_LENGTH
from .services.companies import (
    ADDRESS_MAX,
    DISPLAY_NAME_MAX,
    JOB_TITLE_MAX,
    NAME_MAX,
    NOTES_MAX,
    SECTOR_MAX,
)
from .services.placements import (
    ALLOWANCE_MAX,
    CODE_MAX,
    DESCRIPTION_MAX,
    LEARN_AND_DO_MAX,
    MAX_DAYS_PER_WEEK,
    REASON_MAX,
    TITLE_MAX,
)


class CompanyForm(Form):
    region_id = SelectField(
        _l("Region"), coerce=optional_int, validators=[Optional()],
        description=_l("The regional pact the company works with: its coordinators manage "
                       "the company and its students see the placements."))
    name = StringField(
        _l("Company name"),
        validators=[DataRequired(message=_l("Give the name of the company.")),
                    Length(max=NAME_MAX)],
        description=_l("As students and schools know the company."))
    kvk = StringField(
        _l("KvK number"),
        validators=[DataRequired(message=_l("A KvK number has exactly 8 digits, "
                                            "e.g. 12345678.")), Length(max=20)],
        description=_l("The 8 digits of the chamber of commerce registration: it keeps one "
                       "company from being registered twice."))
    sector = StringField(
        _l("Sector"),
        validators=[DataRequired(message=_l("Give the sector, e.g. installation "
                                            "technology.")), Length(max=SECTOR_MAX)],
        description=_l("What the company does, e.g. installation technology or metalworking: "
                       "it helps students recognise their interest."))
    address = StringField(
        _l("Address"), validators=[Optional(), Length(max=ADDRESS_MAX)],
        description=_l("Street and number, so a student can find the way on the first day."))
    postcode = StringField(
        _l("Postcode"),
        validators=[DataRequired(message=_l("Give the 4 digits of a Dutch postcode, "
                                            "e.g. 6901.")), Length(max=7)],
        description=_l("The 4 digits are enough: they show the place and the travel distance "
                       "for students."))
    website = StringField(
        _l("Website"), validators=[Optional(), Length(max=200)],
        description=_l("Where students and counsellors read more about the company."))
    recognised = BooleanField(
        _l("Recognised training company (erkend leerbedrijf)"),
        description=_l("mbo internships and apprenticeships may only take place at a "
                       "recognised training company."))
    recognised_for = MultiCheckboxField(
        _l("Recognised for"), choices=enum_choices(PlacementKind),
        description=_l("The kinds of placement the recognition covers. Only counts when the "
                       "company is recognised."))
    offers_mentor = BooleanField(
        _l("Offers a mentor"),
        description=_l("A colleague who guides the student: counsellors look for this for "
                       "younger students."))
    female_role_model = BooleanField(
        _l("Can offer a female role model or mentor"),
        description=_l("Helps girls choose and stay in technology: the programme pays special "
                       "attention to this."))
    accessibility_notes = TextAreaField(
        _l("Accessibility"), validators=[Optional(), Length(max=NOTES_MAX)],
        description=_l("E.g. wheelchair access, public transport, quiet workplace: so that "
                       "every student can judge whether the placement suits them."))


class InviteContactForm(Form):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(message=_l("Enter an e-mail address, e.g. "
                                            "name@company.nl.")), Length(max=254)],
        description=_l("Of the person who will act for the company. An existing company "
                       "account is linked as it is."))
    display_name = StringField(
        _l("Name"), validators=[Optional(), Length(max=DISPLAY_NAME_MAX)],
        description=_l("Needed for a new account: shown to coordinators and counsellors."))
    job_title = StringField(
        _l("Job title"), validators=[Optional(), Length(max=JOB_TITLE_MAX)],
        description=_l("E.g. HR advisor or workshop manager: tells others whom to ask what."))


class ContactRightsForm(Form):
    can_act = HiddenField(validators=[AnyOf(["0", "1"])])


class AcceptInvitationForm(Form):
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Choose a password.")),
                    Length(min=MIN_PASSWORD_LENGTH,
                           message=_l("Use at least %(n)s characters.", n=MIN_PASSWORD_LENGTH))],
        description=_l("At least %(n)s characters. A sentence of a few words is easy to "
                       "remember and hard to guess.", n=MIN_PASSWORD_LENGTH))
    confirm = PasswordField(
        _l("Password again"),
        validators=[DataRequired(message=_l("Type the password again.")),
                    EqualTo("password", message=_l("The two passwords differ."))],
        description=_l("To be sure there is no typing error."))


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
