"""Forms for companies, their contacts, invitations and placements.

Choices that come from the database (regions, themes) are filled in by the view before
validating. The services check every rule again; these validators only catch what the
browser should have caught.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    Length,
    Optional,
)

from app.models import PlacementKind
from app.services.companies import (
    ADDRESS_MAX,
    DISPLAY_NAME_MAX,
    JOB_TITLE_MAX,
    NAME_MAX,
    NOTES_MAX,
    SECTOR_MAX,
)
from app.web.ui.fields import Form, MultiCheckboxField, enum_choices, optional_int


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








